"""Compute every measure for every authority and year in the database, with all its breakdowns.

Each measure's cohort query runs once; one GROUPING SETS aggregation produces the overall figure
and every breakdown in the same pass.  Cohorts several measures share are worked out once before
(``inputs``).  Results land in ``measure_values``.
"""

from __future__ import annotations

import hashlib
import time

import duckdb

from careboard.measures import inputs
from careboard.measures.measure import BREAKDOWNS, Measure, all_measures
from careboard.model.build import build, loads_fingerprint
from careboard.progress import SILENT, Progress
from careboard.store.reference import install
from careboard.store.state import record_fingerprint, stored_fingerprint

# Each measure's figure from the aggregates every measure gets (sums, count, median, mean).
VALUE_SQL = {
    "proportion": "round(100.0 * s_num / nullif(s_den, 0), 1)",
    "count": "s_num",
    "rate": "s_num",  # divided by the population afterwards
    "median": "med",
    "mean": "round(mean, 1)",
    "ratio": "round(s_num / nullif(s_den, 0), 1)",
}
NUMERATOR_SQL = {"proportion": "s_num", "count": "s_num", "rate": "s_num", "median": "NULL", "mean": "NULL",
                 "ratio": "s_num"}
DENOMINATOR_SQL = {"proportion": "s_den", "count": "NULL", "rate": "NULL", "median": "n", "mean": "n",
                   "ratio": "s_den"}

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


_COLUMNS: dict[str, frozenset[str]] = {}

# The TEMP table one aggregation's cohorts are kept in (compute_all).
COHORTS = "measure_cohorts"


def _columns(con: duckdb.DuckDBPyConnection, sql: str) -> frozenset[str]:
    """A cohort query's column names (remembered: the model's schema is fixed by the code)."""
    if sql not in _COLUMNS:
        _COLUMNS[sql] = frozenset(r[0] for r in con.execute(f"DESCRIBE ({sql})").fetchall())
    return _COLUMNS[sql]


def cohort_sql(con: duckdb.DuckDBPyConnection, m: Measure) -> str:
    """Measure ``m``'s cohort rows with its breakdown attributes, in the shape every measure shares.

    Columns: measure, la, year, num, den, value, then one column per breakdown: the attribute
    ('Unknown' when not known), or NULL when the breakdown is not one this measure publishes.
    """
    cohort_cols = _columns(con, m.sql)
    joinable = "CHILD" in cohort_cols
    dims = []
    for d in BREAKDOWNS:
        if d not in m.breakdowns or not (d in cohort_cols or joinable):
            dims.append(f"NULL::VARCHAR AS {d}")
        elif d in cohort_cols:
            dims.append(f"coalesce(c.{d}::VARCHAR, 'Unknown') AS {d}")
        else:
            dims.append(f"coalesce(a.{d}::VARCHAR, 'Unknown') AS {d}")
    join = "LEFT JOIN model_child_year a ON a.la = c.la AND a.year = c.year AND a.CHILD = c.CHILD" if joinable else ""
    values = [
        f"c.{col}::DOUBLE AS {col}" if col in cohort_cols else f"NULL::DOUBLE AS {col}"
        for col in ("num", "den", "value")
    ]
    return f"""
        SELECT '{m.id}' AS measure, c.la, c.year, {", ".join(values)}, {", ".join(dims)}
        FROM ({m.sql}) c {join}
    """


def aggregate_sql(cohorts: list[str], holistic: bool) -> str:
    """One GROUPING SETS pass over measures' cohorts: the headline and every breakdown.

    Medians are expensive to compute for every group, so measures that need them (``holistic``)
    are aggregated in their own pass; the rest need only sums and counts.
    """
    stats = "median(value) AS med, avg(value) AS mean" if holistic else "NULL AS med, NULL AS mean"
    dims = list(BREAKDOWNS)
    sets = ", ".join(["(measure, la, year)"] + [f"(measure, la, year, {d})" for d in dims])
    which = " ".join(f"WHEN GROUPING({d}) = 0 THEN '{d}'" for d in dims)
    label = ", ".join(f"CASE WHEN GROUPING({d}) = 0 THEN {d} END" for d in dims)
    headline = " AND ".join(f"GROUPING({d}) = 1" for d in dims)
    return f"""
        SELECT measure, la, year,
               CASE {which} ELSE 'all' END AS breakdown,
               coalesce({label}, CASE WHEN {headline} THEN 'All' END) AS breakdown_value,
               sum(num) AS s_num, sum(den) AS s_den, count(*) AS n, {stats}
        FROM ({" UNION ALL ".join(cohorts)})
        GROUP BY GROUPING SETS ({sets})
    """


