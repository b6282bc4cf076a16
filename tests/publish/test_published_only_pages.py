"""Published-only rows on members' pages (issue 15.8): labelled "published only" with the publication and
academic year, in the Education and outcomes theme, and outside disclosure control: they carry no counts,
never enter a release, and leave the control of the council's own figures exactly as it was."""

from __future__ import annotations

import duckdb
import pytest
from helpers import count_set, proportion_set

import careboard.benchmark.compare as compare_module
from careboard.measures.published_only import published_only
from careboard.publish.briefing import build_briefing
from careboard.publish.disclosure import DisclosureError, published_rows
from careboard.publish.release import Releases

AREAS = {"E07000105": "Ashford", "E07000108": "Dover", "E07000110": "Maidstone", "E07000114": "Thanet"}


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    rows: list[dict] = []
    for year in (2025, 2026):
        rows += count_set("cla_31_march", dict(zip(AREAS, [3, 777, 2468, 3579], strict=True)), year=year)
        rows += proportion_set("placements_3_plus",
                               dict(zip(AREAS, [(4, 52), (13, 61), (40, 200), (90, 300)], strict=True)), year=year)
    c = duckdb.connect()
    c.execute("CREATE TABLE measure_values (measure VARCHAR, la VARCHAR, year SMALLINT, breakdown VARCHAR, "
              "breakdown_value VARCHAR, numerator DOUBLE, denominator DOUBLE, value DOUBLE)")
    c.executemany("INSERT INTO measure_values VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                  [[r[k] for k in ("measure", "la", "year", "breakdown", "breakdown_value", "numerator",
                                   "denominator", "value")] for r in rows])
    return c


def test_the_rows_are_labelled_published_only_in_the_education_theme(con):
    b = build_briefing(con, "886", 2026)
    theme = next(t for t in b.themes if t.name == "Education and outcomes")
    ids = [m.id for m in theme.measures]
    assert ids == list(published_only())  # every row, in declaration order
    m = b.measure("pub_cla_suspension")
    assert m.published == "Published only: published 2026, academic year 2023/24"
    assert m.cells["value"] == "14.06%" and m.cells["england"] == "14.55%"  # LAIT 2024, at its 2 decimal places
    assert m.cells["band"] == "B" and m.cells["rank"] == "69 of 147"
    assert "Published by the Department for Education in 2026 for the 2023/24 academic year" in m.narrative[-1]
    assert [y for y, _ in m.series][-3:] == [2022, 2023, 2024]  # the academic years the DfE published
    ks2 = b.measure("pub_cla_ks2_rwm")
    assert ks2.published == "Published only: published 2026, academic year 2024/25" and ks2.cells["value"] == "27%"


def test_a_local_area_briefing_has_no_published_only_rows(con):
    b = build_briefing(con, "886", 2026, area="E07000110")
    assert not any(m.published for m in b.measures())


def test_they_leave_the_control_of_the_councils_own_figures_as_it_was(con, monkeypatch):
    with_rows = build_briefing(con, "886", 2026)
    monkeypatch.setattr(compare_module, "published_only", lambda: {})
    without = build_briefing(con, "886", 2026)
    assert not any(m.published for m in without.measures())
    ours = {m.id: (m.row, m.breakdowns, m.cells) for m in without.measures()}
    assert ours == {m.id: (m.row, m.breakdowns, m.cells) for m in with_rows.measures() if not m.published}
    assert dict(with_rows.measure("placements_3_plus").breakdowns["local_area"])["Ashford"] == "c"  # still hidden


def test_they_never_enter_a_release(con):
    released = Releases("886").rows(con, 2026) or []
    assert released and not {r["measure"] for r in released} & set(published_only())


def test_published_rows_refuse_counts_and_computed_measures():
    row = {"measure": "pub_cla_absence", "la": "886", "year": 2026, "breakdown": "all", "breakdown_value": "All",
           "numerator": None, "denominator": None, "value": 7.2, "england": 9.0, "child_id": "X1"}
    assert published_rows([row]) == [{k: v for k, v in row.items() if k != "child_id"} | {"suppressed": None}]
    with pytest.raises(DisclosureError, match="carries counts"):
        published_rows([{**row, "numerator": 3, "denominator": 40}])
    with pytest.raises(DisclosureError, match="not a published-only headline"):
        published_rows([{**row, "measure": "cla_31_march"}])
    with pytest.raises(DisclosureError, match="not a published-only headline"):
        published_rows([{**row, "breakdown": "sex", "breakdown_value": "1"}])


def test_a_council_the_dfe_published_no_figure_for_says_not_published():
    """Trafford (358): LAIT has '-' for its children in care at Key Stage 2 in 2024/25 (too few children)."""
    c = duckdb.connect()
    c.execute("CREATE TABLE measure_values (measure VARCHAR, la VARCHAR, year SMALLINT, breakdown VARCHAR, "
              "breakdown_value VARCHAR, numerator DOUBLE, denominator DOUBLE, value DOUBLE)")
    c.execute("INSERT INTO measure_values VALUES ('cla_31_march', '358', 2026, 'all', 'All', 400, NULL, 400)")
    m = build_briefing(c, "358", 2026).measure("pub_cla_ks2_rwm")
    assert (m.cells["value"], m.cells["change"], m.cells["band"]) == ("Not published", "No comparison", None)
    assert m.cells["england"] == "35%"  # England's figure is still shown beside it
    assert m.narrative[0].endswith("published no figure for Trafford for 2024/25 (too few children, or not available).")
