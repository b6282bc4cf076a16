"""How much English authorities' yearly adoptions vary beyond chance, and the synthetic authorities beside them.

    python bench/adoption_variation.py [--synth]

Published figures (LAIT ``No_of LAC Adopted``, children who ceased to be looked after because they were
adopted, 2016-2025, packaged in ``careboard/reference/data``): for each authority with at least six years and
never fewer than 5 adoptions, the sd of the log of its yearly adoptions around their own straight line, less
what Poisson chance gives (``entry_variation.extra_sd``), by adoptions a year.

``--synth`` measures the same statistic on synthetic authorities (``careboard synth --adoption-variation``) over
2014-2026 at twelve seeds each, so the backtest's parameter can be chosen to give the published figure.  The
statistic is smaller than the parameter: a year's adoptions come from children who entered over about two
years (``_vary_adoption`` varies the share of each year's new periods on the adoption pathway).
"""

from __future__ import annotations

import argparse

import numpy as np

from entry_variation import SERIES_SQL, band_table, extra_sd

BANDS = ((0, 20), (20, 40), (40, 100_000))
MEASURE = "No_of LAC Adopted"


def published() -> np.ndarray:
    """(adoptions a year, extra sd) for every authority with enough years."""
    from importlib import resources

    import duckdb

    path = resources.files("careboard.reference") / "data" / "lait_values.parquet"
    rows = duckdb.connect().execute(SERIES_SQL, [str(path), MEASURE]).fetchall()
    by_la: dict[str, list[float]] = {}
    for la, _year, value in rows:
        by_la.setdefault(la, []).append(value)
    return np.array([(float(np.mean(s)), extra_sd(np.array(s))) for s in by_la.values()
                     if len(s) >= 6 and min(s) >= 5])


def synthetic(size: int, variation: float, seeds: range = range(1, 13)) -> tuple[float, float]:
    """(adoptions a year, median extra sd over the seeds), 2014-2026 (the first four years left out: the
    adoptions of children who entered before the simulation began are missing from them)."""
    from careboard.authorities import resolve
    from careboard.synth.dates import day
    from careboard.synth.lives import simulate
    from careboard.synth.postcodes import Geography, load_postcodes
    from careboard.years import year_end, year_start

    kent = resolve("886")
    geo = Geography(load_postcodes(), kent.ons_code)
    years = range(2018, 2027)
    sds, means = [], []
    for seed in seeds:
        lv = simulate(kent.code, kent.ons_code, geo, size, 2014, years[-1], seed, adoption_variation=variation)
        adopted = np.isin(lv.periods["rec"], ["E11", "E12"])
        end = lv.periods["end"][adopted]
        n = np.array([((end >= day(year_start(y))) & (end <= day(year_end(y)))).sum() for y in years], dtype=float)
        if n.min() < 1:
            continue
        sds.append(extra_sd(n))
        means.append(n.mean())
    return float(np.mean(means)), float(np.median(sds))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--synth", action="store_true", help="also measure synthetic authorities")
    args = ap.parse_args()
    pub = published()
    print(f"Adoptions a year beyond chance: {len(pub)} authorities, LAIT {MEASURE} 2016-2025; "
          f"{int((pub[:, 1] == 0).sum())} show none")
    band_table(pub, BANDS, "adoptions a year")
    if args.synth:
        print("\n| synthetic size | parameter | adoptions a year | extra sd (median of 12 seeds) |")
        print("|---:|---:|---:|---:|")
        for size in (500, 1200, 2000):
            for variation in (0.0, 0.15, 0.2, 0.25, 0.3):
                adoptions, sd = synthetic(size, variation)
                print(f"| {size} | {variation} | {adoptions:.0f} | {sd:.3f} |")


if __name__ == "__main__":
    main()
