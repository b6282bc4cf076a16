"""Published-only rows (issue 15.8): the DfE's education outcomes for the council, as LAIT publishes them,
benchmarked the way careboard benchmarks its own measures.

The expected figures are worked out here from the raw vendored LAIT rows (read with pyarrow, not through
careboard's SQL) and the DfE's statistical neighbours file, with LAIT's method written out in the
independent ``lait_method`` helper; the code under test produces none of them.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from importlib import resources

import duckdb
import pyarrow.parquet as pq
import pytest
from lait_method import band, decimals, quantile7, rank, round_half_up

from careboard.benchmark.compare import scorecard
from careboard.measures.measure import all_measures
from careboard.measures.published_only import NOT_SHOWN, PUBLISHED_ONLY, published_only
from careboard.publish.scorecard_output import render_scorecard, scorecard_table

DATA = resources.files("careboard.reference") / "data"


@pytest.fixture(scope="module")
def lait() -> dict[tuple[str, int, str], float | None]:
    """(LAIT code, year, LA number) -> published value (None for '-'), straight from the vendored file."""
    table = pq.read_table(str(DATA / "lait_values.parquet"), columns=["measure", "year", "la_number", "value"])
    return {(m, y, la): v for m, y, la, v in zip(*(table.column(c).to_pylist() for c in table.column_names),
                                                  strict=True)}


@pytest.fixture(scope="module")
def lookup() -> dict[str, dict[str, str]]:
    with (DATA / "lait_measures.csv").open(encoding="utf-8") as f:
        return {r["measure_short"]: r for r in csv.DictReader(f)}


def test_every_declared_code_is_in_the_vendored_lait_data_with_the_dfes_wording_and_polarity(lait, lookup):
    units = list(published_only().values())
    assert len(units) == len(PUBLISHED_ONLY) >= 12
    codes = [u.lait_code for u in units]
    assert len(codes) == len(set(codes))
    computed = {m.lait_code for m in all_measures().values() if m.lait_code}
    polarity = {"High": "high", "Low": "low", "-": None}
    for u in units:
        row = lookup.get(u.lait_code)
        assert row is not None, u.lait_code
        assert u.dfe_wording == row["measure"], u.lait_code
        assert u.polarity == polarity[row["polarity"]], u.lait_code  # a higher absence rate is worse
        assert row["year_type"] == "Academic Year" and row["no_quartile_flag"] != "N", u.lait_code
        assert u.lait_code not in computed  # careboard computes none of them: that is why they are published only
        years = {y for (m, y, la), v in lait.items() if m == u.lait_code and la < "970" and v is not None}
        assert years, u.lait_code
        latest = max(years)
        # the decimal places the DfE publishes the latest year to, from the figures themselves
        assert u.precision == max(decimals(v) for (m, y, la), v in lait.items()
                                  if m == u.lait_code and y == latest and la < "970" and v is not None), u.lait_code
        # LAIT was last updated on 1 April 2026 from the DfE's March 2026 publication: attainment, absence and
        # SEN for 2024/25 (LAIT year 2025), suspensions for 2023/24 (2024)
        assert latest + u.published_lag == 2026, u.lait_code
    assert {u.polarity for u in units if "absence" in u.id or "suspension" in u.id} == {"low"}
    assert {u.polarity for u in units if "ks2" in u.id or "ks4" in u.id} == {"high"}


def test_every_education_code_of_the_children_looked_after_and_in_need_topics_is_shown_or_says_why_not(lookup):
    education = {code for code, r in lookup.items()
                 if r["topic"] in ("Children Looked After", "Children in Need") and r["year_type"] == "Academic Year"}
    shown = {u.lait_code for u in PUBLISHED_ONLY}
    assert shown <= education
    assert education - shown == set(NOT_SHOWN)
    assert all(NOT_SHOWN.values())


def _database(la: str, year: int) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE TABLE measure_values (measure VARCHAR, la VARCHAR, year SMALLINT, breakdown VARCHAR, "
                "breakdown_value VARCHAR, numerator DOUBLE, denominator DOUBLE, value DOUBLE)")
    con.execute("INSERT INTO measure_values VALUES ('cla_31_march', ?, ?, 'all', 'All', 1000, NULL, 1000)", [la, year])
    return con


@pytest.fixture(scope="module")
def kent_2026() -> list[dict]:
    con = _database("886", 2026)
    try:
        return scorecard(con, "886", 2026)
    finally:
        con.close()


def _neighbours(la: str) -> list[str]:
    with (DATA / "statistical_neighbours_2025.csv").open(encoding="utf-8") as f:
        return [r["sn_old_la_code"].zfill(3) for r in csv.DictReader(f) if r["old_la_code"].zfill(3) == la]


@pytest.mark.parametrize(("row_id", "code", "lait_year", "polarity", "dp"), [
    ("pub_cla_persistent_absence", "LAC_Pers_Abs", 2025, "low", 1),  # 2024/25, published 2026
    ("pub_cla_suspension", "LAC_Fixed_ Ex", 2024, "low", 2),  # 2023/24: suspensions come a year later
    ("pub_cin_ks4_attainment8", "CIN_Avg_Attain8_KS4", 2025, "high", 1),
])
def test_a_published_only_row_is_benchmarked_as_lait_does(kent_2026, lait, row_id, code, lait_year, polarity, dp):
    """Kent (886), scorecard year 2025-26: the latest LAIT year up to 2026, worked out by hand from the raw rows."""
    row = next(r for r in kent_2026 if r["measure"] == row_id)
    everyone = [round_half_up(v, dp) for (m, y, la), v in lait.items()
                if m == code and y == lait_year and la < "970" and v is not None]
    ours = lait[(code, lait_year, "886")]
    sn = [lait[(code, lait_year, n)] for n in _neighbours("886") if lait.get((code, lait_year, n)) is not None]
    assert len(_neighbours("886")) == 10
    expected = {
        "benchmark_year": lait_year,
        "value": ours,
        "england": lait[(code, lait_year, "970")],
        "sn_mean": round_half_up(sum(sn) / len(sn), dp),
        "quartile_band": band(ours, everyone, polarity),
        "rank": rank(ours, [v for v in everyone if v != ours] + [ours], polarity),
        "ranked_of": len(everyone),
        "best_quartile": quantile7(everyone, 0.25 if polarity == "low" else 0.75),
        "previous": lait[(code, lait_year - 1, "886")],
        "numerator": None,
        "denominator": None,
    }
    assert {k: row[k] for k in expected} == pytest.approx(expected)
    worse = row["value"] > row["previous"] if polarity == "low" else row["value"] < row["previous"]
    assert row["trend"] == ("worsening" if worse else "improving")


def test_the_hand_checked_figures_for_kent(kent_2026):
    """The same, typed in from LAIT: children in care in Kent who were persistently absent in 2024/25."""
    row = next(r for r in kent_2026 if r["measure"] == "pub_cla_persistent_absence")
    assert (row["value"], row["england"], row["previous"], row["trend"]) == (17.2, 20.3, 19.9, "improving")
    assert row["quartile_band"] == "A"  # low is good: 17.2% is among the lowest quarter


def test_the_csv_and_the_terminal_say_published_only_and_when(kent_2026):
    text = render_scorecard(kent_2026, "csv", "886", 2026)
    lines = list(csv.DictReader(text.splitlines()))
    row = next(r for r in lines if r["measure"] == "pub_cla_suspension")
    assert (row["source"], row["published"], row["value"]) == ("published only",
                                                               "published 2026, academic year 2023/24", "14.06")
    assert next(r for r in lines if r["measure"] == "cla_31_march")["source"] == "careboard"
    from rich.console import Console

    console = Console(width=400, record=True)
    console.print(scorecard_table(kent_2026, "886", 2026))
    out = console.export_text()
    assert "published only: published 2026, academic year 2024/25" in out and "14.06%" in out


def test_a_year_the_dfe_has_not_published_shows_the_latest_before_it():
    """Scorecard year 2021: no Key Stage 2 tests in 2019/20 or 2020/21, so the latest is 2018/19 (LAIT 2019)."""
    con = _database("886", 2021)
    try:
        row = next(r for r in scorecard(con, "886", 2021) if r["measure"] == "pub_cla_ks2_rwm")
    finally:
        con.close()
    assert row["benchmark_year"] == 2019 and row["value"] is not None


def test_no_published_figure_for_the_council_is_none_not_a_guess(lait):
    """Trafford (358): LAIT has '-' for its children in care at Key Stage 2 in 2024/25."""
    assert lait[("LAC_KS2_ExpStd_RWM", 2025, "358")] is None
    con = _database("358", 2026)
    try:
        row = next(r for r in scorecard(con, "358", 2026) if r["measure"] == "pub_cla_ks2_rwm")
    finally:
        con.close()
    assert row["value"] is None and row["quartile_band"] is None and row["rank"] is None
    assert row["england"] == lait[("LAC_KS2_ExpStd_RWM", 2025, "970")]


def test_by_year_every_authority_has_its_own_figure():
    """Two authorities in one database each get their own published figure, not each other's."""
    con = _database("886", 2026)
    con.execute("INSERT INTO measure_values VALUES ('cla_31_march', '358', 2026, 'all', 'All', 400, NULL, 400)")
    try:
        got = defaultdict(dict)
        for la in ("886", "358"):
            for r in scorecard(con, la, 2026):
                got[la][r["measure"]] = r["value"]
    finally:
        con.close()
    assert got["886"]["pub_cla_persistent_absence"] == 17.2 and got["358"]["pub_cla_persistent_absence"] == 26.1
