"""Compute every measure for every authority and year in the database, with all its breakdowns.

Each measure's cohort query runs once; one GROUPING SETS aggregation produces the overall figure
and every breakdown in the same pass.  Results land in ``measure_values``.
"""

from __future__ import annotations

import hashlib
import time
from importlib import resources

import duckdb

from careboard.measures.measure import BREAKDOWNS, Measure, all_measures
from careboard.model.build import build, loads_fingerprint
from careboard.store.reference import install

VALUE_SQL = {
    "proportion": "round(100.0 * sum(num) / nullif(sum(den), 0), 1)",
    "count": "sum(num)",
    "rate": "sum(num)",  # divided by the population afterwards
    "median": "median(value)",
    "mean": "round(avg(value), 1)",
}
NUMERATOR_SQL = {"proportion": "sum(num)", "count": "sum(num)", "rate": "sum(num)", "median": "NULL", "mean": "NULL"}
DENOMINATOR_SQL = {"proportion": "sum(den)", "count": "NULL", "rate": "NULL", "median": "count(*)", "mean": "count(*)"}

# Rates per 10,000 children aged 0-17: the ONS mid-year estimate before the 31 March (the DfE's
# denominator); where that estimate is not yet published, the latest earlier one (denominator shows it).
RATES_SQL = """
    UPDATE measure_values v
    SET value = CASE WHEN r.population > 0 THEN round(v.numerator / r.population * 10000, 0) END,
        denominator = r.population
    FROM (
        SELECT v.measure, v.la, v.year, p.population
        FROM (SELECT * FROM measure_values WHERE breakdown = 'all' AND measure IN (SELECT unnest(?::VARCHAR[]))) v
        ASOF LEFT JOIN ref_population p ON p.la = v.la AND v.year >= p.year
    ) r
    WHERE v.measure = r.measure AND v.la = r.la AND v.year = r.year AND v.breakdown = 'all'
"""

RESULTS_DDL = """
CREATE OR REPLACE TABLE measure_values (
    measure VARCHAR NOT NULL, la VARCHAR NOT NULL, year SMALLINT NOT NULL,
    breakdown VARCHAR NOT NULL, breakdown_value VARCHAR NOT NULL,
    numerator DOUBLE, denominator DOUBLE, value DOUBLE
)
"""


def _population(con: duckdb.DuckDBPyConnection) -> None:
    """ONS 0-17 population by authority, keyed by the collection year whose rates it serves."""
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'ref_population' AND temporary"
    ).fetchall()[0][0]
    if exists:
        return
    path = resources.files("careboard.reference") / "data" / "population_0_17.csv"
    con.execute(
        "CREATE TEMP TABLE ref_population AS SELECT lpad(old_la_code::VARCHAR, 3, '0') AS la, "
        "mid_year + 1 AS year, TRY_CAST(population AS DOUBLE) AS population "
        "FROM read_csv(?, header = true, all_varchar = false) "
        "WHERE geographic_level = 'Local authority'",
        [str(path)],
    )


def measure_sql(con: duckdb.DuckDBPyConnection, m: Measure) -> str:
    """The query computing ``m`` and its breakdowns for every authority and year."""
    cohort_cols = {r[0] for r in con.execute(f"DESCRIBE ({m.sql})").fetchall()}
    joinable = "CHILD" in cohort_cols
    dims = [d for d in m.breakdowns if d in cohort_cols or joinable]
    described = ", ".join(
        f"coalesce(c.{d}::VARCHAR, 'Unknown') AS {d}"
        if d in cohort_cols
        else f"coalesce(a.{d}::VARCHAR, 'Unknown') AS {d}"
        for d in dims
    )
    join = "LEFT JOIN model_child_year a ON a.la = c.la AND a.year = c.year AND a.CHILD = c.CHILD" if joinable else ""
    keep = ", ".join(f"c.{col}" for col in ("num", "den", "value") if col in cohort_cols)
    sets = ", ".join(["(la, year)"] + [f"(la, year, {d})" for d in dims])
    which = " ".join(f"WHEN GROUPING({d}) = 0 THEN '{d}'" for d in dims)
    label = ", ".join(f"CASE WHEN GROUPING({d}) = 0 THEN {d} END" for d in dims)
    return f"""
        WITH cohort AS ({m.sql}),
        described AS (
            SELECT c.la, c.year{", " + keep if keep else ""}{", " + described if described else ""}
            FROM cohort c {join}
        )
        SELECT '{m.id}' AS measure, la, year,
               {"CASE " + which + " ELSE 'all' END" if dims else "'all'"} AS breakdown,
               {"coalesce(" + label + ", 'All')" if dims else "'All'"} AS breakdown_value,
               {NUMERATOR_SQL[m.kind]} AS numerator,
               {DENOMINATOR_SQL[m.kind]} AS denominator,
               {VALUE_SQL[m.kind]} AS value
        FROM described
        GROUP BY GROUPING SETS ({sets})
    """


def catalogue_fingerprint() -> str:
    text = "".join(f"{m.id}|{m.kind}|{m.sql}|{m.breakdowns}" for m in all_measures().values())
    text += RATES_SQL + str(VALUE_SQL)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """measure_values was computed from the current model with the current catalogue."""
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'measure_state' AND NOT temporary"
    ).fetchall()[0][0]
    if not exists:
        return False
    row = next(iter(con.execute("SELECT fingerprint FROM measure_state").fetchall()), None)
    return row is not None and row[0] == loads_fingerprint(con) + "|" + catalogue_fingerprint()


def ensure_computed(con: duckdb.DuckDBPyConnection) -> float | None:
    """Compute every measure unless the stored values are up to date; seconds taken, or None."""
    if is_current(con):
        return None
    return compute_all(con)


def compute_all(con: duckdb.DuckDBPyConnection, only: list[str] | None = None) -> float:
    """Rebuild the model if needed and compute every measure into ``measure_values``; seconds taken."""
    started = time.perf_counter()
    build(con)
    install(con)
    _population(con)
    con.begin()
    try:
        con.execute(RESULTS_DDL)
        chosen = [m for m in all_measures().values() if only is None or m.id in only]
        queries = [measure_sql(con, m) for m in chosen]
        # One statement for every measure, so DuckDB plans and parallelises the whole pass.
        con.execute("INSERT INTO measure_values " + " UNION ALL ".join(f"({q})" for q in queries))
        rate_ids = [m.id for m in all_measures().values() if m.kind == "rate"]
        con.execute(RATES_SQL, [rate_ids])
        con.execute(
            "DELETE FROM measure_values WHERE measure IN (SELECT unnest(?::VARCHAR[])) AND breakdown <> 'all'",
            [[m.id for m in all_measures().values() if m.kind == "rate"]],
        )
        state = loads_fingerprint(con) + "|" + catalogue_fingerprint() if only is None else ""
        con.execute("CREATE OR REPLACE TABLE measure_state AS SELECT ? AS fingerprint, now() AS computed_at", [state])
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return time.perf_counter() - started


def breakdown_label(name: str) -> str:
    return BREAKDOWNS.get(name, "All children")
