"""Placements inside periods of care, and their merging with legal-status changes into 903 episodes."""

from __future__ import annotations

from datetime import date

import numpy as np

from . import params as P
from .dates import NA, age_years, day, years_from_first
from .model import (
    ADOPT,
    ADOPTION,
    CAO,
    CATEGORY_BY_NAME,
    FOSTER,
    FOSTER_CATS,
    HOME,
    K1,
    KIN,
    LEAVE16,
    OTHER,
    PWP,
    R1,
    R3,
    R5,
    RESI,
    S1,
    SGO,
    SUPP,
    TRANSFER,
    YOUTH,
    Lives,
    Z,
    _age_band,
    stream,
)
from .postcodes import Geography
from .ragged import choice, expand, first_in_group, last_in_group, lognormal_days

# --------------------------------------------------------------------------------------------
# 3. placements and episodes
# --------------------------------------------------------------------------------------------

def _code_for(cat: np.ndarray, start: np.ndarray, rng: np.random.Generator, long_term: np.ndarray,
              ffa: np.ndarray, a_with_carer: np.ndarray) -> np.ndarray:
    """PLACE code of placements of category ``cat`` starting on ``start`` (codes valid that day)."""
    n = len(cat)
    out = np.full(n, "", dtype=object)
    out[cat == KIN] = np.where(long_term[cat == KIN], "U1", "U3")
    f = cat == FOSTER
    out[f] = np.where(ffa[f], "U5", np.where(long_term[f], "U4", "U6"))
    out[cat == RESI] = "K2"
    s = cat == SUPP
    k3_from = day(date(2024, 4, 1))
    # P2 (independent living) is not generated: it could not be open past 28 October 2023 (rule 217t)
    supp = np.where(start[s] >= k3_from, "K3", "H5")
    out[s] = supp
    out[cat == PWP] = "P1"
    out[cat == R3] = "R3"
    out[cat == S1] = "S1"
    out[cat == R1] = "R1"
    out[cat == K1] = "K1"
    out[cat == R5] = "R5"
    zz = cat == Z
    z_split = day(date(2025, 4, 1))
    zcodes = np.array(["Z11", "Z12", "Z13", "Z14"], dtype=object)[rng.integers(0, 4, int(zz.sum()))]
    out[zz] = np.where(start[zz] >= z_split, zcodes, "Z1")
    a = cat == ADOPTION
    out[a] = np.where(a_with_carer[a], "A5", "A6")
    return out


class _Pools:
    """Providers with their own places: in-house foster households, children's homes, supported housing."""

    def __init__(self, seed: int, geo: Geography, size: int, la_code: str) -> None:
        rng = stream(seed, "pools")
        self.la_fostering_urn = f"SC{rng.integers(400000, 999999):06d}"
        centre = geo.random_inside(1, rng)[0]
        # in-house foster households: about a third of the stock is in in-house fostering, 1.5 per home
        n_house = max(10, int(size * 0.33 / 1.45 * 1.15))
        bands = rng.choice(4, size=n_house, p=P.POOL_BANDS["INHOUSE"])
        homes = geo.random_inside(n_house, rng)
        self.house_pc = geo.near(homes, bands, rng)
        self.house_places = np.array(list(P.FOSTER_HOUSEHOLD_PLACES))[rng.choice(
            len(P.FOSTER_HOUSEHOLD_PLACES), size=n_house, p=list(P.FOSTER_HOUSEHOLD_PLACES.values()))]
        skills = rng.random((n_house, 5))
        self.house_skills = skills < np.array([0.30, 0.10, 0.08, 0.35, 0.10])  # siblings, disability, P&C, teen, UASC
        self.house_age_lo = np.where(self.house_skills[:, 3], 8, rng.choice([0, 0, 2, 5], n_house))
        self.house_age_hi = np.where(self.house_skills[:, 3], 17, rng.choice([10, 12, 17, 17], n_house))
        self.house_weight = self.house_places.astype(float)
        # children's homes and supported accommodation: about 1 home per 1.6 children placed
        n_resi = max(5, int(size * 0.11 / 1.6))
        self.resi_pc = geo.near(np.full(n_resi, centre), rng.choice(4, size=n_resi, p=P.POOL_BANDS["RESI"]), rng)
        self.resi_urn = np.array([f"SC{x:06d}" for x in rng.choice(np.arange(400000, 999999), n_resi, replace=False)],
                                 dtype=object)
        self.resi_places = np.array(list(P.RESI_HOME_PLACES))[rng.choice(
            len(P.RESI_HOME_PLACES), size=n_resi, p=list(P.RESI_HOME_PLACES.values()))]
        self.resi_provider = choice(rng, P.RESI_PROVIDER, n_resi)
        n_supp = max(4, int(size * 0.08 / 3.0))
        self.supp_pc = geo.near(np.full(n_supp, centre), rng.choice(4, size=n_supp, p=P.POOL_BANDS["SUPP"]), rng)
        self.supp_urn = np.array([f"2{x:07d}" for x in rng.choice(np.arange(1000000, 9999999), n_supp, replace=False)],
                                 dtype=object)
        self.supp_places = rng.integers(3, 13, n_supp)
        self.supp_provider = choice(rng, P.SUPP_PROVIDER, n_supp)
        self.ifa_urns = np.array([f"SC{x:06d}" for x in rng.choice(np.arange(400000, 999999), 30, replace=False)],
                                 dtype=object)
        self.other_urns = np.array([f"SC{x:06d}" for x in rng.choice(np.arange(400000, 999999), 40, replace=False)],
                                   dtype=object)
        self.school_urns = np.array([f"{x:06d}" for x in rng.choice(np.arange(100000, 150000), 20, replace=False)],
                                    dtype=object)
        self.vaa_urns = np.array([f"SC{x:06d}" for x in rng.choice(np.arange(400000, 999999), 6, replace=False)],
                                 dtype=object)


