"""How far English authorities' placement mix moves around its own trend, and the synthetic authorities beside them.

    python bench/mix_variation.py [--synth] [--seeds 8]

Published figures (LAIT ``LAC_Foster_Placements`` and ``LAC_SecHome_And_ChildHome``: the percentage of
children looked after on 31 March in foster care, and in secure and children's homes, 2020-2025, whole
percentages, packaged in ``careboard/reference/data``): for each authority with all six years, the
standard deviation of the logarithm of the share around its own straight line.  Chance and the rounding to
whole percentages are in the statistic, as they are in the synthetic authorities' (whose shares are rounded
the same way), so the two are compared as they stand.  Medians by the number looked after (``LACnum``).

``--synth`` measures the same on synthetic authorities (``careboard synth --mix-variation``) over the same
six years at several seeds, so the backtest's parameter (``bench/backtest.py``, ``MIX_VARIATION``) can be
chosen to give the published figures.
"""

from __future__ import annotations

import argparse
from importlib import resources

import duckdb
import numpy as np

from entry_variation import STOCK_BANDS, around_line_sd


def change_sd(values: np.ndarray) -> float:
    """Standard deviation of a log series' year-to-year changes (what a random walk shows; a straight line
    fitted to six years takes most of a walk's wander out of :func:`around_line_sd`)."""
    return float(np.diff(np.log(values)).std(ddof=1))


STATISTICS = {"around its line": around_line_sd, "year to year": change_sd}

YEARS = range(2020, 2026)
SHARES = {"foster care": "LAC_Foster_Placements", "children's homes": "LAC_SecHome_And_ChildHome"}
SERIES_SQL = """
SELECT la_number, year, TRY_CAST(value_raw AS DOUBLE) AS value
FROM read_parquet(?)
WHERE measure = ? AND year BETWEEN ? AND ? AND TRY_CAST(value_raw AS DOUBLE) IS NOT NULL
"""


def _series(con: duckdb.DuckDBPyConnection, path: str, measure: str) -> dict[str, dict[int, float]]:
    out: dict[str, dict[int, float]] = {}
    for la, year, value in con.execute(SERIES_SQL, [path, measure, YEARS[0], YEARS[-1]]).fetchall():
        out.setdefault(la, {})[year] = value
    return out


def published() -> dict[str, np.ndarray]:
    """For each share: rows of (mean number looked after, each statistic of its log share)."""
    path = str(resources.files("careboard.reference") / "data" / "lait_values.parquet")
    con = duckdb.connect()
    stock = _series(con, path, "LACnum")
    out = {}
    for name, measure in SHARES.items():
        rows = []
        for la, share in _series(con, path, measure).items():
            if all(y in share and share[y] > 0 and y in stock.get(la, {}) for y in YEARS):
                series = np.array([share[y] for y in YEARS])
                rows.append((np.mean([stock[la][y] for y in YEARS]), *(f(series) for f in STATISTICS.values())))
        out[name] = np.array(rows)
    return out


def synthetic(size: int, variation: float, seeds: range) -> dict[tuple[str, str], float]:
    """Median over the seeds of each statistic of each share for a synthetic authority of ``size``."""
    from careboard.authorities import resolve
    from careboard.synth.dates import day
    from careboard.synth.lives import simulate
    from careboard.synth.postcodes import Geography, load_postcodes
    from careboard.years import year_end

    kent = resolve("886")
    geo = Geography(load_postcodes(), kent.ons_code)
    found: dict[tuple[str, str], list[float]] = {}
    for seed in seeds:
        lv = simulate(kent.code, kent.ons_code, geo, size, YEARS[0] - 1, YEARS[-1], seed, mix_variation=variation)
        ep = lv.episodes
        shares: dict[str, list[int]] = {name: [] for name in SHARES}
        for y in YEARS:
            end = day(year_end(y))
            place = ep["place"][(ep["start"] <= end) & (ep["end"] > end)].astype(str)
            shares["foster care"].append(round(100 * np.char.startswith(place, "U").mean()))
            shares["children's homes"].append(round(100 * np.isin(place, ["K1", "K2"]).mean()))
        for name, series in shares.items():
            for stat, f in STATISTICS.items():
                found.setdefault((name, stat), []).append(f(np.array(series, dtype=float)))
    return {k: float(np.median(v)) for k, v in found.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--synth", action="store_true", help="also measure synthetic authorities")
    ap.add_argument("--seeds", type=int, default=16)
    args = ap.parse_args()
    pub = published()
    heads = [f"{name}, {stat}" for name in SHARES for stat in STATISTICS]
    print("| children looked after | authorities | " + " | ".join(heads) + " |")
    print("|---|---:|" + "---:|" * len(heads))
    for lo, hi in STOCK_BANDS:
        cells = []
        for name in SHARES:
            rows = pub[name][(pub[name][:, 0] >= lo) & (pub[name][:, 0] < hi)]
            cells += [f"{np.median(rows[:, 1 + i]):.3f}" for i in range(len(STATISTICS))]
        n = int(((pub["foster care"][:, 0] >= lo) & (pub["foster care"][:, 0] < hi)).sum())
        print(f"| {lo}-{hi if hi < 100_000 else ''} | {n} | " + " | ".join(cells) + " |")
    if args.synth:
        print("\n| synthetic size | mix variation | " + " | ".join(heads) + f" (medians of {args.seeds} seeds) |")
        print("|---:|---:|" + "---:|" * len(heads))
        for size in (250, 500, 1200, 1800):
            for variation in (0.0, 0.1, 0.15, 0.2, 0.3):
                got = synthetic(size, variation, range(1, args.seeds + 1))
                cells = [f"{got[(name, stat)]:.3f}" for name in SHARES for stat in STATISTICS]
                print(f"| {size} | {variation} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
