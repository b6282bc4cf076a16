"""One refresh after every load: `careboard load` leaves the model, the measures and the stored validation
findings current (so readers never write), and publishes a serving snapshot where the database is served.
Also: users and the audit log of an older database move to the SQLite file beside it."""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from builders import EPISODE_ROWS, HEADER_ROWS, REVIEW_ROWS, cli_load_small_set, write_table
from careboard.cli import app
from careboard.refresh import is_fresh, refresh, stale_validations
from careboard.store import snapshot
from careboard.store.db import connect, migrations

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def loaded_once(tmp_path_factory) -> Path:
    """`careboard load` of the small 2025-26 set (tests/conftest.py's small_set), run once for the module: the
    database as the command leaves it.  The tests that go on from there each take a copy (:func:`loaded`)."""
    db = cli_load_small_set(tmp_path_factory.mktemp("loaded"))
    assert sorted(p.name for p in db.parent.iterdir() if p.name.startswith("c.")) == ["c.duckdb"]  # all in it
    return db


@pytest.fixture
def loaded(loaded_once, tmp_path) -> Path:
    """A copy of the database `careboard load` of the small set left, for one test to load more into."""
    db = tmp_path / "c.duckdb"
    shutil.copyfile(loaded_once, db)
    return db


def test_careboard_load_leaves_everything_current_for_readers(loaded_once):
    db = loaded_once
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert is_fresh(con)
        assert con.execute("SELECT count(*) FROM measure_values WHERE la = '886' AND year = 2026").fetchall()[0][0]
        runs = con.execute("SELECT la, year FROM validation_runs").fetchall()
        assert runs == [("886", 2026)]
    finally:
        con.close()
    assert not snapshot.folder_for(db).exists()  # not served: nothing published


def test_a_new_earlier_year_revalidates_the_year_after_it(tmp_path, loaded):
    """Rules compare with last year's return, so loading last year makes this year's findings stale."""
    db = loaded  # the small 2025-26 set loaded
    earlier = tmp_path / "886" / "2024-25"
    earlier.mkdir(parents=True)
    write_table(earlier, "Header", HEADER_ROWS)
    assert invoke("load", earlier, "--db", db).exit_code == 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        runs = con.execute("SELECT r.year, r.last_load_id IS NOT NULL FROM validation_runs r ORDER BY run_id"
                           ).fetchall()
        assert runs == [(2026, False), (2025, False), (2026, True)]
        assert not stale_validations(con)
    finally:
        con.close()


def test_refresh_twice_does_nothing_the_second_time_and_publishes_when_asked(tmp_path, small_set):
    from careboard.returns.reader import read_returns
    from careboard.store.load import load_returns

    db = tmp_path / "c.duckdb"
    con = connect(db)
    try:
        load_returns(con, read_returns([small_set]))
        first = refresh(con)
        assert first.changed and first.published is None
        second = refresh(con)
        assert not second.changed and second.published is None
        published = refresh(con, publish=True).published
        assert published is not None and snapshot.current(db) == (published.path, snapshot.data_version(con))
        assert refresh(con).published is None  # served now, but the snapshot is current
    finally:
        con.close()
    copy = duckdb.connect(str(published.path), read_only=True)
    try:
        assert is_fresh(copy)
    finally:
        copy.close()


