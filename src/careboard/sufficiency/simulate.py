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

from .estimate import ENTRY_DAMPING, ENTRY_SLOPE_WANDER, EXIT_ON_SPELL_CLOCK, Rates
from .states import (
    BAND_OF_AGE,
    CARE_EDGES,
    CAT_INDEX,
    N_AGE,
    N_BAND,
    N_CAT,
    N_CDUR,
    N_SDUR,
    NEED_HIGH,
    SPELL_EDGES,
    add_months,
    birthdays,
    bucket_lookup,
    day_number,
    to_date,
    year_and_monthday,
)

CHUNK = 125  # futures per random stream / work unit
CARE_UNKNOWN, SPELL_UNKNOWN = 64, 128  # flags kept in the needs byte during the simulation
NEED_BITS = 63  # the needs proper (states.NEED_* and the sibling group)
MAX_EVENTS = 4  # events a child can have in one month (moves, then perhaps leaving)
# How far each future's entry level and slope stray from the filter's estimate, as a share of the filter's
# posterior sd (estimate.entry_state).  Chosen on the twenty backtest authorities A-T whose years vary as
# published starts do (bench/backtest.py --varied; 1.0 left their totals' 80% intervals holding 90% at
# 12 months, 0.8 holds 84%), checked once on six more (U-Z).  It was 0.6 while the backtest's
# authorities had no year unlike another but for chance, which made intervals too narrow for real ones.
ENTRY_STATE_SD_SCALE = 0.8


def window_lag_years(rates: Rates) -> float:
    """How far, in years of wander, today's rates and placement mix are from the window's estimates of them.

    The rates and the mix are estimated over the window (its events over its exposure), but the model says
    they wander as random walks; today's value then differs from the window's average by a walk of a third
    of the window's length (the variance of a random walk's end about its own average over W years is
    W / 3 years' worth).  Without this, every future would start from the window's average as if it were
    today's, and intervals would be too narrow by that much at every horizon.
    """
    t0, t1 = rates.window
    return max(t1 - t0, 0) / 365.25 / 3


@dataclass
class Adjustments:
    """Scenario changes to the estimated model (see scenarios.py for the YAML that builds them)."""

    entry_multiplier: np.ndarray = field(default_factory=lambda: np.ones((N_BAND, 2)))  # (band, uasc)
    redirect: np.ndarray = field(default_factory=lambda: np.eye(N_CAT))  # (from, to) for new placements
    redirect_stock: bool = False  # also move that share of children already placed, on day one
    stay_multiplier: np.ndarray = field(default_factory=lambda: np.ones(N_CAT))  # length of stay by category
    trend: str = "auto"  # entries: 'auto' (filtered slope, decaying), 'fitted' (slope kept), 'none' (flat)
    drift_scale: float = 1.0  # multiplies the between-year variation (0: rates fixed over the horizon)



@dataclass
class Simulation:
    """Children looked after at each month end, in every simulated future: counts[future, month, cat, band].

    ``detail`` holds, for the months asked for and the first ``detail_futures`` futures, every
    simulated child: arrays ``future, cat, age, area, need`` (needs as states.NEED_* bits, with
    NEED_HIGH set for a child who has been in a children's home), for matching children to places.
    """

    dates: list[dt.date]
    counts: np.ndarray
    detail: dict[int, dict[str, np.ndarray]] = field(default_factory=dict)

    def totals(self) -> np.ndarray:
        """(future, month) children looked after in all."""
        return self.counts.sum(axis=(2, 3))

    def by_category(self) -> np.ndarray:
        """(future, month, category)."""
        return self.counts.sum(axis=3)


def entry_trend(rates: Rates, mode: str = "auto") -> tuple[float, float]:
    """(mean, sd) of the yearly log change in entries at the start, as the futures draw it.

    The slope of the entries' local linear trend (estimate.entry_state): 'auto' and 'fitted' take it
    as filtered ('auto' lets it decay over the horizon, 'fitted' keeps it); 'none' assumes none.
    """
    if mode == "none":
        return 0.0, 0.0
    return float(rates.entry_state[1]), float(np.sqrt(rates.entry_state_cov[1, 1]))


