"""Benchmark: the full scorecard (model, every measure with every breakdown, benchmarks).

    python bench/scorecard.py            # one 2,000-looked-after authority over 7 years
    python bench/scorecard.py --all      # also 150 authorities x 7 years in one database

Targets (issue 5): under 1 s for one authority; under 60 s for 150 authorities x 7 years, 2 cores.
The one authority is timed twice: with its SSDA903 and CIN returns (issue 5's case), and with everything
``careboard synth`` writes loaded (the workforce census and the local extracts too, as in ``careboard demo``),
where every measure has data and none of the measures' statement can be planned away.
The synthetic authorities take each authority's latest published number of children looked after
(LAIT LACnum) as their size, so the database is England-sized (about 80,000 children looked after).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))

from careboard.benchmark.compare import compare, scorecard
from careboard.measures.compute import compute_all
from careboard.returns.reader import read_returns
from careboard.store.db import connect
from careboard.store.load import load_returns
from common import OUT, machine, synthetic, timed

YEARS = list(range(2020, 2027))


def one_authority(everything: bool = False) -> None:
    root = synthetic("358", 2000, YEARS)
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp) / "s.duckdb")
        load_returns(con, read_returns([root / "ssda903", root / "cin"]))
        if everything:
            load_returns(con, read_returns([root / "csww"]) + read_returns([root / "extracts"], "358", YEARS[-1]))

        def full() -> int:
            compute_all(con)
            return len(scorecard(con, "358", 2026))

        median, best, rows = timed(full, repeat=5)
        con.close()
    loaded = "every return and extract" if everything else "SSDA903 and CIN"
    print(
        f"one authority (2,000 looked after, 7 years; {loaded}): full scorecard {median:.2f} s median "
        f"({best:.2f} s best), {rows} rows (measures x breakdowns)"
    )


def sizes() -> dict[str, int]:
    from importlib import resources

    path = resources.files("careboard.reference") / "data" / "lait_values.parquet"
    rows = duckdb.sql(
        f"SELECT la_number, arg_max(value, year) FROM read_parquet('{path}') WHERE measure = 'LACnum' "
        "AND la_number < '900' AND value IS NOT NULL GROUP BY la_number ORDER BY la_number"
    ).fetchall()
    from careboard.authorities import all_authorities

    known = all_authorities()
    return {la: max(int(v), 20) for la, v in rows if la in known}


def england() -> None:
    db = OUT / "england.duckdb"
    las = sizes()
    if not (OUT / "england.complete").exists():
        db.unlink(missing_ok=True)
        started = time.perf_counter()
        con = connect(db)
        for i, (la, size) in enumerate(las.items()):
            root = synthetic(la, size, YEARS, seed=i + 1)
            load_returns(con, read_returns([root / "ssda903"], la=la))
        con.close()
        (OUT / "england.complete").write_text("ok")
        print(f"built {len(las)} synthetic authorities in {time.perf_counter() - started:.0f} s")
    con = connect(db)
    children = con.execute("SELECT count(*) FROM ssda903_header").fetchall()[0][0]
    median, best, _ = timed(lambda: (compute_all(con), compare(con)), repeat=3)
    rows = con.execute("SELECT count(*) FROM measure_values").fetchall()[0][0]
    con.close()
    print(
        f"{len(las)} authorities x {len(YEARS)} years ({children:,} child-year header rows): every measure, "
        f"breakdown and benchmark in {median:.1f} s median ({best:.1f} s best); {rows:,} measure values"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--all", action="store_true")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    one_authority()
    one_authority(everything=True)
    if args.all:
        england()
