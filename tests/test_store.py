"""The store: atomic loads, provenance, idempotence, replacement, pseudonymisation, migrations."""

import hashlib
import hmac
import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from builders import EPISODE_ROWS, HEADER_ROWS, write_table
from careboard.returns.reader import read_returns
from careboard.returns.spec import ssda903
from careboard.store import db as store_db
from careboard.store import load as store_load
from careboard.store.load import load_returns

KEY = b"a-test-key-of-at-least-16-bytes"


def snapshot(con) -> dict:
    """Every table's full contents, to compare the database before and after."""
    names = [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1"
    ).fetchall()]
    return {n: sorted(map(repr, con.execute(f"SELECT * FROM {n}").fetchall())) for n in names}


@pytest.fixture
def con(tmp_path):
    c = store_db.connect(tmp_path / "t.duckdb")
    yield c
    c.close()


def test_schema_matches_the_spec(con):
    for table in ssda903().tables.values():
        cols = [r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
            [f"ssda903_{table.name.lower()}"],
        ).fetchall()]
        assert cols == ["load_id", "la", "year", "source_file", "source_row", *table.column_names]


def test_extract_tables_match_the_spec(con):
    from careboard.returns.spec import load_spec

    for table in load_spec("local_extracts").tables.values():
        cols = [r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
            [f"extract_{table.name.lower()}"],
        ).fetchall()]
        assert cols == ["load_id", "la", "year", "source_file", "source_row", *table.column_names], table.name


def test_migrations_recorded_and_idempotent(tmp_path):
    c = store_db.connect(tmp_path / "m.duckdb")
    v = store_db.schema_version(c)
    assert v == max(m[0] for m in store_db.migrations())
    c.close()
    c = store_db.connect(tmp_path / "m.duckdb")
    assert c.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(store_db.migrations())
    c.close()


def test_another_applications_duckdb_file_is_refused_unchanged_and_an_empty_one_adopted(tmp_path):
    """careboard adds its schema to a new or empty DuckDB file, never to one holding another application's
    tables: opening it (to write, or to read) says whose it is not, and the file keeps exactly what it had."""
    other = tmp_path / "finance.duckdb"
    with duckdb.connect(str(other)) as c:
        c.execute("CREATE TABLE budgets (cost_centre VARCHAR, amount DECIMAL(12, 2))")
        c.execute("CREATE VIEW totals AS SELECT sum(amount) AS amount FROM budgets")
    for read_only in (False, True):
        with pytest.raises(store_db.StoreError, match=r"is a DuckDB database, but not careboard's \(it holds "
                                                      r"budgets, totals, and no careboard schema\)"):
            store_db.connect(other, read_only=read_only)
    with duckdb.connect(str(other), read_only=True) as c:
        assert sorted(r[0] for r in c.execute("SHOW TABLES").fetchall()) == ["budgets", "totals"]
    lookalike = tmp_path / "other_tool.duckdb"  # another tool's migrations table of the same name
    with duckdb.connect(str(lookalike)) as c:
        c.execute("CREATE TABLE schema_migrations (version INTEGER, name VARCHAR, applied_at TIMESTAMP)")
        c.execute("INSERT INTO schema_migrations VALUES (1, 'create_accounts', now())")
        c.execute("CREATE TABLE accounts (id INTEGER)")
    with pytest.raises(store_db.StoreError, match=r"not careboard's \(it holds accounts, and no careboard schema\)"):
        store_db.connect(lookalike)
    empty = tmp_path / "new.duckdb"
    duckdb.connect(str(empty)).close()
    con = store_db.connect(empty)
    try:
        assert store_db.schema_version(con) == max(m[0] for m in store_db.migrations())
    finally:
        con.close()
    store_db.connect(empty, read_only=True).close()  # careboard's now


