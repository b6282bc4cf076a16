"""A small synthetic authority, loaded, validated and computed once per session, for the release tests, and
each year's release of it, built once per session (disclosure control is most of these tests' time)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

LA, YEARS = "358", [2024, 2025, 2026]


@pytest.fixture(scope="session")
def small_authority_returns(tmp_path_factory) -> Path:
    """The folder careboard synth writes for a 200-child Trafford, and in it ``validated.duckdb``: its SSDA903
    and CIN returns loaded and each year validated, the part both small authorities below have in common (they
    take copies: the local extracts and the workforce census loaded after change no validation run)."""
    from careboard.returns.reader import read_returns
    from careboard.store.db import connect
    from careboard.store.load import load_returns
    from careboard.synth import generate
    from careboard.validate.runner import validate_loaded

    out = tmp_path_factory.mktemp("small_authority_returns")
    generate(out, LA, 200, YEARS, 5)
    con = connect(out / "validated.duckdb")
    try:
        load_returns(con, read_returns([p for p in (out / LA / f for f in ("ssda903", "cin")) if p.exists()], LA))
        for y in YEARS:
            validate_loaded(con, LA, y)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return out


def _small_authority(tmp_path_factory, returns: Path, name: str, more: tuple[str, ...] = ()):
    from careboard.measures.compute import ensure_computed
    from careboard.returns.reader import read_returns
    from careboard.store.db import connect
    from careboard.store.load import load_returns

    db = tmp_path_factory.mktemp(name) / "c.duckdb"
    shutil.copyfile(returns / "validated.duckdb", db)
    con = connect(db)
    for folder in (returns / LA / f for f in more):
        # the extracts are the latest year's, as when read beside the returns (which name the years)
        load_returns(con, read_returns([folder], LA, YEARS[-1] if folder.name == "extracts" else None))
    kinds = {(k, int(y)) for k, y in con.execute("SELECT kind, year FROM current_loads").fetchall()}
    wanted = {"extracts": {("extract", YEARS[-1])}, "csww": {("csww", y) for y in YEARS}}
    assert kinds == {(k, y) for k in ("ssda903", "cin") for y in YEARS}.union(*(wanted[f] for f in more)), kinds
    ensure_computed(con)
    return con, LA, list(YEARS)


@pytest.fixture(scope="session")
def small_authority(tmp_path_factory, small_authority_returns):
    """(connection, la, years) for a 200-child synthetic Trafford: small enough that much is hidden."""
    con, la, years = _small_authority(tmp_path_factory, small_authority_returns, "small_authority")
    yield con, la, years
    con.close()


@pytest.fixture(scope="session")
def small_authority_everything(tmp_path_factory, small_authority_returns):
    """The same authority with everything careboard synth writes for it loaded: the 903 and CIN returns,
    the local extracts (IRO allocations, missing detail, ...) and the workforce census."""
    con, la, years = _small_authority(tmp_path_factory, small_authority_returns, "small_authority_everything",
                                      ("extracts", "csww"))
    yield con, la, years
    con.close()


def _releases(con, la: str, years: list[int]):
    """A Releases with every year built here and kept: none is stored yet (any that another test stored are
    removed), so each is built, with the exact counts and relations behind it (``system``), and stored."""
    from careboard.publish.release import Releases

    con.execute("DELETE FROM disclosure_releases")
    releases = Releases(la)
    for y in years:
        assert releases.get(con, y).system is not None  # built, not read from the database
    return releases


@pytest.fixture(scope="session")
def small_authority_releases(small_authority):
    """small_authority's releases, every year built once per session (publish.release.Releases)."""
    return _releases(*small_authority)


@pytest.fixture(scope="session")
def small_authority_everything_releases(small_authority_everything):
    """small_authority_everything's releases, every year built once per session."""
    return _releases(*small_authority_everything)