def test_users_and_audit_of_an_older_database_move_to_sqlite(tmp_path):
    from careboard.store.webdb import WebDB

    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE schema_migrations (version INTEGER NOT NULL, name VARCHAR NOT NULL, "
                "applied_at TIMESTAMP NOT NULL)")
    for version, name, sql in migrations():
        if version < 8:  # as an older careboard left it
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", [version, name, datetime.now()])
    con.execute("INSERT INTO users VALUES ('old.admin', '$argon2id$v=19$m=65536,t=3,p=4$abc$def', 'admin', "
                "TIMESTAMP '2025-06-01 09:00:00')")
    con.execute("INSERT INTO audit_log (happened_at, username, ip, action, detail) VALUES "
                "(TIMESTAMP '2025-06-01 09:01:00', 'old.admin', '127.0.0.1', 'login', ''), "
                "(TIMESTAMP '2025-06-01 09:02:00', 'old.admin', '127.0.0.1', 'child_view', 'findings')")
    con.close()

    connect(db).close()  # any command that writes brings the schema up to date

    web = WebDB.beside(db)
    try:
        assert web.user("old.admin") == ("old.admin", "admin")
        assert web.user_with_hash("old.admin")[2].startswith("$argon2id$")
        events = web.audit(user="old.admin").events
        assert [e["action"] for e in events] == ["child_view", "login"]
        assert events[0]["happened_at"] == datetime(2025, 6, 1, 9, 2)
    finally:
        web.close()
    con = duckdb.connect(str(db), read_only=True)
    tables = {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    con.close()
    assert not tables & {"users", "audit_log"}
    connect(db).close()  # opening again imports nothing twice
    web = WebDB.beside(db)
    assert web.audit(user="old.admin").total == 2
    web.close()


def _corrected_return(tmp_path):
    """The small set's 2025-26 return again, child 1002's episode now ending before it starts (DfE rule 356)."""
    corrected = tmp_path / "corrected" / "886" / "2025-26"
    corrected.mkdir(parents=True)
    episodes = [dict(r) for r in EPISODE_ROWS]
    episodes[2].update(DEC="01/01/2026", REC="E4A")  # 1002 started on 1 February 2026
    write_table(corrected, "Header", HEADER_ROWS)
    write_table(corrected, "Episodes", episodes)
    write_table(corrected, "Reviews", REVIEW_ROWS)
    return corrected


_STATE = ("SELECT (SELECT list(CHILD || ':' || period_start || ':' || coalesce(period_end::VARCHAR, '') "
          "ORDER BY CHILD, period_no) FROM model_periods), (SELECT count(*) FROM measure_values), "
          "(SELECT max(fingerprint) FROM model_state)")


def _read(db, sql):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_a_load_whose_care_histories_break_an_invariant_says_so_and_keeps_the_previous_figures(
        tmp_path, loaded, monkeypatch):
    """Issue 17.2: care histories that break an invariant (here a defect put into the model's build, as a bug in
    model/*.sql would) are not saved.  The load is kept (it is the return as sent); the command says which
    invariant, what it means and which child, exits 1 without a traceback, and the previous model and measures
    stay."""
    from careboard.model import build as model_build

    db = loaded  # the small 2025-26 set loaded
    before = _read(db, _STATE)
    real = model_build._build_tables

    def build_with_a_defect(con, progress):
        real(con, progress)
        con.execute("UPDATE model_periods SET period_end = period_start - 10 WHERE CHILD = '1002'")

    monkeypatch.setattr(model_build, "_build_tables", build_with_a_defect)
    res = runner.invoke(app, ["load", str(_corrected_return(tmp_path)), "--db", str(db)])
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output and "Loaded (replaces load 1)" in res.output
    assert "period_dates_in_order: A period of care does not end before it starts. Broken by 1 row:" in res.output
    assert "authority 886, child 1002, period of care 1, from the 2025-26 return" in res.output
    assert "were not saved: the previous care histories and every figure made from them are kept" in res.output
    assert _read(db, _STATE) == before
    # The DfE's checks of the loaded return are what the analyst needs next: given, then the same refusal.
    checked = runner.invoke(app, ["validate", "--la", "886", "--year", "2026", "--db", str(db)])
    assert checked.exit_code == 1, checked.output
    assert re.search(r"\b356\b", checked.output) and "period_dates_in_order" in checked.output
    assert checked.output.index("356") < checked.output.index("period_dates_in_order")


def test_a_return_with_an_episode_ending_before_it_starts_still_updates_the_figures(tmp_path, loaded):
    """One bad date (DfE rule 356) must not hold back every figure: the model repairs it (R5, recorded in
    model_repairs), the load refreshes as usual, and validation still reports the error to correct."""
    db = loaded  # the small 2025-26 set loaded
    before = _read(db, _STATE)
    res = runner.invoke(app, ["load", str(_corrected_return(tmp_path)), "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert _read(db, _STATE) != before
    assert _read(db, "SELECT rule, DECOM::VARCHAR FROM model_repairs WHERE CHILD = '1002'") == [("R5", "2026-02-01")]
    assert _read(db, "SELECT period_start = period_end FROM model_periods WHERE CHILD = '1002'") == [(True,)]
    checked = runner.invoke(app, ["validate", "--la", "886", "--year", "2026", "--db", str(db)])
    assert re.search(r"\b356\b", checked.output), checked.output


def test_a_command_line_refresh_forks_release_builders_only_when_a_core_is_spare(monkeypatch):
    """Extra processes on busy cores only take turns (bench/refresh_workers.py), so two are asked for only
    with two cores or more and the last minute's load average below their number."""
    import os

    from careboard.refresh import spare_workers

    def machine(cores: int, load: float) -> int:
        monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(cores)))
        monkeypatch.setattr(os, "getloadavg", lambda: (load, load, load))
        return spare_workers()

    assert machine(2, 0.3) == 2
    assert machine(4, 3.9) == 2
    assert machine(2, 2.0) == 1  # both cores busy
    assert machine(1, 0.0) == 1  # one core: nothing to overlap with
    monkeypatch.setattr(os, "getloadavg", lambda: (_ for _ in ()).throw(OSError("no load average")))
    assert spare_workers() == 1  # unknown load: as busy
