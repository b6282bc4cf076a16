"""The careboard database: one DuckDB file holding many authorities and years.

The schema lives in ``schema/NNN_name.sql`` files applied in order; ``schema_migrations`` records
which have been applied, so an older database is brought up to date when it is opened.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from importlib import resources
from pathlib import Path

import duckdb

DEFAULT_DB = "careboard.duckdb"
_MIGRATION = re.compile(r"^(\d{3})_(\w+)\.sql$")


class StoreError(RuntimeError):
    """The database cannot be opened or is not a careboard database."""


def default_path() -> Path:
    """``$CAREBOARD_DB`` or ``careboard.duckdb`` in the working directory."""
    return Path(os.environ.get("CAREBOARD_DB") or DEFAULT_DB)


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every schema file, in order."""
    folder = resources.files("careboard.store") / "schema"
    found = []
    for entry in folder.iterdir():
        m = _MIGRATION.match(entry.name)
        if m:
            found.append((int(m.group(1)), m.group(2), entry.read_text("utf-8")))
    return sorted(found)


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    row = next(iter(con.execute("SELECT max(version) FROM schema_migrations").fetchall()), None)
    return int(row[0] or 0)


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply any schema files not yet applied, each in its own transaction; return the version."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER NOT NULL, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    done = {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()}
    for version, name, sql in migrations():
        if version in done:
            continue
        con.begin()
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", [version, name, datetime.now()])
            con.commit()
        except Exception:
            con.rollback()
            raise
    return schema_version(con)


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


def connect(path: Path | str | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if need be) the database at ``path`` and bring its schema up to date."""
    path = Path(path) if path is not None else default_path()
    if read_only and not path.exists():
        raise StoreError(f"no careboard database at {path}; load a return first (careboard load)")
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise StoreError(f"cannot open {path} as a careboard database: {exc}") from None
    if not read_only:
        migrate(con)
        from careboard.store.reference import persist

        persist(con)
    return con
