"""The simulation: children's lives in care, run once over the whole span of years.

Everything is generated for all children at once with NumPy (flat arrays with parent indices, see
``ragged.py``); Python loops run only over small fixed things (pathways, review number, re-entry
round).  Annual returns are *slices* of this one history (``snapshot.py``), so the same child has the
same story in every year's return.

Outline:

1. children enter care over a warm-up window long enough that everyone looked after in the first
   year is present; each period of care follows a *pathway* (home, adoption, special guardianship,
   child arrangements order, long-term care to 18, leaving at 16-17, transfer, youth justice, other)
   that fixes its legal-status path, exit route and length; some children come back (re-entries);
2. the entry rate is solved by thinning so that about ``size`` children are looked after on each
   31 March;
3. placements (carer changes with a per-child instability, emergency first placements, long-term
   fostering, placement for adoption, temporary placements) and legal-status changes are merged into
   903 episodes with the right reason for new episode (S/L/P/T/B/U);
4. reviews on the statutory schedule, missing episodes, social-worker episodes, the adoption
   pathway and previous permanence are attached.

Steps 1-2 are here; step 3 is ``placements.py``, step 4 ``events.py``; shared basics ``model.py``.
"""

from __future__ import annotations

import numpy as np

from careboard.years import year_end, year_start

from . import params as P
from .dates import NA, add_years, age_years, day, years_from_first
from .events import _adoption, _missing, _reviews, _social_workers
from .model import (
    ADOPT,
    CAO,
    FOSTER,
    HOME,
    LEAVE16,
    LONG,
    OPEN,
    OTHER,
    PATHWAY_INDEX,
    SGO,
    YOUTH,
    Lives,
    _age_band,
    stream,
)
from .placements import _episodes, _exit_codes, _placements, _Pools
from .postcodes import Geography
from .ragged import choice, last_in_group, lognormal_days
from .upn import make_upns

__all__ = ["OPEN", "Lives", "simulate", "stream"]

# --------------------------------------------------------------------------------------------
# 1. entries, pathways and periods of care
# --------------------------------------------------------------------------------------------

def _draw_pathway(rng: np.random.Generator, band: np.ndarray, uasc: np.ndarray) -> np.ndarray:
    out = np.empty(len(band), dtype=np.int64)
    table = np.array([P.PATHWAY_SHARE[name] for name in P.PATHWAYS]).T  # band x pathway
    table = table / table.sum(axis=1, keepdims=True)
    u = rng.random(len(band))
    cum = np.cumsum(table, axis=1)[band]
    out[:] = (u[:, None] > cum).sum(axis=1)
    if uasc.any():
        names = choice(rng, P.UASC_PATHWAY_SHARE, int(uasc.sum()))
        out[uasc] = [PATHWAY_INDEX[n] for n in names]
    return np.minimum(out, len(P.PATHWAYS) - 1)


def _vary_adoption(seed: int, path: np.ndarray, band: np.ndarray, uasc: np.ndarray, start: np.ndarray,
                   variation: float) -> np.ndarray:
    """Pathways with the share of adoption in each year's new periods (365-day years from the first start)
    multiplied by that year's own factor, exp(N(-sd^2 / 2, sd^2)), independently from year to year: courts'
    placement orders and the adopters an authority finds differ from year to year beyond chance, and the
    number an authority adopts does (``bench/adoption_variation.py``).  In a year of fewer, some adoption
    pathways become long-term care; in a year of more, some children of the same ages on other pathways
    (UASC aside) are placed for adoption instead, so each age band's share of adoption is scaled by the
    factor and the rest keep their proportions."""
    rng = stream(seed, "adoption-years")
    year, n_years = years_from_first(start)
    factor = np.exp(rng.normal(-variation**2 / 2, variation, n_years))[year]
    adopt_share = np.array(P.PATHWAY_SHARE["ADOPT"]) / np.array([P.PATHWAY_SHARE[n] for n in P.PATHWAYS]).sum(axis=0)
    a = adopt_share[band]
    u = rng.random(len(path))
    out = path.copy()
    fewer = (path == ADOPT) & (u < 1 - factor)
    out[fewer] = LONG
    become = np.where(a < 1, (factor - 1) * a / np.maximum(1 - a, 1e-9), 0.0)
    more = (path != ADOPT) & ~uasc & (a > 0) & (u < become)
    out[more] = ADOPT
    return out


