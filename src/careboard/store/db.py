"""The careboard database: one DuckDB file holding many authorities and years.

The schema lives in ``schema/NNN_name.sql`` files applied in order; ``schema_migrations`` records
which have been applied, so an older database is brought up to date when it is opened.

DuckDB lets one process open a file read-write, or several processes read-only, never both.  So
:func:`connect` waits (up to ``wait`` seconds, telling the user once) when another careboard command
holds the file, instead of failing with DuckDB's lock text; commands that only read open the file
read-only, so they can run side by side (and on a file the user may not write).  The web app never
opens this file for long: it reads a published copy (store/snapshot.py).  Files careboard creates
here (the database and its write-ahead log) are readable by their owner only.
"""

from __future__ import annotations

import functools
import os
import re
import time
from collections.abc import Callable
from datetime import datetime
from importlib import resources
from pathlib import Path

import duckdb

from careboard.store import views, webdb
from careboard.store.reference import persist
from careboard.store.state import database_path, is_read_only  # noqa: F401 (re-exported for their callers)

DEFAULT_DB = "careboard.duckdb"
_MIGRATION = re.compile(r"^(\d{3})_(\w+)\.sql$")


# How long a command waits for another careboard command that holds the database (seconds).
LOCK_WAIT = float(os.environ.get("CAREBOARD_LOCK_WAIT") or 120)
WAITING = "waiting for another careboard command that is using the database to finish…"


class StoreError(RuntimeError):
    """The database cannot be opened or is not a careboard database."""


class DatabaseBusy(StoreError):
    """Another careboard command held the database for longer than we were willing to wait."""


def private_files() -> None:
    """From now on this process creates files readable by their owner only (umask 077).

    The database holds children's records, and DuckDB creates its write-ahead log afresh, with the
    process umask, whenever it writes after a checkpoint, so a umask set only while opening would
    not cover it.  A process that opens the database for writing therefore keeps a private umask
    for the rest of its life (its other output, a pack or a CSV of findings, is private too: share
    it on purpose).  Set in one step from the old value, so the umask is never looser meanwhile.
    """
    old = os.umask(0o077)
    os.umask(old | 0o077)


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


@functools.cache
def _first_migration() -> str:
    """The name careboard's first schema file records (``core``), from the file names alone: asked on every
    connection, so no schema file is read for it."""
    folder = resources.files("careboard.store") / "schema"
    return min((int(m.group(1)), m.group(2)) for m in map(_MIGRATION.match, (e.name for e in folder.iterdir())) if m)[1]


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    row = next(iter(con.execute("SELECT max(version) FROM schema_migrations").fetchall()), None)
    return int(row[0] or 0)


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply any schema files not yet applied, each in its own transaction; return the version.

    Version 8 moves the web app's users and audit log out of DuckDB into the SQLite file beside it
    (store/webdb.py); they are copied there before the tables are dropped.
    """
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER NOT NULL, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    done = {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()}
    for version, name, sql in migrations():
        if version in done:
            continue
        if version == 8:
            webdb.import_from_duckdb(con)
        con.begin()
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", [version, name, datetime.now()])
            con.commit()
        except Exception:
            con.rollback()
            raise
    return schema_version(con)


def is_lock_error(exc: BaseException) -> bool:
    """DuckDB refused the file because another process holds it."""
    text = str(exc)
    return "Could not set lock on file" in text or "Conflicting lock" in text


def connect(path: Path | str | None = None, read_only: bool = False, wait: float = 0.0,
            on_wait: Callable[[str], None] | None = None, *,
            staging_views: bool = True) -> duckdb.DuckDBPyConnection:
    """Open (creating if need be) the database at ``path`` and bring its schema up to date.

    ``read_only`` opens an existing database without changing it (no migration), which works on a
    file the user cannot write and alongside other readers.  When another process holds the file,
    wait up to ``wait`` seconds, calling ``on_wait`` once with :data:`WAITING`, then raise
    :class:`DatabaseBusy` with a message fit for the user.  ``staging_views=False`` leaves out the
    ``current_*`` views (store/views.sql) for a private database that reads its loads by id (validating
    files): making them costs 10-20 ms, a database file pays it once.
    """
    path = Path(path) if path is not None else default_path()
    if read_only and not path.exists():
        raise StoreError(f"no careboard database at {path}; load a return first (careboard load)")
    deadline = time.monotonic() + wait
    pause, told = 0.05, False
    while True:
        try:
            if read_only:
                con = duckdb.connect(str(path), read_only=True)
            else:
                private_files()
                con = duckdb.connect(str(path))
            break
        except duckdb.Error as exc:
            if not is_lock_error(exc):
                raise StoreError(f"cannot open {path} as a careboard database: {_first_line(exc)}") from None
            if time.monotonic() >= deadline:
                waited = f" (waited {wait:.0f} s)" if wait >= 1 else ""
                raise DatabaseBusy(
                    f"{path} is in use by another careboard command that is changing it{waited}; "
                    "try again when it has finished"
                ) from None
            if on_wait is not None and not told:
                on_wait(WAITING)
                told = True
            time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
            pause = min(pause * 2, 1.0)
    # DuckDB draws its own progress bar on standard output for long queries, which would land in the
    # middle of `--format csv` output; careboard reports progress itself.
    con.execute("SET enable_progress_bar = false")
    try:
        _refuse_foreign(con, path)
    except StoreError:
        con.close()
        raise
    if not read_only:
        migrate(con)
        if staging_views:
            views.ensure(con)
        persist(con)
    return con


# The database's own tables and views (not DuckDB's catalog, not this connection's TEMP objects).
_OWN_OBJECTS_SQL = """
SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND database_name = current_database()
UNION ALL
SELECT view_name FROM duckdb_views() WHERE NOT temporary AND NOT internal AND database_name = current_database()
ORDER BY 1
"""


def _refuse_foreign(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """StoreError if ``path`` is another application's DuckDB database: tables or views, but not careboard's
    schema record (a ``schema_migrations`` table whose version 1 is careboard's first migration).  careboard
    would otherwise add its hundred tables to it (a command that only reads first brings a database's figures
    up to date).  A new or empty file is careboard's to use."""
    names = [r[0] for r in con.execute(_OWN_OBJECTS_SQL).fetchall()]
    if not names or names == ["schema_migrations"]:  # new, or a first migration that did not complete
        return
    if "schema_migrations" in names:
        try:
            first = con.execute("SELECT name FROM schema_migrations WHERE version = 1").fetchone()
        except duckdb.Error:  # a table of that name with other columns
            first = None
        if first is not None and first[0] == _first_migration():
            return  # careboard's: its first migration is recorded (with its tables, in one transaction)
        names = [n for n in names if n != "schema_migrations"] or names
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    raise StoreError(
        f"{path} is a DuckDB database, but not careboard's (it holds {shown}, and no careboard schema); "
        "careboard does not add its tables to another application's database: give a new file with --db")


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def writable(path: Path) -> bool:
    """May careboard write this database?  A file without write permission bits counts as read-only even
    for root (whoever made it read-only meant it); a file not there yet, if its folder is writable."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return os.access(path.parent, os.W_OK)
    return bool(mode & 0o222) and os.access(path, os.W_OK)
