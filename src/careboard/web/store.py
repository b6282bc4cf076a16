"""The web app's one DuckDB connection, and a cursor per request.

DuckDB lets one process open a database file read-write, so the app opens it once (which also
applies any new schema files, including the users and audit tables) and hands every request its
own cursor: cursors are independent connections to the same database, safe to use from the
thread pool FastAPI runs synchronous routes in, each with its own TEMP tables (the scorecard's
working tables are TEMP, so concurrent requests cannot trip over each other).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from careboard.store.db import connect

# Which loads are current, which measures were computed from them and the latest validation run:
# anything cached from the data is stale as soon as this changes.
_VERSION_SQL = """
SELECT
  (SELECT coalesce(string_agg(load_id::VARCHAR, ',' ORDER BY load_id), '') FROM loads WHERE status = 'current'),
  (SELECT coalesce(max(run_id), 0) FROM validation_runs)
"""


class Store:
    """The open database, a lock for the writes that must not interleave (loads), and the data version.

    While the app holds the file no other process can write to it, so the data only changes through
    the app's own loads: the version is read once and re-read after each load (:meth:`changed`),
    which keeps it off the per-request path.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.con = connect(self.path)
        self.write_lock = threading.Lock()
        self._version: str | None = None

    @property
    def version(self) -> str:
        """The current data version (cached; see :meth:`changed`)."""
        if self._version is None:
            with self.cursor() as cur:
                self._version = self.data_version(cur)
        return self._version

    def changed(self) -> None:
        """Call after anything that changes loads, measures or validation runs."""
        self._version = None

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A fresh cursor, closed afterwards; always ``fetchall()`` what you execute on it."""
        cur = self.con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def data_version(self, cur: duckdb.DuckDBPyConnection) -> str:
        """A string that changes whenever loads, computed measures or validation runs change."""
        loads, run = cur.execute(_VERSION_SQL).fetchall()[0]
        state = ""
        if cur.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'measure_state' AND NOT temporary"
        ).fetchall()[0][0]:
            state = next(iter(cur.execute("SELECT fingerprint FROM measure_state").fetchall()), ("",))[0]
        return f"{loads}|{run}|{state}"

    def close(self) -> None:
        self.con.close()