class ExitClock:
    """The authority's pace of leaving care, wandering from month to month (``exit_variation``).

    How quickly children leave care is not the same every year: courts list final hearings sooner or later,
    children go home or to relatives in larger or smaller numbers as practice and resources change, and the
    share of an authority's children in care who leave it in a year moves around its own trend by a median
    5-8% beyond chance, in a way that lasts from one year to the next (LAIT 2016-2025;
    ``bench/exit_variation.py``).  A period's milestones are drawn as days on this clock, which runs at
    exp(w) times the usual pace, w a random walk in 30-day steps of sd ``variation`` a year, level 0 on
    ``anchor`` (the first collection year's 1 April): in a fast spell every exit, order and move in with
    adopters comes sooner, in a slow one later, and the order of a period's milestones is kept.
    """

    STEP = 30  # days

    def __init__(self, seed: int, first: int, last: int, anchor: int, variation: float) -> None:
        rng = stream(seed, "exit-years")
        before = np.arange(anchor, first - self.STEP, -self.STEP)[::-1]  # anchor last
        after = np.arange(anchor + self.STEP, last + self.STEP, self.STEP)
        self.grid = np.concatenate([before, after]).astype(float)
        sd = variation * np.sqrt(self.STEP / 365.25)
        back = np.cumsum(rng.normal(0.0, sd, len(before) - 1))[::-1]  # the levels before the anchor
        ahead = np.cumsum(rng.normal(0.0, sd, len(after)))
        level = np.concatenate([back, [0.0], ahead])[:-1]  # the pace over each step, from its left end
        self.cum = np.concatenate([[0.0], np.cumsum(np.exp(level) * np.diff(self.grid))])

    def after(self, start: np.ndarray, days: np.ndarray) -> np.ndarray:
        """Real days from ``start`` to the point ``days`` usual days on (days of 10**5 or more, care to the
        18th birthday, are left as they are)."""
        on = np.interp(start, self.grid, self.cum) + days
        real = np.rint(np.interp(on, self.cum, self.grid) - start).astype(np.int64)
        return np.where(days >= 10**5, days, np.where(days > 0, np.maximum(real, 1), days))


