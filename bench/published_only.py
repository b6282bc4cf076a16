"""What the published-only rows (issue 15.8) add to benchmarking: compare.sql with and without them.

    python bench/published_only.py [--las 1] [--repeat 5]

Builds an in-memory ``measure_values`` holding one headline figure per catalogue measure for ``--las``
authorities over 2020-2026 (the figures themselves do not matter for the cost), then times
``benchmark.compare.compare`` with the published-only rows and with them switched off, alternating so
that both see the same machine load.  On a shared machine quote the ratio, not the seconds.
"""

from __future__ import annotations

import argparse
import statistics
import time

import duckdb

import careboard.benchmark.compare as compare_module
from careboard.measures.measure import all_measures

LAS = ["886", "358", "202", "330", "926", "340", "850", "935", "316", "856"]


def database(las: int) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE TABLE measure_values (measure VARCHAR, la VARCHAR, year SMALLINT, breakdown VARCHAR, "
                "breakdown_value VARCHAR, numerator DOUBLE, denominator DOUBLE, value DOUBLE)")
    rows = [(m, la, y, "all", "All", 10.0, 100.0, 10.0) for m in all_measures() for la in LAS[:las]
            for y in range(2020, 2027)]
    con.executemany("INSERT INTO measure_values VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return con


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--las", type=int, default=1, choices=range(1, len(LAS) + 1))
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    con = database(args.las)
    real = compare_module.published_only
    times: dict[str, list[float]] = {"with": [], "without": []}
    for _ in range(args.repeat):
        for label, units in (("with", real), ("without", dict)):
            compare_module.published_only = units
            started = time.perf_counter()
            compare_module.compare(con)
            times[label].append(time.perf_counter() - started)
    compare_module.published_only = real
    with_, without = statistics.median(times["with"]), statistics.median(times["without"])
    print(f"compare over {args.las} authorities x 7 years: with published-only rows {with_:.3f} s, "
          f"without {without:.3f} s (median of {args.repeat}; ratio {with_ / without:.2f})")


if __name__ == "__main__":
    main()
