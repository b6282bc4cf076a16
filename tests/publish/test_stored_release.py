"""Releases stored at refresh (publish/stored_release.py): the stored release is the built one, exactly; a new
load makes it stale; readers take the stored one instead of redoing disclosure control."""

from __future__ import annotations

from careboard.publish import stored_release
from careboard.publish.release import Release, Releases


def same(a: object, b: object) -> bool:
    """Equal, and of the same types all the way down (1 and 1.0 print differently on a page)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, (set, frozenset)):
        return a == b
    return a == b


def assert_same_release(stored: Release, built: Release) -> None:
    assert (stored.la, stored.year) == (built.la, built.year)
    assert stored.system is None and stored.figures is None  # read from the store, not built
    assert len(stored.rows) == len(built.rows) > 100
    for s, b in zip(stored.rows, built.rows, strict=True):
        assert same(s, b), (s, b)  # every figure: its shown value, or its marker and why it is hidden
    assert set(stored.qualities) == set(built.qualities)
    for kind, q in built.qualities.items():
        assert same(vars(stored.qualities[kind]), vars(q)), kind
    so, bo = stored.outcome, built.outcome
    assert same(so.hidden, bo.hidden) and so.hidden  # every hidden figure id and its reason
    assert same(so.suppressed, bo.suppressed) and so.published == bo.published
    assert same(so.ranges, bo.ranges) and so.sensitive == bo.sensitive
    assert stored.fallbacks == built.fallbacks and same(stored.exact, built.exact) and built.exact
    assert stored.placements == built.placements


def test_the_stored_release_is_the_built_one_for_every_year(small_authority, small_authority_releases, monkeypatch):
    con, la, years = small_authority
    # Built once per session (publish/conftest.py) by a reader, which stored each year as it built it
    # (stored_release.release); refresh's store_all stores the middle year here, which has a year before it
    # (and is quicker to build than the last).
    built = {y: small_authority_releases.get(con, y) for y in years}
    assert all(b.system is not None for b in built.values())  # built, not read from the database
    assert stored_release.is_current(con)
    con.execute("DELETE FROM disclosure_releases WHERE year = ?", [years[1]])
    assert not stored_release.is_current(con)
    assert stored_release.store_all(con) == [(la, years[1])]  # the missing year built, the stored ones kept
    assert stored_release.store_all(con) == []  # current: nothing built again
    assert stored_release.is_current(con)

    def refuse(*_args, **_kwargs):
        raise AssertionError("the release was built, not read from the database")

    monkeypatch.setattr(stored_release, "build_release", refuse)
    releases = Releases(la)
    for y in years:
        assert_same_release(releases.get(con, y), built[y])


def test_a_new_load_makes_the_stored_releases_stale(tmp_path, small_set):
    """After a new load's refresh, the stored releases are rebuilt from the new figures (and the old are gone)."""
    from builders import HEADER_ROWS, write_table
    from careboard.publish.release import build_release
    from careboard.refresh import refresh
    from careboard.returns.reader import read_returns
    from careboard.store.db import connect
    from careboard.store.load import load_returns
    from fresh_db import fresh_file

    con = connect(fresh_file(tmp_path / "c.duckdb"))
    try:
        load_returns(con, read_returns([small_set]))
        first = refresh(con, plan_size=(20, 5))
        assert first.releases == [("886", 2026)]
        old = stored_release.fingerprints(con, "886")
        assert refresh(con, plan_size=(20, 5)).releases is None  # current: nothing to do
        earlier = tmp_path / "886" / "2024-25"
        earlier.mkdir(parents=True)
        write_table(earlier, "Header", HEADER_ROWS)
        load_returns(con, read_returns([earlier]))
        from careboard.measures.compute import ensure_computed

        ensure_computed(con)  # the new load's figures
        assert not stored_release.is_current(con)
        # 2025-26 checked again, against its new "last year"; the two releases built by two forked processes
        # while the plans are worked out (careboard demo), the bytes built here
        again = refresh(con, plan_size=(20, 5), workers=2)
        assert again.releases == [("886", 2025), ("886", 2026)]
        stored = con.execute("SELECT release FROM disclosure_releases ORDER BY year").fetchall()
        assert stored == [(stored_release.encode(build_release(con, "886", y)),) for y in (2025, 2026)]
        now = stored_release.fingerprints(con, "886")
        assert now[2026] != old[2026]  # the new load made the stored 2025-26 release stale
        rows = con.execute("SELECT la, year, fingerprint FROM disclosure_releases ORDER BY year").fetchall()
        assert rows == [("886", 2025, now[2025]), ("886", 2026, now[2026])]  # rebuilt; the stale one gone
        assert stored_release.is_current(con)
    finally:
        con.close()


def test_a_read_only_database_builds_its_releases_in_memory(small_authority, tmp_path):
    """A database file careboard may only read, with no release stored: built in memory, as before, not stored."""
    import shutil

    import duckdb

    from careboard.store.state import database_path

    con, la, years = small_authority
    con.execute("CHECKPOINT")
    copy = tmp_path / "ro.duckdb"
    shutil.copy(database_path(con), copy)
    rw = duckdb.connect(str(copy))
    rw.execute("DELETE FROM disclosure_releases")
    rw.close()
    ro = duckdb.connect(str(copy), read_only=True)
    try:
        release = Releases(la).get(ro, years[0])  # the first year: the cheapest to build
        assert release.system is not None  # built
        assert ro.execute("SELECT count(*) FROM disclosure_releases").fetchone()[0] == 0
        assert_same_release(stored_release.decode(stored_release.encode(release)), release)
    finally:
        ro.close()
