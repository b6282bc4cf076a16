"""What a connection is and what has been built in it: a leaf module the rest of store/ builds on.

Derived sets of tables (reference tables, staging views, model, measures) record the fingerprint they
were built from, so a reader rebuilds them only when it changed.  These helpers live apart from
``db.py`` so that ``db.py`` may use the modules that build such sets (``reference.py``,
``views.py``) without those importing ``db.py`` back: store/'s imports run one way.
"""

from __future__ import annotations

from pathlib import Path

import duckdb


def stored_fingerprint(con: duckdb.DuckDBPyConnection, state_table: str) -> str | None:
    """The fingerprint a derived set of tables (model, measures, reference) was last built from.

    None when it was never built here; callers rebuild when it differs from the current one.
    """
    try:
        rows = con.execute(f"SELECT fingerprint FROM main.{state_table}").fetchall()
    except duckdb.Error:
        return None
    return rows[0][0] if rows else None


def record_fingerprint(con: duckdb.DuckDBPyConnection, state_table: str, fingerprint: str) -> None:
    """Record what a derived set of tables was built from (inside the caller's transaction)."""
    con.execute(
        f"CREATE OR REPLACE TABLE {state_table} AS SELECT ? AS fingerprint, now()::TIMESTAMP AS built_at",
        [fingerprint],
    )


def database_path(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The file behind ``con`` (None for an in-memory database)."""
    row = next(iter(con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()), None)
    return Path(row[0]) if row and row[0] else None


def is_read_only(con: duckdb.DuckDBPyConnection) -> bool:
    row = next(iter(con.execute(
        "SELECT readonly FROM duckdb_databases() WHERE database_name = current_database()").fetchall()), None)
    return bool(row and row[0])
