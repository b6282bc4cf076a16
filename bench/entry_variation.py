"""How much English authorities' yearly starts vary beyond chance, and the synthetic authorities beside them.

    python bench/entry_variation.py [--synth]

Published figures (LAIT ``LACnum_Start``, children who started to be looked after each year, 2016-2025,
packaged in ``careboard/reference/data``): for each authority with at least six years and never fewer
than 30 starts, a straight line is fitted to the logarithm of its yearly starts; the variance of the
residuals (two degrees of freedom used by the line) less the variance chance alone gives a Poisson count
(about 1 / starts) is the square of its *extra* variation.  The medians by size say how far a real
authority's entries move from year to year beyond its trend.

The same for the number looked after on 31 March (``LACnum``): the sd of its log around a straight line
(no chance term: a stock is not a Poisson count), by size.

``--synth`` measures the same statistics on synthetic authorities (``careboard synth --entry-variation``)
over 2014-2026 at twelve seeds each, so the backtest's parameter can be chosen to give the published
figure.  The statistic is smaller than the parameter: re-entries are not varied, and a short series
under-reads a variance.
"""

from __future__ import annotations

import argparse
from importlib import resources

import duckdb
import numpy as np

BANDS = ((0, 200), (200, 400), (400, 700), (700, 100_000))

SERIES_SQL = """
SELECT la_number, year, TRY_CAST(value_raw AS DOUBLE) AS value
FROM read_parquet(?)
WHERE measure = ? AND TRY_CAST(value_raw AS DOUBLE) IS NOT NULL
ORDER BY la_number, year
"""
STOCK_BANDS = ((0, 300), (300, 700), (700, 1500), (1500, 100_000))


def extra_sd(starts: np.ndarray) -> float:
    """Standard deviation of log yearly starts around their own straight line, beyond Poisson chance."""
    t = np.arange(len(starts), dtype=float)
    logs = np.log(starts)
    resid = logs - np.polyval(np.polyfit(t, logs, 1), t)
    return float(np.sqrt(max(resid.var(ddof=2) - np.mean(1.0 / starts), 0.0)))


def around_line_sd(values: np.ndarray) -> float:
    """Standard deviation of a log series around its own straight line (two degrees of freedom used)."""
    t = np.arange(len(values), dtype=float)
    logs = np.log(values)
    return float((logs - np.polyval(np.polyfit(t, logs, 1), t)).std(ddof=2))


def published(measure: str = "LACnum_Start") -> list[tuple[float, float]]:
    """(mean a year, sd) for every authority with enough years: starts' extra sd, or the stock's sd."""
    path = resources.files("careboard.reference") / "data" / "lait_values.parquet"
    rows = duckdb.connect().execute(SERIES_SQL, [str(path), measure]).fetchall()
    by_la: dict[str, list[float]] = {}
    for la, _year, value in rows:
        by_la.setdefault(la, []).append(value)
    out = []
    for series in by_la.values():
        s = np.array(series)
        if measure == "LACnum_Start" and len(s) >= 6 and s.min() >= 30:
            out.append((float(s.mean()), extra_sd(s)))
        elif measure == "LACnum" and len(s) >= 8 and s.min() >= 50:
            out.append((float(s.mean()), around_line_sd(s)))
    return out


def synthetic(size: int, variation: float, seeds: range = range(1, 13)) -> tuple[float, float, float]:
    """(mean starts a year, median extra sd of starts, median sd of the 31 March stock) over the seeds,
    2014-2026."""
    from careboard.authorities import resolve
    from careboard.synth.dates import day
    from careboard.synth.lives import simulate
    from careboard.synth.postcodes import Geography, load_postcodes
    from careboard.years import year_end, year_start

    kent = resolve("886")
    geo = Geography(load_postcodes(), kent.ons_code)
    years = range(2014, 2027)
    sds, stock_sds, means = [], [], []
    for seed in seeds:
        lv = simulate(kent.code, kent.ons_code, geo, size, years[0], years[-1], seed, 0.0, variation)
        s, e = lv.periods["start"], lv.periods["end"]
        n = np.array([((s >= day(year_start(y))) & (s <= day(year_end(y)))).sum() for y in years], dtype=float)
        stock = np.array([((s <= day(year_end(y))) & (e > day(year_end(y)))).sum() for y in years], dtype=float)
        sds.append(extra_sd(n))
        stock_sds.append(around_line_sd(stock))
        means.append(n.mean())
    return float(np.mean(means)), float(np.median(sds)), float(np.median(stock_sds))


def band_table(rows: np.ndarray, bands: tuple[tuple[int, int], ...], what: str) -> None:
    """Print the median and quartiles of ``rows[:, 1]`` for each band of ``rows[:, 0]`` (a Markdown table)."""
    print(f"| {what} | authorities | sd: median | quartiles |")
    print("|---|---:|---:|---|")
    for lo, hi in bands:
        s = rows[(rows[:, 0] >= lo) & (rows[:, 0] < hi), 1]
        q1, q3 = np.quantile(s, [0.25, 0.75])
        print(f"| {lo}-{hi if hi < 100_000 else ''} | {len(s)} | {np.median(s):.3f} | {q1:.3f}-{q3:.3f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--synth", action="store_true", help="also measure synthetic authorities")
    args = ap.parse_args()
    pub = np.array(published())
    print(f"Starts a year beyond chance: {len(pub)} authorities, LAIT LACnum_Start 2016-2025; "
          f"{int((pub[:, 1] == 0).sum())} show none")
    band_table(pub, BANDS, "starts a year")
    stock = np.array(published("LACnum"))
    print(f"\nLooked after on 31 March, around a straight line: {len(stock)} authorities, LAIT LACnum 2016-2025")
    band_table(stock, STOCK_BANDS, "children looked after")
    if args.synth:
        print("\n| synthetic size | parameter | starts a year | starts' extra sd | stock's sd (median of 12 seeds) |")
        print("|---:|---:|---:|---:|---:|")
        for size in (250, 800, 2000):
            for variation in (0.0, 0.085, 0.12, 0.135, 0.15, 0.17):
                starts, sd, stock_sd = synthetic(size, variation)
                print(f"| {size} | {variation} | {starts:.0f} | {sd:.3f} | {stock_sd:.3f} |")

if __name__ == "__main__":
    main()
