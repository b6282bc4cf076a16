"""A small synthetic authority, loaded, validated and computed once per session, for the release tests, and
each year's release of it, built once per session (disclosure control is most of these tests' time)."""

from __future__ import annotations

import pytest


def _small_authority(tmp_path_factory, name: str, folders: tuple[str, ...]):
    from careboard.measures.compute import ensure_computed
    from careboard.returns.reader import read_returns
    from careboard.store.db import connect
    from careboard.store.load import load_returns
    from careboard.synth import generate
    from careboard.validate.runner import validate_loaded

    la, years = "358", [2024, 2025, 2026]
    out = tmp_path_factory.mktemp(name)
    generate(out, la, 200, years, 5)
    con = connect(out / "c.duckdb")
    load_returns(con, read_returns([p for p in (out / la / f for f in folders) if p.exists()], la))
    for y in years:
        validate_loaded(con, la, y)
    ensure_computed(con)
    return con, la, years


@pytest.fixture(scope="session")
def small_authority(tmp_path_factory):
    """(connection, la, years) for a 200-child synthetic Trafford: small enough that much is hidden."""
    con, la, years = _small_authority(tmp_path_factory, "small_authority", ("ssda903", "cin"))
    yield con, la, years
    con.close()


@pytest.fixture(scope="session")
def small_authority_everything(tmp_path_factory):
    """The same authority with everything careboard synth writes for it loaded: the 903 and CIN returns,
    the local extracts (IRO allocations, missing detail, ...) and the workforce census."""
    con, la, years = _small_authority(tmp_path_factory, "small_authority_everything",
                                      ("ssda903", "cin", "extracts", "csww"))
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
