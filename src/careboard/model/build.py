"""Derive care histories from the loaded returns, once, in SQL (see episodes.sql, histories.sql).

The model is rebuilt for every authority in one pass whenever the set of current loads has
changed since it was last built, so every measure reads the same, consistent histories.
"""

from __future__ import annotations

import hashlib
from importlib import resources

import duckdb

from careboard.store.reference import install

MODEL_SQL = ("episodes.sql", "histories.sql", "child_year.sql", "reviews.sql", "care_leavers.sql")


def loads_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """Which loads (and which version of the model's SQL) the model was built from."""
    row = con.execute(
        "SELECT coalesce(string_agg(load_id::VARCHAR, ',' ORDER BY load_id), '') FROM loads "
        "WHERE status = 'current'"
    ).fetchall()[0]
    sql = "".join((resources.files("careboard.model") / name).read_text("utf-8") for name in MODEL_SQL)
    macros = (resources.files("careboard.store") / "macros.sql").read_text("utf-8")
    return row[0] + "|" + hashlib.sha256((sql + macros).encode()).hexdigest()[:16]


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'model_state' AND NOT temporary"
    ).fetchall()[0][0]
    if not exists:
        return False
    row = next(iter(con.execute("SELECT loads FROM model_state").fetchall()), None)
    return row is not None and row[0] == loads_fingerprint(con)


def build(con: duckdb.DuckDBPyConnection, force: bool = False) -> bool:
    """(Re)build the model tables if the loads changed; True if it was rebuilt."""
    if not force and is_current(con):
        return False
    install(con)
    con.begin()
    try:
        for name in MODEL_SQL:
            con.execute((resources.files("careboard.model") / name).read_text("utf-8"))
        con.execute("CREATE OR REPLACE TABLE model_state AS SELECT ? AS loads, now() AS built_at",
                    [loads_fingerprint(con)])
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return True
