"""Benchmarks checked against the vendored published data, recomputed here in plain Python."""

import csv
import statistics
from importlib import resources

import lait_method as lait
import pyarrow.parquet as pq
import pytest

from careboard.benchmark.compare import compare
from careboard.benchmark.targets import Target, status
from fresh_db import fresh_database

DATA = resources.files("careboard.reference") / "data"


def published(measure: str, year: int) -> dict[str, float]:
    t = pq.read_table(str(DATA / "lait_values.parquet")).to_pylist()
    return {
        r["la_number"]: r["value"]
        for r in t
        if r["measure"] == measure and r["year"] == year and r["value"] is not None
    }


def neighbours(la: str) -> list[str]:
    with (DATA / "statistical_neighbours_2025.csv").open() as f:
        return [r["sn_old_la_code"].zfill(3) for r in csv.DictReader(f) if r["old_la_code"].zfill(3) == la]


@pytest.fixture
def con():
    c = fresh_database()
    c.execute(
        "CREATE TABLE measure_values (measure VARCHAR, la VARCHAR, year SMALLINT, breakdown VARCHAR, "
        "breakdown_value VARCHAR, numerator DOUBLE, denominator DOUBLE, value DOUBLE)"
    )
    yield c
    c.close()


def row(con, measure, la, year):
    compare(con)
    cur = con.execute("SELECT * FROM scorecard_rows WHERE measure = ? AND la = ? AND year = ? AND breakdown = 'all'",
                      [measure, la, year])
    names = [d[0] for d in cur.description]
    return dict(zip(names, cur.fetchone(), strict=True))


def la_region_codes() -> dict[str, str]:
    with (DATA / "la_lookup.csv").open() as f:
        return {r["old_la_code"]: r["region_code"] for r in csv.DictReader(f)}


def test_low_polarity_measure_against_england_neighbours_and_the_best(con):
    ours = 7.0
    con.execute("INSERT INTO measure_values VALUES ('placements_3_plus', '886', 2025, 'all', 'All', 7, 100, ?)", [ours])
    r = row(con, "placements_3_plus", "886", 2025)
    pub = published("LACStable_2016on", 2025)
    assert r["benchmark_year"] == 2025
    assert r["england"] == pub["970"]
    sn = [pub[n] for n in neighbours("886") if n in pub]
    assert r["sn_mean"] == lait.round_half_up(statistics.mean(sn), 0)  # LAIT shows whole numbers here
    assert r["sn_median"] == pytest.approx(round(statistics.median(sn), 1))
    assert r["best_sn"] == min(sn)
    others = [v for la, v in pub.items() if la < "970" and la != "886"] + [ours]
    assert r["best_quartile"] == pytest.approx(lait.quantile7(others, 0.25))
    assert r["quartile_band"] == lait.band(ours, others, "low")
    assert r["rank"] == lait.rank(ours, others, "low")
    assert r["ranked_of"] == len(others)
    # Previous year: no careboard figure for 2024, so Kent's published 2024 value.
    assert r["previous"] == published("LACStable_2016on", 2024)["886"]
    assert r["previous_source"] == "published"


def test_every_english_authority_is_ranked_county_councils_included(con):
    # LAIT ranks Kent's 3+ placements among 151 authorities in 2025; the 17 county councils numbered
    # 908-943 (Surrey 936, Hertfordshire 919, Norfolk 926 ...) are authorities too.
    con.execute("INSERT INTO measure_values VALUES ('placements_3_plus', '886', 2025, 'all', 'All', 7, 100, 7)")
    r = row(con, "placements_3_plus", "886", 2025)
    assert r["ranked_of"] == 151
    surrey = published("LACStable_2016on", 2025)["936"]  # 8: among the better ones, so it counts in Kent's rank
    assert r["rank"] == lait.rank(7.0, [v for la, v in published("LACStable_2016on", 2025).items()
                                        if la < "970" and la != "886"] + [7.0], "low")
    assert surrey == 8


def test_own_figure_is_ranked_at_the_precision_it_would_be_published_to(con):
    # 3+ placements is published as whole numbers.  Kent at 12.3% would be published as 12, which is
    # the 75th percentile in 2025: band C (a figure on a cut-off takes the lower band when low is good),
    # ranked with the authorities at 12.  Ranked as 12.3 among whole numbers it would be band D.
    con.execute("INSERT INTO measure_values VALUES ('placements_3_plus', '886', 2025, 'all', 'All', 123, 1000, 12.3)")
    r = row(con, "placements_3_plus", "886", 2025)
    pub = published("LACStable_2016on", 2025)
    others = [v for la, v in pub.items() if la < "970" and la != "886"]
    assert lait.quantile7([*others, 12.0], 0.75) == 12.0
    assert (r["value"], r["ranked_value"]) == (12.3, 12.0)
    assert r["quartile_band"] == "C"
    assert r["rank"] == lait.rank(12.0, others, "low") == 1 + sum(v < 12 for v in others)


