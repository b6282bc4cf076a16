"""Why a placement category's forecast interval misses: group moves, or more wander than chance?

    python bench/category_dispersion.py [--only ABCDE] [--backtest OUT.json]

Checks, on the backtest's synthetic authorities (bench/backtest.py, cached under bench/out), the two
suspected causes of a category's 80% interval holding too few outcomes (issue 18: "With parents"
held 67% at 24 months):

* **Group moves.**  If siblings entered, moved or went home together, a category's spells would
  start (and end) on the same day more often than chance.  Printed: the share of spells sharing their
  start (end) day with another spell of the category, as a ratio to the share expected if the days
  were independent (Poisson at the category's daily rate).  About 1: no group moves.  Spells that
  began in the first year of the returns are left out (the returns' first day gathers many).
* **Between-year variation beyond chance.**  Quarterly counts of spells starting (ending) in each
  category, detrended by a straight line: variance over mean.  About 1: Poisson, no wander.
* With ``--backtest`` (a file written by ``bench/backtest.py --json``): for each category and
  horizon, the RMS and mean of z = (actual - median) / (interval width / 2.563), the interval's
  implied sd.  RMS about 1 is calibrated; 1.4 means the futures' spread is 1.4 times too narrow.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from backtest import AUTHORITIES, history

QUARTER = 365.25 / 4


def _shared_ratio(days: np.ndarray) -> float:
    """Share of ``days`` shared with another, over the share expected by chance."""
    if len(days) < 20:
        return float("nan")
    u, c = np.unique(days, return_counts=True)
    shared = (c[np.searchsorted(u, days)] > 1).mean()
    rate = len(days) / (days.max() - days.min() + 1)
    return float(shared / (1 - np.exp(-rate)))


def _dispersion(days: np.ndarray, edges: np.ndarray) -> tuple[float, float]:
    """(mean a quarter, detrended variance / mean) of the counts of ``days`` in each quarter."""
    n = np.histogram(days, edges)[0].astype(float)
    x = np.arange(len(n))
    resid = n - np.polyval(np.polyfit(x, n, 1), x)
    return float(n.mean()), float((resid**2).sum() / (len(n) - 2) / max(n.mean(), 1e-9))


def check_data(only: str | None) -> None:

    from careboard.sufficiency.estimate import OPEN
    from careboard.sufficiency.states import CATEGORIES, day_number

    print("Per category: shared start / end day vs chance (x) and quarterly starts / ends, variance over mean")
    for a in AUTHORITIES:
        if only and a.name not in only:
            continue
        spells, first, last = history(a)
        t0, t1 = day_number(first) + 365, day_number(last)
        edges = np.arange(t0, t1, QUARTER)
        print(f"\nauthority {a.name}: {a.note}")
        for c, name in enumerate(CATEGORIES):
            sel = spells.cat == c
            starts = spells.start[sel & (spells.start > t0)]
            ends = spells.end[sel & (spells.end > t0) & (spells.end < OPEN)]
            if len(starts) < 20:
                continue
            m_s, d_s = _dispersion(starts, edges)
            m_e, d_e = _dispersion(ends, edges)
            print(f"  {name:<26} shared start x{_shared_ratio(starts):.1f} end x{_shared_ratio(ends):.1f}"
                  f"   starts {m_s:5.1f} a quarter, var/mean {d_s:.1f}; ends {m_e:5.1f}, var/mean {d_e:.1f}")


def check_backtest(path: Path) -> None:
    rows = json.loads(path.read_text())
    print(f"\nForecast z-scores from {path} (RMS ~1: calibrated):")
    for h in sorted({r["horizon"] for r in rows}):
        for cat in sorted({r["category"] for r in rows}):
            z = np.array([(r["actual"] - r["median"]) / max((r["p90"] - r["p10"]) / 2.563, 0.5)
                          for r in rows if r["category"] == cat and r["horizon"] == h])
            print(f"  {h:2d} m {cat:<26} RMS z {np.sqrt((z**2).mean()):.2f}  mean z {z.mean():+.2f}  ({len(z)})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="authorities to check, e.g. ABCDE")
    ap.add_argument("--backtest", type=Path, help="outcomes written by bench/backtest.py --json")
    args = ap.parse_args()
    check_data(args.only)
    if args.backtest:
        check_backtest(args.backtest)


if __name__ == "__main__":
    main()
