"""Benchmark: every DfE rule for a 20,000-child return with last year's return loaded.

    python bench/validate.py [--compare]

Target (issue 4): under 3 s on 2 cores.  ``--compare`` also times the community validator
(csc-validator-be-903, if installed in /opt/d2i or importable) on the same CSV files.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from careboard.returns.reader import read_returns
from careboard.store.db import connect
from careboard.store.load import load_returns
from careboard.validate.engine import run_rules
from common import CHILDREN_PER_CLA, machine, synthetic, timed

D2I_PYTHON = Path("/opt/d2i/bin/python")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=20_000)
    parser.add_argument("--compare", action="store_true")
    args = parser.parse_args()
    root = synthetic("886", round(args.children / CHILDREN_PER_CLA), [2025, 2026])
    this_year, last_year = root / "ssda903" / "2025-26", root / "ssda903" / "2024-25"
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp) / "v.duckdb")
        (now,) = load_returns(con, read_returns([this_year], la="886", year=2026))
        (prev,) = load_returns(con, read_returns([last_year], la="886", year=2025))
        children = now.ret.tables["Header"].num_rows
        median, best, result = timed(lambda: run_rules(con, now.load_id, 2026, "886", prev.load_id), repeat=5)
        con.close()
    print(f"machine: {machine()}")
    print(
        f"{children:,} children, {now.ret.tables['Episodes'].num_rows:,} episodes, with last year's return: "
        f"{len(result.rules_run)} rules in {median:.2f} s median ({best:.2f} s best); "
        f"{result.total} findings; {len(result.skipped)} rules not run"
    )
    if args.compare and D2I_PYTHON.exists():
        from compare_validators import d2i_findings

        d2i = d2i_findings(D2I_PYTHON, this_year, last_year, 2026, "886")["seconds"]
        print(f"csc-validator-be-903 on the same files: {d2i:.1f} s (read + validate); ratio {d2i / median:.0f}x")


if __name__ == "__main__":
    main()