def test_load_keeps_provenance_for_every_row(con, small_set):
    (outcome,) = load_returns(con, read_returns([small_set]))
    assert outcome.action == "loaded"
    files = dict(con.execute("SELECT name, sha256 FROM load_files").fetchall())
    assert files["Episodes.csv"] == hashlib.sha256((small_set / "Episodes.csv").read_bytes()).hexdigest()
    rows = con.execute(
        "SELECT f.name, e.source_row, e.CHILD, e.DECOM FROM ssda903_episodes e "
        "JOIN load_files f USING (load_id) WHERE f.file_index = e.source_file ORDER BY source_row"
    ).fetchall()
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("Episodes.csv", 1, "1001"), ("Episodes.csv", 2, "1001"), ("Episodes.csv", 3, "1002")
    ]
    assert str(rows[2][3]) == "2026-02-01"
    la, year = con.execute("SELECT DISTINCT la, year FROM ssda903_header").fetchone()
    assert (la, year) == ("886", 2026)


def test_same_files_again_change_nothing(con, small_set):
    load_returns(con, read_returns([small_set]))
    before = snapshot(con)
    (outcome,) = load_returns(con, read_returns([small_set]))
    assert outcome.action == "unchanged"
    assert snapshot(con) == before


def test_corrected_return_replaces_and_is_recorded(con, small_set):
    load_returns(con, read_returns([small_set]))
    write_table(small_set, "Episodes", EPISODE_ROWS[:1])
    (outcome,) = load_returns(con, read_returns([small_set]))
    assert outcome.action == "replaced" and outcome.replaced_load == 1
    assert con.execute("SELECT count(*) FROM ssda903_episodes").fetchone()[0] == 1
    assert con.execute("SELECT DISTINCT load_id FROM ssda903_header").fetchall() == [(2,)]
    assert con.execute(
        "SELECT load_id, status, replaced_by FROM loads ORDER BY load_id"
    ).fetchall() == [(1, "replaced", 2), (2, "current", None)]


def test_many_authorities_and_years_in_one_database(con, tmp_path):
    for la in ("886", "887"):
        for y in ("2024-25", "2025-26"):
            folder = tmp_path / la / y
            folder.mkdir(parents=True)
            write_table(folder, "Header", HEADER_ROWS)
    load_returns(con, read_returns([tmp_path / "886", tmp_path / "887"]))
    got = con.execute("SELECT la, year, count(*) FROM ssda903_header GROUP BY ALL ORDER BY ALL").fetchall()
    assert got == [("886", 2025, 2), ("886", 2026, 2), ("887", 2025, 2), ("887", 2026, 2)]


def test_failure_halfway_leaves_the_database_exactly_as_it_was(con, small_set, monkeypatch, tmp_path):
    other = tmp_path / "887" / "2025-26"
    other.mkdir(parents=True)
    write_table(other, "Header", HEADER_ROWS)
    load_returns(con, read_returns([other]))
    before = snapshot(con)
    real_insert = store_load._insert
    calls = []

    def failing_insert(*args, **kwargs):
        calls.append(args[3])
        if len(calls) == 2:  # after the first table of the return has been written
            raise RuntimeError("disk full")
        return real_insert(*args, **kwargs)

    monkeypatch.setattr(store_load, "_insert", failing_insert)
    write_table(other, "Header", HEADER_ROWS[:1])  # a replacement, so deletes happen too
    with pytest.raises(RuntimeError):
        load_returns(con, read_returns([small_set, other]))
    assert snapshot(con) == before


def test_pseudonyms_are_hmac_sha256_and_join_across_tables_and_years(con, tmp_path):
    for y in ("2024-25", "2025-26"):
        folder = tmp_path / "886" / y
        folder.mkdir(parents=True)
        write_table(folder, "Header", HEADER_ROWS)
        write_table(folder, "Episodes", EPISODE_ROWS)
    load_returns(con, read_returns([tmp_path / "886"]), key=KEY)
    expected = hmac.new(KEY, b"1001", hashlib.sha256).hexdigest()[:16].upper()
    ids = {r[0] for r in con.execute(
        "SELECT CHILD FROM ssda903_header UNION SELECT CHILD FROM ssda903_episodes"
    ).fetchall()}
    assert expected in ids
    assert "1001" not in ids and len(ids) == 2
    upns = {r[0] for r in con.execute("SELECT UPN FROM ssda903_header").fetchall()}
    assert upns == {"UN1", "UN2"}  # 'unknown UPN' codes identify nobody and stay readable
    assert con.execute("SELECT bool_and(pseudonymised) FROM loads").fetchone()[0]