# The categories whose share of new placements wanders from year to year with ``mix_variation``, and the
# in-house share of (non-kinship) fostering, which wanders as a log-odds.
WANDERING = (KIN, FOSTER, RESI, SUPP, PWP)
# The placements careboard counts as "Other" (``placement_category`` in store/macros.sql: family centres,
# residential schools, youth custody, other placements), whose weight wanders as one with ``other_variation``.
OTHER_CODES = (R3, S1, R5, Z)


def _mix_wander(seed: int, start: np.ndarray, mix_variation: float,
                other_variation: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Each placement's log weight for every category (placements x categories) and the log-odds shift of in-house
    fostering, from random walks over the years of placement start (a year is 365 days from the first start).

    A random walk, not a fresh draw each year: an authority's mix moves with its decisions (a block contract
    for children's homes, a recruitment drive, a policy on kinship) and the change lasts.  Its standard
    deviation a year is ``mix_variation`` for each category and for in-house fostering alike.  The "Other"
    placements (``OTHER_CODES``) wander together by ``other_variation`` a year, on a stream of their own, so
    the rest of the mix is drawn as without it.
    """
    rng = stream(seed, "mix")
    year, n_years = years_from_first(start)
    walk = np.zeros((n_years, max(CATEGORY_BY_NAME.values()) + 1))
    walk[:, list(WANDERING)] = np.cumsum(rng.normal(0.0, mix_variation, (n_years, len(WANDERING))), axis=0)
    inhouse = np.cumsum(rng.normal(0.0, mix_variation, n_years))
    if other_variation:
        other = np.cumsum(stream(seed, "mix-other").normal(0.0, other_variation, n_years))
        walk[:, list(OTHER_CODES)] = other[:, None]
    return walk[year], inhouse[year]


def _redraw_with_wander(rng: np.random.Generator, cat: np.ndarray, band: np.ndarray, keep: np.ndarray,
                        log_weight: np.ndarray) -> np.ndarray:
    """Categories drawn again from each age band's mix times the year's weights (``keep``: left as drawn)."""
    out = cat.copy()
    u = rng.random(len(cat))
    for b, mix in P.PLACEMENT_MIX.items():
        sel = np.flatnonzero((band == b) & ~keep)
        if not len(sel):
            continue
        cats = np.array([CATEGORY_BY_NAME[x] for x in mix])
        w = np.array(list(mix.values())) * np.exp(log_weight[np.ix_(sel, cats)])
        cum = np.cumsum(w / w.sum(axis=1, keepdims=True), axis=1)
        out[sel] = cats[np.minimum((u[sel, None] > cum).sum(axis=1), len(cats) - 1)]
    return out


def _placements(seed: int, lv: Lives, per: dict, pools: _Pools,
                mix_variation: float = 0.0, other_variation: float = 0.0) -> dict[str, np.ndarray]:
    """Placements within each period: start offsets, categories, codes, providers, places."""
    rng = stream(seed, "placements")
    c = lv.children
    n_per = len(per["child"])
    pc = per["child"]
    dob = c["dob"][pc]
    uasc = c["uasc"][pc]
    dur = (per["end"] - per["start"]).astype(np.int64)
    age0 = age_years(dob, per["start"])
    band0 = _age_band(age0)
    frail = c["move_frailty"][pc]
    rate = np.array(P.MOVE_RATE)[band0] * frail
    n_moves = rng.poisson(rate * dur / 365.25)
    emergency = (rng.random(n_per) < P.EMERGENCY_FIRST_PLACEMENT) & (dur > 40) & ~uasc
    placed_off = np.where(per["placed"] != NA, per["placed"] - per["start"], -1)
    adopt_move = placed_off > 0
    # long-term fostering for children who stay: a same-carer change after about a year
    lt_off = lognormal_days(rng, P.LONG_TERM_AFTER, n_per)
    # moves are random within the period, but none after placement for adoption
    horizon_off = np.where(adopt_move, placed_off, dur)
    par, _ = expand(n_moves)
    offs = (1 + rng.random(len(par)) * np.maximum(horizon_off[par] - 2, 0)).astype(np.int64)
    em_par = np.flatnonzero(emergency)
    em_off = np.minimum(lognormal_days(rng, P.EMERGENCY_LENGTH, len(em_par)), dur[em_par] - 1)
    ad_par = np.flatnonzero(adopt_move)
    all_par = np.concatenate([np.arange(n_per), par, em_par, ad_par])
    all_off = np.concatenate([np.zeros(n_per, dtype=np.int64), offs, em_off, placed_off[ad_par]])
    kind = np.concatenate([np.zeros(n_per, dtype=np.int8), np.ones(len(par), dtype=np.int8),
                           np.ones(len(em_par), dtype=np.int8), np.full(len(ad_par), 2, dtype=np.int8)])
    ok = (all_off == 0) | ((all_off > 0) & (all_off < dur[all_par]))
    all_par, all_off, kind = all_par[ok], all_off[ok], kind[ok]
    order = np.lexsort((kind, all_off, all_par))
    all_par, all_off, kind = all_par[order], all_off[order], kind[order]
    # at most one placement per day
    dup = np.zeros(len(all_par), dtype=bool)
    dup[1:] = (all_par[1:] == all_par[:-1]) & (all_off[1:] == all_off[:-1])
    keep = ~dup
    # a later record with the adoption kind wins over a random move on the same day
    keep[:-1] |= False
    all_par, all_off, kind = all_par[keep], all_off[keep], kind[keep]
    # nothing after the move to adopters
    after_adopt = np.zeros(len(all_par), dtype=bool)
    po = placed_off[all_par]
    after_adopt = (po > 0) & (all_off > po)
    all_par, all_off, kind = all_par[~after_adopt], all_off[~after_adopt], kind[~after_adopt]

    n = len(all_par)
    start = per["start"][all_par] + all_off
    age = age_years(dob[all_par], start)
    band = _age_band(age)
    cat = np.full(n, FOSTER, dtype=np.int64)
    u = uasc[all_par]
    for b, mix in P.PLACEMENT_MIX.items():
        sel = (band == b) & ~u
        if sel.any():
            names = choice(rng, mix, int(sel.sum()))
            cat[sel] = [CATEGORY_BY_NAME[x] for x in names]
    for key, mix in P.UASC_PLACEMENT_MIX.items():
        sel = u & ((age >= 16) if key == "old" else (age < 16))
        if sel.any():
            names = choice(rng, mix, int(sel.sum()))
            cat[sel] = [CATEGORY_BY_NAME[x] for x in names]
    if mix_variation or other_variation:  # the same draws as without it above, then drawn again with the year's mix
        mix_rng = stream(seed, "mix", 1)
        log_weight, inhouse_shift = _mix_wander(seed, start, mix_variation, other_variation)
        cat = _redraw_with_wander(mix_rng, cat, band, u, log_weight)
    # legal-status constraints: placed with parents only on care orders (rule 378); supported
    # accommodation and youth custody only at the right ages
    ls_now = _ls_at(per, all_par, all_off)
    cat = np.where((cat == PWP) & ~np.isin(ls_now, ["C1", "C2"]), KIN, cat)
    cat = np.where((cat == SUPP) & (age < 16), FOSTER, cat)
    path = per["path"][all_par]
    # adoption: the move to adopters, and a foster placement right before it (rule 336)
    cat = np.where(kind == 2, ADOPTION, cat)
    nxt_is_adopt = np.zeros(n, dtype=bool)
    nxt_is_adopt[:-1] = (kind[1:] == 2) & (all_par[1:] == all_par[:-1])
    cat = np.where(nxt_is_adopt & ~np.isin(cat, FOSTER_CATS), FOSTER, cat)
    # fostering for adoption / placed with current carers: the move to adopters is then a T change
    ffa = (path == ADOPT) & (cat == FOSTER) & nxt_is_adopt & (rng.random(n) < 0.22)
    with_carer = np.zeros(n, dtype=bool)
    with_carer[1:] = (kind[1:] == 2) & ffa[:-1] & (all_par[1:] == all_par[:-1])
    # SGO/CAO/home: the last placement leans to relatives (special guardians are mostly relatives)
    last = last_in_group(all_par)
    to_kin = last & np.isin(path, [SGO, CAO]) & np.isin(cat, [FOSTER, RESI]) & (rng.random(n) < 0.55)
    cat = np.where(to_kin, KIN, cat)
    home_court = last & (path == HOME) & per["court"][all_par] & (rng.random(n) < P.HOME_PLACED_WITH_PARENTS)
    cat = np.where(home_court & np.isin(ls_now, ["C1", "C2"]), PWP, cat)
    # the first placement of a period is never temporary, and emergencies are foster placements
    # long-term flag: placement still open lt_off days into the period
    nxt_off = np.where(last, dur[all_par], np.append(all_off[1:], 0))
    long_term = np.zeros(n, dtype=bool)
    lt = lt_off[all_par]
    lt_change = np.isin(cat, FOSTER_CATS) & ~ffa & (path != ADOPT) & (all_off < lt) & (nxt_off > lt + 30) \
        & ~u & (age < 16)
    # in-house or agency fostering
    in_house_carer = rng.random(n) < P.FOSTER_INHOUSE
    if mix_variation:  # the in-house share's log-odds moved by the year's wander
        base = np.log(P.FOSTER_INHOUSE / (1 - P.FOSTER_INHOUSE))
        in_house_carer = mix_rng.random(n) < 1 / (1 + np.exp(-(base + inhouse_shift)))
    inhouse = (cat == FOSTER) & in_house_carer & ~ffa
    code = _code_for(cat, start, rng, long_term, ffa, with_carer)

    # providers, URNs, places
    provider = np.full(n, "", dtype=object)
    urn = np.full(n, "", dtype=object)
    pl = np.full(n, -1, dtype=np.int64)
    carer = np.arange(n, dtype=np.int64) + 1_000_000  # one carer per placement unless pooled
    home = per["home"][all_par]
    ref_home = np.where(home >= 0, home, lv.geo.random_inside(n, rng))
    lrng = stream(lv.seed, "location")

    provider[cat == KIN] = "PR1"
    urn[cat == KIN] = pools.la_fostering_urn
    sel = np.flatnonzero(cat == KIN)
    pl[sel] = lv.geo.near(ref_home[sel], lrng.choice(4, len(sel), p=P.LOCATION_BANDS["KIN"]), lrng)

    sel = np.flatnonzero(inhouse)
    hh = lv.geo.pick_from_pool(ref_home[sel], pools.house_pc, pools.house_weight, lrng, 6.0, 30.0, 0.1)
    provider[sel] = "PR1"
    urn[sel] = pools.la_fostering_urn
    pl[sel] = pools.house_pc[hh]
    carer[sel] = hh

    sel = np.flatnonzero((cat == FOSTER) & ~inhouse)
    provider[sel] = np.where(lrng.random(len(sel)) < 0.85, "PR4", "PR5")
    urn[sel] = pools.ifa_urns[lrng.integers(0, len(pools.ifa_urns), len(sel))]
    pl[sel] = lv.geo.near(ref_home[sel], lrng.choice(4, len(sel), p=P.LOCATION_BANDS["IFA"]), lrng)

    sel = np.flatnonzero(cat == RESI)
    h = lv.geo.pick_from_pool(ref_home[sel], pools.resi_pc, pools.resi_places.astype(float), lrng, 12.0, 80.0, 0.45)
    provider[sel] = pools.resi_provider[h]
    urn[sel] = pools.resi_urn[h]
    pl[sel] = pools.resi_pc[h]
    carer[sel] = 2_000_000 + h

    sel = np.flatnonzero(cat == SUPP)
    h = lv.geo.pick_from_pool(ref_home[sel], pools.supp_pc, pools.supp_places.astype(float), lrng, 8.0, 50.0, 0.25)
    provider[sel] = pools.supp_provider[h]
    urn[sel] = pools.supp_urn[h]
    pl[sel] = pools.supp_pc[h]
    carer[sel] = 3_000_000 + h

    sel = np.flatnonzero(cat == PWP)
    provider[sel] = "PR0"
    pl[sel] = home[sel]

    sel = np.flatnonzero(cat == ADOPTION)
    provider[sel] = np.where(lrng.random(len(sel)) < 0.75, "PR1", "PR5")
    urn[sel] = np.where(provider[sel] == "PR1", "XXXXXXX", pools.vaa_urns[lrng.integers(0, 6, len(sel))])
    pl[sel] = lv.geo.near(ref_home[sel], lrng.choice(4, len(sel), p=P.LOCATION_BANDS["ADOPT"]), lrng)
    # adopters found by a regional adoption agency hosted by another authority: other LA provision
    provider[sel] = np.where((provider[sel] == "PR1") & ~lv.geo.inside[pl[sel]], "PR2", provider[sel])

    for cc, prov, urns in ((R3, ("PR1", "PR4"), pools.other_urns), (S1, ("PR4", "PR5"), pools.school_urns),
                           (R1, ("PR4",), None), (K1, ("PR1", "PR2", "PR4"), pools.other_urns), (R5, ("PR3",), None),
                           (Z, ("",), None)):
        sel = np.flatnonzero(cat == cc)
        provider[sel] = np.array(prov, dtype=object)[lrng.integers(0, len(prov), len(sel))]
        if urns is not None:
            urn[sel] = urns[lrng.integers(0, len(urns), len(sel))]
        pl[sel] = lv.geo.near(ref_home[sel], lrng.choice(4, len(sel), p=P.LOCATION_BANDS["OTHER"]), lrng)
        provider[sel] = np.where((provider[sel] == "PR1") & ~lv.geo.inside[pl[sel]], "PR2", provider[sel])

    # same carers when moving to adopters with current foster carers (A5)
    prev_carer = np.append(-1, carer[:-1])
    prev_pl = np.append(-1, pl[:-1])
    carer = np.where(with_carer, prev_carer, carer)
    pl = np.where(with_carer, prev_pl, pl)
    # a supported placement found outside England by chance: keep within England (the sampler only
    # holds English postcodes)
    return {
        "period": all_par, "off": all_off, "start": start, "cat": cat, "code": code, "provider": provider,
        "urn": urn, "pl": pl, "carer": carer, "kind": kind, "lt_change": lt_change, "lt_off": lt,
        "with_carer": with_carer,
    }


def _ls_at(per: dict, period: np.ndarray, off: np.ndarray) -> np.ndarray:
    """Legal status in force ``off`` days into ``period``."""
    ls_off = per["ls_off"][period]
    ls_code = per["ls_code"][period]
    valid = (ls_off >= 0) & (ls_off <= off[:, None])
    idx = np.where(valid, np.arange(4)[None, :], -1).max(axis=1)
    return ls_code[np.arange(len(period)), idx]


def _episodes(seed: int, lv: Lives, per: dict, pl: dict) -> dict[str, np.ndarray]:
    """Merge legal-status changes, placement changes and temporary placements into episodes.

    Placement codes withdrawn later (H5, P2, Z1) are kept here; each return reports them with the
    code valid in its year (``snapshot.recode_place``).
    """
    rng = stream(seed, "episodes")
    trng = stream(seed, "temps")
    n_per = len(per["child"])
    dur = (per["end"] - per["start"]).astype(np.int64)

    # placement points: each placement, plus same-carer long-term switches, plus temporary stays
    p_period = pl["period"]
    p_off = pl["off"]
    last = last_in_group(p_period)
    p_end_off = np.where(last, dur[p_period], np.append(p_off[1:], 0))
    rec_idx = np.arange(len(p_period))
    pts_period = [p_period]
    pts_off = [p_off]
    pts_src = [rec_idx]  # which placement record supplies the attributes
    pts_code = [pl["code"]]
    pts_carer = [pl["carer"]]
    pts_kind = [np.where(pl["with_carer"], 1, 0)]  # 1 = same carer change
    # long-term fostering: U6 -> U4, U3 -> U1 with the same carers
    sel = np.flatnonzero(pl["lt_change"])
    lt_code = np.where(pl["code"][sel] == "U3", "U1", "U4")
    pts_period.append(p_period[sel])
    pts_off.append(p_off[sel] + (pl["lt_off"][sel] - p_off[sel]))
    pts_src.append(sel)
    pts_code.append(lt_code.astype(object))
    pts_carer.append(pl["carer"][sel])
    pts_kind.append(np.ones(len(sel), dtype=np.int64))
    # temporary placements inside foster placements
    length = p_end_off - p_off
    foster = np.isin(pl["cat"], FOSTER_CATS) & (length > 70)
    for tcode, rate in P.TEMP_RATE.items():
        k = trng.poisson(rate * length / 365.25) * foster
        par, _ = expand(np.minimum(k, 1))
        if len(par) == 0:
            continue
        lo_len, hi_len = P.TEMP_LENGTH[tcode]
        tl = trng.integers(lo_len, hi_len + 1, len(par))
        room = length[par] - 60 - tl
        ok = room > 0
        par, tl, room = par[ok], tl[ok], room[ok]
        t0 = p_off[par] + 30 + (trng.random(len(par)) * room).astype(np.int64)
        t1 = t0 + tl
        pts_period += [p_period[par], p_period[par]]
        pts_off += [t0, t1]
        pts_src += [par, par]
        pts_code += [np.full(len(par), tcode, dtype=object), pl["code"][par]]
        pts_carer += [np.arange(len(par)) + 5_000_000 + 100_000 * len(pts_period), pl["carer"][par]]
        pts_kind += [np.full(len(par), 2), np.full(len(par), 3)]  # 2 = temp start, 3 = back from temp
    q_period = np.concatenate(pts_period)
    q_off = np.concatenate(pts_off)
    q_src = np.concatenate(pts_src)
    q_code = np.concatenate(pts_code)
    q_carer = np.concatenate(pts_carer)
    q_kind = np.concatenate(pts_kind)
    order = np.lexsort((q_kind, q_off, q_period))
    q_period, q_off, q_src, q_code, q_carer, q_kind = (a[order] for a in (q_period, q_off, q_src, q_code,
                                                                           q_carer, q_kind))
    # temporary stays that overlap another change are dropped with their return point
    # (keep it simple: drop any point sharing a day with an earlier point of the same period)
    dup = np.zeros(len(q_period), dtype=bool)
    dup[1:] = (q_period[1:] == q_period[:-1]) & (q_off[1:] <= q_off[:-1])
    q_period, q_off, q_src, q_code, q_carer, q_kind = (a[~dup] for a in (q_period, q_off, q_src, q_code,
                                                                       q_carer, q_kind))
    # a temp start must be followed by its return; drop orphan temp starts/returns
    is_t = q_kind == 2
    nxt_ret = np.zeros(len(q_kind), dtype=bool)
    nxt_ret[:-1] = (q_kind[1:] == 3) & (q_period[1:] == q_period[:-1])
    prev_t = np.zeros(len(q_kind), dtype=bool)
    prev_t[1:] = (q_kind[:-1] == 2) & (q_period[1:] == q_period[:-1]) & nxt_ret[:-1]
    bad = (is_t & ~nxt_ret) | ((q_kind == 3) & ~prev_t)
    q_period, q_off, q_src, q_code, q_carer, q_kind = (a[~bad] for a in (q_period, q_off, q_src, q_code,
                                                                       q_carer, q_kind))
    # a temporary stay cannot be the last thing before the period ends (rule 381): returns are before end
    q_off = np.maximum(np.minimum(q_off, dur[q_period] - 1), 0)
    # the return from a temporary stay goes back to the placement as it stood (rule 383), including a
    # long-term switch made before the stay
    ret = np.flatnonzero(q_kind == 3)
    ret = ret[(ret >= 2)]
    ret = ret[q_period[ret - 2] == q_period[ret]]
    q_code[ret] = q_code[ret - 2]

    # where each temporary stay is: one place per stay
    home_q = per["home"][q_period]
    q_tpc = lv.geo.near(np.where(home_q >= 0, home_q, lv.geo.random_inside(len(q_period), rng)),
                        np.zeros(len(q_period), dtype=np.int64), rng)
    # legal-status points; a change that falls during a temporary stay, or on the day it ends, is
    # recorded from the day the stay starts, so that the return is a plain placement change (RNE P,
    # rule 383) rather than a change of legal status and placement (B)
    ls_par = np.repeat(np.arange(n_per), 4)
    ls_off = per["ls_off"].ravel()
    ls_code = per["ls_code"].ravel()
    ok = ls_off >= 0
    ls_par, ls_off, ls_code = ls_par[ok], ls_off[ok], ls_code[ok]
    qkey0 = q_period.astype(np.int64) * 100_000_000 + q_off
    at = np.maximum(np.searchsorted(qkey0, ls_par.astype(np.int64) * 100_000_000 + ls_off, side="right") - 1, 0)
    on_return = (q_kind[at] == 3) & (q_off[at] == ls_off) & (at >= 1)
    at = np.where(on_return, at - 1, at)
    during = (q_kind[at] == 2) & (q_period[at] == ls_par) & (q_off[at] < ls_off)
    ls_off = np.where(during, q_off[at], ls_off)
    order = np.lexsort((ls_off, ls_par))
    ls_par, ls_off, ls_code = ls_par[order], ls_off[order], ls_code[order]

    # union of change days
    e_period = np.concatenate([q_period, ls_par])
    e_off = np.concatenate([q_off, ls_off])
    key = e_period.astype(np.int64) * 100_000_000 + e_off
    ukey = np.unique(key)
    e_period = (ukey // 100_000_000).astype(np.int64)
    e_off = (ukey % 100_000_000).astype(np.int64)
    # attributes in force at each episode start
    qkey = q_period.astype(np.int64) * 100_000_000 + q_off
    qi = np.searchsorted(qkey, ukey, side="right") - 1
    lkey = ls_par.astype(np.int64) * 100_000_000 + ls_off
    li = np.searchsorted(lkey, ukey, side="right") - 1
    src = q_src[qi]
    place = q_code[qi]
    carer = q_carer[qi]
    ls = ls_code[li]
    provider = np.where(np.isin(place, ["T0", "T1", "T2", "T3", "T4", "Z1", "Z11", "Z12", "Z13", "Z14"]), "",
                        pl["provider"][src])
    is_temp = np.isin(place, ["T0", "T1", "T2", "T3", "T4"])
    urn = np.where(is_temp | np.isin(place, ["P1", "P3", "R1", "R2", "R5", "Z1", "Z11", "Z12", "Z13", "Z14"]),
                   "", pl["urn"][src])
    pl_pc = pl["pl"][src]
    pl_pc = np.where(is_temp, q_tpc[qi], pl_pc)
    first = first_in_group(e_period)
    prev = np.arange(len(e_period)) - 1
    same_period_prev = ~first
    # the return from a temporary stay goes back to the placement as it stood before the stay
    for _ in range(4):
        back = np.flatnonzero(np.append(False, np.isin(place[:-1], ["T0", "T1", "T2", "T3", "T4"]))
                              & ~np.isin(place, ["T0", "T1", "T2", "T3", "T4"]))
        back = back[(back >= 2)]
        back = back[(e_period[back - 2] == e_period[back]) & (carer[back - 2] == carer[back])]
        place[back] = place[back - 2]
    ls_changed = same_period_prev & (ls != ls[prev])
    # withdrawn codes compared as the returns will report them (snapshot.recode_place): supported
    # accommodation with the same carers recoded from H5 to K3 is no change (rule 435)
    seen = np.where(np.isin(place, ["H5", "P2"]), "K3", place)
    z1 = place == "Z1"
    seen[z1] = np.array(["Z11", "Z12", "Z13", "Z14"], dtype=object)[carer[z1] % 4]
    attrs_changed = same_period_prev & ((seen != seen[prev]) | (pl_pc != pl_pc[prev]) | (urn != urn[prev])
                                        | (provider != provider[prev]))
    # a new carer with nothing to tell it apart in the return (placed with parents again) is no change
    carer_changed = same_period_prev & (carer != carer[prev]) & attrs_changed
    place_changed = attrs_changed | carer_changed
    rne = np.where(first, "S",
                   np.where(ls_changed & carer_changed, "B",
                            np.where(ls_changed & place_changed, "U",
                                     np.where(ls_changed, "L", np.where(carer_changed, "P", "T")))))
    # episodes with nothing changed (a same-carer point with the same code) are merged away
    nothing = same_period_prev & ~ls_changed & ~place_changed
    keep = ~nothing
    e_period, e_off, place, carer, ls, provider, urn, pl_pc, rne, src = (
        a[keep] for a in (e_period, e_off, place, carer, ls, provider, urn, pl_pc, rne, src))
    # recompute RNE after merging (a dropped no-change point never sits between real changes)
    start = per["start"][e_period] + e_off
    lastp = last_in_group(e_period)
    end = np.where(lastp, per["end"][e_period], np.append(start[1:], 0))
    rec = np.where(lastp, per["rec"][e_period], "X1")
    # reason for placement change on the episode that ends before a P/B/T/U episode (rule 225),
    # blank around temporary placements (226) and on open episodes (233)
    nxt_rne = np.append(rne[1:], "S")
    nxt_place = np.append(place[1:], "")
    is_temp = np.isin(place, ["T0", "T1", "T2", "T3", "T4"])
    nxt_temp = np.isin(nxt_place, ["T0", "T1", "T2", "T3", "T4"])
    needs = ~lastp & np.isin(nxt_rne, ["P", "B", "T", "U"]) & ~is_temp & ~nxt_temp
    reason = choice(rng, P.REASON_PLACE_CHANGE, len(rne))
    same_carer = np.isin(nxt_rne, ["T", "U"])
    reason = np.where(same_carer, "PLACE", reason)
    to_adopt = np.isin(nxt_place, ["A5", "A6"])
    reason = np.where(to_adopt, "CARPL", reason)
    age_at = (start - lv.children["dob"][per["child"][e_period]]) / 365.25
    reason = np.where((nxt_place == "R5") & (age_at >= 10), "CUSTOD", reason)
    reason = np.where(reason == "CUSTOD", np.where(nxt_place == "R5", "CUSTOD", "OTHER"), reason)
    rpc = np.where(needs, reason, "")
    return {
        "child": per["child"][e_period], "period": e_period, "start": start, "end": end, "rne": rne, "ls": ls,
        "cin": per["cin"][e_period], "place": place, "provider": provider, "rec": rec, "rpc": rpc,
        "home": per["home"][e_period], "pl": pl_pc, "urn": urn, "carer": carer,
    }


# --------------------------------------------------------------------------------------------
# exits
# --------------------------------------------------------------------------------------------

def _exit_codes(rng: np.random.Generator, per: dict, last_cat: np.ndarray, uasc: np.ndarray) -> np.ndarray:
    n = len(per["child"])
    path = per["path"]
    out = np.full(n, "E8", dtype=object)

    def pick(sel: np.ndarray, table: dict) -> None:
        if sel.any():
            out[sel] = choice(rng, table, int(sel.sum()))

    aged = per["aged_out"]
    foster = np.isin(last_cat, FOSTER_CATS)
    pick(~aged & (path == HOME), {"E4A": 0.70, "E4B": 0.13, "E13": 0.17})
    pick(~aged & (path == ADOPT) & ~per["disrupted"], {"E11": 0.4, "E12": 0.6})
    pick(~aged & (path == SGO) & (last_cat == KIN), {"E45": 0.75, "E47": 0.25})
    pick(~aged & (path == SGO) & (last_cat == FOSTER), {"E46": 0.65, "E48": 0.35})
    pick(~aged & (path == SGO) & ~foster, {"E47": 0.7, "E48": 0.3})
    pick(~aged & (path == CAO), {"E41": 1.0})
    pick(~aged & (path == LEAVE16), {"E5": 0.40, "E6": 0.12, "E13": 0.20, "E4B": 0.16, "E8": 0.12})
    pick(~aged & (path == TRANSFER), {"E3": 1.0})
    pick(~aged & (path == YOUTH), {"E14": 0.6, "E9": 0.2, "E8": 0.2})
    pick(~aged & (path == OTHER), {"E8": 0.55, "E4B": 0.35, "E13": 0.08, "E16": 0.015, "E2": 0.005})
    pick(aged & foster & ~uasc, {"E17": 0.58, "E5": 0.27, "E6": 0.05, "E8": 0.10})
    pick(aged & ~foster & ~uasc, {"E5": 0.60, "E6": 0.13, "E7": 0.08, "E8": 0.19})
    pick(aged & uasc & foster, {"E17": 0.35, "E5": 0.40, "E15": 0.08, "E6": 0.07, "E8": 0.10})
    pick(aged & uasc & ~foster, {"E5": 0.62, "E15": 0.10, "E6": 0.13, "E8": 0.15})
    # placed with parents at the end: home as planned
    pick(~aged & (last_cat == PWP), {"E4A": 1.0})
    return out