def catalogue_fingerprint() -> str:
    text = "".join(f"{m.id}|{m.kind}|{m.sql}|{m.breakdowns}" for m in all_measures().values())
    text += "".join(f"{name}|{sql}" for name, sql in inputs.definitions().items())
    text += RATES_SQL + str(VALUE_SQL)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """measure_values was computed from the current model with the current catalogue."""
    return stored_fingerprint(con, "measure_state") == loads_fingerprint(con) + "|" + catalogue_fingerprint()


def ensure_computed(con: duckdb.DuckDBPyConnection, progress: Progress = SILENT) -> float | None:
    """Compute every measure unless the stored values are up to date; seconds taken, or None."""
    if is_current(con):
        return None
    return compute_all(con, progress=progress)


def compute_all(
    con: duckdb.DuckDBPyConnection, only: list[str] | None = None, progress: Progress = SILENT
) -> float:
    """Rebuild the model if needed and compute every measure into ``measure_values``; seconds taken."""
    started = time.perf_counter()
    build(con, progress=progress)
    install(con)
    con.begin()
    try:
        con.execute(RESULTS_DDL)
        chosen = [m for m in all_measures().values() if only is None or m.id in only]
        inputs.make(con, [m.sql for m in chosen])  # the cohorts several measures share, once (dropped below)
        progress.begin(f"Computing {len(chosen)} measures with every breakdown", total=2)
        kinds = " ".join(f"WHEN '{m.id}' THEN {VALUE_SQL[m.kind]}" for m in chosen)
        nums = " ".join(f"WHEN '{m.id}' THEN {NUMERATOR_SQL[m.kind]}" for m in chosen)
        dens = " ".join(f"WHEN '{m.id}' THEN {DENOMINATOR_SQL[m.kind]}" for m in chosen)
        # Two statements for every measure: the cohorts, then a GROUPING SETS aggregation (one for the
        # measures that need medians and means, one for those that need only sums).  The cohorts are
        # kept as a TEMP table before they are aggregated: planned as one statement, the aggregation
        # sized its eleven hash tables for the union's estimated rows (millions, for a few thousand
        # children), which took more time and memory than the rows did (bench/scorecard.py).
        for holistic in (False, True):
            group = [m for m in chosen if (m.kind in ("median", "mean")) == holistic]
            if not group:
                progress.advance()
                continue
            con.execute(f"CREATE OR REPLACE TEMP TABLE {COHORTS} AS "
                        + " UNION ALL ".join(cohort_sql(con, m) for m in group))
            con.execute(
                f"""
                INSERT INTO measure_values
                SELECT measure, la, year, breakdown, breakdown_value,
                       CASE measure {nums} END, CASE measure {dens} END, CASE measure {kinds} END
                FROM ({aggregate_sql([f"SELECT * FROM {COHORTS}"], holistic)})
                WHERE breakdown_value IS NOT NULL
                """
            )
            con.execute(f"DROP TABLE {COHORTS}")
            progress.advance()
        rate_ids = [m.id for m in all_measures().values() if m.kind == "rate"]
        con.execute(RATES_SQL, [rate_ids])
        con.execute(
            "DELETE FROM measure_values WHERE measure IN (SELECT unnest(?::VARCHAR[])) AND breakdown <> 'all'",
            [[m.id for m in all_measures().values() if m.kind == "rate"]],
        )
        inputs.drop(con)
        state = loads_fingerprint(con) + "|" + catalogue_fingerprint() if only is None else ""
        record_fingerprint(con, "measure_state", state)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return time.perf_counter() - started