def test_pseudonymising_later_replaces_the_plain_load(con, small_set):
    load_returns(con, read_returns([small_set]))
    (outcome,) = load_returns(con, read_returns([small_set]), key=KEY)
    assert outcome.action == "replaced"
    assert con.execute("SELECT count(*) FROM ssda903_header WHERE CHILD = '1001'").fetchone()[0] == 0


KILL_SCRIPT = """
import sys
from pathlib import Path
from careboard.returns.reader import read_returns
from careboard.store.db import connect
from careboard.store.load import load_returns
con = connect(sys.argv[1])
rets = read_returns([Path(sys.argv[2])])
load_returns(con, rets)
print("first load committed", flush=True)
while True:  # keep replacing the return until killed
    for r in rets:
        r.files[0].data += b" "  # a new fingerprint each time, so every round really loads
    load_returns(con, rets)
"""


def test_sigkill_during_loads_leaves_only_complete_loads(tmp_path, small_set):
    rows = [dict(HEADER_ROWS[0], CHILD=str(5000 + i)) for i in range(20000)]
    write_table(small_set, "Header", rows)
    db_path = tmp_path / "killed.duckdb"
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(db_path), str(small_set)],
        stdout=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout.readline().strip() == b"first load committed"
    time.sleep(0.7)  # well inside a later load's transaction on this machine (each takes ~0.1-0.3 s)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    con = duckdb.connect(str(db_path))
    current = con.execute("SELECT load_id FROM loads WHERE status = 'current'").fetchall()
    assert len(current) == 1  # the first load committed, and only one load is ever current
    (load_id,) = current[0]
    stored = dict(con.execute(
        "SELECT 'Header', count(*) FROM ssda903_header UNION ALL "
        "SELECT 'Episodes', count(*) FROM ssda903_episodes"
    ).fetchall())
    assert stored == {"Header": 20000, "Episodes": 3}
    assert con.execute("SELECT DISTINCT load_id FROM ssda903_header").fetchall() == [(load_id,)]
    con.close()
    # And the database still opens and loads through careboard.
    c = store_db.connect(db_path)
    load_returns(c, read_returns([small_set]))
    c.close()


def test_a_database_from_before_migration_7_gains_table_provenance(tmp_path, monkeypatch, small_set):
    """A load made by the previous schema: its tables' files are read off their rows, and a partial
    replacement then carries its files over."""
    path = tmp_path / "old.duckdb"
    old = [m for m in store_db.migrations() if m[0] < 7]
    monkeypatch.setattr(store_db, "migrations", lambda: old)
    c = duckdb.connect(str(path))
    store_db.migrate(c)
    c.execute("INSERT INTO loads VALUES (nextval('load_id_seq'), 'ssda903', '886', 2026, 'f', false, 'current', "
              "NULL, NULL, now()::TIMESTAMP, 'u', '0', 3, 0)")
    c.execute("INSERT INTO load_files VALUES (1, 0, 'Header.csv', '/x/Header.csv', 'aa', 9, 'csv'), "
              "(1, 1, 'Episodes.csv', '/x/Episodes.csv', 'bb', 9, 'csv')")
    c.execute("INSERT INTO load_tables VALUES (1, 'Header', 2), (1, 'Episodes', 1), (1, 'Reviews', 0)")
    c.execute("INSERT INTO ssda903_header (load_id, la, year, source_file, source_row, CHILD) "
              "VALUES (1, '886', 2026, 0, 1, 'a'), (1, '886', 2026, 0, 2, 'b')")
    c.execute("INSERT INTO ssda903_episodes (load_id, la, year, source_file, source_row, CHILD) "
              "VALUES (1, '886', 2026, 1, 1, 'a')")
    c.close()
    monkeypatch.undo()
    c = store_db.connect(path)
    assert c.execute("SELECT table_name, from_load, source_file FROM load_tables ORDER BY 1").fetchall() == [
        ("Episodes", 1, 1), ("Header", 1, 0), ("Reviews", 1, None)
    ]
    (outcome,) = load_returns(c, read_returns([small_set / "Header.csv"]), replace_tables=["Header"])
    files = c.execute(
        "SELECT name, from_load FROM load_files WHERE load_id = ? ORDER BY file_index", [outcome.load_id]
    ).fetchall()
    assert files == [("Header.csv", outcome.load_id), ("Episodes.csv", 1)]
    assert c.execute("SELECT load_id, source_file FROM ssda903_episodes").fetchall() == [(outcome.load_id, 1)]
    c.close()


