"""Releases worked out once, when the figures change, and stored for every reader.

Disclosure control of one authority and year (release.py) takes a couple of seconds of CPU, and
every process that shows figures needs it: each web worker, each ``careboard pack`` or ``serve``,
each test worker.  So the refresh after a load (careboard.refresh) builds the release of every
authority and year with figures and stores it in ``disclosure_releases`` (migration 017), and
:func:`release` - the one way readers get a release - reads the stored one when it is current.

A stored release is current while its fingerprint matches :func:`fingerprints`: a hash of the year's
measure cells (what a new load, or a new measure catalogue, changes), the year's validation runs,
:data:`RELEASE_VERSION`, and a hash of the disclosure modules' source and of each measure's kind and
minimum cohort, so a changed figure, a new validation or a new careboard's disclosure control makes
it stale, and a refresh rebuilds only the years that changed.
When it is not current, :func:`release` builds the release as before and stores it if it may write
the database file; a read-only file (or an in-memory database) just builds it in memory.

Only what a reader uses is stored: the controlled rows and validation counts, the decision
(``Outcome``: hidden figures and counts with why, published counts, the ranges a reader can prove),
the measures set apart from their declarations, and the few exact counts ``Release.count`` serves.
The exact counts and relations behind the decision (``Release.system``) are not kept:
:func:`~careboard.publish.release.build_release` gives them to tests and the audit.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import multiprocessing
import sys
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from functools import cache
from importlib import resources

import duckdb

from careboard.measures.measure import Measure
from careboard.progress import SILENT, Progress
from careboard.publish.cells import Key
from careboard.publish.release import QualityCounts, Release, build_release, read_qualities, read_values, release_from
from careboard.publish.suppress import Outcome
from careboard.store.state import database_path, is_read_only

log = logging.getLogger(__name__)

# Bump when what a stored release holds, or how one is decided, changes (the fingerprint also hashes the
# disclosure modules' source, so a change there is caught even if this is forgotten).
RELEASE_VERSION = "1"
TABLE = "disclosure_releases"
_CODE = ("release.py", "suppress.py", "cells.py", "cohorts.py", "disclosure.py", "stored_release.py")

# What one authority's releases are made of, year by year: a hash of the year's measure cells and the run
# of each kind of return validated that the release's counts come from (its latest on the current load).
_MADE_OF_SQL = """
WITH v AS (
    SELECT year, hash(list((measure, breakdown, breakdown_value, numerator, denominator, value)
                           ORDER BY measure, breakdown, breakdown_value))::VARCHAR AS cells
    FROM measure_values WHERE la = $la GROUP BY year),
latest AS (
    SELECT r.year, l.kind, max(r.run_id) AS run_id
    FROM validation_runs r JOIN current_loads l ON l.load_id = r.load_id
    WHERE r.la = $la GROUP BY r.year, l.kind),
runs AS (SELECT year, string_agg(kind || ' ' || run_id, ',' ORDER BY kind) AS runs FROM latest GROUP BY year)
SELECT coalesce(v.year, runs.year) AS year, coalesce(v.cells, '') || '|' || coalesce(runs.runs, '')
FROM v FULL JOIN runs ON runs.year = v.year
ORDER BY 1
"""
_STORED_SQL = f"SELECT la, year, version, fingerprint FROM {TABLE}"
_READ_SQL = f"SELECT release FROM {TABLE} WHERE la = ? AND year = ? AND version = ? AND fingerprint = ?"
_AUTHORITIES_SQL = "SELECT DISTINCT la FROM measure_values ORDER BY la"


@cache
def _code_hash() -> str:
    """This careboard's disclosure control: its modules' source and what of each measure it reads."""
    from careboard.measures.measure import all_measures

    folder = resources.files("careboard.publish")
    text = "".join((folder / name).read_text("utf-8") for name in _CODE)
    text += "".join(f"{m.id}|{m.kind}|{m.min_cohort}|{m.breakdowns}" for m in all_measures().values())
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def fingerprints(con: duckdb.DuckDBPyConnection, la: str) -> dict[int, str]:
    """Each year's release of ``la`` (a year with figures or a validation run) and what it must be built from:
    the year's measure cells, its validation runs and this careboard's disclosure control.  Empty when
    the authority has no figures (then it has no release)."""
    try:
        if con.execute("SELECT 1 FROM measure_values WHERE la = ? LIMIT 1", [la]).fetchone() is None:
            return {}
        made_of = con.execute(_MADE_OF_SQL, {"la": la}).fetchall()
    except duckdb.CatalogException:  # no measures (or no validation tables) in this database
        return {}
    tail = f"release {RELEASE_VERSION} {_code_hash()}"
    return {int(year): f"{hashlib.sha256(what.encode()).hexdigest()[:24]}|{tail}" for year, what in made_of}


def _wanted(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, int], str]:
    """(authority, year) -> fingerprint of every release there is."""
    try:
        las = [r[0] for r in con.execute(_AUTHORITIES_SQL).fetchall()]
    except duckdb.CatalogException:
        return {}
    return {(la, year): fp for la in las for year, fp in fingerprints(con, la).items()}


def _stored(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, int, str], str] | None:
    """(authority, year, version) -> fingerprint of every stored release; None before migration 017."""
    try:
        return {(la, int(y), v): fp for la, y, v, fp in con.execute(_STORED_SQL).fetchall()}
    except duckdb.CatalogException:
        return None


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Every release there is, is stored and current (nothing for a refresh to do)."""
    stored = _stored(con)
    return stored is not None and _is_current(_wanted(con), stored)


