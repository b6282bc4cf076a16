"""The real office: `careboard serve` running while analysts load and query from the command line.

Every command here is a separate process, as a user would run it: the web app must never hold the
analysts' database, a load made while it runs must show in it within seconds, read-only commands
must work alongside it (and on a database file nobody may write), and a command that finds the
database busy must wait and say so, never print DuckDB's lock text.
"""

from __future__ import annotations

import hashlib
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from office import CLI, OFFICE_LA, SRC, _ok, careboard_cmd, copy_db
from webhelpers import PASSWORD, csrf_token, free_port

HOLD = """
import select, sys
from careboard.store.db import connect
con = connect(sys.argv[1])
print("holding", flush=True)
select.select([sys.stdin], [], [], float(sys.argv[2]))  # until told to let go (stdin closed), at most that long
con.close()
"""


def hold(db: Path, seconds: float, script: str = HOLD) -> subprocess.Popen:
    """Another process holding ``db`` open for writing, until :func:`let_go` or ``seconds`` at most."""
    holder = subprocess.Popen([sys.executable, "-c", script, str(db), str(seconds)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": SRC})
    assert holder.stdout.readline().strip() == "holding"
    return holder


def let_go(holder: subprocess.Popen) -> None:
    """Tell a :func:`hold` process to close the database, and wait until it has."""
    holder.stdin.close()
    holder.wait(timeout=60)


def _sign_in(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=300)  # the first page builds the release: slow when busy
    for _ in range(600):
        try:
            page = client.get("/login")
            break
        except httpx.TransportError:
            time.sleep(0.1)
    else:
        raise AssertionError("careboard serve did not start")
    r = client.post("/login", data={"username": "cllr", "password": PASSWORD, "csrf_token": csrf_token(page.text)})
    assert r.status_code == 303, r.text[:500]
    return client


def test_loads_and_queries_from_the_command_line_while_serve_runs(office_returns, office_one_year, tmp_path):
    from careboard.store.webdb import WebDB
    from careboard.web.auth import add_user

    returns = office_returns
    db = copy_db(office_one_year, tmp_path / "office.duckdb")  # `careboard load` of one year; another while it serves
    web = WebDB.beside(db)  # a member to sign in (`careboard users add` is run below, while the app runs)
    add_user(web, "cllr", PASSWORD, "member")
    web.close()
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    serve = subprocess.Popen([sys.executable, "-c", CLI, "serve", "--db", str(db), "--la", OFFICE_LA,
                              "--port", str(port)],
                             env={**os.environ, "PYTHONPATH": SRC}, stdout=log, stderr=subprocess.STDOUT)
    try:
        web = _sign_in(f"http://127.0.0.1:{port}")
        assert web.get("/scorecard").status_code == 200  # a `careboard load` was enough: no 500
        assert web.get("/scorecard?year=2026").status_code == 404

        # Read-only commands alongside the running app.
        listed = _ok(careboard_cmd("returns", "--db", db, "--format", "json"))
        assert '"year": 2025' in listed
        assert "cllr,member," in _ok(careboard_cmd("users", "list", "--db", db, "--format", "csv"))
        assert _ok(careboard_cmd("scorecard", "--la", OFFICE_LA, "--year", "2025", "--db", db, "--format", "csv")
                   ).startswith("measure")

        # A load while the app runs succeeds, and the app shows it within seconds.
        loaded = _ok(careboard_cmd("load", returns / "2025-26", "--db", db))
        assert "Published the figures to the web app" in loaded
        deadline = time.monotonic() + 10
        while web.get("/scorecard?year=2026").status_code != 200:
            assert time.monotonic() < deadline, "the load did not show in the web app within 10 s"
            time.sleep(0.2)
        assert "Scorecard, 2025-26" in web.get("/scorecard").text
        dq = web.get("/data-quality?year=2026")
        assert dq.status_code == 200 and "2025-26" in dq.text

        # Users can be added while the app runs, and sign in at once.
        _ok(careboard_cmd("users", "add", "newcomer", "--role", "analyst", "--db", db, "--password-stdin",
                          input=PASSWORD + "\n"))
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as c:
            token = csrf_token(c.get("/login").text)
            assert c.post("/login", data={"username": "newcomer", "password": PASSWORD, "csrf_token": token}
                          ).status_code == 303
        web.close()
    finally:
        serve.send_signal(signal.SIGINT)
        try:
            serve.wait(timeout=30)
        except subprocess.TimeoutExpired:
            serve.kill()
        log.close()
    text = (tmp_path / "serve.log").read_text()
    assert "Traceback" not in text and "Published the figures for the web app" in text, text


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("refreshed", [True, False], ids=["loaded-by-this-careboard", "figures-out-of-date"])
def test_a_read_only_database_file_still_gives_a_scorecard_pack_and_forecast(office_returns, office_both_years,
                                                                             tmp_path, refreshed):
    """Made read-only (chmod 444): nothing may write it.  Either its figures are current (a load
    refreshed them: everything runs on a read-only connection) or not (an older careboard loaded it:
    they are computed in a private copy)."""
    from careboard.returns.reader import read_returns
    from careboard.store.db import connect
    from careboard.store.load import load_returns

    db = tmp_path / "readonly.duckdb"
    if refreshed:
        copy_db(office_both_years, db)  # both years, each by a `careboard load`
    else:
        con = connect(db)
        returns = office_returns
        load_returns(con, read_returns([returns / "2024-25", returns / "2025-26"]))  # loaded, never refreshed
        con.close()
    os.chmod(db, 0o444)
    before = _digest(db)
    try:
        card = careboard_cmd("scorecard", "--la", OFFICE_LA, "--year", "2026", "--db", db, "--format", "csv")
        assert _ok(card).startswith("measure")
        assert ("temporary copy" in card.stderr) is not refreshed
        _ok(careboard_cmd("pack", "--la", OFFICE_LA, "--year", "2026", "--db", db, "--out", tmp_path / "pack.pdf"))
        assert (tmp_path / "pack.pdf").read_bytes().startswith(b"%PDF")
        _ok(careboard_cmd("forecast", "--la", OFFICE_LA, "--db", db, "--simulations", "50", "--years-ahead", "1"))
        _ok(careboard_cmd("returns", "--db", db))
        assert _digest(db) == before and stat.S_IMODE(db.stat().st_mode) == 0o444
        assert not db.with_name(db.name + ".wal").exists()
    finally:
        os.chmod(db, 0o600)


def test_a_command_waits_for_another_that_holds_the_database_and_says_so(office_both_years, tmp_path):
    db = copy_db(office_both_years, tmp_path / "busy.duckdb")
    holder = hold(db, 600)
    try:
        waiter = subprocess.Popen([sys.executable, "-c", CLI, "returns", "--db", str(db)], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True,
                                  env={**os.environ, "PYTHONPATH": SRC, "CAREBOARD_LOCK_WAIT": "60"})
        told = ""
        while "Waiting for another careboard command" not in told:  # it says it is waiting, and waits
            line = waiter.stderr.readline()
            assert line, f"it never said it was waiting: {told}"
            told += line
        time.sleep(0.5)
        assert waiter.poll() is None  # still waiting: it really waits for the holder to finish
        let_go(holder)
        out, err = waiter.communicate(timeout=600)
        assert _ok(subprocess.CompletedProcess(waiter.args, waiter.returncode, out, told + err))
    finally:
        holder.kill()
        holder.wait()
    holder = hold(db, 600)
    try:
        gave_up = careboard_cmd("scorecard", "--la", OFFICE_LA, "--year", "2026", "--db", db,
                                env={"CAREBOARD_LOCK_WAIT": "1"})
        assert gave_up.returncode == 1
        assert "is in use by another careboard command" in gave_up.stderr
        assert "set lock" not in gave_up.stderr and "Traceback" not in gave_up.stderr
    finally:
        holder.kill()
        holder.wait()


def test_the_database_its_wal_and_the_web_files_are_private(office_returns, tmp_path):
    from careboard.store import snapshot
    from careboard.store.db import connect
    from careboard.store.webdb import WebDB, path_for

    old = os.umask(0o022)  # a typical login umask: files would be world-readable by default
    try:
        db = tmp_path / "private.duckdb"
        _ok(careboard_cmd("load", office_returns / "2025-26", "--db", db, env={"CAREBOARD_DB": ""}))
        holder = hold(db, 600, HOLD.replace(
            'print("holding"', 'con.execute("CREATE TABLE wal_probe AS SELECT 1 AS x"); print("holding"'))
        try:
            wal = db.with_name(db.name + ".wal")
            assert wal.exists() and stat.S_IMODE(wal.stat().st_mode) == 0o600
        finally:
            let_go(holder)
        _ok(careboard_cmd("users", "add", "someone", "--db", db, "--password-stdin", input=PASSWORD + "\n"))
        con = connect(db)
        from careboard.refresh import refresh

        refresh(con, publish=True)
        con.close()
        web = WebDB.beside(db)
        web.record("login", "someone", "127.0.0.1")
        try:  # while the SQLite file is open, with its write-ahead log and shared memory beside it
            sqlite_files = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()
                            if p.name.startswith(path_for(db).name)}
        finally:
            web.close()
        published, _ = snapshot.current(db)
        assert stat.S_IMODE(db.stat().st_mode) == 0o600
        name = path_for(db).name
        assert sqlite_files == {name: 0o600, name + "-wal": 0o600, name + "-shm": 0o600}
        assert stat.S_IMODE(snapshot.folder_for(db).stat().st_mode) == 0o700
        assert stat.S_IMODE(published.stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_upload_and_load_waits_for_a_command_line_load_then_says_why_it_did_not(app, base_url, fixture_db,
                                                                                  upload_files, monkeypatch):
    from webhelpers import http_client

    from careboard.store.db import DatabaseBusy
    from careboard.web import store as web_store

    holder = hold(fixture_db.db, 600)
    try:
        told: list[str] = []

        def waiting(message: str) -> None:  # the writer says it waits; only then does the holder let go
            told.append(message)
            let_go(holder)

        with app.state.web.store.writer(on_wait=waiting) as con:  # what the load route uses
            assert con.execute("SELECT count(*) FROM loads").fetchall()[0][0] > 0
        assert told and holder.returncode is not None  # it got the database only after waiting for the holder
    finally:
        holder.kill()
        holder.wait()

    monkeypatch.setattr(web_store, "WRITE_WAIT", 1.0)
    client = http_client(base_url, "analyst")
    holder = hold(fixture_db.db, 600)
    try:
        token = csrf_token(client.get("/upload").text)
        r = client.post("/upload", data={"csrf_token": token, "year": "2025-26"},
                        files=[("files", (p.name, p.read_bytes(), "text/csv")) for p in upload_files])
        uid = r.headers["location"].rsplit("/", 1)[1]
        versions = app.state.web.store.version
        r = client.post(f"/upload/{uid}/load", data={"csrf_token": csrf_token(client.get(f"/upload/{uid}").text)})
        assert r.status_code == 503 and "Nothing was loaded" in r.text and "set lock" not in r.text
        assert app.state.web.store.version == versions
        assert client.get("/scorecard").status_code == 200  # the pages carry on meanwhile
        with pytest.raises(DatabaseBusy), app.state.web.store.writer():
            pass
    finally:
        holder.kill()
        holder.wait()
        client.close()
