"""Issue 18's members' forecast on the web: summarised by the refresh after a load and stored beside the plans, so
a member's first view of the sufficiency page simulates nothing, and shows exactly what simulating would."""

from __future__ import annotations

import duckdb
import pytest
from lxml import html as lxml_html
from webhelpers import LA, YEARS, http_client

YEAR = YEARS[-1]


def _forbid_simulating(monkeypatch) -> list[str]:
    """Make the members' simulation fail loudly, recording the attempt."""
    import careboard.sufficiency.service as service

    calls: list[str] = []

    def refuse(*args, **kwargs):
        calls.append("year_end_simulation")
        raise AssertionError("year_end_simulation called while serving a page")

    monkeypatch.setattr(service, "year_end_simulation", refuse)
    return calls


@pytest.fixture(scope="module")
def releases():
    """The year's releases, built once for the module's sections (the data does not change between its tests):
    each section takes today's counts from its year's release, and building one is most of a section's cost."""
    from careboard.publish.release import Releases

    return Releases(LA)


def test_the_refresh_stores_a_forecast_for_every_year_the_page_offers(fixture_db):
    from careboard.sufficiency.stored_forecast import read_forecast

    con = duckdb.connect(str(fixture_db.db), read_only=True)
    try:
        stored = {y: read_forecast(con, LA, y) for y in YEARS}
        rows = con.execute("SELECT la, year, simulations, years_ahead, seed FROM sufficiency_forecasts "
                           "ORDER BY year").fetchall()
    finally:
        con.close()
    assert rows == [(LA, y, 500, 3, 1) for y in YEARS]
    latest = stored[YEAR]
    assert latest is not None and latest.figures is not None and latest.note is None
    f = latest.figures
    assert f.dates[0].isoformat() == f"{YEAR}-03-31" and len(f.dates) == 37
    assert f.total.shape == (5, 37) and f.by_category.shape == (8, 5, 37)
    assert f.spend is not None and f.spend.illustrative  # no unit_costs.csv loaded: the example costs
    # the first year has no history before it to forecast from: stored as a note, the section left out
    first = stored[YEARS[0]]
    assert first is not None and first.figures is None and "too short" in first.note


@pytest.mark.parametrize("year", YEARS)
def test_the_stored_forecast_gives_the_section_simulating_would(fixture_db, releases, year):
    """Same seed, same figures: the section from the stored forecast equals the one simulated now, chart for chart
    and pound for pound."""
    from careboard.publish.sufficiency import build_sufficiency

    con = duckdb.connect(str(fixture_db.db), read_only=True)
    try:
        from_store = build_sufficiency(con, LA, year, releases=releases)
        simulated = build_sufficiency(con, LA, year, stored=False, releases=releases)
    finally:
        con.close()
    assert from_store == simulated
    if year == YEAR:
        assert from_store is not None and from_store.spend is not None and from_store.shown


def test_other_sizes_or_costs_are_simulated_not_read(fixture_db, releases, monkeypatch):
    """The stored forecast is used only for what it was made with: another size, or other unit costs, simulates."""
    import numpy as np

    from careboard.publish.sufficiency import build_sufficiency
    from careboard.sufficiency.cost import example_costs

    calls = _forbid_simulating(monkeypatch)
    con = duckdb.connect(str(fixture_db.db), read_only=True)
    try:
        assert build_sufficiency(con, LA, YEAR, releases=releases) is not None and calls == []
        assert build_sufficiency(con, LA, YEAR, costs=False, releases=releases).spend is None and calls == []
        dearer = example_costs()
        dearer.weekly = dearer.weekly * 2
        with pytest.raises(AssertionError):
            build_sufficiency(con, LA, YEAR, unit_costs=dearer, releases=releases)
        with pytest.raises(AssertionError):
            build_sufficiency(con, LA, YEAR, simulations=100, releases=releases)
    finally:
        con.close()
    assert calls == ["year_end_simulation"] * 2
    assert np.all(example_costs().weekly * 2 == dearer.weekly)


def test_the_page_reads_the_stored_forecast_without_simulating(app, base_url, monkeypatch):
    calls = _forbid_simulating(monkeypatch)
    app.state.web.briefings.clear()  # nothing cached: the page is built afresh from the snapshot
    client = http_client(base_url, "member")
    try:
        pages = {y: client.get(f"/sufficiency?year={y}") for y in YEARS}
    finally:
        client.close()
    assert calls == []
    assert all(r.status_code == 200 for r in pages.values())
    doc = lxml_html.fromstring(pages[YEAR].text)
    charts = doc.xpath("//svg[@role='img']/title/text()")
    assert "Children looked after: recorded and forecast" in charts
