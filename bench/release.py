"""Benchmark: disclosure control of a whole release (every figure of an authority and year, audited together).

    python bench/release.py                 # synthetic Trafford, 300 and 2,000 looked after, 2024-2026
    python bench/release.py --sizes 400     # other sizes

Prints, per size: seconds to build each year's release (median of 3), the figures in it, how many are
hidden, the counts hidden as primary and secondary, and how many possible values a reader is left with
for the hidden counts of 1 to 5 (the protection the audit proves).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from careboard.measures.compute import ensure_computed
from careboard.publish.release import build_release
from careboard.publish.suppress import REASON_SECONDARY
from careboard.returns.reader import read_returns
from careboard.store.db import connect
from careboard.store.load import load_returns
from careboard.validate.runner import validate_loaded
from common import machine, synthetic, timed

YEARS = [2024, 2025, 2026]


def one(size: int) -> None:
    root = synthetic("358", size, YEARS)
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp) / "r.duckdb")
        load_returns(con, read_returns([root / "ssda903", root / "cin"]))
        for y in YEARS:
            validate_loaded(con, "358", y)
        ensure_computed(con)
        for y in YEARS[1:]:
            median, best, rel = timed(lambda y=y: build_release(con, "358", y), repeat=3)
            figures = [f for f in rel.figures if f[0] != "absent"]
            secondary = sum(1 for why in rel.outcome.suppressed.values() if why == REASON_SECONDARY)
            widths = Counter(min(hi - lo + 1, 3) for lo, hi in rel.outcome.ranges.values())
            print(f"size {size:>5}, {y}: {median:5.2f} s median ({best:.2f} s best); {len(figures)} figures, "
                  f"{len(rel.outcome.hidden)} hidden; counts hidden: {len(rel.outcome.suppressed) - secondary} "
                  f"primary, {secondary} secondary; hidden counts of 1-5 with 2 possible values: {widths[2]}, "
                  f"3 or more: {widths[3]}")
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 2000])
    args = parser.parse_args()
    print(machine())
    for size in args.sizes:
        one(size)


if __name__ == "__main__":
    main()
