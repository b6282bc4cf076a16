"""What checking the model's invariants costs at build time, beside the build it guards.

    python bench/invariants.py DB [--runs 5]

``DB`` is a careboard database with returns loaded (``careboard demo`` writes one to
demo-output/careboard.duckdb).  Works on a private copy: each run rebuilds the model's tables in a
transaction (as ``model.build.build`` does) and times the build and the check separately, then rolls
back.  Prints the median of each and their ratio, measured in the same runs.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from careboard.model import build, invariants
from careboard.store.db import connect
from careboard.store.reference import install


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "c.duckdb"
        shutil.copy(args.db, copy)
        con = connect(copy)
        install(con)
        builds, checks = [], []
        for _ in range(args.runs):
            con.begin()
            started = time.perf_counter()
            build._build_tables(con, build.SILENT)
            built = time.perf_counter()
            invariants.require(con)
            checks.append(time.perf_counter() - built)
            builds.append(built - started)
            con.rollback()
        children = con.execute("SELECT count(*) FROM model_child_year").fetchall()[0][0]
        con.close()
    b, c = statistics.median(builds), statistics.median(checks)
    print(f"{children:,} child-years; median of {args.runs}: model build {b:.3f} s, "
          f"invariant check {c * 1000:.0f} ms ({c / b:.1%} of the build)")


if __name__ == "__main__":
    main()
