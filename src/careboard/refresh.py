"""One refresh after every load: care histories, measures, stored validation findings, disclosure-controlled
releases, sufficiency plans, serving snapshot.

Every way data gets in (`careboard load`, the web app's upload-and-load, `careboard demo`, the test
and benchmark fixtures) calls :func:`refresh` on its read-write connection when the load is done,
so figures are precomputed at load time: a reader (`careboard scorecard`, `pack`, `forecast`, the
web app) never has to write, which is what lets readers open the database read-only, side by side
and alongside the web app.  Each step is skipped when what it would build is already current (the
model and the measures record the loads they were built from; a validation run records the loads it
checked), so calling it again costs a few queries.

Import direction: this module sits above the stages it orchestrates (store, model, measures,
validate) and below the entry points that call it (cli, demo, web); none of the stages import it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from careboard.measures.compute import ensure_computed
from careboard.measures.compute import is_current as measures_current
from careboard.model.build import build
from careboard.model.build import is_current as model_current
from careboard.progress import SILENT, Progress
from careboard.publish import stored_release
from careboard.store import snapshot
from careboard.store.db import LOCK_WAIT, connect, database_path, migrations, schema_version, writable
from careboard.sufficiency import stored_plan

# Current SSDA903 and CIN census loads whose stored validation is missing or was run against another
# "last year" (or, for a census, another SSDA903 of the same year: careboard cross-checks the two).
STALE_VALIDATION_SQL = """
SELECT l.kind, l.la, l.year
FROM current_loads l
LEFT JOIN current_loads prev ON prev.kind = l.kind AND prev.la = l.la AND prev.year = l.year - 1
LEFT JOIN current_loads other ON l.kind = 'cin' AND other.kind = 'ssda903'
                             AND other.la = l.la AND other.year = l.year
WHERE l.kind IN ('ssda903', 'cin')
  AND NOT EXISTS (SELECT 1 FROM validation_runs r
                  WHERE r.load_id = l.load_id AND r.last_load_id IS NOT DISTINCT FROM prev.load_id
                    AND r.ssda903_load_id IS NOT DISTINCT FROM other.load_id)
