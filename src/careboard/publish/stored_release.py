"""Releases worked out once, when the figures change, and stored for every reader.

Disclosure control of one authority and year (release.py) takes a couple of seconds of CPU, and
every process that shows figures needs it: each web worker, each ``careboard pack`` or ``serve``,
each test worker.  So the refresh after a load (careboard.refresh) builds the release of every
authority and year with figures and stores it in ``disclosure_releases`` (migration 017), and
:func:`release` - the one way readers get a release - reads the stored one when it is current.

A stored release is current while its fingerprint matches :func:`fingerprint`: the measures it was
built from (``measure_state``, which names every current load and the measure catalogue), the
validation runs of the current loads, :data:`RELEASE_VERSION` and the source of the disclosure
modules, so a new load, a new validation or a new careboard's disclosure control makes it stale.
When it is not current, :func:`release` builds the release as before and stores it if it may write
the database file; a read-only file (or an in-memory database) just builds it in memory.

Only what a reader uses is stored: the controlled rows and validation counts, the decision
(``Outcome``: hidden figures and counts with why, published counts, the ranges a reader can prove),
the measures set apart from their declarations, and the few exact counts ``Release.count`` serves.
The exact counts and relations behind the decision (``Release.system``) are not kept:
:func:`~careboard.publish.release.build_release` gives them to tests and the audit.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from functools import cache
from importlib import resources

import duckdb

from careboard.measures.measure import Measure
from careboard.progress import SILENT, Progress
from careboard.publish.cells import Key
from careboard.publish.release import QualityCounts, Release, build_release, read_years
from careboard.publish.suppress import Outcome
from careboard.store.state import database_path, is_read_only, stored_fingerprint

log = logging.getLogger(__name__)

# Bump when what a stored release holds, or how one is decided, changes (the fingerprint also hashes the
# disclosure modules' source, so a change there is caught even if this is forgotten).
RELEASE_VERSION = "1"
TABLE = "disclosure_releases"
_CODE = ("release.py", "suppress.py", "cells.py", "cohorts.py", "disclosure.py", "stored_release.py")

# The validation runs a release's counts come from: every run on a current load (a new run changes them).
_RUNS_SQL = """
SELECT coalesce(string_agg(r.run_id::VARCHAR, ',' ORDER BY r.run_id), '')
FROM validation_runs r JOIN current_loads l ON l.load_id = r.load_id
"""
_READ_SQL = f"SELECT release FROM {TABLE} WHERE la = ? AND year = ? AND version = ? AND fingerprint = ?"
_STORED_SQL = f"SELECT la, year FROM {TABLE} WHERE version = ? AND fingerprint = ?"
_AUTHORITIES_SQL = """
SELECT DISTINCT la FROM measure_values
UNION SELECT DISTINCT r.la FROM validation_runs r JOIN current_loads l ON l.load_id = r.load_id
ORDER BY la
"""


@cache
def _code_hash() -> str:
    """This careboard's disclosure control: its modules' source and what of each measure it reads."""
    from careboard.measures.measure import all_measures

    folder = resources.files("careboard.publish")
    text = "".join((folder / name).read_text("utf-8") for name in _CODE)
    text += "".join(f"{m.id}|{m.kind}|{m.min_cohort}|{m.breakdowns}" for m in all_measures().values())
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def fingerprint(con: duckdb.DuckDBPyConnection) -> str | None:
    """What a current release was built from; None when the measures were never computed here (then
    nothing is stored or read: rows put in by hand have no fingerprint to go stale with)."""
    measures = stored_fingerprint(con, "measure_state")
    if measures is None:
        return None
    try:
        runs = con.execute(_RUNS_SQL).fetchone()[0]
    except duckdb.CatalogException:  # no validation tables: no validation counts
        runs = ""
    return f"{measures}|runs {hashlib.sha256(runs.encode()).hexdigest()[:16]}|release {RELEASE_VERSION} {_code_hash()}"


def wanted(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """(authority, year) of every release there is: a year with figures or a validation run."""
    try:
        las = [r[0] for r in con.execute(_AUTHORITIES_SQL).fetchall()]
    except duckdb.CatalogException:
        return []
    return [(la, y) for la in las for y in read_years(con, la)]


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Every release there is, is stored and current (nothing for a refresh to do)."""
    fp = fingerprint(con)
    if fp is None:
        return True  # no measures: no releases to store
    try:
        stored = {(la, int(y)) for la, y in con.execute(_STORED_SQL, [RELEASE_VERSION, fp]).fetchall()}
    except duckdb.CatalogException:  # a database from before migration 017
        return False
    return set(wanted(con)) <= stored


def store_all(con: duckdb.DuckDBPyConnection, progress: Progress = SILENT) -> list[tuple[str, int]]:
    """Build and store every release (``con`` read-write, the measures and validation current); those done.

    They are built first and stored in one transaction, replacing every stale one, so readers see the
    old set or the new one."""
    fp = fingerprint(con)
    if fp is None:
        return []
    rows = []
    done = wanted(con)
    for la, year in done:
        progress.begin(f"Applying disclosure control to {la}'s figures for {year - 1}-{year % 100:02d}")
        rows.append((la, year, RELEASE_VERSION, fp, encode(build_release(con, la, year))))
    con.begin()
    try:
        con.execute(f"DELETE FROM {TABLE} WHERE fingerprint <> ?", [fp])
        for row in rows:
            con.execute(f"DELETE FROM {TABLE} WHERE la = ? AND year = ? AND version = ?", list(row[:3]))
        if rows:
            con.executemany(f"INSERT INTO {TABLE} VALUES (?, ?, ?, ?, ?, now()::TIMESTAMP)", rows)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return done


def release(con: duckdb.DuckDBPyConnection, la: str, year: int,
            measures: Mapping[str, Measure] | None = None, fp: str | None = None) -> Release:
    """The release of ``la`` in ``year``: the stored one when it is current, else built (and stored when
    the database file may be written).  Every reader takes its releases from here (through
    ``release.Releases``).  ``measures``: a catalogue other than careboard's (tests) is always built
    from.  ``fp``: :func:`fingerprint`, when the caller has it."""
    if measures is not None:
        return build_release(con, la, year, measures)
    fp = fp if fp is not None else fingerprint(con)
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
        "suppressed": [[_key_out(k), why] for k, why in o.suppressed.items()],
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
