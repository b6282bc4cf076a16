"""``careboard oversight ...`` as an analyst meets it: formats, child-level runs audited, clear errors."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from builders_oversight import child, database, detail, episode, iro_row, missing_row, review
from typer.testing import CliRunner

from careboard.cli import app

runner = CliRunner()
DOB = "01/01/2011"


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The hand-built authority loaded and refreshed once for the module (a refresh takes seconds)."""
    path = tmp_path_factory.mktemp("oversight") / "o.duckdb"
    returns = {2026: {
        "Header": [child(c, DOB) for c in ("C1", "D1", "E1")],
        "Episodes": [episode(c, "15/12/2025") for c in ("C1", "D1", "E1")],
        "Reviews": [review("C1", DOB, "15/01/2026"), review("D1", DOB, "16/01/2026")],
        "Missing": [missing_row("C1", DOB, "01/02/2026", "02/02/2026")],
    }}
    extracts = {2026: {
        "IroAllocations": [iro_row(c, "15/12/2025", r, "IRO003", "17/12/2025")
                           for c, r in (("C1", "15/01/2026"), ("D1", "16/01/2026"), ("E1", None))],
        "MissingDetail": [detail("C1", "01/02/2026", "02/02/2026", found_postcode="DA1 1AB")],
    }}
    database(returns, extracts, path=str(path)).close()
    return path


@pytest.fixture
def db(built, tmp_path):
    """A private copy of it (with whatever was written beside it), so each test's audit log is its own."""
    folder = tmp_path / "o"
    shutil.copytree(built.parent, folder)
    return folder / built.name


def _audited(db) -> list[str]:
    """The child-level views in the audit log the web app keeps beside the database (store/webdb.py)."""
    from careboard.store.webdb import WebDB

    web = WebDB.beside(db)
    try:
        return [e["detail"] for e in web.audit(action="child_view", limit=1000).events]
    finally:
        web.close()


def test_iro_json_and_csv(db):
    res = invoke("oversight", "iro", "--la", "886", "--year", "2026", "--db", db, "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert [(r["iro"], r["children"]) for r in data["caseloads"]] == [("IRO003", 3)]
    assert data["year"][0]["reviews"] == 2 and data["year"][0]["on_time"] == 1
    res = invoke("oversight", "iro", "--la", "886", "--year", "2026", "--db", db, "--format", "csv",
                 "--table", "overdue", "--on", "2026-01-16")
    rows = list(csv.DictReader(io.StringIO(res.output)))
    assert [(r["CHILD"], r["days_overdue"], r["iro"]) for r in rows] == [("E1", "1", "IRO003")]
    assert any("oversight iro --la 886 --year 2026 --on 2026-01-16" in d for d in _audited(db))


def test_iro_table_fits_an_80_column_terminal(db):
    res = runner.invoke(app, ["oversight", "iro", "--la", "886", "--year", "2026", "--db", str(db)],
                        env={"COLUMNS": "80"}, catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert "IRO Handbook: 50-70 children per full-time IRO" in " ".join(res.output.split())
    assert "Traceback" not in res.output and "…" not in res.output
    assert max(len(line) for line in res.output.splitlines()) <= 80


def test_missing_links_and_workforce(db):
    res = invoke("oversight", "missing", "--la", "886", "--year", "2026", "--db", db, "--format", "json")
    data = json.loads(res.output)
    assert data["repeat"][0]["children"] == 1
    police = {"dimension": "Where they were found", "value": "police", "incidents": 1, "children": 1}
    assert police in data["breakdowns"]
    before = len(_audited(db))
    res = invoke("oversight", "missing", "--la", "886", "--year", "2026", "--db", db, "--table", "episodes",
                 "--format", "csv")
    (row,) = list(csv.DictReader(io.StringIO(res.output)))
    assert (row["CHILD"], row["found_area"]) == ("C1", "Dartford")
    assert len(_audited(db)) == before + 1
    res = invoke("oversight", "links", "--la", "886", "--year", "2026", "--db", db, "--format", "json")
    assert json.loads(res.output) == {"groups": [], "links": [], "nodes": []}
    res = invoke("oversight", "workforce", "--la", "886", "--year", "2026", "--db", db, "--format", "json")
    assert json.loads(res.output)["workforce"][0]["social_worker_fte"] is None  # no census loaded


def test_mistakes_are_one_line_errors(db):
    res = invoke("oversight", "iro", "--la", "886", "--year", "2026", "--db", db, "--format", "csv",
                 "--table", "nonsense")
    assert res.exit_code == 2 and "--table must be one of" in res.output
    res = invoke("oversight", "iro", "--la", "886", "--year", "2025", "--db", db)
    assert res.exit_code == 1 and "no SSDA903 return for 886 2024-25 is loaded" in res.output
    res = invoke("oversight", "iro", "--la", "886", "--year", "2026", "--db", db, "--on", "31/03/2026")
    assert res.exit_code == 2 and "yyyy-mm-dd" in res.output
    before = len(_audited(db))
    res = invoke("oversight", "links", "--la", "886", "--year", "2026", "--db", db, "--from", "2026-01-01",
                 "--to", "2025-01-01")  # the window backwards: an error, not "none" (and no child-level run audited)
    assert res.exit_code == 2 and "--from 2026-01-01 is after --to 2025-01-01" in res.output
    assert len(_audited(db)) == before
    assert "Traceback" not in res.output