def _period_shape(rng: np.random.Generator, start: np.ndarray, dob: np.ndarray, uasc: np.ndarray,
                  path: np.ndarray, clock: ExitClock | None = None) -> dict[str, np.ndarray]:
    """Length, legal-status path and adoption milestones of periods of care starting at ``start`` (on
    ``clock``'s pace, when the pace of leaving care wanders: ``ExitClock``)."""
    n = len(start)
    age = age_years(dob, start)
    band = _age_band(age)
    b18 = add_years(dob, 18)
    dur = np.zeros(n, dtype=np.int64)
    for name, spec in P.DURATION.items():
        sel = path == PATHWAY_INDEX[name]
        dur[sel] = lognormal_days(rng, spec, int(sel.sum()))

    # legal status points: up to four (offset, code) pairs per period
    ls_off = np.full((n, 4), -1, dtype=np.int64)
    ls_code = np.full((n, 4), "", dtype=object)
    ls_off[:, 0] = 0
    ls_code[:, 0] = "V2"

    court = np.zeros(n, dtype=bool)
    court |= (path == ADOPT)
    court |= (path == SGO) & (rng.random(n) < P.SGO_COURT_SHARE)
    court |= (path == CAO) & (rng.random(n) < 0.6)
    court |= (path == HOME) & (rng.random(n) < P.HOME_COURT_SHARE)
    long_court = np.array(P.LONG_COURT_SHARE)[band]
    court |= (path == LONG) & (rng.random(n) < long_court)
    court |= (path == LEAVE16) & (rng.random(n) < 0.45)
    court &= ~uasc

    first = choice(rng, P.COURT_START, n)
    t_c1 = np.where(first == "C1", 0, np.where(first == "L1", rng.integers(1, 4, n),
                    np.where(first == "L2", rng.integers(3, 9, n), lognormal_days(rng, P.V2_BEFORE_COURT, n))))
    t_final = t_c1 + lognormal_days(rng, P.PROCEEDINGS, n)

    # adoption milestones
    placed = lognormal_days(rng, P.ADOPT_TO_PLACED, n)
    adopted_after = lognormal_days(rng, P.PLACED_TO_ADOPTED, n)
    decision = lognormal_days(rng, P.ADOPT_DECISION_AFTER_ENTRY, n)
    disrupted = (path == ADOPT) & (rng.random(n) < P.ADOPT_DISRUPTED)
    is_adopt = (path == ADOPT) & ~disrupted
    # keep the order decision < placement order < placed < adopted
    t_final = np.where(is_adopt, np.minimum(t_final, placed - 20), t_final)
    t_c1 = np.where(court, np.minimum(t_c1, np.maximum(t_final - 20, 0)), t_c1)
    decision = np.where(path == ADOPT, np.clip(decision, 2, np.maximum(t_final - 1, 2)), decision)
    t_c1 = np.where(is_adopt & (t_c1 >= decision), 0, t_c1)
    first = np.where(is_adopt & (t_c1 == 0), "C1", first)
    dur = np.where(is_adopt, placed + adopted_after, dur)

    sgo_court = court & ((path == SGO) | (path == CAO))
    dur = np.where(sgo_court, t_final, dur)
    home_court = court & (path == HOME)
    dur = np.where(home_court, t_final + lognormal_days(rng, (150, 0.8), n), dur)
    dur = np.where(path == LONG, 10**6, dur)
    dur = np.where(disrupted, 10**6, dur)
    # leaving at 16-17
    s16 = add_years(dob, 16)
    lo = np.maximum(start + 30, s16)
    hi = b18 - 30
    leave = lo + (rng.random(n) * np.maximum(hi - lo, 1)).astype(np.int64)
    dur = np.where(path == LEAVE16, np.maximum(leave - start, 7), dur)

    # youth justice, police protection
    j2 = (path == YOUTH) & (rng.random(n) < 0.15)
    dur = np.where(j2, 1, dur)
    l1_only = (path == OTHER) & (rng.random(n) < 0.12) & ~uasc
    dur = np.where(l1_only, rng.integers(1, 4, n), dur)

    if clock is not None:  # the milestones on the authority's pace of the time, but for leaving at 16-17 by age
        dur = np.where(path == LEAVE16, dur, clock.after(start, dur))
        t_c1, t_final = clock.after(start, t_c1), clock.after(start, t_final)
        placed, decision = clock.after(start, placed), clock.after(start, decision)

    # cap at the 18th birthday: whatever was planned, care ends there
    end = start + dur
    aged_out = end >= b18
    end = np.where(aged_out, b18, end)
    dur = end - start

    # court legal-status path
    ls_code[:, 0] = np.where(court, first, "V2")
    ls_code[:, 0] = np.where(path == YOUTH, np.where(j2, "J2", "J1"), ls_code[:, 0])
    ls_code[:, 0] = np.where(l1_only, "L1", ls_code[:, 0])
    has_c1 = court & (first != "C1") & (t_c1 > 0)
    ls_off[:, 1] = np.where(has_c1, t_c1, -1)
    ls_code[:, 1] = np.where(has_c1, "C1", "")
    final_code = np.where(is_adopt, "E1", "C2")
    # adoption: a minority have a full care order first and the placement order later
    c2_first = is_adopt & (rng.random(n) < 0.3)
    ls_off[:, 2] = np.where(court & ~sgo_court, t_final, -1)
    ls_code[:, 2] = np.where(court & ~sgo_court, np.where(c2_first, "C2", final_code), "")
    e1_later = np.minimum(t_final + rng.integers(30, 150, n), placed - 10)
    ok_later = c2_first & (e1_later > t_final)
    ls_off[:, 3] = np.where(ok_later, e1_later, -1)
    ls_code[:, 3] = np.where(ok_later, "E1", "")
    ls_code[:, 2] = np.where(c2_first & ~ok_later & court, "E1", ls_code[:, 2])
    # drop points at or after the end
    late = (ls_off >= dur[:, None]) & (np.arange(4)[None, :] > 0)
    ls_off[late] = -1
    ls_code[late] = ""

    return {
        "end": end, "aged_out": aged_out, "court": court, "ls_off": ls_off, "ls_code": ls_code,
        "decision": np.where(path == ADOPT, start + decision, NA),
        "disrupted": disrupted,
        "decision_ceased": np.where(disrupted, start + np.minimum(decision + rng.integers(90, 400, n), dur - 1), NA),
        "placed": np.where(is_adopt & ~aged_out, start + placed, NA),
        "t_final": t_final,
    }


