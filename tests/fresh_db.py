"""A new, empty careboard database for one test, copied from a template made once per test process.

Opening a brand-new database applies every schema migration and installs the reference tables: about
0.1 s on a quiet machine and several times that on a busy one, paid by each of the several hundred rule
and measure tests that want an empty database of their own.  Copying a file that ``connect()`` made once
in this process and opening the copy costs a fraction of that, and gives each test the same thing: the
template is what ``connect()`` makes of a new file, made by the code under test in this very process, and
``connect()`` still runs on the copy (its migration and reference checks find nothing to do).

The copies live in a private folder of the process and are removed when the test closes them through
:func:`fresh` (or when the process ends, for :func:`fresh_database`).
"""

from __future__ import annotations

import atexit
import itertools
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from careboard.store import db as store_db

_folder: Path | None = None
_template: Path | None = None
_numbers = itertools.count(1)


def _make_template() -> Path:
    global _folder, _template
    if _template is None:
        _folder = Path(tempfile.mkdtemp(prefix="careboard-test-db-"))
        atexit.register(shutil.rmtree, _folder, True)
        path = _folder / "template.duckdb"
        con = store_db.connect(path)
        con.execute("CHECKPOINT")  # everything in the file itself, no write-ahead log to copy
        con.close()
        _template = path
    return _template


def fresh_database() -> duckdb.DuckDBPyConnection:
    """A connection to a new careboard database (a copy of the template); the file goes when the process ends."""
    return _open(_copy())


@contextmanager
def fresh() -> Iterator[duckdb.DuckDBPyConnection]:
    """A new careboard database for the ``with`` block, closed and removed after it."""
    path = _copy()
    con = _open(path)
    try:
        yield con
    finally:
        con.close()
        for f in (path, path.with_name(path.name + ".wal")):
            f.unlink(missing_ok=True)


def fresh_file(path: Path) -> Path:
    """A new careboard database file at ``path`` (a copy of the template), for a test that opens it by name
    (a ``careboard`` command, a reconnect); the test's own temporary folder removes it."""
    shutil.copyfile(_make_template(), path)
    return path


def _copy() -> Path:
    template = _make_template()
    path = template.with_name(f"test-{next(_numbers)}.duckdb")
    shutil.copyfile(template, path)
    return path


def _open(path: Path) -> duckdb.DuckDBPyConnection:
    con = store_db.connect(path)
    # The copy is thrown away, so closing it need not write the test's rows back into the file.
    con.execute("PRAGMA disable_checkpoint_on_shutdown")
    return con
