"""What makes the total's 80% interval wide on the backtest's authorities: switch the spread's parts off one at a time.

    python bench/total_spread.py [--only ABD] [--sims 200]

Issue 18 item 1: on the stationary authorities (A, B, F) the total is inside its 80% interval at every
origin, its errors about half what the interval implies.  For each authority and origin of
bench/backtest.py this fits the model as the backtest does and simulates the same futures (same seed)
with the whole spread, then without one part: the entries' state drawn from the filter's posterior
(``simulate.ENTRY_STATE_SD_SCALE``), its slope's or its level's part of that, the entries' year-to-year
wander (``Rates.drift_entry``), the slope's wander, the category rates' and the placement mix's wander,
everything but the chance of who enters and leaves and the rates drawn from their posterior ("floor"),
and chance alone (no parameter draws at all).  Printed per authority: the total's mean 80% width (% of
the median), the root mean square of its standardised error (error / (width / 2.563); 1 is
calibrated) and its coverage, at 12 and 24 months.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from backtest import AUTHORITIES, ORIGINS, history

SETTINGS = ("full", "no entry state", "no slope draw", "no level draw", "no entry wander", "no slope wander",
            "no rate wander", "no mix wander", "floor", "chance alone")


def main() -> None:

    import careboard.sufficiency.simulate as sim_mod
    from careboard.sufficiency.estimate import fit, stock_at
    from careboard.sufficiency.states import add_months, day_number

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="ABD")
    ap.add_argument("--sims", type=int, default=200)
    args = ap.parse_args()
    scale, slope_wander = sim_mod.ENTRY_STATE_SD_SCALE, sim_mod.ENTRY_SLOPE_WANDER
    head = " | ".join(f"{h} m width % | {h} m rms z | {h} m coverage" for h in (12, 24))
    print(f"| authority | setting | {head} |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for a in AUTHORITIES:
        if a.name not in args.only:
            continue
        spells, first, _ = history(a)
        res: dict[str, dict[int, list[tuple[float, float, bool]]]] = {s: {12: [], 24: []} for s in SETTINGS}
        for origin in ORIGINS:
            od = dt.date.fromisoformat(origin)
            base = fit(spells, od, data_start=first)
            actual = {h: int(stock_at(spells, np.array([day_number(add_months(od, h))])).sum()) for h in (12, 24)}
            for s in SETTINGS:
                r = copy.copy(base)
                cov = base.entry_state_cov.copy()
                sim_mod.ENTRY_STATE_SD_SCALE = 0.0 if s in ("no entry state", "floor") else scale
                sim_mod.ENTRY_SLOPE_WANDER = 0.0 if s in ("no slope wander", "floor") else slope_wander
                if s == "no slope draw":
                    cov[1, :], cov[:, 1] = 0.0, 0.0
                if s == "no level draw":
                    cov[0, :], cov[:, 0] = 0.0, 0.0
                r.entry_state_cov = cov
                if s in ("no entry wander", "floor"):
                    r.drift_entry = 0.0
                if s in ("no rate wander", "floor"):
                    r.drift_exit, r.drift_move = 0.0, 0.0
                if s in ("no mix wander", "floor"):
                    r.drift_mix = 0.0
                tot = sim_mod.simulate(r, 24, n_sims=args.sims, seed=1,
                                       parameter_uncertainty=s != "chance alone").totals()
                for h in (12, 24):
                    lo, mid, hi = np.percentile(tot[:, h], [10, 50, 90])
                    res[s][h].append(((hi - lo) / mid * 100, (mid - actual[h]) / max((hi - lo) / 2.563, 1e-9),
                                      bool(lo <= actual[h] <= hi)))
            print(f"authority {a.name} {origin}", file=sys.stderr)
        sim_mod.ENTRY_STATE_SD_SCALE, sim_mod.ENTRY_SLOPE_WANDER = scale, slope_wander
        for s in SETTINGS:
            cells = []
            for h in (12, 24):
                v = res[s][h]
                cells += [f"{np.mean([x[0] for x in v]):.1f}", f"{np.sqrt(np.mean([x[1] ** 2 for x in v])):.2f}",
                          f"{sum(x[2] for x in v)} of {len(v)}"]
            print(f"| {a.name} | {s} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
