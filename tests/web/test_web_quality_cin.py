"""The data-quality pages show the CIN census's validation beside the SSDA903's: counts for members,
findings by child for analysts (audited)."""

from __future__ import annotations

import re

from webhelpers import http_client


def test_members_see_both_returns_and_the_cin_census_rules(base_url, fixture_db):
    client = http_client(base_url, "member")
    try:
        page = client.get("/data-quality").text
        assert "SSDA903 validation findings by year" in page
        assert 'href="/data-quality?kind=cin"' in page  # both returns were validated
        cin = client.get("/data-quality?kind=cin")
        assert cin.status_code == 200
        assert "CIN census validation findings by year" in cin.text
        assert "careboard's own checks" in cin.text
        assert not set(re.findall(r"\d{6,8}", cin.text)) & fixture_db.children
    finally:
        client.close()


def test_analysts_see_cin_findings_by_child_and_the_view_is_audited(base_url, fixture_db, app):
    with app.state.web.store.cursor() as con:
        (run_id, findings) = con.execute(
            "SELECT r.run_id, r.finding_count FROM validation_runs r JOIN loads l ON l.load_id = r.load_id "
            "WHERE l.kind = 'cin' AND r.year = 2026 ORDER BY r.run_id DESC LIMIT 1").fetchone()
        rules = {r[0] for r in con.execute("SELECT DISTINCT rule FROM validation_findings WHERE run_id = ?",
                                           [run_id]).fetchall()}
    assert findings > 0 and rules  # the clean census still raises the DfE queries real censuses raise
    client = http_client(base_url, "analyst")
    try:
        r = client.get("/data-quality/findings?year=2026&kind=cin")
        assert r.status_code == 200
        assert "CIN census findings by child" in r.text
        assert any(f">{rule}<" in r.text for rule in rules)
        assert set(re.findall(r"\d{6,8}", r.text)) & fixture_db.children
        assert client.get("/data-quality?kind=bogus").status_code == 200  # unknown kinds fall back to the SSDA903
    finally:
        client.close()
    audited = app.state.web.webdb.con().execute(  # the audit log is in the web app's SQLite file
        "SELECT count(*) FROM audit_log WHERE detail LIKE 'CIN census validation findings%'").fetchone()[0]
    assert audited >= 1
