"""Benchmark: every DfE rule for a 20,000-child return with last year's return loaded.

    python bench/validate.py [--compare]
    python bench/validate.py --cin [--compare] [--d2i-cin-python /opt/d2i-cin/bin/python]

Target (issue 4): under 3 s on 2 cores.  ``--compare`` also times the community validator
(csc-validator-be-903, if installed in /opt/d2i or importable) on the same CSV files.

``--cin``: a CIN census of 20,000 children in need, checked with last year's census and the
SSDA903 of the same year loaded (every CIN rule and cross-check runs); target (issue 14) under 2 s
on 2 cores.  ``--compare`` times csc-validator-be-cin on the same XML file (read + validate).
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
D2I_CIN_PYTHON = Path("/opt/d2i-cin/bin/python")
# Children in a synthetic CIN census per child looked after on 31 March (9.2 in the synthetic
# authorities, near England's 704,430 children in need during 2024-25 per 81,770 looked after).
CIN_CHILDREN_PER_CLA = 9.2


def main_cin(children: int, compare: bool, d2i_python: Path) -> None:
    from careboard.validate.ruleset import CIN

    root = synthetic("886", round(children / CIN_CHILDREN_PER_CLA), [2025, 2026])
    census = root / "cin" / "2025-26" / "cin_census_886_2025-26.xml"
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp) / "v.duckdb")
        (now,) = load_returns(con, read_returns([census]))
        (prev,) = load_returns(con, read_returns([root / "cin" / "2024-25"]))
        (ssda903,) = load_returns(con, read_returns([root / "ssda903" / "2025-26"], la="886", year=2026))
        n = now.ret.tables["Child"].num_rows
        median, best, result = timed(
            lambda: run_rules(con, now.load_id, 2026, "886", prev.load_id, now.ret.invalid_cells, ruleset=CIN,
                              ssda903_load_id=ssda903.load_id),
            repeat=5,
        )
        con.close()
    print(f"machine: {machine()}")
    print(
        f"CIN census: {n:,} children, {now.ret.tables['CINEpisode'].num_rows:,} episodes, with last year's census "
        f"and the SSDA903: {len(result.rules_run)} rules in {median:.2f} s median ({best:.2f} s best); "
        f"{result.total} findings; {len(result.skipped)} rules not run"
    )
    if compare and d2i_python.exists():
        from compare_validators_cin import d2i_findings

        d2i = d2i_findings(d2i_python, census, 2026)["seconds"]
        print(f"csc-validator-be-cin on the same file: {d2i:.1f} s (read + validate); ratio {d2i / median:.0f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=20_000)
    parser.add_argument("--compare", action="store_true")
    parser.add_argument("--cin", action="store_true", help="the CIN census instead of the SSDA903")
    parser.add_argument("--d2i-cin-python", type=Path, default=D2I_CIN_PYTHON)
    args = parser.parse_args()
    if args.cin:
        main_cin(args.children, args.compare, args.d2i_cin_python)
        return
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
