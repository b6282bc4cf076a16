"""How wide each category's 80% interval is against its errors, with each part of the spread switched off.

    python bench/category_spread.py [--only ABCDEFGHIJ] [--sims 300]

Issue 18 item 1: on the authorities whose years vary (``bench/backtest.py --varied``) some categories'
intervals hold more than 85% of outcomes.  Is the interval too wide, or are the errors shaped unlike the
futures (mostly small, a few large)?  For each authority and origin this fits the model as the backtest
does and simulates the futures (same seed) with the whole spread and then without one part: each
year's own change in entries, the category rates' wander, the draw of the entries' state, and the
rates' posterior uncertainty.  Printed for each category at 12 and 24 months: coverage of the 80%
interval, the root mean square of the standardised error (error / (width / 2.563); 1 when the
interval's width matches the errors' spread) and the mean width as a share of the median.  A coverage
above 80% with a root mean square near 1 says the width is right and the errors' shape is not normal.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from backtest import ORIGINS, VARIED, history

SETTINGS = ("full", "no year's own change", "no rates' wander", "no entries' state draw", "no rate uncertainty")
HORIZONS = (12, 24)


def main() -> None:
    import careboard.sufficiency.simulate as sim_mod
    from careboard.sufficiency.estimate import fit, stock_at
    from careboard.sufficiency.states import CATEGORIES, add_months, day_number

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="ABCDEFGHIJ")
    ap.add_argument("--sims", type=int, default=300)
    args = ap.parse_args()
    scores: dict[str, dict[int, list[np.ndarray]]] = {s: {h: [] for h in HORIZONS} for s in SETTINGS}
    for a in VARIED:
        if a.name not in args.only:
            continue
        spells, first, _last = history(a)
        for o in ORIGINS:
            origin = dt.date.fromisoformat(o)
            base = fit(spells, origin, data_start=first)
            actual = stock_at(spells, np.array([day_number(add_months(origin, h)) for h in HORIZONS])).sum(axis=2)
            for setting in SETTINGS:
                rates = copy.copy(base)
                scale = sim_mod.ENTRY_STATE_SD_SCALE
                if setting == "no year's own change":
                    rates.year_entry = 0.0
                elif setting == "no rates' wander":
                    rates.drift_exit = rates.drift_move = 0.0
                elif setting == "no entries' state draw":
                    sim_mod.ENTRY_STATE_SD_SCALE = 0.0
                elif setting == "no rate uncertainty":  # the gamma posteriors made a thousand times as sure
                    rates.exit_alpha, rates.exit_beta = rates.exit_alpha * 1000, rates.exit_beta * 1000
                    rates.move_alpha, rates.move_beta = rates.move_alpha * 1000, rates.move_beta * 1000
                try:
                    futures = sim_mod.simulate(rates, max(HORIZONS), n_sims=args.sims, seed=1).by_category()
                finally:
                    sim_mod.ENTRY_STATE_SD_SCALE = scale
                for j, h in enumerate(HORIZONS):
                    lo, mid, hi = np.percentile(futures[:, h], [10, 50, 90], axis=0)
                    scores[setting][h].append(np.stack([actual[j], lo, mid, hi]))
        print(f"authority {a.name}", file=sys.stderr)
    print("| setting | months | " + " | ".join(CATEGORIES) + " |")
    print("|---|---:|" + "---|" * len(CATEGORIES))
    for setting in SETTINGS:
        for h in HORIZONS:
            got = np.array(scores[setting][h])  # (outcome, 4, category)
            actual, lo, mid, hi = got[:, 0], got[:, 1], got[:, 2], got[:, 3]
            inside = ((actual >= lo) & (actual <= hi)).mean(axis=0)
            rms = np.sqrt((((actual - mid) / np.maximum((hi - lo) / 2.563, 1e-9)) ** 2).mean(axis=0))
            width = ((hi - lo) / np.maximum(mid, 1)).mean(axis=0)
            cells = [f"{c:.0%}, {r:.2f}, {w:.0%}" for c, r, w in zip(inside, rms, width, strict=True)]
            print(f"| {setting} | {h} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
