"""Backtests: cut the history at a past date, forecast from there, and compare with what happened.

The cut is applied to the care histories (``Spells.cut``): episodes that began later are unseen and
episodes that ended later are open, exactly what an analyst would have known that day.  Actuals are
the children looked after at the end of each horizon, by placement category and by their age that
day, counted from the full history the same way the forecast counts them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from .estimate import Spells, fit, stock_at
from .simulate import Adjustments, simulate
from .states import CATEGORIES, add_months, day_number

HORIZONS = (6, 12, 24)

# cs-demand-model's four categories, from careboard's eight, for like-for-like comparison.
CSDM_GROUPS = {
    "FOSTERING": ("Kinship fostering", "In-house fostering", "Agency fostering"),
    "RESIDENTIAL": ("Children's homes",),
    "SUPPORTED": ("Supported accommodation",),
    "OTHER": ("With parents", "Placed for adoption", "Other"),
}


@dataclass
class BacktestRow:
    origin: dt.date
    horizon_months: int
    date: dt.date
    category: str
    actual: int
    forecast: float  # median of the simulated futures
    lower: float  # 10th percentile
    upper: float  # 90th percentile

    @property
    def error(self) -> float:
        return self.forecast - self.actual

    @property
    def abs_pct_error(self) -> float:
        return abs(self.error) / self.actual * 100 if self.actual else float("nan")

    @property
    def covered(self) -> bool:
        return self.lower <= self.actual <= self.upper


def backtest(spells: Spells, origin: dt.date, data_start: dt.date, data_end: dt.date,
             horizons: tuple[int, ...] = HORIZONS, n_sims: int = 1000, seed: int = 1, window_years: float = 3.0,
             adjustments: Adjustments | None = None, groups: dict[str, tuple[str, ...]] | None = None
             ) -> list[BacktestRow]:
    """Forecast from ``origin`` with only what was known then; rows for each category and the total.

    Horizons that end after ``data_end`` (no actuals yet) are left out.  ``groups`` maps reported
    names to sets of categories (e.g. ``CSDM_GROUPS``); by default each category is its own row.
    """
    usable = [h for h in horizons if add_months(origin, h) <= data_end]
    if not usable:
        raise ValueError(f"no horizon of {list(horizons)} months after {origin} ends by {data_end}, the data's end")
    rates = fit(spells, origin, window_years=window_years, data_start=data_start)
    sim = simulate(rates, max(usable), n_sims=n_sims, seed=seed, adjustments=adjustments)
    dates = [add_months(origin, h) for h in usable]
    actual = stock_at(spells, np.array([day_number(d) for d in dates])).sum(axis=2)  # (h, cat)
    fc = sim.by_category()[:, usable]  # (sim, h, cat)
    named = groups or {c: (c,) for c in CATEGORIES}
    named = {**named, "Total": CATEGORIES}
    rows = []
    for name, cats in named.items():
        idx = [CATEGORIES.index(c) for c in cats]
        a = actual[:, idx].sum(axis=1)
        f = fc[:, :, idx].sum(axis=2)
        q = np.percentile(f, [10, 50, 90], axis=0)
        for j, h in enumerate(usable):
            rows.append(BacktestRow(origin, h, dates[j], name, int(a[j]), float(q[1, j]), float(q[0, j]),
                                    float(q[2, j])))
    return rows


def summarise(rows: list[BacktestRow]) -> list[dict[str, object]]:
    """Mean absolute percentage error by horizon: over categories (excluding Total) and for the total."""
    out = []
    for h in sorted({r.horizon_months for r in rows}):
        cats = [r for r in rows if r.horizon_months == h and r.category != "Total"]
        tot = [r for r in rows if r.horizon_months == h and r.category == "Total"]
        out.append({
            "horizon_months": h,
            "category_mape": float(np.nanmean([r.abs_pct_error for r in cats])),
            "category_mae": float(np.mean([abs(r.error) for r in cats])),
            "total_ape": float(np.mean([r.abs_pct_error for r in tot])),
            "coverage_80": float(np.mean([r.covered for r in cats + tot])),
        })
    return out


def coverage_interval(covered: np.ndarray, horizon_months: int, spacing_months: int = 6, level: float = 0.95,
                      n_boot: int = 4000, seed: int = 1) -> tuple[float, float, float, float]:
    """Coverage and an interval for it that respects how backtest outcomes cluster.

    ``covered`` is boolean, shaped (authority, origin, outcome): whether each outcome (e.g. each
    category) at each origin fell inside its interval.  Outcomes are not independent draws: the
    categories at one origin share one future, neighbouring origins share most of it (at 24 months
    origins six months apart share 18 of their 24 months), and all of an authority's origins share
    its history; separate authorities (separate seeds) are independent.

    The interval is a Wilson score interval on an effective number of outcomes, n / deff.  The
    design effect deff is the larger of two: the overlap of the origins' futures alone,
    ``horizon / spacing`` (capped at the number of origins), and the one a bootstrap measures
    (resample variance over the binomial p(1-p)/n), where the bootstrap resamples whole
    authorities when there are two or more, else the authority's origins in circular blocks as
    long as the horizon.  Why not the bootstrap's percentiles alone: with six origins or a few
    authorities all covered, every resample is 100% and the interval would collapse to a point,
    though 6 of 6 is what an 80% interval gives by chance more than a quarter of the time.
    Returns (coverage, lower, upper, effective n).
    """
    from scipy.stats import norm  # only here: keeps scipy.stats off the forecast's import path

    cov = np.asarray(covered, dtype=float)
    if cov.ndim != 3 or 0 in cov.shape:
        raise ValueError(f"covered must be shaped (authority, origin, outcome) and non-empty, got {cov.shape}")
    rng = np.random.default_rng(seed)
    n_auth, n_orig, _ = cov.shape
    n, p = cov.size, float(cov.mean())
    if n_auth > 1:
        per_authority = cov.mean(axis=(1, 2))
        stats = per_authority[rng.integers(0, n_auth, (n_boot, n_auth))].mean(axis=1)
    else:
        per_origin = cov[0].mean(axis=1)
        block = min(n_orig, max(1, -(-horizon_months // spacing_months)))
        starts = rng.integers(0, n_orig, (n_boot, -(-n_orig // block)))
        idx = ((starts[:, :, None] + np.arange(block)) % n_orig).reshape(n_boot, -1)[:, :n_orig]
        stats = per_origin[idx].mean(axis=1)
    deff = float(min(n_orig, max(1.0, horizon_months / spacing_months)))
    if 0.0 < p < 1.0:
        deff = max(deff, float(stats.var()) / (p * (1 - p) / n))
    n_eff = n / deff
    z = float(norm.ppf((1 + level) / 2))
    centre = (p + z * z / (2 * n_eff)) / (1 + z * z / n_eff)
    half = z / (1 + z * z / n_eff) * np.sqrt(p * (1 - p) / n_eff + z * z / (4 * n_eff * n_eff))
    return p, float(max(0.0, centre - half)), float(min(1.0, centre + half)), float(n_eff)


def band_verdict(lower: float, upper: float, band: tuple[float, float] = (0.75, 0.85)) -> str:
    """Where a coverage interval lies against the aimed-for band: 'below' or 'above' it (a miss
    that chance does not explain), 'band inside' (every calibrated value is consistent), or
    'overlaps' (part of the band is)."""
    if upper < band[0]:
        return "below"
    if lower > band[1]:
        return "above"
    if lower <= band[0] and upper >= band[1]:
        return "band inside"
    return "overlaps"
