"""Benchmark computed measures against published DfE/LAIT figures (see compare.sql)."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from string import Template

import duckdb
import pyarrow as pa

from careboard.benchmark.targets import load_targets, status
from careboard.measures.measure import Measure, all_measures
from careboard.measures.published_only import PublishedOnly, published_only

SCORECARD_COLUMNS = [
    "measure",
    "lait_code",
    "breakdown",
    "breakdown_value",
    "numerator",
    "denominator",
    "value",
    "england",
    "region",
    "sn_mean",
    "sn_median",
    "best_sn",
    "best_quartile",
    "quartile_band",
    "rank",
    "previous",
    "trend",
    "target_status",
]


def install_published(con: duckdb.DuckDBPyConnection) -> None:
    """TEMP views over the vendored LAIT values, LAIT polarity, precision, regions and statistical neighbours."""
    data = resources.files("careboard.reference") / "data"
    sql = Template((resources.files("careboard.benchmark") / "published.sql").read_text("utf-8")).substitute(
        lait_values=str(data / "lait_values.parquet"),
        lait_measures=str(data / "lait_measures.csv"),
        neighbours=str(data / "statistical_neighbours_2025.csv"),
        la_lookup=str(data / "la_lookup.csv"),
        lait_regions=str(data / "lait_regions.csv"),
    )
    con.execute(sql)


def scorecard_units() -> dict[str, Measure | PublishedOnly]:
    """Every row the scorecard can show: the catalogue's measures, then the published-only rows."""
    return {**all_measures(), **published_only()}


def install_published_only(con: duckdb.DuckDBPyConnection) -> None:
    """The TEMP table ``published_only_values``: each published-only row's LAIT figure for every authority in
    measure_values, shaped like measure_values (see published_only.sql).  Needs install_published first."""
    units = list(published_only().values())
    con.register("published_only_arrow", pa.table({"id": [u.id for u in units],
                                                   "lait_code": [u.lait_code for u in units]}))
    con.execute("CREATE OR REPLACE TEMP TABLE published_only_units AS SELECT * FROM published_only_arrow")
    con.unregister("published_only_arrow")
    con.execute((resources.files("careboard.benchmark") / "published_only.sql").read_text("utf-8"))


def compare(con: duckdb.DuckDBPyConnection) -> None:
    """Build the TEMP table ``scorecard_rows`` for every authority and year in measure_values, with the
    published-only rows (measures/published_only.py) benchmarked the same way."""
    install_published(con)
    install_published_only(con)
    measures = list(scorecard_units().values())
    con.register(
        "scorecard_measures_arrow",
        pa.table(
            {
                "id": [m.id for m in measures],
                "lait_code": [m.lait_code for m in measures],
                "polarity": [m.polarity for m in measures],
                "benchmark_year_lag": [m.benchmark_year_lag for m in measures],
                "kind": [m.kind for m in measures],
            }
        ),
    )
    con.execute("CREATE OR REPLACE TEMP TABLE scorecard_measures AS SELECT * FROM scorecard_measures_arrow")
    con.unregister("scorecard_measures_arrow")
    con.execute((resources.files("careboard.benchmark") / "compare.sql").read_text("utf-8"))


@dataclass(frozen=True)
class Published:
    """The DfE's published comparators for one measure and year: England, the neighbours' mean, the best quarter."""

    england: float | None
    sn_mean: float | None
    best_quartile: float | None


@dataclass(frozen=True)
class Benchmarked:
    """One authority's scorecard for a year, and the published comparators of every year up to it."""

    rows: list[dict]
    history: dict[tuple[str, int], Published] = field(default_factory=dict)  # (measure, published year) ->
    # a published-only row's own published figure by (row id, LAIT year), for its trend
    published: dict[tuple[str, int], float | None] = field(default_factory=dict)


# A published year's comparators, from the first of the authority's years benchmarked against it.  A later
# year not yet published is benchmarked against the same published year, and its best-quarter cut-off counts
# that later figure of ours among the other councils' (compare.sql, ``spread``), so it differs; the trend
# shows each published year as it was, with our own figure of that year among them (one row, chosen, not
# whichever the database happened to return last).
HISTORY_SQL = """
SELECT measure, benchmark_year, england, sn_mean, best_quartile
FROM scorecard_rows
WHERE la = ? AND benchmark_year <= ? AND breakdown = 'all'
QUALIFY row_number() OVER (PARTITION BY measure, benchmark_year ORDER BY year) = 1
"""

# A published-only row's own published figure by LAIT year (the same rule: the first year shown against it).
PUBLISHED_HISTORY_SQL = """
SELECT measure, benchmark_year, value
FROM scorecard_rows
WHERE la = ? AND benchmark_year <= ? AND breakdown = 'all' AND measure IN (SELECT id FROM published_only_units)
QUALIFY row_number() OVER (PARTITION BY measure, benchmark_year ORDER BY year) = 1
"""


def benchmark(con: duckdb.DuckDBPyConnection, la: str, year: int, targets_file: Path | None = None) -> Benchmarked:
    """The scorecard rows for ``la`` in ``year`` and the published England, neighbour and best-quarter figures
    of every year up to it, keyed by the year they were published for.

    Keyed by the benchmark's own year, so a year whose figures the DfE has not published yet has no
    England point (the scorecard compares it with the latest published year instead).
    """
    compare(con)
    rows = _rows(con, la, year, targets_file)
    history = {(m, y): Published(e, s, b) for m, y, e, s, b in con.execute(HISTORY_SQL, [la, year]).fetchall()}
    published = {(m, y): v for m, y, v in con.execute(PUBLISHED_HISTORY_SQL, [la, year]).fetchall()}
    return Benchmarked(rows, history, published)


def scorecard(con: duckdb.DuckDBPyConnection, la: str, year: int, targets_file: Path | None = None) -> list[dict]:
    """The scorecard rows for one authority and year, in catalogue order, headline rows first."""
    compare(con)
    return _rows(con, la, year, targets_file)


def _rows(con: duckdb.DuckDBPyConnection, la: str, year: int, targets_file: Path | None) -> list[dict]:
    """Rows of the TEMP table ``compare`` just built, with each headline's target status."""
    measures = scorecard_units()
    targets = load_targets(targets_file, set(all_measures()))
    cur = con.execute(
        "SELECT * FROM scorecard_rows WHERE la = ? AND year = ? "
        "ORDER BY breakdown <> 'all', breakdown, breakdown_value",
        [la, year],
    )
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    order = {m: i for i, m in enumerate(measures)}
    rows.sort(
        key=lambda r: (order.get(r["measure"], 1e9), r["breakdown"] != "all", r["breakdown"], r["breakdown_value"])
    )
    for r in rows:
        m = measures[r["measure"]]
        r["target_status"] = status(r["value"], m.polarity, targets.get(m.id)) if r["breakdown"] == "all" else None
    return rows