def _is_current(wanted: Mapping[tuple[str, int], str], stored: Mapping[tuple[str, int, str], str]) -> bool:
    return all(stored.get((la, y, RELEASE_VERSION)) == fp for (la, y), fp in wanted.items())


def store_all(con: duckdb.DuckDBPyConnection, progress: Progress = SILENT) -> list[tuple[str, int]]:
    """Build and store every release not stored for the current figures (``con`` read-write, the measures
    and validation current); the (authority, year) built.

    Only the years whose figures, validation runs or disclosure control changed are built again.  They
    are built first and stored in one transaction, with the stale rows deleted, so readers see the old
    set or the new one."""
    return Building(con, _wanted(con), _stored(con) or {}, progress).finish()


def start_stale(con: duckdb.DuckDBPyConnection, progress: Progress = SILENT, on_start: Callable[[], None] | None = None,
                workers: int = 1) -> Building | None:
    """:func:`store_all`, begun, unless :func:`is_current` (then None; ``on_start`` is called before building):
    the refresh's step, the fingerprints (a hash of every year's measure cells) worked out once for both.

    With ``workers`` > 1 (on Linux, which forks), the releases are built by up to that many other processes
    while the caller goes on (``careboard demo`` works out the sufficiency plans meanwhile);
    :meth:`Building.finish` waits for them and stores them.  The other
    processes are given each release's figures and validation counts, read here, and hand back the
    encoded release, the same bytes (disclosure control reads nothing else, and a forked process keeps
    this one's string hashing)."""
    wanted, stored = _wanted(con), _stored(con)
    if stored is not None and _is_current(wanted, stored):
        return None
    if on_start is not None:
        on_start()
    return Building(con, wanted, stored or {}, progress, workers)


def _encoded(la: str, year: int, raw: list[dict], qualities: dict[str, QualityCounts]) -> str:
    """One release built from its figures, encoded (run in another process)."""
    return encode(release_from(la, year, raw, qualities))


