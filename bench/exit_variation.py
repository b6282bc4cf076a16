"""How much English authorities' yearly share of children leaving care varies beyond chance, and the synthetic
authorities beside them.

    python bench/exit_variation.py [--synth] [--seeds 8] [--sizes 500 1000 2000] [--exit-variation 0 0.15 0.3]

The forecast lets each category's exit and move rates wander from year to year (``estimate._Blocks.drift``,
prior ``DRIFT_PRIOR_SD``).  This asks how much real authorities' exits do.  Published figures (LAIT
``LACceased``, ``LACnum`` and ``LACnum_Start``, 2016-2025, packaged in ``careboard/reference/data``): for each
authority and year from 2017, the share of the children in care during the year who left it,
ceased / (looked after on the last 31 March + started in the year).  Around its own straight line (two degrees
of freedom used), the variance of its logarithm less what chance alone gives a binomial share ((1 - share) /
ceased) is the square of its *extra* variation: how far an authority's exits move from one year to the next
beyond its trend and beyond chance.  Medians by the number looked after.

``--synth`` measures the same on synthetic authorities made as the backtest's (``bench/backtest.py
--published``: each year's entries, the placement mix and adoptions varying as published ones do) at several
seeds, with the pace of leaving care still (``--exit-variation 0``: exits follow each child's path) or
wandering (``careboard synth --exit-variation``), so the backtest's setting can be chosen to give the
published figures.
"""

from __future__ import annotations

import argparse
from importlib import resources

import duckdb
import numpy as np

from entry_variation import STOCK_BANDS, around_line_sd, band_table

YEARS = range(2016, 2026)
SERIES_SQL = """
SELECT la_number, year, measure, TRY_CAST(value_raw AS DOUBLE) AS value
FROM read_parquet(?)
WHERE measure IN ('LACceased', 'LACnum', 'LACnum_Start') AND year BETWEEN ? AND ?
  AND TRY_CAST(value_raw AS DOUBLE) IS NOT NULL
"""


def extra_share_sd(ceased: np.ndarray, at_risk: np.ndarray) -> float:
    """Standard deviation of the log share leaving around its own straight line, beyond binomial chance."""
    share = ceased / at_risk
    t = np.arange(len(share), dtype=float)
    logs = np.log(share)
    resid = logs - np.polyval(np.polyfit(t, logs, 1), t)
    return float(np.sqrt(max(resid.var(ddof=2) - np.mean((1.0 - share) / ceased), 0.0)))


def published() -> list[tuple[float, float]]:
    """(mean looked after on 31 March, extra sd of the share leaving) for every authority with every year."""
    path = resources.files("careboard.reference") / "data" / "lait_values.parquet"
    rows = duckdb.connect().execute(SERIES_SQL, [str(path), YEARS[0], YEARS[-1]]).fetchall()
    by_la: dict[str, dict[str, dict[int, float]]] = {}
    for la, year, measure, value in rows:
        by_la.setdefault(la, {}).setdefault(measure, {})[year] = value
    out = []
    for series in by_la.values():
        if any(len(series.get(m, {})) < len(YEARS) for m in ("LACceased", "LACnum", "LACnum_Start")):
            continue
        stock = np.array([series["LACnum"][y] for y in YEARS])
        ceased = np.array([series["LACceased"][y] for y in YEARS[1:]])
        starts = np.array([series["LACnum_Start"][y] for y in YEARS[1:]])
        if ceased.min() < 20:
            continue
        out.append((float(stock.mean()), extra_share_sd(ceased, stock[:-1] + starts)))
    return out


def synthetic(size: int, seeds: range, exit_variation: float = 0.0) -> tuple[float, float, float]:
    """(mean looked after on 31 March, median extra sd of the share leaving, median sd of the number looked
    after on 31 March around its straight line) over the seeds, 2016-2025, for
    authorities made as the backtest's published set (entries, placement mix and adoptions varying), with
    the pace of leaving care wandering by ``exit_variation`` a year."""
    from backtest import ADOPTION_VARIATION, MIX_VARIATION
    from careboard.authorities import resolve
    from careboard.synth.dates import day
    from careboard.synth.lives import simulate
    from careboard.synth.postcodes import Geography, load_postcodes
    from careboard.years import year_end, year_start

    kent = resolve("886")
    geo = Geography(load_postcodes(), kent.ons_code)
    sds, stocks, stock_sds = [], [], []
    for seed in seeds:
        lv = simulate(kent.code, kent.ons_code, geo, size, 2012, YEARS[-1], seed, 0.0, 0.12, MIX_VARIATION,
                      ADOPTION_VARIATION, exit_variation)
        s, e = lv.periods["start"], lv.periods["end"]
        stock = np.array([((s <= day(year_end(y))) & (e > day(year_end(y)))).sum() for y in YEARS], dtype=float)
        ceased = np.array([((e >= day(year_start(y))) & (e <= day(year_end(y)))).sum() for y in YEARS[1:]],
                          dtype=float)
        starts = np.array([((s >= day(year_start(y))) & (s <= day(year_end(y)))).sum() for y in YEARS[1:]],
                          dtype=float)
        sds.append(extra_share_sd(ceased, stock[:-1] + starts))
        stocks.append(stock.mean())
        stock_sds.append(around_line_sd(stock))
    return float(np.mean(stocks)), float(np.median(sds)), float(np.median(stock_sds))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--synth", action="store_true", help="also measure synthetic authorities")
    # the defaults give the table docs/synth.md and bench/backtest.py quote (about 4 minutes on 2 cores)
    ap.add_argument("--seeds", type=int, default=8)
    ap.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000])
    ap.add_argument("--exit-variation", type=float, nargs="+", default=[0.0, 0.15, 0.3],
                    help="the synthetic authorities' settings to measure")
    args = ap.parse_args()
    pub = np.array(published())
    print(f"Share of the year's children in care who left it, beyond chance: {len(pub)} authorities, LAIT "
          f"LACceased / (LACnum last 31 March + LACnum_Start), {YEARS[1]}-{YEARS[-1]}; "
          f"{int((pub[:, 1] == 0).sum())} show none\n")
    band_table(pub, STOCK_BANDS, "looked after")
    if args.synth:
        print(f"\n| synthetic size | --exit-variation | looked after (mean) | share leaving: extra sd | "
              f"looked after: sd around its line (medians of {args.seeds} seeds) |")
        print("|---:|---:|---:|---:|---:|")
        for size in args.sizes:
            for variation in args.exit_variation:
                stock, sd, stock_sd = synthetic(size, range(1, args.seeds + 1), variation)
                print(f"| {size} | {variation} | {stock:.0f} | {sd:.3f} | {stock_sd:.3f} |", flush=True)


if __name__ == "__main__":
    main()