def _tilted_mix(dest: np.ndarray, entry_mix: np.ndarray, weight: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each future's placement mix with category ``weight`` (n, cat): moves' cumulative destinations,
    and for entrants the chance of keeping the copied first category and the cumulative mix of the rest.

    An entrant keeps its category with probability min(1, q / p) and otherwise takes one from the
    excess max(0, q - p): the result has the tilted mix q exactly while changing as few entrants as
    possible, so their age and category stay as they were seen wherever the mix allows.
    """
    d = dest[None] * weight[:, None, None, :]
    total = d.sum(axis=3, keepdims=True)
    d = np.divide(d, total, out=np.zeros_like(d), where=total > 0)
    cum = np.cumsum(d, axis=3).astype(np.float32)
    cum[..., -1] = 1.0 + 1e-6
    q = entry_mix[None] * weight[:, None, :]
    q /= np.maximum(q.sum(axis=2, keepdims=True), 1e-12)
    p = entry_mix[None]
    keep = np.where(p > 0, np.minimum(1.0, q / np.where(p > 0, p, 1.0)), 1.0)
    excess = np.maximum(q - p, 0.0)
    excess_cum = np.cumsum(excess / np.maximum(excess.sum(axis=2, keepdims=True), 1e-12), axis=2)
    excess_cum[..., -1] = 1.0 + 1e-9
    return cum, keep, excess_cum


def _chol(cov: np.ndarray) -> np.ndarray:
    """Cholesky factor of a covariance, nudged to be positive definite (a filter's rounding)."""
    return np.linalg.cholesky(cov + np.eye(len(cov)) * 1e-12)


def _date_key(days: np.ndarray) -> np.ndarray:
    y, md = year_and_monthday(days)
    return (y * 10000 + md).astype(np.int32)


def month_ends(start: int, months: int) -> list[int]:
    d = to_date(start)
    return [day_number(add_months(d, k)) for k in range(months + 1)]


def _run_chunk(*args: object) -> tuple[np.ndarray, dict[int, dict[str, np.ndarray]]]:
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):  # a zero hazard means "never": inf wait
        return _chunk(*args)  # type: ignore[arg-type]


def _chunk(rates: Rates, adj: Adjustments, steps: list[int], n: int, seed: np.random.SeedSequence,
           uncertainty: bool, detail_months: tuple[int, ...] = (), detail_n: int = 0
           ) -> tuple[np.ndarray, dict[int, dict[str, np.ndarray]]]:
    rng = np.random.default_rng(seed)
    detail: dict[int, dict[str, np.ndarray]] = {}
    months = len(steps) - 1
    counts = np.zeros((n, months + 1, N_CAT, N_BAND), dtype=np.int32)
    stay = adj.stay_multiplier[:, None, None]
    # per-future rate tables, flattened: index = ((future * N_CAT + cat) * N_AGE + age) * D + dur
    if uncertainty:
        ex = rng.gamma(rates.exit_alpha.ravel(), 1.0, size=(n, rates.exit_alpha.size)) / rates.exit_beta.ravel()
        mv = rng.gamma(rates.move_alpha.ravel(), 1.0, size=(n, rates.move_alpha.size)) / rates.move_beta.ravel()
        ex = (ex.reshape(n, *rates.exit_alpha.shape) / stay).astype(np.float32).ravel()
        mv = (mv.reshape(n, *rates.move_alpha.shape) / stay).astype(np.float32).ravel()
        share = rng.gamma(rates.entry_count + 0.5, 1.0, size=(n, *rates.entry_count.shape))
        share = share * (rates.entry_count > 0)
        state = rates.entry_state + ENTRY_STATE_SD_SCALE * rng.standard_normal((n, 2)) @ _chol(rates.entry_state_cov).T
    else:
        ex = np.tile((rates.exit_rate / stay).astype(np.float32).ravel(), n)
        mv = np.tile((rates.move_rate / stay).astype(np.float32).ravel(), n)
        share = np.broadcast_to(rates.entry_count, (n, *rates.entry_count.shape)).copy()
        state = np.broadcast_to(rates.entry_state, (n, 2)).copy()
    # entries a day by (band, uasc): the split seen in the window times the level where entries stand
    share = share / np.maximum(share.sum(axis=(1, 2), keepdims=True), 1e-300)
    ent = share * adj.entry_multiplier[None]
    level, slope = state[:, 0], state[:, 1] * (adj.trend != "none")
    damping = 1.0 if adj.trend == "fitted" else ENTRY_DAMPING
    slope_sd = ENTRY_SLOPE_WANDER * np.sqrt(1 / 12) * adj.drift_scale * (adj.trend != "none")

    dest = np.einsum("obk,kd->obd", rates.dest, adj.redirect)
    cum = np.cumsum(dest, axis=2).astype(np.float32)
    cum[..., -1] = 1.0 + 1e-6
    lut_c = bucket_lookup(CARE_EDGES)
    spell_clock = EXIT_ON_SPELL_CLOCK
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
    top_c, top_s = int(CARE_EDGES[-1]), int(SPELL_EDGES[-1])
    b18 = birthdays(dob, 18).astype(np.int32)
    dob_key = _date_key(dob)  # yyyymmdd: whole years of age = (day's key - birth key) // 10000

    def snapshot(k: int, age: np.ndarray, alive: np.ndarray | None) -> None:
        idx = (fut * N_CAT + cat) * N_BAND + BAND_OF_AGE[age]
        counts[:, k] = np.bincount(idx if alive is None else idx[alive],
                                   minlength=n * N_CAT * N_BAND).reshape(n, N_CAT, N_BAND)
        if k in detail_months and detail_n:
            sel = fut < detail_n
            if alive is not None:
                sel &= alive
            detail[k] = {"future": fut[sel], "cat": cat[sel], "age": age[sel].astype(np.int8), "area": area[sel],
                         "need": need[sel] & NEED_BITS}

    def age_on(day: int) -> np.ndarray:
        return np.clip((int(_date_key(np.array([day]))[0]) - dob_key) // 10000, 0, N_AGE - 1)

    # between-year variation: each future's category exit and move rates, and its entry rate, wander
    # as random walks in their logs (sd a year estimated from the history; see estimate._Blocks.drift)
    walk_ex = np.zeros((n, N_CAT), dtype=np.float32)
    walk_mv = np.zeros((n, N_CAT), dtype=np.float32)
    walk_en = np.zeros(n)
    walk_pace = np.zeros(n, dtype=np.float32)  # the pace of leaving care every category's exits share
    pace_rng = rng.spawn(1)[0]  # its own stream: the futures' other draws are those of a forecast without it
    walk_mix = np.zeros((n, N_CAT))
    scale = np.sqrt(1 / 12) * adj.drift_scale  # a month's step of a walk with this sd a year
    yearly_ex, yearly_mv, yearly_mix = (np.broadcast_to(np.asarray(x, dtype=float), (N_CAT,))
                                        for x in (rates.drift_exit, rates.drift_move, rates.drift_mix))
    sd_ex, sd_mv, sd_mix = yearly_ex * scale, yearly_mv * scale, yearly_mix * scale
    sd_en = rates.drift_entry * scale
    sd_pace = rates.drift_exit_common * scale
    if uncertainty and adj.drift_scale:  # where the wandering rates and mix stand today: the window's are behind
        lag = np.sqrt(window_lag_years(rates)) * adj.drift_scale
        walk_ex += (rng.standard_normal((n, N_CAT)) * yearly_ex * lag).astype(np.float32)
        walk_pace += (pace_rng.standard_normal(n) * rates.drift_exit_common * lag).astype(np.float32)
        walk_mv += (rng.standard_normal((n, N_CAT)) * yearly_mv * lag).astype(np.float32)
        walk_mix += rng.standard_normal((n, N_CAT)) * yearly_mix * lag
    # each future year's own change in entries (12 months from the start each), beyond the trend and its wander
    year_sd = rates.year_entry * adj.drift_scale if uncertainty else 0.0
    year_en = rng.standard_normal((n, months // 12 + 1)) * year_sd if year_sd else np.zeros((n, months // 12 + 1))
    band_of_pool = rates.entrants_band[order].astype(np.int64)
    pool_mix = np.zeros((N_BAND, N_CAT))
    np.add.at(pool_mix, (band_of_pool, pool_cat), 1)
    pool_mix /= np.maximum(pool_mix.sum(axis=1, keepdims=True), 1)
    cum_f = np.broadcast_to(cum, (n, *cum.shape))
    keep_f = excess_cum = None
    # needs, and two flags in the same byte: the period (CARE_UNKNOWN) or the spell in the current category
    # (SPELL_UNKNOWN) began before the returns, so its duration sits in the extra "began before the
    # returns" bucket until the lower bound reaches the top bucket (estimate._Blocks)
    need = np.tile(rates.pop_need | np.where(rates.pop_care_unknown, CARE_UNKNOWN, 0).astype(np.uint8)
                   | np.where(rates.pop_spell_unknown, SPELL_UNKNOWN, 0).astype(np.uint8), n)
    area = np.tile(rates.pop_area, n)
    pool_need, pool_area = rates.entrants_need[order], rates.entrants_area[order]
    home = np.int8(CAT_INDEX["Children's homes"])
    keep = None  # children still looked after at the last month end (compacted with the next month's entrants)
    snapshot(0, age_on(steps[0]), None)
    ex3, mv3 = ex.reshape(n, N_CAT, -1), mv.reshape(n, N_CAT, -1)
    ex_m, mv_m = ex, mv
    for k in range(months):
        t0, t1 = steps[k], steps[k + 1]
        span = t1 - t0
        if uncertainty and (sd_ex.any() or sd_mv.any() or sd_en or sd_mix.any() or sd_pace):
            walk_ex += (rng.standard_normal((n, N_CAT)) * sd_ex).astype(np.float32)
            walk_pace += (pace_rng.standard_normal(n) * sd_pace).astype(np.float32)
            walk_mv += (rng.standard_normal((n, N_CAT)) * sd_mv).astype(np.float32)
            walk_en += rng.standard_normal(n) * sd_en
            if sd_mix.any():
                walk_mix += rng.standard_normal((n, N_CAT)) * sd_mix
                cum_f, keep_f, excess_cum = _tilted_mix(dest, pool_mix, np.exp(walk_mix))
            # the wander multiplies each future's category rates: fold it into the tables, not per child
            ex_m = (ex3 * np.exp(walk_ex + walk_pace[:, None])[:, :, None]).ravel()
            mv_m = (mv3 * np.exp(walk_mv)[:, :, None]).ravel()
        # entrants this month
        dt_y = span / 365.25
        lam = ent_flat * (span * np.exp(level + slope * dt_y / 2 + walk_en + year_en[:, k // 12]))[:, None]
        level = level + slope * dt_y
        slope = slope * damping**dt_y
        if uncertainty and slope_sd:
            slope = slope + rng.standard_normal(n) * slope_sd
        got = rng.poisson(lam)
        total = int(got.sum())
        if keep is not None:  # last month's leavers out; one copy of each array a month
            fut, cat, dob_key, b18, cst, sst, need, area = (
                a[keep] for a in (fut, cat, dob_key, b18, cst, sst, need, area))
        since = np.full(len(cat), t0, dtype=np.int32)
        if total:
            e_fut = np.repeat(np.repeat(np.arange(n, dtype=np.int32), N_BAND * 2), got.ravel())
            e_str = np.repeat(np.tile(np.arange(N_BAND * 2), n), got.ravel())
            pick = offset[e_str] + (rng.random(total) * size[e_str]).astype(np.int64)
            e_day = (t0 + 1 + (rng.random(total) * span).astype(np.int64)).astype(np.int32)
            e_dob = e_day - pool_age[pick]
            fut = np.concatenate([fut, e_fut])
            e_cat = pool_cat[pick].astype(np.int8)
            if keep_f is not None:  # this future's placement mix: keep the copied category or swap it
                e_band = band_of_pool[pick]
                swap = rng.random(total) >= keep_f[e_fut, e_band, e_cat]
                u = rng.random(int(swap.sum()))
                e_cat[swap] = (u[:, None] >= excess_cum[e_fut[swap], e_band[swap], :-1]).sum(axis=1)
            cat = np.concatenate([cat, redirect(e_cat)])
            dob_key = np.concatenate([dob_key, _date_key(e_dob)])
            b18 = np.concatenate([b18, birthdays(e_dob, 18).astype(np.int32)])
            cst = np.concatenate([cst, e_day])
            sst = np.concatenate([sst, e_day])
            need = np.concatenate([need, pool_need[pick]])
            area = np.concatenate([area, pool_area[pick]])
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
                c_, a_, f_, cs_, ss_, nd_ = cat, age, fut, cst, sst, need
            else:
                if not len(at):
                    break
                c_, a_, f_, cs_, ss_, nd_ = cat[at], age[at], fut[at], cst[at], sst[at], need[at]
            mid = (now + t1) >> 1
            base = (f_ * N_CAT + c_) * N_AGE + a_
            in_spell = mid - ss_
            d_ex = lut_c[mid - cs_]
            d_mv = lut_s[in_spell]
            # the few exceptions, fixed where they are: exits on the spell's clock (placed for adoption),
            # and durations that began before the returns
            odd = np.flatnonzero(spell_clock[c_] | (nd_ >= CARE_UNKNOWN))
            if len(odd):
                clock = spell_clock[c_[odd]]
                dur = np.where(clock, in_spell[odd], mid[odd] - cs_[odd])
                nd = nd_[odd]
                unknown = np.where(clock, nd & SPELL_UNKNOWN, nd & CARE_UNKNOWN) > 0
                d_ex[odd] = np.where(unknown & (dur < top_c), N_CDUR - 1, lut_c[dur])
                d_mv[odd] = np.where((nd & SPELL_UNKNOWN > 0) & (in_spell[odd] < top_s), N_SDUR - 1, d_mv[odd])
            h_ex = ex_m[base * N_CDUR + d_ex]
            h_mv = mv_m[base * N_SDUR + d_mv]
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
            new = (v[:, None] >= cum_f[fut[at], c, BAND_OF_AGE[age[at]], :-1]).sum(axis=1).astype(np.int8)
            changed = new != c
            at, now = at[changed], (now + wait)[changed].astype(np.int32)
            cat[at] = new[changed]
            sst[at] = now
            need[at] &= ~np.uint8(SPELL_UNKNOWN)
            need[at[new[changed] == home]] |= NEED_HIGH
        keep = stay_in & ~leave
        snapshot(k + 1, age, keep)
    return counts, detail


def simulate(rates: Rates, months: int, n_sims: int = 1000, seed: int = 1, adjustments: Adjustments | None = None,
             parameter_uncertainty: bool = True, workers: int = 2, detail_months: tuple[int, ...] = (),
             detail_futures: int = 0) -> Simulation:
    """Simulate ``n_sims`` futures ``months`` months on from the model's start date.

    ``detail_months`` (e.g. (0, 12, 24, 36)) keeps every child of the first ``detail_futures``
    futures at those month ends (``Simulation.detail``), for matching children to places.
    """
    if months < 1 or n_sims < 1:
        raise ValueError("months and n_sims must be at least 1")
    adj = adjustments or Adjustments()
    steps = month_ends(rates.as_of, months)
    sizes = [min(CHUNK, n_sims - s) for s in range(0, n_sims, CHUNK)]
    seeds = np.random.SeedSequence(seed).spawn(len(sizes))
    starts = list(range(0, n_sims, CHUNK))
    months_kept = tuple(m for m in detail_months if 0 <= m <= months)
    jobs = [(size, q, parameter_uncertainty, months_kept, max(0, min(size, detail_futures - first)))
            for size, q, first in zip(sizes, seeds, starts, strict=True)]
    if workers <= 1 or len(sizes) == 1:
        parts = [_run_chunk(rates, adj, steps, *a) for a in jobs]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(lambda a: _run_chunk(rates, adj, steps, *a), jobs))
    detail: dict[int, dict[str, np.ndarray]] = {}
    for m in detail_months:
        pieces = [(first, d[m]) for first, (_, d) in zip(starts, parts, strict=True) if m in d]
        if pieces:
            detail[m] = {key: np.concatenate([(p[key] + first) if key == "future" else p[key]
                                              for first, p in pieces]) for key in pieces[0][1]}
    return Simulation(dates=[to_date(s) for s in steps], counts=np.concatenate([c for c, _ in parts], axis=0),
                      detail=detail)