class Building:
    """Releases being built (:func:`start_stale`): :meth:`finish` stores them, :meth:`cancel` gives up."""

    def __init__(self, con: duckdb.DuckDBPyConnection, wanted: dict[tuple[str, int], str],
                 stored: dict[tuple[str, int, str], str], progress: Progress = SILENT, workers: int = 1) -> None:
        self.con, self.wanted, self.stored, self.progress = con, wanted, stored, progress
        self.todo = [(la, y) for (la, y), fp in wanted.items() if stored.get((la, y, RELEASE_VERSION)) != fp]
        self.jobs: list[Future[str]] = []
        self.pool: ProcessPoolExecutor | None = None
        if workers > 1 and self.todo and sys.platform == "linux":  # (fork: the processes need no imports)
            inputs = [(la, year, read_values(con, la, year), read_qualities(con, la, year)) for la, year in self.todo]
            # Frozen while the processes fork, so their garbage collector never finalises this process's objects
            # (a DuckDB connection among them); they only build releases from what they are sent.
            gc.freeze()
            try:
                fork = multiprocessing.get_context("fork")
                self.pool = ProcessPoolExecutor(min(workers, len(self.todo)), mp_context=fork)
                self.jobs = [self.pool.submit(_encoded, *job) for job in inputs]  # (the processes fork here)
            finally:
                gc.unfreeze()

    def _begin(self, la: str, year: int) -> None:
        self.progress.begin(f"Applying disclosure control to {la}'s figures for {year - 1}-{year % 100:02d}")

    def finish(self) -> list[tuple[str, int]]:
        """Store the releases built, in one transaction with the stale rows deleted; the (authority, year) built."""
        rows = []
        try:
            for i, (la, year) in enumerate(self.todo):
                self._begin(la, year)
                text = self.jobs[i].result() if self.jobs else encode(build_release(self.con, la, year))
                rows.append((la, year, RELEASE_VERSION, self.wanted[(la, year)], text))
        finally:
            self.cancel()
        stale = [(la, y, v) for (la, y, v), fp in self.stored.items()
                 if v != RELEASE_VERSION or self.wanted.get((la, y)) != fp]
        con = self.con
        con.begin()
        try:
            if stale:
                con.executemany(f"DELETE FROM {TABLE} WHERE la = ? AND year = ? AND version = ?", stale)
            if rows:
                con.executemany(f"INSERT INTO {TABLE} VALUES (?, ?, ?, ?, ?, now()::TIMESTAMP)", rows)
            con.commit()
        except BaseException:
            con.rollback()
            raise
        return self.todo

    def cancel(self) -> None:
        """Stop the other processes (when the caller fails before :meth:`finish`)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def release(con: duckdb.DuckDBPyConnection, la: str, year: int, measures: Mapping[str, Measure] | None = None,
            fps: Mapping[int, str] | None = None) -> Release:
    """The release of ``la`` in ``year``: the stored one when it is current, else built (and stored when
    the database file may be written).  Every reader takes its releases from here (through
    ``release.Releases``).  ``measures``: a catalogue other than careboard's (tests) is always built
    from.  ``fps``: :func:`fingerprints` of ``la``, when the caller has them."""
    if measures is not None:
        return build_release(con, la, year, measures)
    fp = (fps if fps is not None else fingerprints(con, la)).get(year)
    if fp is not None:
        try:
            found = con.execute(_READ_SQL, [la, year, RELEASE_VERSION, fp]).fetchone()
        except duckdb.CatalogException:  # a database from before migration 017
            found = None
        if found is not None:
            return decode(found[0])
    built = build_release(con, la, year)
    if fp is not None and database_path(con) is not None and not is_read_only(con):
        _store_one(con, built, fp)
    return built


def _store_one(con: duckdb.DuckDBPyConnection, built: Release, fp: str) -> None:
    """Store a release a reader built (best effort: a reader never fails for want of writing)."""
    try:
        con.execute(f"DELETE FROM {TABLE} WHERE la = ? AND year = ? AND version = ?",
                    [built.la, built.year, RELEASE_VERSION])
        con.execute(f"INSERT INTO {TABLE} VALUES (?, ?, ?, ?, ?, now()::TIMESTAMP)",
                    [built.la, built.year, RELEASE_VERSION, fp, encode(built)])
    except duckdb.Error as exc:
        log.debug("Release of %s %s not stored: %s", built.la, built.year, exc)


# --- JSON: tuples (figure ids, count keys, a rule's two counts) are written as lists and read back as tuples.

def _key_out(k: Key) -> list:
    return [k.population, [[a, list(v) if isinstance(v, tuple) else v] for a, v in k.filters]]


def _key_in(x: list) -> Key:
    return Key(x[0], tuple((a, tuple(v) if isinstance(v, list) else v) for a, v in x[1]))


def _id_in(x: list) -> tuple:
    return tuple(tuple(v) if isinstance(v, list) else v for v in x)


def encode(r: Release) -> str:
    """A release as the JSON stored (what readers use; not the system behind the decision)."""
    o = r.outcome
    return json.dumps({
        "la": r.la, "year": r.year, "rows": r.rows,
        "qualities": {kind: [q.rules_run, q.findings, q.children, q.rules] for kind, q in r.qualities.items()},
        "hidden": [[list(fid), why] for fid, why in o.hidden.items()],
        # sorted: the search records them in the order of a set, which differs between processes (string
        # hashing), and a release's stored bytes should not
        "suppressed": sorted(([_key_out(k), why] for k, why in o.suppressed.items()), key=str),
        "published": sorted((_key_out(k) for k in o.published), key=str),
        "ranges": [[_key_out(k), list(lh)] for k, lh in o.ranges.items()],
        "sensitive": sorted((_key_out(k) for k in o.sensitive), key=str),
        "fallbacks": sorted(r.fallbacks),
        "exact": [[_key_out(k), v] for k, v in r.exact.items()],
    })  # infinite ranges are written as Infinity, which json reads back


def decode(text: str) -> Release:
    """A stored release (``system`` and ``figures`` None)."""
    d = json.loads(text)
    qualities = {kind: QualityCounts(run, f, c, {rule: tuple(fc) for rule, fc in rules.items()})
                 for kind, (run, f, c, rules) in d["qualities"].items()}
    outcome = Outcome({_key_in(k): why for k, why in d["suppressed"]},
                      {_id_in(fid): why for fid, why in d["hidden"]},
                      {_key_in(k) for k in d["published"]},
                      {_key_in(k): tuple(lh) for k, lh in d["ranges"]},
                      {_key_in(k) for k in d["sensitive"]})
    return Release(d["la"], int(d["year"]), d["rows"], qualities, outcome, None, None, set(d["fallbacks"]),
                   {_key_in(k): int(v) for k, v in d["exact"]})