def _entry_pool(seed: int, first_year: int, last_year: int, size: int, entry_trend: float = 0.0,
                entry_variation: float = 0.0) -> dict[str, np.ndarray]:
    """First entries into care over the warm-up window, with an over-generous rate (thinned later).

    ``entry_trend`` makes the authority non-stationary: from the start of the first collection year
    the entry rate changes by that fraction a year (0.08: 8% more children entering each year than
    the year before; -0.06: 6% fewer), constant before.  Forecasts are tested on such authorities.

    ``entry_variation`` is the standard deviation of a year's own change in the entry rate, beyond
    chance and the trend: each year from 1 April has the rate times exp(e - sd**2 / 2), e drawn
    normally and independently per year (so the rate's mean is unchanged).  Published starts vary
    so: around its own linear trend an English authority's yearly starts vary by about 7-14% more
    than chance alone would give (LAIT 2016-2025; ``bench/entry_variation.py``).  Without it every
    year is alike but for chance, which no real authority is.
    """
    rng = stream(seed, "pool")
    w0 = day(year_start(first_year)) - 19 * 365
    w1 = day(year_end(last_year))
    years = (w1 - w0) / 365.25
    if entry_variation:
        return _varied_pool(seed, rng, w0, w1, first_year, size, entry_trend, entry_variation)
    # about 0.40 starts a year per child looked after (CLA25); 0.55 leaves room for thinning
    grow = np.log1p(entry_trend) * (w1 - day(year_start(first_year))) / 365.25 if entry_trend else 0.0
    n = rng.poisson(size * 0.55 * years * np.exp(max(grow, 0.0)))
    start = np.sort(rng.integers(w0, w1 + 1, n))
    if entry_trend:  # thin the pool to the changing rate (relative to its highest point)
        t = np.clip(start - day(year_start(first_year)), 0, None) / 365.25
        rel = np.exp(np.log1p(entry_trend) * t - max(grow, 0.0))
        start = start[stream(seed, "pool", 1).random(n) < rel]
    return _pool_children(rng, start)


def _varied_pool(seed: int, rng: np.random.Generator, w0: int, w1: int, first_year: int, size: int,
                 entry_trend: float, entry_variation: float) -> dict[str, np.ndarray]:
    """The pool of ``_entry_pool`` when each year's entry rate has its own change (``entry_variation``)."""
    anchor = day(year_start(first_year))
    n_years = int(np.ceil((w1 - w0) / 365.25)) + 2
    first = int(np.floor((w0 - anchor) / 365.25))  # the year index (0 = first collection year) of w0
    effect = stream(seed, "pool", 2).normal(0.0, entry_variation, n_years) - entry_variation ** 2 / 2

    def log_rate(days: np.ndarray) -> np.ndarray:
        t = (days - anchor) / 365.25
        trend = np.log1p(entry_trend) * np.clip(t, 0, None)
        return trend + effect[np.floor(t).astype(np.int64) - first]

    grid = np.arange(w0, w1 + 1, 30)
    top = float(log_rate(grid).max()) + 0.01
    n = rng.poisson(size * 0.55 * (w1 - w0) / 365.25 * np.exp(top))
    start = np.sort(rng.integers(w0, w1 + 1, n))
    start = start[stream(seed, "pool", 1).random(n) < np.exp(log_rate(start) - top)]
    return _pool_children(rng, start)


