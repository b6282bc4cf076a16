"""Monte-Carlo futures of the looked-after population: every child simulated, all futures at once.

Each simulated future holds every child looked after on day one plus the children who enter later.
Time moves in calendar months.  In each month a child leaves care or changes placement category with
the probability implied by their hazards (competing risks: 1 - exp(-(exit + move) x days)), ages on
their real birthday and leaves on their 18th.  Entrants arrive as Poisson counts by age band and
UASC status, each a copy of a real entrant from the estimation window (age at entry, UASC, first
placement category), on a uniform day of the month, and are at risk from that day.

All children of all futures sit in flat NumPy arrays tagged with their future's number, so a month
is a few dozen array operations whatever the number of futures; no Python loop touches a child.
Futures are run in fixed chunks (each with its own random stream), so results do not depend on how
many threads run them.  With ``parameter_uncertainty`` each future draws its own rates from their
gamma posteriors, so the intervals include the uncertainty of estimating the rates, not only the
chance of who leaves when.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from .estimate import Rates
from .states import (
    BAND_OF_AGE,
    CARE_EDGES,
    N_AGE,
    N_BAND,
    N_CAT,
    N_CDUR,
    N_SDUR,
    SPELL_EDGES,
    add_months,
    birthdays,
    bucket_lookup,
    day_number,
    to_date,
    year_and_monthday,
)

CHUNK = 125  # futures per random stream / work unit
MAX_EVENTS = 4  # events a child can have in one month (moves, then perhaps leaving)


@dataclass
class Adjustments:
    """Scenario changes to the estimated model (see scenarios.py for the YAML that builds them)."""

    entry_multiplier: np.ndarray = field(default_factory=lambda: np.ones((N_BAND, 2)))  # (band, uasc)
    redirect: np.ndarray = field(default_factory=lambda: np.eye(N_CAT))  # (from, to) for new placements
    redirect_stock: bool = False  # also move that share of children already placed, on day one
    stay_multiplier: np.ndarray = field(default_factory=lambda: np.ones(N_CAT))  # length of stay by category
    trend: bool = False  # continue the fitted trend in entries

    def is_base(self) -> bool:
        return (np.allclose(self.entry_multiplier, 1) and np.allclose(self.redirect, np.eye(N_CAT))
                and np.allclose(self.stay_multiplier, 1) and not self.trend)


@dataclass
class Simulation:
    """Children looked after at each month end, in every simulated future: counts[future, month, cat, band]."""

    dates: list[dt.date]
    counts: np.ndarray

    def totals(self) -> np.ndarray:
        """(future, month) children looked after in all."""
        return self.counts.sum(axis=(2, 3))

    def by_category(self) -> np.ndarray:
        """(future, month, category)."""
        return self.counts.sum(axis=3)


def _date_key(days: np.ndarray) -> np.ndarray:
    y, md = year_and_monthday(days)
    return (y * 10000 + md).astype(np.int32)


def month_ends(start: int, months: int) -> list[int]:
    d = to_date(start)
    return [day_number(add_months(d, k)) for k in range(months + 1)]


def _run_chunk(*args: object) -> np.ndarray:
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):  # a zero hazard means "never": inf wait
        return _chunk(*args)  # type: ignore[arg-type]


def _chunk(rates: Rates, adj: Adjustments, steps: list[int], n: int, seed: np.random.SeedSequence,
               uncertainty: bool) -> np.ndarray:
    rng = np.random.default_rng(seed)
    months = len(steps) - 1
    counts = np.zeros((n, months + 1, N_CAT, N_BAND), dtype=np.int32)
    stay = adj.stay_multiplier[:, None, None]
    # per-future rate tables, flattened: index = ((future * N_CAT + cat) * N_AGE + age) * D + dur
    if uncertainty:
        ex = rng.gamma(rates.exit_alpha.ravel(), 1.0, size=(n, rates.exit_alpha.size)) / rates.exit_beta.ravel()
        mv = rng.gamma(rates.move_alpha.ravel(), 1.0, size=(n, rates.move_alpha.size)) / rates.move_beta.ravel()
        ex = (ex.reshape(n, *rates.exit_alpha.shape) / stay).astype(np.float32).ravel()
        mv = (mv.reshape(n, *rates.move_alpha.shape) / stay).astype(np.float32).ravel()
        ent = rng.gamma(rates.entry_count + 0.5, 1.0, size=(n, *rates.entry_count.shape)) \
            / (rates.window[1] - rates.window[0])
        ent = ent * (rates.entry_count > 0)
    else:
        ex = np.tile((rates.exit_rate / stay).astype(np.float32).ravel(), n)
        mv = np.tile((rates.move_rate / stay).astype(np.float32).ravel(), n)
        ent = np.broadcast_to(rates.entry_rate, (n, *rates.entry_rate.shape)).copy()
    ent = ent * adj.entry_multiplier[None]
    slope = np.zeros(n)
    if adj.trend:
        slope = rates.trend_per_year + (rng.standard_normal(n) * rates.trend_se if uncertainty else 0.0)

    dest = np.einsum("obk,kd->obd", rates.dest, adj.redirect)
    cum = np.cumsum(dest, axis=2).astype(np.float32)
    cum[..., -1] = 1.0 + 1e-6
    lut_c = bucket_lookup(CARE_EDGES)
    lut_s = bucket_lookup(SPELL_EDGES)

    # entrant pool sorted by stratum (band * 2 + uasc)
    stratum = rates.entrants_band.astype(np.int64) * 2 + rates.entrants_uasc.astype(np.int64)
    order = np.argsort(stratum, kind="stable")
    pool_age, pool_cat = rates.entrants_age[order], rates.entrants_cat[order]
    size = np.bincount(stratum, minlength=N_BAND * 2)
    offset = np.concatenate([[0], np.cumsum(size)[:-1]])
    ent_flat = ent.reshape(n, N_BAND * 2) * (size > 0)
    redirect_cum = np.cumsum(adj.redirect, axis=1)
    redirect_cum[:, -1] = 1.0 + 1e-9
    has_redirect = not np.allclose(adj.redirect, np.eye(N_CAT))

    def redirect(cat: np.ndarray) -> np.ndarray:
        if not has_redirect or not len(cat):
            return cat
        u = rng.random(len(cat))
        return (u[:, None] >= redirect_cum[cat]).sum(axis=1).astype(np.int8)

    # day-one population, copied into every future
    m = len(rates.pop_cat)
    fut = np.repeat(np.arange(n, dtype=np.int32), m)
    cat = np.tile(rates.pop_cat.astype(np.int8), n)
    if adj.redirect_stock:
        cat = redirect(cat)
    dob = np.tile(rates.pop_dob, n)
    cst = np.tile(rates.pop_period_start, n).astype(np.int32)
    sst = np.tile(rates.pop_spell_start, n).astype(np.int32)
    b18 = birthdays(dob, 18).astype(np.int32)
    dob_key = _date_key(dob)  # yyyymmdd: whole years of age = (day's key - birth key) // 10000

    def snapshot(k: int, age: np.ndarray) -> None:
        idx = (fut * N_CAT + cat) * N_BAND + BAND_OF_AGE[age]
        counts[:, k] = np.bincount(idx, minlength=n * N_CAT * N_BAND).reshape(n, N_CAT, N_BAND)

    def age_on(day: int) -> np.ndarray:
        return np.clip((int(_date_key(np.array([day]))[0]) - dob_key) // 10000, 0, N_AGE - 1)

    snapshot(0, age_on(steps[0]))
    for k in range(months):
        t0, t1 = steps[k], steps[k + 1]
        span = t1 - t0
        # entrants this month
        years_on = (t0 + span / 2 - steps[0]) / 365.25
        lam = ent_flat * (span * np.exp(slope * years_on))[:, None]
        got = rng.poisson(lam)
        total = int(got.sum())
        since = np.full(len(cat), t0, dtype=np.int32)
        if total:
            e_fut = np.repeat(np.repeat(np.arange(n, dtype=np.int32), N_BAND * 2), got.ravel())
            e_str = np.repeat(np.tile(np.arange(N_BAND * 2), n), got.ravel())
            pick = offset[e_str] + (rng.random(total) * size[e_str]).astype(np.int64)
            e_day = (t0 + 1 + (rng.random(total) * span).astype(np.int64)).astype(np.int32)
            e_dob = e_day - pool_age[pick]
            fut = np.concatenate([fut, e_fut])
            cat = np.concatenate([cat, redirect(pool_cat[pick].astype(np.int8))])
            dob_key = np.concatenate([dob_key, _date_key(e_dob)])
            b18 = np.concatenate([b18, birthdays(e_dob, 18).astype(np.int32)])
            cst = np.concatenate([cst, e_day])
            sst = np.concatenate([sst, e_day])
            since = np.concatenate([since, e_day])
        # leave at 18; then competing risks of leaving care and changing category, event by event: a
        # child who moves can move again or leave in the same month (short stays are not stretched)
        stay_in = b18 > t1
        age = age_on(t1)
        leave = ~stay_in
        at = None  # the first pass runs over every child (no gathers); later passes over those with events
        now = since
        for _ in range(MAX_EVENTS):
            if at is None:
                c_, a_, f_, cs_, ss_ = cat, age, fut, cst, sst
            else:
                if not len(at):
                    break
                c_, a_, f_, cs_, ss_ = cat[at], age[at], fut[at], cst[at], sst[at]
            mid = (now + t1) >> 1
            base = (f_ * N_CAT + c_) * N_AGE + a_
            h_ex = ex[base * N_CDUR + lut_c[mid - cs_]]
            h_mv = mv[base * N_SDUR + lut_s[mid - ss_]]
            h = h_ex + h_mv
            wait = rng.standard_exponential(len(h), dtype=np.float32) / h  # h > 0: gamma draws, prior > 0
            hit = wait < (t1 - now)
            if at is None:
                hit &= stay_in
                at = np.flatnonzero(hit)
            else:
                at = at[hit]
            now, wait, h_ex, h_mv, h = now[hit], wait[hit], h_ex[hit], h_mv[hit], h[hit]
            u = rng.random(len(at), dtype=np.float32) * h
            out = u < h_ex
            leave[at[out]] = True
            at, now, wait, u, h_ex, h_mv = at[~out], now[~out], wait[~out], u[~out], h_ex[~out], h_mv[~out]
            v = (u - h_ex) / np.maximum(h_mv, 1e-30)
            c = cat[at]
            new = (v[:, None] >= cum[c, BAND_OF_AGE[age[at]], :-1]).sum(axis=1).astype(np.int8)
            changed = new != c
            at, now = at[changed], (now + wait)[changed].astype(np.int32)
            cat[at] = new[changed]
            sst[at] = now
        keep = stay_in & ~leave
        fut, cat, dob_key, b18, cst, sst, age = (a[keep] for a in (fut, cat, dob_key, b18, cst, sst, age))
        snapshot(k + 1, age)
    return counts


def simulate(rates: Rates, months: int, n_sims: int = 1000, seed: int = 1, adjustments: Adjustments | None = None,
             parameter_uncertainty: bool = True, workers: int = 2) -> Simulation:
    """Simulate ``n_sims`` futures ``months`` months on from the model's start date."""
    if months < 1 or n_sims < 1:
        raise ValueError("months and n_sims must be at least 1")
    adj = adjustments or Adjustments()
    steps = month_ends(rates.as_of, months)
    sizes = [min(CHUNK, n_sims - s) for s in range(0, n_sims, CHUNK)]
    seeds = np.random.SeedSequence(seed).spawn(len(sizes))
    if workers <= 1 or len(sizes) == 1:
        parts = [_run_chunk(rates, adj, steps, s, q, parameter_uncertainty) for s, q in zip(sizes, seeds, strict=True)]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(lambda a: _run_chunk(rates, adj, steps, a[0], a[1], parameter_uncertainty),
                                  zip(sizes, seeds, strict=True)))
    return Simulation(dates=[to_date(s) for s in steps], counts=np.concatenate(parts, axis=0))
