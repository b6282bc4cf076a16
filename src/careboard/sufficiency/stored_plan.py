"""The sufficiency plan worked out once, when the data changes, and stored for the web page, pack and downloads.

A plan simulates a thousand futures and matches a couple of hundred of them to the places expected
each year: seconds of work, too slow for a member waiting for a page.  So every refresh after a load
(careboard.refresh) works out the plan for each authority and collection year that has a capacity
extract at or before it (``service.year_end_plan``) and stores, in ``sufficiency_plans``, the two
things readers need:

* the members' figures (``figures.member_figures``): publish/ controls and rounds them for the page
  and the pack;
* the commissioners' tables (``tables.forecast_tables``), for the CSV and XLSX downloads.

A plan that cannot be made (too little history before the capacity extract's year) is stored as a
row with no figures and the reason, so readers can say why.  ``sufficiency_plan_state`` records the
care-history model the plans were built from (which names every current load), as the model and the
measures record theirs: a new load, or a new careboard whose plan changed (``PLAN_VERSION``), makes
them stale.  It also records, for each authority, what its plans and forecasts were built from (its
own current SSDA903 and extract loads, the model's SQL and this careboard's plan and size): an
authority's plans read only its own care histories and extracts, so a refresh after a load works out
again only the plans and forecasts of the authorities whose fingerprint changed and keeps the others'
rows as they are (a regional database of several authorities does not redo every authority's seconds
of simulation when one of them loads a return).  The members' forecast (``stored_forecast``, table
``sufficiency_forecasts``) is stored beside the plans, for every year with a current SSDA903 load, under
the same state.  The tables are derived, like the model's, so they are (re)created here, not by a
migration.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import duckdb

from careboard.model.build import areas_fingerprint
from careboard.progress import SILENT, Progress
from careboard.store.state import stored_fingerprint

# Bump when what a stored plan holds, or how it is worked out, changes: every stored plan is rebuilt.
# 2: the members' forecast (stored_forecast.py) is stored beside the plans; 3: its spend at the authority's costs;
# 4: a council's loaded costs keep the example out-of-area extra a week (was nothing); 5: each year's own change
# in entries (the forecast's intervals are wider); 6: the wandering rates and mix start from today's offset, and the
# mix's wander is measured in attractiveness with a published prior (category intervals are wider); 7: the wander
# is read as a walk that moves through the year, not from one year's average to the next (intervals a little wider);
# 8: a pace of leaving care that every category's exit rate shares wanders too (the total's intervals are wider)
PLAN_VERSION = "8"
STATE_TABLE = "sufficiency_plan_state"
# The plan's size when a refresh works it out: as ``careboard forecast`` by default.
SIMULATIONS, FUTURES = 1000, 200

CREATE_SQL = """
CREATE TABLE IF NOT EXISTS sufficiency_plans (
    la VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    figures VARCHAR,       -- JSON: figures.member_figures (NULL when no plan could be made)
    tables VARCHAR,        -- JSON: tables.forecast_tables, by table name
    note VARCHAR,          -- why there is no plan, when there is none
    simulations INTEGER NOT NULL,
    futures INTEGER NOT NULL,
    built_at TIMESTAMP NOT NULL
)
"""

# Each authority and collection year with a current SSDA903 load and a capacity extract loaded as at
# that year or before (stored.EXTRACT_YEAR_SQL picks which): the plans a refresh works out.
PLAN_YEARS_SQL = """
SELECT DISTINCT s.la, s.year FROM current_loads s
WHERE s.kind = 'ssda903' AND EXISTS (
    SELECT 1 FROM current_loads l
    WHERE l.kind = 'extract' AND l.la = s.la AND l.year <= s.year
      AND (EXISTS (SELECT 1 FROM current_extract_fosterhouseholds f WHERE f.load_id = l.load_id)
           OR EXISTS (SELECT 1 FROM current_extract_placementcapacity p WHERE p.load_id = l.load_id)))
ORDER BY s.la, s.year
"""

READ_SQL = """
SELECT figures, tables, note, simulations, futures FROM sufficiency_plans WHERE la = $la AND year = $year
"""

# Each authority's current loads of the returns its plans read (the SSDA903, whose care histories they forecast,
# and the extracts: capacity, needs, changes, unit costs), which with the model's SQL decide its plans; a CIN or
# workforce census loaded leaves them as they are.
AUTHORITY_LOADS_SQL = """
SELECT la, string_agg(load_id::VARCHAR, ',' ORDER BY load_id) FROM current_loads
WHERE kind IN ('ssda903', 'extract') GROUP BY la ORDER BY la
"""


@dataclass(frozen=True)
class StoredPlan:
    """One stored plan: ``figures`` None (with ``note`` saying why) when it could not be made."""

    la: str
    year: int
    figures: dict[str, object] | None
    tables: dict[str, list[dict[str, object]]]
    note: str | None
    simulations: int
    futures: int


def fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """What the stored plans must have been built from: the care-history model (every current load) and
    this careboard's plan."""
    return f"{stored_fingerprint(con, 'model_state') or ''}|plan {PLAN_VERSION}"


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """The stored plans were built from the current loads (nothing for a refresh to do)."""
    return stored_fingerprint(con, STATE_TABLE) == fingerprint(con)


