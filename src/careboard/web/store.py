"""The web app's data: the published serving snapshot, read-only, and a short-lived writer for uploads.

The app never holds the analysts' database: DuckDB would then refuse every `careboard load` for as
long as it runs.  It reads the latest serving snapshot (store/snapshot.py), a read-only copy that
every refresh publishes, and checks with one ``stat`` per request whether a newer one has been
published; if so it opens that one and tells its subscribers (the briefing caches) to drop what
they hold.  A request's cursor keeps its snapshot open until it is done, so a long page (the PDF
pack) finishes on the data it started with.

Each request gets its own cursor: cursors are independent connections to the same database, safe
in FastAPI's thread pool, each with its own TEMP tables (the scorecard's working tables are TEMP,
which DuckDB allows on a read-only database).

Loads made through the upload page open the analysts' database read-write for just that load and
its refresh (:meth:`Store.writer`), waiting for a command-line load that holds it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from careboard.store import snapshot
from careboard.store.db import connect

WRITE_WAIT = 60.0  # seconds an upload-and-load waits for a command-line load to finish


class NotPublished(RuntimeError):
    """No serving snapshot exists (``careboard serve`` publishes one at start-up)."""


class _Snapshot:
    """One opened snapshot and how many requests are using it; closed once retired and unused."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.con = duckdb.connect(str(path), read_only=True)
        self.con.execute("SET enable_progress_bar = false")
        self.version = f"{path.name}|{snapshot.data_version(self.con)}"
        self.users = 0
        self.retired = False

    def close(self) -> None:
        self.con.close()


class Store:
    """The latest serving snapshot of the database at ``path``, a per-process write lock and the data version."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.write_lock = threading.Lock()
        self._lock = threading.Lock()
        self._marker: tuple[int, int] | None = None
        self._current: _Snapshot | None = None
        self._subscribers: list[Callable[[], None]] = []
        self._open_latest()

    def subscribe(self, on_change: Callable[[], None]) -> None:
        """Call ``on_change`` whenever a newer snapshot is opened (to clear caches)."""
        self._subscribers.append(on_change)

    def _open_latest(self) -> None:
        """Open the snapshot ``CURRENT`` names (retrying if a publisher is just replacing it)."""
        problem: Exception | None = None
        for _ in range(20):
            marker = snapshot.marker(self.path)
            found = snapshot.current(self.path)
            if found is None:
                raise NotPublished(f"no serving copy of {self.path.name} has been published (run careboard serve)")
            try:
                opened = _Snapshot(found[0])
            except duckdb.Error as exc:
                problem = exc  # pruned between reading CURRENT and opening it: read CURRENT again
                time.sleep(0.05)
                continue
            old, self._current, self._marker = self._current, opened, marker
            if old is not None:
                old.retired = True
                if old.users == 0:
                    old.close()
            for notify in self._subscribers:
                notify()
            return
        raise NotPublished(f"could not open the serving copy of {self.path.name}: {problem}")

    def refresh_if_published(self) -> None:
        """One ``stat``: if a newer snapshot was published, switch to it."""
        marker = snapshot.marker(self.path)
        if marker != self._marker:
            with self._lock:
                if snapshot.marker(self.path) != self._marker:
                    self._open_latest()

    @property
    def version(self) -> str:
        """The data version of the snapshot being served (changes with every publication)."""
        self.refresh_if_published()
        return self._current.version  # type: ignore[union-attr]

    def changed(self) -> None:
        """Look for a newly published snapshot now (after a load through the app)."""
        self.refresh_if_published()

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A fresh read-only cursor on the current snapshot, closed afterwards; ``fetchall()`` what you run."""
        self.refresh_if_published()
        with self._lock:
            snap = self._current
            snap.users += 1  # type: ignore[union-attr]
        cur = snap.con.cursor()  # type: ignore[union-attr]
        try:
            yield cur
        finally:
            cur.close()
            with self._lock:
                snap.users -= 1  # type: ignore[union-attr]
                if snap.retired and snap.users == 0:  # type: ignore[union-attr]
                    snap.close()  # type: ignore[union-attr]

    @contextmanager
    def writer(self, on_wait: Callable[[str], None] | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """The analysts' database, read-write, for one load and its refresh; one writer at a time.

        Waits up to :data:`WRITE_WAIT` seconds for another process (a command-line load) that holds
        it, then raises :class:`careboard.store.db.DatabaseBusy`.
        """
        with self.write_lock:
            con = connect(self.path, wait=WRITE_WAIT, on_wait=on_wait)
            try:
                yield con
            finally:
                con.close()
        self.refresh_if_published()

    def close(self) -> None:
        with self._lock:
            if self._current is not None:
                self._current.retired = True
                if self._current.users == 0:
                    self._current.close()
