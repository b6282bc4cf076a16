"""Benchmark: a 5-year forecast with 1,000 simulated futures for an authority of ~2,000 children looked after.

    python bench/forecast.py

Target: under 10 s on 2 cores (the history load and estimation included; generating and loading the
synthetic authority is cached under bench/out and not timed).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, synthetic


def main() -> None:
    import duckdb
    import numpy as np

    from careboard.model.build import build
    from careboard.returns.reader import read_returns
    from careboard.store.db import connect
    from careboard.store.load import load_returns
    from careboard.sufficiency.estimate import data_span, fit, load_spells
    from careboard.sufficiency.simulate import simulate

    root = synthetic("358", 2000, list(range(2020, 2027)), 1)
    db = root.parent / "sufficiency.duckdb"
    if not db.exists():
        con = connect(db)
        load_returns(con, read_returns([root / "ssda903"], "358"))
        build(con)
        con.close()
    con = duckdb.connect(str(db), read_only=True)
    t0 = time.perf_counter()
    spells = load_spells(con, "358")
    first, last = data_span(con, "358")
    rates = fit(spells, last, data_start=first)
    t1 = time.perf_counter()
    cpu = time.process_time()
    sim = simulate(rates, 60, n_sims=1000, seed=1, workers=2)
    t2 = time.perf_counter()
    cpu = time.process_time() - cpu
    con.close()
    tot = sim.totals()
    print(f"machine: {machine()}")
    median_end = round(float(np.median(tot[:, -1])))
    print(f"children looked after on {sim.dates[0]}: {int(tot[0, 0]):,}; after 5 years median {median_end:,}")
    print(f"history + estimation: {t1 - t0:.2f} s; 1,000 futures x 60 months: {t2 - t1:.2f} s; "
          f"total {t2 - t0:.2f} s (target < 10 s)")
    print(f"simulation CPU time (both threads): {cpu:.2f} s; load average now {os.getloadavg()[0]:.1f} "
          "(other work on the machine slows the wall-clock figure)")


if __name__ == "__main__":
    main()
