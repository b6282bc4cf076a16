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