def test_rounding_half_up_from_the_exact_fraction(con):
    # 12.46% shows as 12.5 (careboard's 1 dp) but is published as 12, not 13: rounded from the exact
    # fraction, not from the displayed figure.  12.5% exactly rounds up to 13.
    con.execute("INSERT INTO measure_values VALUES ('placements_3_plus', '886', 2025, 'all', 'All', 623, 5000, 12.5)")
    con.execute("INSERT INTO measure_values VALUES ('placements_3_plus', '886', 2024, 'all', 'All', 125, 1000, 12.5)")
    assert row(con, "placements_3_plus", "886", 2025)["ranked_value"] == 12.0
    assert row(con, "placements_3_plus", "886", 2024)["ranked_value"] == 13.0


def test_a_figure_on_the_best_cut_off_takes_the_lower_band_when_high_is_good(con):
    # Long-term stability (high is good), Kent at 72% in 2025: 72 is the 75th percentile, so band B, as
    # LAIT's calculate_quartile_band gives (A only above the cut-off).
    con.execute("INSERT INTO measure_values VALUES ('long_term_stability', '886', 2025, 'all', 'All', 72, 100, 72)")
    r = row(con, "long_term_stability", "886", 2025)
    others = [v for la, v in published("LAC_LongStable%", 2025).items() if la < "970" and la != "886"]
    assert lait.quantile7([*others, 72.0], 0.75) == 72.0 == r["best_quartile"]
    assert r["quartile_band"] == "B"


def test_ties_share_the_best_rank(con):
    pub = published("LACStable_2016on", 2025)
    others = [v for la, v in pub.items() if la < "970" and la != "886"]
    tied = sorted(others)[40]
    con.execute("INSERT INTO measure_values VALUES ('placements_3_plus', '886', 2025, 'all', 'All', ?, 100, ?)",
                [tied, tied])
    r = row(con, "placements_3_plus", "886", 2025)
    assert r["rank"] == 1 + sum(v < tied for v in others)
    assert sum(v == tied for v in others) > 1  # several authorities share it


@pytest.mark.parametrize("la", ["202", "936", "370", "886", "308"])  # Camden, Surrey, Barnsley, Kent, Enfield
def test_region_found_by_code_for_every_kind_of_authority(con, la):
    con.execute("INSERT INTO measure_values VALUES ('placements_3_plus', ?, 2025, 'all', 'All', 7, 100, 7)", [la])
    r = row(con, "placements_3_plus", la, 2025)
    region_row = lait.REGION_ROW[la_region_codes()[la]]
    assert r["region"] is not None
    assert r["region"] == published("LACStable_2016on", 2025)[region_row]


def test_every_authority_has_a_region_row():
    from careboard.authorities import all_authorities

    codes = la_region_codes()
    assert {a.code for a in all_authorities().values() if codes[a.code] not in lait.REGION_ROW} == set()


def test_an_inner_london_borough_is_compared_with_inner_london(con):
    # Social worker instability was published for 2024 only; Camden's region row is Inner London's
    # (987), not London's (986), whose figure differs.
    con.execute("INSERT INTO measure_values VALUES ('social_workers_3_plus', '202', 2025, 'all', 'All', 20, 100, 20)")
    r = row(con, "social_workers_3_plus", "202", 2025)
    assert r["benchmark_year"] == 2024
    assert r["region"] == published("Stability_SocialWorker", 2024)["987"]
    assert published("Stability_SocialWorker", 2024)["986"] != r["region"]


def test_trend_by_polarity(con):
    con.execute("INSERT INTO measure_values VALUES ('placements_3_plus', '886', 2025, 'all', 'All', 1, 10, 10)")
    con.execute("INSERT INTO measure_values VALUES ('placements_3_plus', '886', 2026, 'all', 'All', 1, 12, 8.3)")
    r = row(con, "placements_3_plus", "886", 2026)
    assert (r["previous"], r["previous_source"], r["trend"]) == (10, "careboard", "improving")


