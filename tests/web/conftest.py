"""One synthetic authority, one app server and one browser, shared by every web test (session scope).

The database is a synthetic Trafford (358) with three years of returns and the IRO extract, loaded, validated and with
every measure computed, plus one user per role.  The app runs under uvicorn on a free loopback
port in a background thread; Playwright drives Debian's chromium (browsers cannot be downloaded).

The database is built once per run: under pytest-xdist the first worker to need it builds it in the run's shared
temporary folder (under a file lock) and every worker, the builder included, works on a copy of its own, so a
test that loads or writes changes only its worker's copy, as when each worker built its own.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from sweeps import member_area, member_sweep  # noqa: F401  (session fixtures: one sweep per run)
from webhelpers import CHROMIUM, CHROMIUM_ARGS, LA, MOVED_HOMES, PASSWORD, USERS, YEARS, move_homes, running, sign_in


@dataclass
class Fixture:
    db: Path
    returns: Path  # OUT/358 as synth wrote it
    children: set[str] = field(default_factory=set)
    upns: set[str] = field(default_factory=set)


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory) -> Fixture:
    from careboard.store.webdb import path_for

    built = _built_once(tmp_path_factory)
    facts = json.loads((built / "built.json").read_text())
    own = tmp_path_factory.mktemp("web")
    db = own / "careboard.duckdb"
    for name in (db.name, path_for(db).name):
        shutil.copy2(built / name, own / name)  # with its mode: the files are private (0o600)
    return Fixture(db=db, returns=built / "returns" / LA, children=set(facts["children"]), upns=set(facts["upns"]))


def _built_once(tmp_path_factory) -> Path:
    """The folder holding the built database, its users' file and the returns (built here if not yet)."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:  # one process: nothing to share
        out = tmp_path_factory.mktemp("web-built")
        _build(out)
        return out
    out = tmp_path_factory.getbasetemp().parent / "web-built"  # the run's folder, shared by its workers
    out.mkdir(exist_ok=True)
    with open(out.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the others wait here while the first builds
        try:
            if not (out / "built.json").exists():  # nobody has built it, or a build failed half way
                shutil.rmtree(out)
                out.mkdir()
                _build(out)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return out


def _build(out: Path) -> None:
    import careboard.synth as synth
    from careboard.refresh import refresh
    from careboard.returns.reader import read_returns
    from careboard.store.db import connect
    from careboard.store.load import load_returns
    from careboard.store.webdb import WebDB
    from careboard.web.auth import add_user

    # seed 1, with homes moved to two small neighbouring areas: every leak of issue 11 occurs in these returns
    # under table-by-table control (the regression tests)
    synth.generate(out / "returns", LA, 300, list(YEARS), 1)
    root = out / "returns" / LA
    move_homes(root / "ssda903")
    # the local extracts careboard's pages use, as one extract return of the latest year (issue 15, 18): the
    # capacity extracts (the sufficiency plan's places), the missing-incident detail and the IRO allocations
    extracts = root / "loaded_extracts"
    extracts.mkdir()
    for name in ("foster_households.csv", "placement_capacity.csv", "missing_detail.csv", "iro_allocations.csv"):
        shutil.copy(root / "extracts" / name, extracts / name)
    db = out / "careboard.duckdb"
    con = connect(db)
    try:
        load_returns(con, read_returns([p for p in (root / "ssda903", root / "cin", root / "csww") if p.exists()], LA))
        load_returns(con, read_returns([extracts], LA, YEARS[-1]))
        # as after every load: care histories, measures, each year's validation findings (both returns) and the
        # sufficiency plan (small: few futures, as tests need)
        refresh(con, plan_size=(200, 50))
        children = {r[0] for r in con.execute("SELECT DISTINCT CHILD FROM ssda903_header UNION "
                                              "SELECT DISTINCT LAchildID FROM cin_child").fetchall() if r[0]}
        upns = {r[0] for r in con.execute("SELECT DISTINCT UPN FROM ssda903_header").fetchall()
                if r[0] and len(r[0]) > 4}
        areas = {(y, a): n for y, a, n in con.execute(
            "SELECT year, breakdown_value, numerator FROM measure_values "
            "WHERE measure = 'cla_31_march' AND breakdown = 'local_area'").fetchall()}
        # the moved children are the areas' only children looked after on 31 March, every year
        assert all(areas.get((y, area)) == n for y in YEARS for area, n in MOVED_HOMES.values()), areas
    finally:
        con.close()
    web = WebDB.beside(db)
    for name, role in USERS.items():
        add_user(web, name, PASSWORD, role)
    web.close()
    facts = out / "built.json.part"
    facts.write_text(json.dumps({"children": sorted(children), "upns": sorted(upns)}))
    facts.rename(out / "built.json")  # last: a folder with it is complete


@pytest.fixture(scope="session")
def app(fixture_db):
    """The shared app.  Every test signs in from 127.0.0.1, so its throttle allows many sign-ins per
    client; the throttle's own limits are tested on apps of their own (test_web_signin.py)."""
    from careboard.web.app import create_app
    from careboard.web.throttle import SignInThrottle

    app = create_app(fixture_db.db, LA, secure_cookies=False, secret="test-secret-" + "x" * 32,
                     throttle=SignInThrottle(client_burst=10_000, global_burst=10_000))
    app.state.web.plan_size = (200, 50)  # an upload's refresh works out a small sufficiency plan, as the fixture's
    return app


@pytest.fixture(scope="session")
def base_url(app) -> Iterator[str]:
    with running(app) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    pw = sync_api.sync_playwright().start()
    b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield b
    b.close()
    pw.stop()


@pytest.fixture(scope="session")
def member(browser, base_url):
    context, page = sign_in(browser, base_url, "member")
    yield page
    context.close()


@pytest.fixture(scope="session")
def analyst(browser, base_url):
    context, page = sign_in(browser, base_url, "analyst")
    yield page
    context.close()


@pytest.fixture(scope="session")
def admin(browser, base_url):
    context, page = sign_in(browser, base_url, "admin")
    yield page
    context.close()


@pytest.fixture(scope="session")
def upload_files(fixture_db, tmp_path_factory) -> list[Path]:
    """The 2025-26 CSV set as a corrected resubmission (the last review removed), in a folder with no year."""
    src = fixture_db.returns / "ssda903" / "2025-26"
    dst = tmp_path_factory.mktemp("upload")
    for f in src.glob("*.csv"):
        shutil.copy(f, dst / f.name)
    reviews = dst / "Reviews.csv"
    lines = reviews.read_text().splitlines(keepends=True)
    reviews.write_text("".join(lines[:-1]))
    return sorted(dst.glob("*.csv"))


@pytest.fixture(scope="session")
def office_returns(tmp_path_factory) -> Path:
    """The tiny two-year return of test_web_serving.py and test_web_panel_concurrent.py (office.py)."""
    from office import tiny_returns

    return tiny_returns(tmp_path_factory.mktemp("office"))


@pytest.fixture(scope="session")
def office_one_year(office_returns, tmp_path_factory) -> Path:
    """A database with the tiny return's 2024-25 loaded by `careboard load`, never served: tests copy it
    (office.copy_db) rather than each load the same year again."""
    from office import _ok, careboard_cmd

    db = tmp_path_factory.mktemp("office-one-year") / "office.duckdb"
    _ok(careboard_cmd("load", office_returns / "2024-25", "--db", db))
    return db


@pytest.fixture(scope="session")
def office_both_years(office_returns, office_one_year, tmp_path_factory) -> Path:
    """:func:`office_one_year` with 2025-26 loaded after it by another `careboard load`, never served (copied too)."""
    from office import _ok, careboard_cmd, copy_db

    db = copy_db(office_one_year, tmp_path_factory.mktemp("office-both-years") / "office.duckdb")
    _ok(careboard_cmd("load", office_returns / "2025-26", "--db", db))
    return db
