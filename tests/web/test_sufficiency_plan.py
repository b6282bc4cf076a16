"""Issue 18's sufficiency plan on the web: worked out by the refresh after a load and stored, so the page and the
commissioners' downloads only read it (never simulate); every download of its tables is audited; the costs say
whose they are."""

from __future__ import annotations

import csv
import io

import duckdb
from lxml import html as lxml_html
from webhelpers import LA, PASSWORD, YEARS, http_client

YEAR = YEARS[-1]  # the fixture loads its capacity extracts as at the latest year


def _forbid_working_out(monkeypatch) -> list[str]:
    """Make every way of working a plan out fail loudly, recording the attempt."""
    import careboard.sufficiency.plan as plan_module
    import careboard.sufficiency.service as service

    calls: list[str] = []

    def refuse(name):
        def call(*args, **kwargs):
            calls.append(name)
            raise AssertionError(f"{name} called while serving a page")
        return call

    monkeypatch.setattr(service, "year_end_plan", refuse("year_end_plan"))
    monkeypatch.setattr(plan_module, "build_plan", refuse("build_plan"))
    return calls


def test_the_refresh_after_a_load_stores_the_plan(fixture_db):
    """The fixture's refresh (as after every load) stored one plan, for the year of the capacity extract, with the
    members' figures and every commissioners' table, and records what it was built from."""
    from careboard.refresh import is_fresh
    from careboard.sufficiency.stored_plan import read_plan

    con = duckdb.connect(str(fixture_db.db), read_only=True)
    try:
        assert con.execute("SELECT la, year FROM sufficiency_plans ORDER BY year").fetchall() == [(LA, YEAR)]
        stored = read_plan(con, LA, YEAR)
        assert read_plan(con, LA, YEAR - 1) is None  # no capacity extract as at 2024-25
        assert is_fresh(con)
    finally:
        con.close()
    assert stored is not None and stored.note is None
    assert (stored.simulations, stored.futures) == (200, 50)
    assert {"forecast", "places", "shortfall", "cost", "recruitment"} <= set(stored.tables)
    assert stored.figures is not None and stored.figures["capacity_year"] == YEAR
    assert [p["kind"] for p in stored.figures["places"] if p["months_ahead"] == 0] == \
        ["Foster care", "Children's homes", "Supported accommodation"]


def test_the_page_and_downloads_read_the_stored_plan_without_working_one_out(app, base_url, monkeypatch):
    calls = _forbid_working_out(monkeypatch)
    app.state.web.briefings.clear()  # nothing cached: the page is built afresh from the snapshot
    client = http_client(base_url, "analyst")
    try:
        r = client.get(f"/sufficiency?year={YEAR}")
        assert r.status_code == 200
        doc = lxml_html.fromstring(r.text)
        assert doc.xpath("//section[contains(@class, 'cb-plan')]//table[contains(@class, 'cb-plan-map')]")
        # no unit_costs.csv is loaded: the costs say they are examples, and how the council uses its own
        notes = " ".join(doc.xpath("//section[contains(@class, 'cb-plan')]//li/text()"))
        assert "Costs are example figures (illustrative), not the council's own" in notes
        assert "unit_costs.csv" in notes
        places = client.get(f"/sufficiency/plan/places.csv?year={YEAR}")
        assert places.status_code == 200
        assert client.get(f"/sufficiency/plan.xlsx?year={YEAR}").status_code == 200
    finally:
        client.close()
    assert calls == []
    # the CSV is the stored table, row for row
    from careboard.sufficiency.stored_plan import read_plan

    with app.state.web.store.cursor() as cur:
        stored = read_plan(cur, LA, YEAR)
    rows = list(csv.DictReader(io.StringIO(places.text)))
    assert len(rows) == len(stored.tables["places"])
    assert [r["shortfall_median"] for r in rows] == [str(r["shortfall_median"]) for r in stored.tables["places"]]


def test_without_a_stored_plan_the_page_says_so_and_how_an_analyst_makes_it(fixture_db, monkeypatch):
    """A database whose capacity is loaded but whose plan is not stored (loaded by an older careboard): the
    section says so plainly rather than simulating for seconds."""
    from careboard.publish.sufficiency import build_sufficiency
    from careboard.sufficiency.stored_plan import StoredPlan

    calls = _forbid_working_out(monkeypatch)
    con = duckdb.connect(str(fixture_db.db), read_only=True)
    try:
        view = build_sufficiency(con, LA, YEAR, simulations=50, plan=StoredPlan(LA, YEAR, None, {}, None, 0, 0))
        failed = build_sufficiency(con, LA, YEAR, simulations=50,
                                   plan=StoredPlan(LA, YEAR, None, {}, "too little history", 0, 0))
    finally:
        con.close()
    assert calls == []
    assert view is not None and view.plan is None
    assert "has not been worked out yet" in view.plan_note and "careboard load" in view.plan_note
    assert "could not be worked out from the loaded figures (too little history)" in failed.plan_note


def test_downloads_of_the_plan_tables_are_audited(app, base_url, fixture_db):
    """Who downloaded which table, and when, through the one audit writer; a commissioner's download too."""
    from careboard.store.webdb import WebDB
    from careboard.web.auth import add_user

    web = WebDB.beside(fixture_db.db)
    try:
        if web.con().execute("SELECT count(*) FROM users WHERE username = 'commissioner1'").fetchone()[0] == 0:
            add_user(web, "commissioner1", PASSWORD, "commissioner")
    finally:
        web.close()

    def last(username: str) -> list[tuple]:
        return app.state.web.webdb.con().execute(
            "SELECT action, detail, ip, happened_at FROM audit_log WHERE username = ? AND action = 'download' "
            "ORDER BY event_id DESC LIMIT 2", [username]).fetchall()

    client = http_client(base_url, "commissioner1")
    try:
        assert client.get(f"/sufficiency/plan/recruitment.csv?year={YEAR}").status_code == 200
        assert client.get(f"/sufficiency/plan.xlsx?year={YEAR}").status_code == 200
        # no such table: nothing sent, nothing recorded as downloaded
        assert client.get(f"/sufficiency/plan/nonsense.csv?year={YEAR}").status_code == 404
    finally:
        client.close()
    (xlsx, csv_row) = last("commissioner1")
    assert xlsx[:3] == ("download", f"sufficiency plan {LA} 2025-26: all tables (xlsx)", "127.0.0.1")
    assert csv_row[:3] == ("download", f"sufficiency plan {LA} 2025-26: recruitment table (csv)", "127.0.0.1")
    assert xlsx[3] is not None and csv_row[3] <= xlsx[3]
    member = http_client(base_url, "member")
    try:
        assert member.get(f"/sufficiency/plan.xlsx?year={YEAR}").status_code == 403
    finally:
        member.close()
    assert last("member") == []
