"""How the forecast reads the placement mix's wander: fitted ``drift_mix`` on authorities whose mix wanders and
on the same authorities whose mix does not.

    python bench/drift_reading.py [--only ABC] [--origins 2023-03-31,2024-03-31]

The backtest's MIXED authorities (bench/backtest.py; ``careboard synth --mix-variation 0.15``: each kind of
placement's weight, and the in-house share of fostering, wander as random walks of 0.15 a year) and the same
authorities with a still mix (VARIED) are fitted at each origin with only the history known then.  For each
category the table gives the reading the forecast uses (``estimate._mix_drift``, pulled towards its prior) and
the history's own reading (no prior, no pooling: the root mean square over fits).  A far less noisy check of
the wander than the coverage of intervals, which mixes it with every other source of uncertainty and with the
chance of 156 outcomes.  Cached authorities come from bench/backtest.py (this script generates any missing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from backtest import MIX_VARIATION, MIXED, VARIED, history


def readings(pool: list, origins: list[dt.date], history_alone: bool) -> np.ndarray:
    """drift_mix (fit x category) over the authorities and origins; ``history_alone``: without the prior and
    without pulling a category towards the pooled reading."""
    from careboard.sufficiency import estimate

    saved = estimate.DRIFT_PRIOR_WEIGHT, estimate.CATEGORY_WEIGHT, estimate.MAX_DRIFT
    if history_alone:
        estimate.DRIFT_PRIOR_WEIGHT, estimate.CATEGORY_WEIGHT, estimate.MAX_DRIFT = 0.0, 1e-9, 10.0
    try:
        out = []
        for a in pool:
            spells, first, _last = history(a)
            out.extend(estimate.fit(spells, origin, data_start=first).drift_mix for origin in origins)
    finally:
        estimate.DRIFT_PRIOR_WEIGHT, estimate.CATEGORY_WEIGHT, estimate.MAX_DRIFT = saved
    return np.array(out)


def main() -> None:
    from careboard.sufficiency.states import CATEGORIES

    ap = argparse.ArgumentParser()
    ap.add_argument("--only", help="authorities to read, e.g. AKP")
    ap.add_argument("--origins", default="2023-03-31,2024-03-31")
    args = ap.parse_args()
    origins = [dt.date.fromisoformat(o) for o in args.origins.split(",")]
    mixed = [a for a in MIXED if not args.only or a.name in args.only]
    still = [a for a in VARIED if not args.only or a.name in args.only]
    used, alone, calm = (readings(mixed, origins, False), readings(mixed, origins, True),
                         readings(still, origins, True))
    rms = lambda x: np.sqrt(np.mean(np.square(x), axis=0))  # noqa: E731
    print(f"drift_mix (sd a year) over {len(mixed)} authorities x {len(origins)} origins ({args.origins}); "
          f"the mix wanders at {MIX_VARIATION} a year in the synthetic authorities")
    print("| category | as the forecast uses it: median | history alone, mix wandering: rms "
          "| history alone, same authorities with a still mix: rms |")
    print("| --- | --- | --- | --- |")
    for c, name in enumerate(CATEGORIES):
        print(f"| {name} | {np.median(used[:, c]):.3f} | {rms(alone)[c]:.3f} | {rms(calm)[c]:.3f} |")
    print(f"| every category | {np.median(used):.3f} | {rms(alone.ravel()):.3f} | {rms(calm.ravel()):.3f} |")


if __name__ == "__main__":
    main()