def test_target_status():
    assert status(9, "low", Target(10, 2)) == "green"
    assert status(11.5, "low", Target(10, 2)) == "amber"
    assert status(12.5, "low", Target(10, 2)) == "red"
    assert status(65, "high", Target(70, 5)) == "amber"
    assert status(64, "high", Target(70, 5)) == "red"
    assert status(64, None, Target(70, 5)) is None


def test_example_targets_file_names_real_measures():
    from pathlib import Path

    from careboard.benchmark.targets import load_targets
    from careboard.measures.measure import all_measures

    path = Path(__file__).resolve().parents[2] / "examples" / "careboard-targets.yaml"
    targets = load_targets(path, set(all_measures()))
    assert targets["placements_3_plus"] == Target(9, 2)


@pytest.mark.parametrize(("content", "said"), [
    (b"\xb0\x01\xff binary", "it is not UTF-8 text (expected YAML)"),
    (b"- placements_3_plus\n- cla_31_march\n", "expected one entry per measure"),
    (b"placements_3_plus: [unclosed\n", "cannot read targets file"),
    (b"not_a_measure:\n  target: 3\n", "'not_a_measure' is not a careboard measure"),
    (b"placements_3_plus:\n  amber: 2\n", "placements_3_plus needs 'target: <number>'"),
])
def test_a_bad_targets_file_is_named_with_what_is_wrong(tmp_path, content, said):
    """Every way a targets file can be wrong is a TargetsError naming the file (a list or binary data raised
    AttributeError or a bare decoding error before)."""
    from careboard.benchmark.targets import TargetsError, load_targets
    from careboard.measures.measure import all_measures

    path = tmp_path / "targets.yaml"
    path.write_bytes(content)
    with pytest.raises(TargetsError) as raised:
        load_targets(path, set(all_measures()))
    assert str(path) in str(raised.value) and said in str(raised.value)


def test_a_published_years_best_quarter_in_the_trend_is_that_years_own(con):
    """2026 is not published yet, so 2025 and 2026 are both benchmarked against 2025's figures; each year's
    best-quarter cut-off counts its own figure of ours among the other councils', so the two differ.  The
    trend's point for 2025 is 2025's (before, whichever row the database returned last: it changed between
    databases with the same contents)."""
    from careboard.benchmark.compare import benchmark

    # ours far apart, so that the cut-off (the upper quartile: high is good) moves: 2025 the lowest, 2026 the top
    con.execute("INSERT INTO measure_values VALUES ('long_term_stability', '886', 2025, 'all', 'All', 30, 100, 30.0), "
                "('long_term_stability', '886', 2026, 'all', 'All', 100, 100, 100.0)")
    rows = {y: row(con, "long_term_stability", "886", y) for y in (2025, 2026)}
    assert rows[2025]["benchmark_year"] == rows[2026]["benchmark_year"] == 2025
    pub = published("LAC_LongStable%", 2025)
    others = [v for la, v in pub.items() if la < "970" and la != "886"]
    expected = lait.quantile7([*others, 30.0], 0.75)
    assert rows[2025]["best_quartile"] == pytest.approx(expected)
    assert rows[2026]["best_quartile"] != pytest.approx(expected)  # the case this test is about
    found = benchmark(con, "886", 2026).history[("long_term_stability", 2025)]
    assert found.best_quartile == pytest.approx(expected)
    assert found.england == pub["970"]


def test_every_published_years_comparators_in_the_trend_come_from_the_first_year_shown_against_it(con):
    """The same over every proportion with a best quarter and seven years of figures (the database's row order
    decided it before: with this table, two of the trends' points came from the later year)."""
    import random

    from careboard.benchmark.compare import benchmark, scorecard_units

    rng = random.Random(1)
    ids = [m.id for m in scorecard_units().values() if m.lait_code and m.polarity and m.kind == "proportion"]
    rows = [(m, "886", y, "all", "All", n, 100, float(n)) for m in ids for y in range(2020, 2027)
            for n in [rng.randint(0, 100)]]
    con.executemany("INSERT INTO measure_values VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    history = benchmark(con, "886", 2026).history
    first: dict[tuple[str, int], tuple] = {}
    for m, by, _year, e, s, b in con.execute(
            "SELECT measure, benchmark_year, year, england, sn_mean, best_quartile FROM scorecard_rows "
            "WHERE la = '886' AND breakdown = 'all' AND benchmark_year IS NOT NULL ORDER BY year").fetchall():
        first.setdefault((m, by), (e, s, b))
    assert len(history) == len(first) > 200
    assert {k: (p.england, p.sn_mean, p.best_quartile) for k, p in history.items()} == first
