"""The serving snapshot: a read-only copy of the database, published for the web app after each refresh.

DuckDB lets one process write a file or several read it, never both.  If the web app held the
analysts' database, every `careboard load` would fail while it runs; so the app never opens that
file for long.  After each refresh the writer (whoever loaded: `careboard load`, the web upload,
`careboard serve` at start-up) checkpoints, copies the database into ``<db>.serving/`` (a temporary
name, fsync, rename) and then points ``<db>.serving/CURRENT`` at the copy (written the same way).
The web app checks ``CURRENT`` with one ``stat`` per request and, when it changed, opens the new
copy read-only and drops its caches.

Each copy has its own file name because DuckDB's Python client caches open databases by path: a
copy renamed over a path the app still has open would be served from the old one.  The two newest
copies are kept (the app may be just opening the previous one); older ones are deleted, which is
safe on POSIX systems even while a reader still has one open.

Snapshots are published only where a database is served: ``careboard serve`` creates the folder at
start-up, after which every refresh publishes.  A command-line-only user pays nothing.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from careboard.store.db import database_path, schema_version

CURRENT = "CURRENT"
KEEP = 2

# What the web app caches from: which loads are current, the latest validation run, which model
# and measures were computed, and the schema.  A snapshot is stale when this differs.
_VERSION_SQL = """
SELECT
  (SELECT coalesce(string_agg(load_id::VARCHAR, ',' ORDER BY load_id), '') FROM current_loads),
  (SELECT coalesce(max(run_id), 0) FROM validation_runs)
"""


@dataclass(frozen=True)
class Published:
    path: Path
    bytes: int
    seconds: float
    version: str


def folder_for(db: Path | str) -> Path:
    """``careboard.duckdb`` -> ``careboard.serving/``."""
    return Path(db).with_suffix(".serving")


def is_served(db: Path | str) -> bool:
    """True once ``careboard serve`` has run for this database: every refresh then publishes."""
    return folder_for(db).is_dir()


def _state(con: duckdb.DuckDBPyConnection, table: str) -> str:
    present = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = ? AND NOT temporary",
        [table]).fetchall()[0][0]
    if not present:
        return ""
    return next(iter(con.execute(f"SELECT fingerprint FROM main.{table}").fetchall()), ("",))[0]


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    """A string that changes whenever loads, validation runs, the model, the measures or the schema change."""
    loads, run = con.execute(_VERSION_SQL).fetchall()[0]
    return (f"{loads}|{run}|{_state(con, 'model_state')}|{_state(con, 'measure_state')}|{schema_version(con)}"
            f"|{_state(con, 'sufficiency_plan_state')}")


def current(db: Path | str) -> tuple[Path, str] | None:
    """(snapshot file, its data version) as ``CURRENT`` names them, or None if none is published."""
    folder = folder_for(db)
    try:
        name, version = (folder / CURRENT).read_text("utf-8").split("\n", 2)[:2]
    except (FileNotFoundError, ValueError):
        return None
    path = folder / name
    return (path, version) if path.exists() else None


def marker(db: Path | str) -> tuple[int, int] | None:
    """What the web app compares on every request: ``CURRENT``'s inode and modification time (one stat)."""
    try:
        st = os.stat(folder_for(db) / CURRENT)
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_file(src: Path, dst: Path) -> int:
    """Copy ``src`` to a new file ``dst`` (mode 0600), fsync'd; bytes copied."""
    fd_out = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with open(src, "rb") as f_in:
            size = os.fstat(f_in.fileno()).st_size
            done = 0
            try:  # in the kernel (and a reflink where the file system can): no trip through Python
                while done < size:
                    n = os.copy_file_range(f_in.fileno(), fd_out, size - done)
                    if n == 0:
                        break
                    done += n
            except (AttributeError, OSError):
                f_in.seek(0)
                os.lseek(fd_out, 0, os.SEEK_SET)
                os.ftruncate(fd_out, 0)
                done = 0
                while chunk := f_in.read(8 << 20):
                    os.write(fd_out, chunk)
                    done += len(chunk)
        os.fsync(fd_out)
    finally:
        os.close(fd_out)
    return done


def copy_database(src: Path, dst: Path) -> int:
    """Copy a database file and its write-ahead log, if it has one, to ``dst`` (0600); bytes copied.

    The caller makes sure nobody writes ``src`` meanwhile (it holds the write lock after a
    checkpoint, or the file cannot be written at all).
    """
    total = _copy_file(src, dst)
    wal = src.with_name(src.name + ".wal")
    if wal.exists() and wal.stat().st_size:
        total += _copy_file(wal, dst.with_name(dst.name + ".wal"))
    return total


def publish(con: duckdb.DuckDBPyConnection, db: Path | str | None = None, force: bool = False) -> Published | None:
    """Publish ``con``'s database (open read-write by the caller) for the web app.

    Checkpoints (so the file alone holds everything committed), copies it beside the database under
    a new name, checks the copy opens and holds the same data version, then points ``CURRENT`` at
    it.  None when the published snapshot is already current (unless ``force``).
    """
    db = Path(db) if db is not None else database_path(con)
    if db is None:
        raise ValueError("an in-memory database cannot be published")
    version = data_version(con)
    found = current(db)
    if found is not None and found[1] == version and not force:
        return None
    con.execute("CHECKPOINT")
    return _publish_file(db, version)


def publish_file(db: Path | str, version: str, source: Path | str | None = None) -> Published:
    """Publish for ``db`` a database file nobody can be writing meanwhile, with its WAL if it has one.

    ``source`` is the file to copy when it is not ``db`` itself (a refreshed private copy of a
    database careboard may not write).
    """
    return _publish_file(Path(db), version, Path(source) if source is not None else None)


def _publish_file(db: Path, version: str, source: Path | None = None) -> Published:
    started = time.perf_counter()
    folder = folder_for(db)
    folder.mkdir(mode=0o700, exist_ok=True)
    name = f"snapshot-{time.time_ns()}.duckdb"
    tmp = folder / (name + ".tmp")
    size = copy_database(source or db, tmp)
    check = duckdb.connect(str(tmp), read_only=True)
    try:
        copied = data_version(check)
    finally:
        check.close()
    if copied != version:
        _remove(tmp)
        raise RuntimeError(f"the serving copy of {db.name} does not match the database ({copied} != {version})")
    os.rename(tmp, folder / name)
    wal = tmp.with_name(tmp.name + ".wal")
    if wal.exists():
        os.rename(wal, folder / (name + ".wal"))
    pointer = folder / (CURRENT + ".tmp")
    fd = os.open(pointer, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, f"{name}\n{version}\n".encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(pointer, folder / CURRENT)
    _fsync_dir(folder)
    _prune(folder, name)
    return Published(folder / name, size, time.perf_counter() - started, version)


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)


def _prune(folder: Path, newest: str) -> None:
    """Keep the :data:`KEEP` newest snapshots; remove older ones and temporary files left by a crash."""
    snapshots = sorted(folder.glob("snapshot-*.duckdb"), reverse=True)
    for old in snapshots[KEEP:]:
        if old.name != newest:
            _remove(old)
    for tmp in folder.glob("snapshot-*.tmp*"):
        if time.time() - tmp.stat().st_mtime > 3600:
            tmp.unlink(missing_ok=True)