def _pool_children(rng: np.random.Generator, start: np.ndarray) -> dict[str, np.ndarray]:
    """Who the pool's entrants are: age at entry and UASC, drawn for each start day."""
    n = len(start)
    uasc = rng.random(n) < P.UASC_START_SHARE
    band_idx = rng.choice(5, size=n, p=np.array(P.ENTRY_AGE_SHARE) / sum(P.ENTRY_AGE_SHARE))
    lo = np.array([b[0] for b in P.ENTRY_AGE_BANDS])[band_idx]
    hi = np.array([b[1] for b in P.ENTRY_AGE_BANDS])[band_idx]
    age_days = ((lo + rng.random(n) * (hi - lo)) * 365.25).astype(np.int64)
    # under-1s: many come in at birth or in the first weeks
    newborn = (band_idx == 0) & (rng.random(n) < 0.45)
    age_days = np.where(newborn, rng.integers(0, 14, n), age_days)
    u_ages = np.array(list(P.UASC_AGE_SHARE.keys()))
    u_p = np.array(list(P.UASC_AGE_SHARE.values()))
    u_age = u_ages[rng.choice(len(u_ages), size=n, p=u_p / u_p.sum())]
    age_days = np.where(uasc, (u_age * 365.25 + rng.random(n) * 360).astype(np.int64), age_days)
    # a child comes into care before the 18th birthday (at 18 the period would end the day it starts)
    age_days = np.minimum(age_days, int(17.95 * 365.25))
    dob = (start - age_days).astype(np.int64)
    return {"start": start, "dob": dob, "uasc": uasc}


def _periods(seed: int, pool: dict[str, np.ndarray], horizon: int, adoption_variation: float = 0.0,
             clock: ExitClock | None = None) -> dict[str, np.ndarray]:
    """All periods of care of the pool's children, first periods and re-entries (``_vary_adoption``: the
    first periods' share of adoption varying from year to year; ``clock``: the pace of leaving care
    wandering)."""
    rng = stream(seed, "periods")
    n = len(pool["start"])
    child = np.arange(n)
    start = pool["start"].copy()
    dob = pool["dob"]
    uasc = pool["uasc"]
    band = _age_band(age_years(dob, start))
    path = _draw_pathway(rng, band, uasc)
    if adoption_variation:  # the same draws as without it, then some pathways changed by the year's factor
        path = _vary_adoption(seed, path, band, uasc, start, adoption_variation)
    shape = _period_shape(rng, start, dob, uasc, path, clock)
    parts = [{"child": child, "start": start, "path": path, "n": np.zeros(n, dtype=np.int64), **shape}]
    rr = stream(seed, "reentry")
    cur = parts[0]
    for k in range(1, 4):
        prob = np.zeros(len(cur["child"]))
        for name, p in P.REENTRY_PROB.items():
            prob[cur["path"] == PATHWAY_INDEX[name]] = p
        back = (rr.random(len(prob)) < prob) & ~cur["aged_out"] & (cur["end"] < horizon)
        gap = lognormal_days(rr, P.REENTRY_GAP, len(prob))
        new_start = cur["end"] + gap
        c = cur["child"]
        b18 = add_years(dob[c], 18)
        back &= (new_start < b18 - 60) & (new_start <= horizon)
        if not back.any():
            break
        c = c[back]
        new_start = new_start[back]
        band = _age_band(age_years(dob[c], new_start))
        npath = _draw_pathway(rr, band, np.zeros(len(c), dtype=bool))
        npath = np.where(npath == ADOPT, LONG, npath)  # placement for adoption after a return home is rare
        sh = _period_shape(rr, new_start, dob[c], np.zeros(len(c), dtype=bool), npath, clock)
        prev_path = cur["path"][back]
        nxt = {"child": c, "start": new_start, "path": npath, "n": np.full(len(c), k, dtype=np.int64),
               "prev_path": prev_path, "prev_end": cur["end"][back], **sh}
        parts.append(nxt)
        cur = nxt
    out: dict[str, np.ndarray] = {}
    for key in parts[0]:
        out[key] = np.concatenate([p[key] for p in parts])
    out["prev_path"] = np.concatenate([p.get("prev_path", np.full(len(p["child"]), -1)) for p in parts])
    out["prev_end"] = np.concatenate([p.get("prev_end", np.full(len(p["child"]), NA)) for p in parts])
    order = np.lexsort((out["start"], out["child"]))
    return {k: v[order] for k, v in out.items()}


