"""Sweep: does the linking of missing children (oversight/missing_links.sql) find the planted groups and
nothing else, over many synthetic authorities?  Too slow for the test suite (about 15 s an authority), so
the tests check two authorities (Kent seed 11 in tests/oversight/test_missing_themes.py, Trafford seed 1
in tests/web/test_web_missing.py) and this script the rest.

    python bench/missing_links_seeds.py [--seeds 1-10] [--la 886 358] [--size 400]

Each (authority, seed) is generated twice, without planted groups and with two, for 2024-25 and 2025-26;
every group found in each year's window must be a planted group, and every planted group found.  Exits 1
on any difference.  Timings are printed as a guide only (a shared machine).
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from careboard.oversight import missing
from careboard.returns.reader import read_returns
from careboard.store import db as store_db
from careboard.store.load import load_returns
from careboard.synth import generate

YEARS = [2025, 2026]


def _seeds(text: str) -> list[int]:
    low, _, high = text.partition("-")
    return list(range(int(low), int(high or low) + 1))


def check(la: str, size: int, seed: int, groups: int) -> tuple[bool, str]:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        result = generate(Path(folder), la, size, YEARS, seed=seed, linked_groups=groups)
        con = store_db.connect(":memory:")
        load_returns(con, read_returns([result.root / "ssda903", result.root / "extracts"]))
        found = sorted(sorted(g["children"]) for y in YEARS
                       for g in missing.missing_links(con, la, date(y - 1, 4, 1), date(y, 3, 31)).groups)
        planted: dict[str, set[str]] = {}
        manifest = result.root / "missing_groups_manifest.csv"
        if manifest.exists():
            with manifest.open(encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    planted.setdefault(row["GROUP"], set()).add(row["CHILD"])
        con.close()
        want = sorted(sorted(p) for p in planted.values())
        ok = found == want
        return ok, (f"{la} seed {seed:>3} planted {groups}: found {len(found)} groups, "
                    f"{'as planted' if ok else f'DIFFERENT: found {found}, planted {want}'} "
                    f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", default="1-10")
    parser.add_argument("--la", nargs="+", default=["886", "358"])
    parser.add_argument("--size", type=int, default=400)
    args = parser.parse_args()
    failures = 0
    for la in args.la:
        for seed in _seeds(args.seeds):
            for groups in (0, 2):
                ok, line = check(la, args.size, seed, groups)
                failures += not ok
                print(line, flush=True)
    print("all as planted" if not failures else f"{failures} authorities differ")
    sys.exit(1 if failures else 0)