def authority_fingerprints(con: duckdb.DuckDBPyConnection, simulations: int, futures: int) -> dict[str, str]:
    """What each authority's stored plans and forecasts must have been built from: its own current SSDA903 and
    extract loads, the model's SQL and reference data (the model fingerprint's second part), its own localities
    (another authority's new lookup leaves its plans as they are), this careboard's plan and the size."""
    model = stored_fingerprint(con, "model_state") or ""
    parts = model.split("|")
    version = parts[1] if len(parts) > 1 else model  # the model's SQL, not the loads nor every authority's areas
    return {la: f"{ids}|{version}|areas {areas_fingerprint(con, la)}|plan {PLAN_VERSION}|{simulations}x{futures}"
            for la, ids in con.execute(AUTHORITY_LOADS_SQL).fetchall()}


def stored_authority_fingerprints(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The per-authority fingerprints the last build recorded ({} before any, or from an older careboard)."""
    try:
        row = con.execute(f"SELECT by_authority FROM main.{STATE_TABLE}").fetchone()
    except duckdb.Error:
        return {}
    return json.loads(row[0]) if row and row[0] else {}


def plan_years(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """(authority, collection year) of every plan a refresh works out."""
    return [(la, int(year)) for la, year in con.execute(PLAN_YEARS_SQL).fetchall()]


def build_plans(con: duckdb.DuckDBPyConnection, simulations: int = SIMULATIONS, futures: int = FUTURES,
                progress: Progress = SILENT) -> list[tuple[str, int]]:
    """Work out and store the plans of every authority whose data changed (``con`` read-write, the model
    current); the (authority, year) worked out.

    The members' forecast for every year the page offers (stored_forecast.py) is worked out and stored
    with them.  An authority whose fingerprint (:func:`authority_fingerprints`) is the one recorded keeps
    its stored rows untouched.  The plans and forecasts are worked out first and stored in one
    transaction, so readers see the old set or the new one, never half of each."""
    from . import stored_forecast
    from .figures import member_figures
    from .service import ServiceError, year_end_plan
    from .tables import forecast_tables, plain_value, to_json

    now = authority_fingerprints(con, simulations, futures)
    before = stored_authority_fingerprints(con)
    kept = sorted(la for la, fp in now.items() if before.get(la) == fp)
    rows = []
    wanted = [(la, year) for la, year in plan_years(con) if la not in kept]
    for la, year in wanted:
        progress.begin(f"Working out the sufficiency plan for {la} from 31 March {year}")
        figures = tables = note = None
        try:
            result = year_end_plan(con, la, year, simulations, futures)
        except ServiceError as exc:
            note = str(exc)
        else:
            if result is None:
                note = f"no capacity extract is loaded for 31 March {year} or before"
            else:
                figures = json.dumps(member_figures(result, top=50), default=plain_value)
                tables = to_json(forecast_tables(result))
        rows.append((la, year, figures, tables, note, simulations, futures))
    progress.begin("Working out the members' placement forecasts")
    forecasts = stored_forecast.work_out(
        con, [(la, year) for la, year in stored_forecast.forecast_years(con) if la not in kept])
    con.begin()
    try:
        con.execute(CREATE_SQL)
        con.execute("DELETE FROM sufficiency_plans WHERE NOT list_contains($kept, la)", {"kept": kept})
        if rows:
            con.executemany("INSERT INTO sufficiency_plans VALUES (?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP)", rows)
        stored_forecast.store(con, forecasts, kept)
        con.execute(f"CREATE OR REPLACE TABLE {STATE_TABLE} AS SELECT $fp AS fingerprint, "
                    "now()::TIMESTAMP AS built_at, $by AS by_authority",
                    {"fp": fingerprint(con), "by": json.dumps(now, sort_keys=True)})
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return wanted


def read_plan(con: duckdb.DuckDBPyConnection, la: str, year: int) -> StoredPlan | None:
    """The stored plan for ``la`` from 31 March ``year``; None when none is stored (no capacity extract
    for that year, or a database no refresh has stored plans in yet)."""
    try:
        found = con.execute(READ_SQL, {"la": la, "year": year}).fetchone()
    except duckdb.CatalogException:  # no refresh has stored a plan in this database
        return None
    if found is None:
        return None
    figures, tables, note, simulations, futures = found
    return StoredPlan(la, year, json.loads(figures) if figures else None,
                      json.loads(tables) if tables else {}, note, int(simulations), int(futures))