def test_reference_tables_copied_from_the_process_cache_equal_those_built_from_the_files(tmp_path):
    """A process opening many databases copies the reference tables it built first; the copy must be exact
    (same rows, same DuckDB types, HUGEINT included)."""
    from careboard.store import reference

    reference._BUILT.clear()
    built = store_db.connect(tmp_path / "files.duckdb")  # built from the vendored files, and remembered
    built.close()
    assert reference._BUILT
    copied = store_db.connect(":memory:")  # built from the cache
    copied.execute(f"ATTACH '{tmp_path / 'files.duckdb'}' AS files (READ_ONLY)")
    for name in reference._CACHED:
        assert copied.execute(f"DESCRIBE {name}").fetchall() == copied.execute(f"DESCRIBE files.{name}").fetchall()
        for a, b in ((name, f"files.{name}"), (f"files.{name}", name)):
            assert copied.execute(f"SELECT count(*) FROM (SELECT * FROM {a} EXCEPT ALL SELECT * FROM {b})"
                                  ).fetchall() == [(0,)], (a, b)
    assert copied.execute("SELECT count(*) FROM ref_working_day").fetchall()[0][0] > 10_000
    copied.close()


def test_the_district_lookup_is_read_in_one_place():
    """ltla_utla_apr23.csv is named by careboard.reference.districts alone (issue 17.5)."""
    from pathlib import Path

    src = Path(__file__).resolve().parents[1] / "src" / "careboard"
    readers = sorted(str(p.relative_to(src)) for p in src.rglob("*.py") if "ltla_utla_apr23" in p.read_text())
    assert readers == ["reference/districts.py"]


def test_every_district_of_kent_is_placed_in_kent():
    from careboard.reference.districts import district_rows, districts_by_upper_tier
    from careboard.store.db import connect

    kent = districts_by_upper_tier()["E10000016"]
    assert len(kent) == 12 and "E07000110" in kent  # Maidstone is one of Kent's 12 districts
    assert {r.name for r in district_rows() if r.district == "E07000110"} == {"Maidstone"}
    con = connect(":memory:")
    placed = con.execute("SELECT DISTINCT la FROM ref_district_la WHERE district IN (SELECT unnest(?))", [list(kent)])
    assert placed.fetchall() == [("886",)]


def test_shared_macros_are_installed_in_every_connection_and_survive_a_rolled_back_install(tmp_path):
    """install() remembers inside the connection that it has run the macros: a new connection to the same file
    gets them again, and an install rolled back with the caller's transaction is redone."""
    from careboard.store.reference import install

    def works(c) -> bool:
        try:
            return c.execute("SELECT age_band(5)").fetchall() is not None
        except duckdb.CatalogException:
            return False

    first = store_db.connect(tmp_path / "m.duckdb")
    assert not works(first)  # connect() keeps the reference tables, the macros are per connection
    first.begin()
    install(first)
    assert works(first)
    first.rollback()
    assert not works(first)
    install(first)
    install(first)  # cheap the second time, and still there
    assert works(first)
    first.close()
    second = store_db.connect(tmp_path / "m.duckdb")
    assert not works(second)
    install(second)
    assert works(second)
    second.close()
    reader = store_db.connect(tmp_path / "m.duckdb", read_only=True)
    install(reader)
    assert works(reader)
    reader.close()