ORDER BY l.la, l.year, l.kind DESC
"""


@dataclass
class Refreshed:
    """What a refresh did (for the caller to report)."""

    model_rebuilt: bool = False
    measures_seconds: float | None = None  # None: the measures were already current
    validated: list[tuple[str, str, int]] = field(default_factory=list)  # (kind, la, year)
    releases: list[tuple[str, int]] | None = None  # (la, year) of the releases stored; None: current
    plans: list[tuple[str, int]] | None = None  # (la, year) of the sufficiency plans worked out; None: current
    published: snapshot.Published | None = None
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return (self.model_rebuilt or self.measures_seconds is not None or bool(self.validated)
                or self.releases is not None or self.plans is not None)


def stale_validations(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int]]:
    """(kind, authority, year) of each current SSDA903 or CIN census load whose findings are not stored for it."""
    return [(kind, la, int(year)) for kind, la, year in con.execute(STALE_VALIDATION_SQL).fetchall()]


def is_fresh(con: duckdb.DuckDBPyConnection) -> bool:
    """Nothing for :func:`refresh` to do but publish: schema, model, measures, findings and plans are current."""
    return (schema_version(con) == migrations()[-1][0] and model_current(con) and measures_current(con)
            and not stale_validations(con) and stored_plan.is_current(con))


def spare_workers() -> int:
    """How many processes a command line's refresh may build the disclosure releases with: 2 when this
    process may run on two cores or more and the machine has one to spare (the load average over the last
    minute, this command's own work included, below the cores), else 1.

    Building the releases beside the plans only helps on idle cores (``bench/refresh_workers.py``: the
    demo's refresh 0.63 of the wall time on a quiet 2-core machine); on a machine already busy (a test
    run's workers, a server) the processes would only take turns, so the refresh builds them in turn.  The
    stored bytes are the same either way.  The web app never asks: it refreshes inside a server process."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except OSError:
        busy = float(cores)
    return 2 if cores >= 2 and busy < cores else 1


def refresh(con: duckdb.DuckDBPyConnection, db: Path | str | None = None, *, publish: bool | None = None,
            on_step: Callable[[str], None] | None = None, progress: Progress = SILENT,
            plan_size: tuple[int, int] | None = None, workers: int = 1) -> Refreshed:
    """Bring everything derived from the loads up to date in ``con`` (read-write), then publish.

    ``publish``: True always publishes a serving snapshot, False never, None (the default) publishes
    when the database is served (``careboard serve`` has run for it).  ``db`` is the database file,
    found from ``con`` when not given.  ``on_step`` is told, in words, what is being done, and
    ``progress`` hears of each step's parts (careboard.progress).  Care histories that break the
    model's invariants are not saved and end the refresh with ``model.invariants.ModelInvariantError``
    (a StoreError), before anything is computed from them: the previous figures stay.  ``plan_size`` is
    the sufficiency plans' (simulated futures, futures matched), by default ``careboard forecast``'s
    (tests make them small).  ``workers`` > 1: the disclosure releases are built by that many other
    processes while this one works out the sufficiency plans (``careboard demo`` and the command line's
    loads when a core is spare, :func:`spare_workers`;
    the stored bytes are the same, stored_release.start_stale).
    """
    from careboard.validate.runner import validate_loaded  # the rule catalogue is big: only when needed

    started = time.perf_counter()
    tell = on_step or (lambda _message: None)
    done = Refreshed()
    if not model_current(con):
        tell("building care histories")
        done.model_rebuilt = build(con, progress=progress)
    if not measures_current(con):
        tell("computing measures")
    done.measures_seconds = ensure_computed(con, progress=progress)
    for kind, la, year in stale_validations(con):
        what = "CIN census " if kind == "cin" else ""
        tell(f"checking {la} {what}{year - 1}-{year % 100:02d} against the DfE validation rules")
        validate_loaded(con, la, year, progress=progress, kind=kind)
        done.validated.append((kind, la, year))
    # after the measures and findings: a release is made of them (None: every release was current)
    building = stored_release.start_stale(
        con, progress=progress, on_start=lambda: tell("applying disclosure control to the figures"), workers=workers)
    try:
        if building is not None and building.pool is None:  # built here: now, as they always were
            done.releases, building = building.finish(), None
        if not stored_plan.is_current(con):  # after the model: the plans forecast from its care histories
            tell("working out the sufficiency plans")
            sims, futures = plan_size or (stored_plan.SIMULATIONS, stored_plan.FUTURES)
            done.plans = stored_plan.build_plans(con, sims, futures, progress=progress)
        if building is not None:  # built by other processes meanwhile
            done.releases = building.finish()
    finally:
        if building is not None:
            building.cancel()
    path = Path(db) if db is not None else database_path(con)
    if path is not None and (publish or (publish is None and snapshot.is_served(path))):
        found = snapshot.current(path)
        if found is None or found[1] != snapshot.data_version(con):
            tell("publishing the figures to the web app")
        done.published = snapshot.publish(con, path)
    done.seconds = time.perf_counter() - started
    return done


def open_current(db: Path | str | None = None, wait: float = LOCK_WAIT, on_wait: Callable[[str], None] | None = None,
                 on_step: Callable[[str], None] | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to ``db`` with the model, measures and findings current: for commands that read.

    Usually the last load refreshed everything and this simply opens the file read-only (alongside
    other readers).  If not (a database loaded by an older careboard, or a new careboard whose
    measures or disclosure control changed), the database is refreshed first: in place if careboard may write the file,
    else in a private temporary copy (removed when the process ends), so a read-only file still
    gives a scorecard, a pack and a forecast.
    """
    from careboard.store.db import default_path

    path = Path(db) if db is not None else default_path()
    con = connect(path, read_only=True, wait=wait, on_wait=on_wait)
    if is_fresh(con) and (stored_release.is_current(con) or not writable(path)):
        return con  # (releases not stored in a read-only file are built in memory by their readers)
    con.close()
    if writable(path):
        rw = connect(path, wait=wait, on_wait=on_wait)
        try:
            refresh(rw, path, on_step=on_step)
        finally:
            rw.close()
        return connect(path, read_only=True, wait=wait, on_wait=on_wait)
    return _private_copy(path, wait, on_wait, on_step)


def _private_copy(path: Path, wait: float, on_wait, on_step) -> duckdb.DuckDBPyConnection:
    """Refresh a copy of a database careboard may not write, in a private temporary folder."""
    if on_step is not None:
        on_step(f"{path} is read-only and its figures are out of date: computing them in a temporary copy")
    folder = Path(tempfile.mkdtemp(prefix="careboard-readonly-"))
    atexit.register(shutil.rmtree, folder, True)
    reader = connect(path, read_only=True, wait=wait, on_wait=on_wait)  # holds off writers while we copy
    try:
        snapshot.copy_database(path, folder / path.name)
    finally:
        reader.close()
    con = connect(folder / path.name)
    refresh(con, folder / path.name, publish=False, on_step=on_step)
    return con


def prepare_serving(db: Path | str, wait: float = LOCK_WAIT, on_wait: Callable[[str], None] | None = None,
                    on_step: Callable[[str], None] | None = None) -> snapshot.Published | None:
    """Make sure a current serving snapshot of ``db`` exists (``careboard serve`` at start-up).

    Creates the database if there is none.  When careboard may not write the file, the snapshot is
    copied from it (and refreshed in the copy if need be).
    """
    path = Path(db)
    if writable(path):
        con = connect(path, wait=wait, on_wait=on_wait)
        try:
            return refresh(con, path, publish=True, on_step=on_step).published
        finally:
            con.close()
    reader = connect(path, read_only=True, wait=wait, on_wait=on_wait)
    try:
        fresh, version = is_fresh(reader), snapshot.data_version(reader)
        found = snapshot.current(path)
        if fresh and found is not None and found[1] == version:
            return None
        if fresh:
            return snapshot.publish_file(path, version)
    finally:
        reader.close()
    con = _private_copy(path, wait, on_wait, on_step)
    try:
        copy = database_path(con)
        con.execute("CHECKPOINT")
        version = snapshot.data_version(con)
    finally:
        con.close()
    return snapshot.publish_file(path, version, source=copy)
