"""The refresh's sufficiency step on a two-authority database: every authority worked out again (before) or only the
one whose data changed (after).

    python bench/plan_refresh.py [--size 500] [--repeat 2] [--simulations 1000] [--futures 200]

Builds two synthetic authorities (Trafford 358 and Kent 886, ``--size`` children each, three years) with their
capacity extracts, loaded and refreshed as ``careboard load`` leaves them, then loads a new ``unit_costs.csv``
for Trafford alone (as a council correcting its costs would) and times ``stored_plan.build_plans``, the
refresh's sufficiency step, both ways, alternately in the same run:

* whole: with no per-authority state recorded, as every refresh did before: both authorities' plans and every
  year's members' forecast worked out again;
* changed only: with Trafford's fingerprint stale and Kent's current: Trafford's worked out, Kent's rows kept.

It checks Kent's stored rows are the same after the "changed only" runs.  Timings are noisy on a shared machine:
compare the ratio measured in the same run, and state the load (``uptime``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

AUTHORITIES = ("358", "886")
YEARS = [2024, 2025, 2026]
CAPACITY = ("foster_households.csv", "placement_capacity.csv")


def build(folder: Path, size: int, simulations: int, futures: int) -> Path:
    """Both authorities with their capacity extracts, loaded and refreshed."""
    import shutil

    import careboard.synth as synth
    from careboard.refresh import refresh
    from careboard.returns.reader import read_returns
    from careboard.store.db import connect
    from careboard.store.load import load_returns

    db = folder / "bench.duckdb"
    con = connect(db)
    try:
        for seed, la in enumerate(AUTHORITIES, start=1):
            synth.generate(folder / "returns", la, size, YEARS, seed)
            root = folder / "returns" / la
            extracts = root / "loaded_extracts"
            extracts.mkdir()
            for name in CAPACITY:
                shutil.copy(root / "extracts" / name, extracts / name)
            load_returns(con, read_returns([root / "ssda903"], la))
            load_returns(con, read_returns([extracts], la, YEARS[-1]))
        refresh(con, plan_size=(simulations, futures))
    finally:
        con.close()
    return db


def set_state(con, by_authority: dict[str, str]) -> None:
    from careboard.sufficiency.stored_plan import STATE_TABLE

    con.execute(f"UPDATE {STATE_TABLE} SET by_authority = ?", [json.dumps(by_authority)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=500, help="children in each synthetic authority")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--simulations", type=int, default=1000, help="the plan's simulated futures")
    parser.add_argument("--futures", type=int, default=200, help="the plan's futures matched to places")
    args = parser.parse_args()

    from careboard.model.build import build as build_model
    from careboard.returns.reader import read_returns
    from careboard.store.db import connect
    from careboard.store.load import load_returns
    from careboard.sufficiency import stored_plan

    a, b = AUTHORITIES
    kent_rows = ("SELECT la, year, figures, tables, note, built_at FROM sufficiency_plans WHERE la = ? ORDER BY year")
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        db = build(Path(tmp), args.size, args.simulations, args.futures)
        print(f"built two {args.size:,}-child authorities, loaded and refreshed, in "
              f"{time.perf_counter() - started:.1f} s")
        con = connect(db)
        try:
            costs = Path(tmp) / "costs" / a / "extracts"
            costs.mkdir(parents=True)
            (costs / "unit_costs.csv").write_text("PLACE,PROVIDER_GROUP,WEEKLY_COST_GBP,ILLUSTRATIVE\n"
                                                  "K2,any,7800,0\nK1,any,9900,0\n")
            load_returns(con, read_returns([costs], a, YEARS[-1]), replace_tables=["UnitCosts"])
            build_model(con)  # as the refresh does before the plans
            current = stored_plan.authority_fingerprints(con, args.simulations, args.futures)
            kent_before = con.execute(kent_rows, [b]).fetchall()
            times: dict[str, list[float]] = {"whole": [], "changed only": []}
            done: dict[str, list] = {}
            for _ in range(args.repeat):
                for name, state in (("whole", {}), ("changed only", {b: current[b]})):
                    set_state(con, state)
                    started = time.perf_counter()
                    done[name] = stored_plan.build_plans(con, args.simulations, args.futures)
                    times[name].append(time.perf_counter() - started)
                    if name == "changed only":
                        kept = con.execute(kent_rows, [b]).fetchall()
                        assert [r[:5] for r in kept] == [r[:5] for r in kent_before], "Kent's plan changed"
        finally:
            con.close()
    load = os.getloadavg()
    for name, t in times.items():
        print(f"{name:>12}: median {statistics.median(t):.2f} s  (runs: {', '.join(f'{x:.2f}' for x in t)}; "
              f"plans worked out: {done[name]})")
    print(f"changed only / whole: {statistics.median(times['changed only']) / statistics.median(times['whole']):.2f}")
    print(f"load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
