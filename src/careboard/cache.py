"""careboard's cache folder: data derived from what careboard ships, kept between runs.

A command-line run starts from nothing: ``careboard validate`` on files opens a fresh in-memory
database every time.  Work that depends only on the installed careboard and its data packages (the
reference tables, the postcode directory decoded letter by letter) is kept here, named by a
fingerprint of what it was made from, so a later run reads it instead of making it again.  Deleting
the folder is always safe.  Files are written under a private name and renamed, so a run never
reads half a file written by another.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq


def folder() -> Path | None:
    """``$CAREBOARD_CACHE``, else careboard's folder in the user's cache (``$XDG_CACHE_HOME`` or
    ``~/.cache``); None when caching is off (``CAREBOARD_CACHE`` set to an empty string)."""
    chosen = os.environ.get("CAREBOARD_CACHE")
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "careboard"


def path(*parts: str) -> Path | None:
    """Where a cached file of that name lives (None when caching is off)."""
    top = folder()
    return top.joinpath(*parts) if top is not None else None


def write_table(table: pa.Table, target: Path) -> bool:
    """Keep ``table`` as Parquet at ``target``; False when the cache cannot be written."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, part = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}-", suffix=".part")
        os.close(fd)
        try:
            pq.write_table(table, part, compression="zstd")
            os.replace(part, target)
        finally:
            Path(part).unlink(missing_ok=True)
    except OSError:
        return False
    return True


def read_table(source: Path) -> pa.Table | None:
    """A cached table, or None when it is not there or cannot be read (it is then made again)."""
    try:
        return pq.read_table(source)
    except (OSError, pa.ArrowInvalid):
        return None


def write_database(fill: Callable[[duckdb.DuckDBPyConnection], None], target: Path) -> bool:
    """Keep a DuckDB database file at ``target``, its tables made by ``fill`` (given a connection to
    it); False when the cache cannot be written.  DuckDB's own storage suits a table read by lookups:
    a scan reads the join key first and the other columns only for the rows that match."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, part = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}-", suffix=".part")
        os.close(fd)
        os.unlink(part)  # DuckDB makes the file itself
        try:
            con = duckdb.connect(part)
            try:
                fill(con)
            finally:
                con.close()
            os.replace(part, target)
        finally:
            Path(part).unlink(missing_ok=True)
            Path(f"{part}.wal").unlink(missing_ok=True)
    except (OSError, duckdb.Error):
        return False
    return True
