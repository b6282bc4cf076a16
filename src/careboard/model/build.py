"""Derive care histories from the loaded returns, once, in SQL (see episodes.sql, histories.sql).

The model is rebuilt for every authority in one pass whenever the set of current loads has
changed since it was last built, so every measure reads the same, consistent histories.
"""

from __future__ import annotations

import hashlib
from importlib import resources

import duckdb

from careboard.model import invariants, local_areas
from careboard.progress import SILENT, Progress
from careboard.reference import postcodes
from careboard.store import views
from careboard.store.reference import install
from careboard.store.state import record_fingerprint, stored_fingerprint

MODEL_SQL = ("episodes.sql", "histories.sql", "child_year.sql", "reviews.sql", "care_leavers.sql")

# Every postcode of the current returns, to be placed from the ONS Postcode Directory before the model.
POSTCODES_SQL = """
    SELECT unnest([e.HOME_POST, e.PL_POST]) FROM current_ssda903_episodes e
"""


def loads_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """Which loads (and which version of the model's SQL, and which localities) the model was built from:
    ``load ids|model hash|areas hash``.  The localities are a part of their own so that what reads one
    authority's figures (the stored sufficiency plans) can tell its own lookup from another's."""
    row = con.execute(
        "SELECT coalesce(string_agg(load_id::VARCHAR, ',' ORDER BY load_id), '') FROM current_loads"
    ).fetchall()[0]
    sql = "".join((resources.files("careboard.model") / name).read_text("utf-8")
                  for name in (*MODEL_SQL, "local_areas.sql", "local_areas.py"))
    # The shared definitions and the staging views it reads through are part of the model too.
    macros = (resources.files("careboard.store") / "macros.sql").read_text("utf-8") + views.sql()
    text = sql + macros + POSTCODES_SQL + postcodes.version()
    # The authorities' own localities (areas.csv) decide local areas: a new lookup rebuilds the model.
    return f"{row[0]}|{hashlib.sha256(text.encode()).hexdigest()[:16]}|areas {areas_fingerprint(con)}"


# One authority's localities (or every authority's, when $la is NULL), in a fixed order.
LOOKUP_ROWS_SQL = """
SELECT coalesce(string_agg(la || '|' || key || '|' || area, ';' ORDER BY la, key), '') FROM local_area_lookup
WHERE $la IS NULL OR la = $la
"""


def areas_fingerprint(con: duckdb.DuckDBPyConnection, la: str | None = None) -> str:
    """A hash of the locality lookup of ``la`` (of every authority when None)."""
    rows = con.execute(LOOKUP_ROWS_SQL, {"la": la}).fetchall()[0][0]
    return hashlib.sha256(rows.encode()).hexdigest()[:16]


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    return stored_fingerprint(con, "model_state") == loads_fingerprint(con)


def build(con: duckdb.DuckDBPyConnection, force: bool = False, progress: Progress = SILENT) -> bool:
    """(Re)build the model tables if the loads changed; True if it was rebuilt.

    One transaction: if the new tables break any of the model's invariants (model/invariants.py), it
    is rolled back, leaving the previous model and its fingerprint, and ModelInvariantError says why.
    """
    if not force and is_current(con):
        return False
    install(con)
    con.begin()
    try:
        _build_tables(con, progress)
        invariants.require(con)  # a model that breaks a promise never replaces the one readers rely on
        record_fingerprint(con, "model_state", loads_fingerprint(con))
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return True


def check_current(con: duckdb.DuckDBPyConnection) -> tuple[list[invariants.Broken], bool]:
    """The invariants checked on the model the current loads give, and whether that is the stored model.

    When the stored model is current it is checked as it is; otherwise (the last refresh failed, or
    none has run since a load) the model is built from the current loads in a transaction that is
    rolled back, so nothing is saved either way.
    """
    if is_current(con):
        return invariants.check(con), True
    install(con)
    con.begin()
    try:
        _build_tables(con, SILENT)
        return invariants.check(con), False
    finally:
        con.rollback()


def _build_tables(con: duckdb.DuckDBPyConnection, progress: Progress) -> None:
    progress.begin("Building care histories", total=len(MODEL_SQL))
    postcodes.ensure(con, POSTCODES_SQL)
    for name in MODEL_SQL:
        progress.advance(0, description=f"Building care histories ({name.removesuffix('.sql')})")
        con.execute((resources.files("careboard.model") / name).read_text("utf-8"))
        if name == "child_year.sql":
            local_areas.build(con)  # every child-year's local area, before anything reads it
        progress.advance()