def _thin(seed: int, pool: dict, per: dict, size: int, first_year: int, last_year: int) -> np.ndarray:
    """Children to keep so that about ``size`` are looked after on each 31 March of the span."""
    ends = np.array([day(year_end(y)) for y in range(first_year, last_year + 1)])
    in_care = (per["start"][:, None] <= ends[None, :]) & (per["end"][:, None] > ends[None, :])
    stock = in_care.sum() / len(ends)
    n_children = len(pool["start"])
    rng = stream(seed, "thin")
    keep_n = round(n_children * min(1.0, size / max(stock, 1.0)))
    keep = np.zeros(n_children, dtype=bool)
    keep[rng.permutation(n_children)[:keep_n]] = True
    # drop children whose care ended long before the span (never in any return, not a care leaver)
    last_end = np.full(n_children, np.iinfo(np.int64).min)
    np.maximum.at(last_end, per["child"], per["end"])
    keep &= last_end >= day(year_start(first_year)) - 5 * 366
    return keep


# --------------------------------------------------------------------------------------------
# the whole simulation
# --------------------------------------------------------------------------------------------

def simulate(la_code: str, ons_code: str, geo: Geography, size: int, first_year: int, last_year: int,
             seed: int, entry_trend: float = 0.0, entry_variation: float = 0.0, mix_variation: float = 0.0,
             adoption_variation: float = 0.0, exit_variation: float = 0.0, other_variation: float = 0.0) -> Lives:
    """Simulate an authority with about ``size`` children looked after at each 31 March (on average, when
    ``entry_trend`` makes the entry rate rise or fall over the years, or ``entry_variation`` changes it
    from year to year).  ``mix_variation`` lets the placement mix wander from year to year
    (``placements._mix_wander``), ``adoption_variation`` the share of new periods of care on the
    adoption pathway vary from year to year (``_vary_adoption``), ``exit_variation`` the pace at which
    children leave care wander (``ExitClock``), and ``other_variation`` the weight of "Other" placements in
    the mix (``placements._mix_wander``)."""
    horizon = day(year_end(last_year))
    pool = _entry_pool(seed, first_year, last_year, size, entry_trend, entry_variation)
    clock = None
    if exit_variation:
        clock = ExitClock(seed, int(pool["start"].min()), horizon + 19 * 366, day(year_start(first_year)),
                          exit_variation)
    per = _periods(seed, pool, horizon, adoption_variation, clock)
    keep = _thin(seed, pool, per, size, first_year, last_year)
    new_index = np.cumsum(keep) - 1
    per = {k: v[keep[per["child"]]] for k, v in per.items()}
    per["child"] = new_index[per["child"]]
    pool = {k: v[keep] for k, v in pool.items()}
    n = len(pool["start"])
    lv = Lives(la_code, ons_code, first_year, last_year, horizon, seed, geo)

    # children
    rng = stream(seed, "children")
    uasc = pool["uasc"]
    sex = np.where(uasc, np.where(rng.random(n) < P.UASC_MALE_SHARE, 1, 2),
                   np.where(rng.random(n) < P.MALE_SHARE, 1, 2)).astype(np.int8)
    ethnic = np.where(uasc, choice(rng, P.UASC_ETHNIC_SHARE, n), choice(rng, P.ETHNIC_SHARE, n))
    ids = rng.choice(np.arange(100000, 9999999), size=n, replace=False)
    order_ids = np.sort(ids)  # ids grow with first entry, as case-management ids do
    child_id = np.array([str(x) for x in order_ids.tolist()], dtype=object)
    upn_year = (pool["dob"].astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970 + 4)
    upn = make_upns(la_code, upn_year, stream(seed, "upn"))
    mrng = stream(seed, "mother")
    girl = sex == 2
    mother = girl & (mrng.random(n) < P.MOTHER_PROB_GIRL_14_PLUS * 4)
    mc_dob = np.where(mother, add_years(pool["dob"], 14) + mrng.integers(0, 4 * 365, n), NA)
    lv.children = {
        "id": child_id, "sex": sex, "dob": pool["dob"], "ethnic": ethnic, "uasc": uasc, "upn": upn,
        "upn_year": upn_year, "mc_dob": mc_dob,
        "disabled": rng.random(n) < 0.06,
        "move_frailty": rng.gamma(P.MOVE_FRAILTY_SHAPE, 1 / P.MOVE_FRAILTY_SHAPE, n),
        "first_entry": pool["start"],
    }
    # periods: home postcode, category of need, referral date
    n_per = len(per["child"])
    prng = stream(seed, "prevperm")
    home = geo.random_inside(n_per, prng)
    # re-entries come back from the same home
    same_child = np.append(False, per["child"][1:] == per["child"][:-1])
    for _ in range(3):
        home = np.where(same_child, np.append(-1, home[:-1]), home)
    home = np.where(uasc[per["child"]], -1, home)
    per["home"] = home
    cin = choice(prng, P.CIN_SHARE, n_per)
    cin = np.where(uasc[per["child"]], "N8", cin)
    per["cin"] = cin
    gap = np.where(prng.random(n_per) < 0.25, prng.integers(0, 8, n_per), lognormal_days(prng, (120, 1.0), n_per))
    gap = np.where(uasc[per["child"]], prng.integers(0, 3, n_per), gap)
    referral = per["start"] - gap
    referral = np.maximum(referral, lv.children["dob"][per["child"]])
    prev_end = np.where(same_child, np.append(NA, per["end"][:-1]), NA)
    referral = np.where(same_child, np.maximum(referral, prev_end + 1), referral)
    per["referral"] = np.minimum(referral, per["start"])
    # previous permanence
    pp = choice(prng, P.PREV_PERM, n_per)
    # an order made elsewhere needs a child old enough to have had one (DfE rule 630 wants its date)
    too_young = per["start"] - lv.children["dob"][per["child"]] < 365
    pp = np.where(too_young & np.isin(pp, ["P1", "P2", "P3"]), "Z1", pp)
    pp = np.where(per["prev_path"] == SGO, "P2", np.where(per["prev_path"] == CAO, "P3", pp))
    per["prev_perm"] = pp

    pools = _Pools(seed, geo, size, la_code)
    per["rec"] = np.full(n_per, "", dtype=object)
    pl = _placements(seed, lv, per, pools, mix_variation, other_variation)
    last_cat = np.full(n_per, FOSTER)
    lastp = last_in_group(pl["period"])
    last_cat[pl["period"][lastp]] = pl["cat"][lastp]
    per["rec"] = _exit_codes(stream(seed, "periods", 2), per, last_cat, uasc[per["child"]])
    ep = _episodes(seed, lv, per, pl)
    lv.reviews = _reviews(seed, lv, per, horizon)
    lv.missing = _missing(seed, lv, per, ep)
    lv.sw = _social_workers(seed, lv, per)
    lv.adoption = _adoption(seed, per, ep, horizon)
    # cut everything at the horizon: later starts are dropped, later ends are open (blank)
    open_ = per["end"] > horizon
    per["rec"] = np.where(open_, "", per["rec"])
    per["end"] = np.where(open_, OPEN, per["end"])
    for table, has_rec in ((ep, True), (lv.missing, False), (lv.sw, False)):
        keep_rows = table["start"] <= horizon
        for k in list(table):
            table[k] = table[k][keep_rows]
        table["end"] = np.where(table["end"] > horizon, OPEN, table["end"])
        if has_rec:
            table["rec"] = np.where(table["end"] == OPEN, "", table["rec"])
            table["rpc"] = np.where(table["end"] == OPEN, "", table["rpc"])
    lv.periods = per
    lv.episodes = ep
    lv.households = {"pc": pools.house_pc, "places": pools.house_places, "skills": pools.house_skills,
                     "age_lo": pools.house_age_lo, "age_hi": pools.house_age_hi,
                     "urn": np.full(len(pools.house_pc), pools.la_fostering_urn, dtype=object)}
    lv.providers = {"resi_pc": pools.resi_pc, "resi_urn": pools.resi_urn, "resi_places": pools.resi_places,
                    "resi_provider": pools.resi_provider, "supp_pc": pools.supp_pc, "supp_urn": pools.supp_urn,
                    "supp_places": pools.supp_places, "supp_provider": pools.supp_provider}
    return lv


