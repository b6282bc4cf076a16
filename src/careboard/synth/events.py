"""Events attached to periods of care: reviews, missing episodes, social workers, the adoption pathway."""

from __future__ import annotations

import numpy as np

from . import params as P
from .dates import NA, add_months, add_years, age_years, working_days_after
from .model import Lives, stream
from .ragged import choice, expand, first_in_group, last_in_group, lognormal_days

# --------------------------------------------------------------------------------------------
# reviews, missing, social workers
# --------------------------------------------------------------------------------------------

def _reviews(seed: int, lv: Lives, per: dict, horizon: int) -> dict[str, np.ndarray]:
    """Reviews on the statutory schedule (20 working days, 3 months, then 6-monthly), mostly on time."""
    rng = stream(seed, "reviews")
    out_p: list[np.ndarray] = []
    out_d: list[np.ndarray] = []
    out_due: list[np.ndarray] = []
    idx = np.flatnonzero(per["ls_code"][:, 0] != "J2")
    start = per["start"][idx]
    end = np.minimum(per["end"][idx], horizon + 1)
    due = working_days_after(start, 20)
    k = 0
    alive = np.ones(len(idx), dtype=bool)
    while alive.any() and k < 60:
        on_time = rng.random(len(idx)) < P.REVIEW_ON_TIME
        early = rng.integers(0, P.REVIEW_EARLY_DAYS + 1, len(idx))
        late = rng.integers(P.REVIEW_LATE_DAYS[0], P.REVIEW_LATE_DAYS[1] + 1, len(idx))
        held = np.where(on_time, due - np.where(k == 0, np.minimum(early, 10), early), due + late)
        held = np.maximum(held, start + 1)
        alive &= held < end
        out_p.append(idx[alive])
        out_d.append(held[alive])
        out_due.append(due[alive])
        due = add_months(held, 3 if k == 0 else 6)
        k += 1
    per_idx = np.concatenate(out_p) if out_p else np.zeros(0, dtype=np.int64)
    d = np.concatenate(out_d) if out_d else np.zeros(0, dtype=np.int64)
    du = np.concatenate(out_due) if out_due else np.zeros(0, dtype=np.int64)
    order = np.lexsort((d, per["child"][per_idx]))
    per_idx, d, du = per_idx[order], d[order], du[order]
    child = per["child"][per_idx]
    age = age_years(lv.children["dob"][child], d)
    code = np.where(age < 4, "PN0", choice(rng, P.REVIEW_CODE_SHARE, len(d)))
    return {"child": child, "period": per_idx, "date": d, "due": du, "code": code}


def _missing(seed: int, lv: Lives, per: dict, ep: dict) -> dict[str, np.ndarray]:
    """Missing and away episodes for children aged 10+, concentrated in some children and placements."""
    rng = stream(seed, "missing")
    c = lv.children
    n = len(per["child"])
    dob = c["dob"][per["child"]]
    from_day = np.maximum(per["start"], add_years(dob, 10) + int((P.MISSING_MIN_AGE - 10) * 365))
    to_day = per["end"] - 2
    span = np.maximum(to_day - from_day, 0)
    # the placement type most of the period is spent in decides how likely a child is to run
    cat = np.full(n, "FOSTER", dtype=object)
    resi = np.zeros(n)
    np.add.at(resi, ep["period"],
              (np.minimum(ep["end"], 10**7) - ep["start"]) * np.isin(ep["place"], ["K2", "K1", "R1", "S1"]))
    supp = np.zeros(n)
    np.add.at(supp, ep["period"], (np.minimum(ep["end"], 10**7) - ep["start"])
              * np.isin(ep["place"], ["H5", "K3", "P2", "Z1", "Z11", "Z12", "Z13", "Z14"]))
    total = np.maximum(per["end"] - per["start"], 1)
    cat = np.where(resi / total > 0.3, "RESI", np.where(supp / total > 0.3, "SUPP", cat))
    prob = np.array([P.MISSING_RUNNER_PROB[x] for x in cat.tolist()])
    runner = (rng.random(n) < prob) & (span > 0) & ~c["uasc"][per["child"]] | \
             ((rng.random(n) < prob * 0.3) & (span > 0) & c["uasc"][per["child"]])
    rate = P.MISSING_RATE * rng.gamma(P.MISSING_RATE_SHAPE, 1 / P.MISSING_RATE_SHAPE, n)
    k = rng.poisson(rate * span / 365.25) * runner
    par, _ = expand(k)
    st = from_day[par] + (rng.random(len(par)) * span[par]).astype(np.int64)
    length = np.floor(rng.lognormal(np.log(P.MISSING_LENGTH[0]), P.MISSING_LENGTH[1], len(par))).astype(np.int64)
    length = np.minimum(length, 60)
    en = np.minimum(st + length, to_day[par])
    order = np.lexsort((st, par))
    par, st, en = par[order], st[order], en[order]
    # no overlaps: drop an episode that starts before an earlier one of the period ended (rule 574)
    big = np.int64(10**9)
    running = np.maximum.accumulate(par.astype(np.int64) * big + en) - par.astype(np.int64) * big
    prev_end = np.append(np.int64(NA), running[:-1])
    same = np.append(False, par[1:] == par[:-1])
    ok = ~(same & (st <= prev_end))
    par, st, en = par[ok], st[ok], en[ok]
    away_child = rng.random(n) < P.AWAY_SHARE
    mtype = np.where(away_child[par] & (rng.random(len(par)) < 0.9), "A", "M")
    found = choice(rng, P.MISSING_FOUND, len(par))
    offered = rng.random(len(par)) < P.RHI_OFFERED
    accepted = offered & (rng.random(len(par)) < P.RHI_ACCEPTED)
    return {"child": per["child"][par], "period": par, "type": mtype, "start": st, "end": en,
            "found": found, "rhi_offered": offered, "rhi_accepted": accepted}


def _social_workers(seed: int, lv: Lives, per: dict) -> dict[str, np.ndarray]:
    """Allocated social workers from the referral that led to care to the end of each period."""
    rng = stream(seed, "sw")
    n = len(per["child"])
    s0 = per["referral"].astype(np.int64)
    s1 = per["end"].astype(np.int64)
    # chains of consecutive periods must not overlap
    prev_end = np.append(NA, s1[:-1])
    same = np.append(False, per["child"][1:] == per["child"][:-1])
    s0 = np.where(same, np.maximum(s0, prev_end + 1), s0)
    span = np.maximum(s1 - s0, 1)
    frail = rng.gamma(P.SW_CHANGE_SHAPE, 1 / P.SW_CHANGE_SHAPE, n)
    k = rng.poisson(P.SW_CHANGE_RATE * frail * span / 365.25)
    par, _ = expand(k)
    cut = s0[par] + 1 + (rng.random(len(par)) * np.maximum(span[par] - 2, 0)).astype(np.int64)
    all_par = np.concatenate([np.arange(n), par])
    all_start = np.concatenate([s0, cut])
    order = np.lexsort((all_start, all_par))
    all_par, all_start = all_par[order], all_start[order]
    keep = np.ones(len(all_par), dtype=bool)
    keep[1:] = ~((all_par[1:] == all_par[:-1]) & (all_start[1:] == all_start[:-1]))
    all_par, all_start = all_par[keep], all_start[keep]
    lastg = last_in_group(all_par)
    end = np.where(lastg, s1[all_par], np.append(all_start[1:], 0))
    firstg = first_in_group(all_par)
    reason = np.where(firstg, "FCONTA", choice(rng, P.SW_REASON, len(all_par)))
    # workers: a pool sized by caseload; consecutive episodes never share a worker
    n_workers = max(5, int(len(np.unique(per["child"])) / 6 / P.SW_CASELOAD) + 5)
    worker = rng.integers(0, n_workers, len(all_par))
    clash = np.append(False, (worker[1:] == worker[:-1]) & ~firstg[1:])
    worker = np.where(clash, (worker + 1 + rng.integers(0, n_workers - 1, len(worker))) % n_workers, worker)
    clash = np.append(False, (worker[1:] == worker[:-1]) & ~firstg[1:])
    worker = np.where(clash, (worker + 1) % n_workers, worker)
    base = int(rng.integers(10000, 89999))
    sw_id = np.array([f"SW{base + w:05d}" for w in worker.tolist()], dtype=object)
    return {"child": per["child"][all_par], "period": all_par, "id": sw_id, "start": all_start, "end": end,
            "reason": reason}



def _adoption(seed: int, per: dict, ep: dict, horizon: int) -> dict[str, np.ndarray]:
    """Decisions that a child should be placed for adoption, matches and adopters."""
    rng = stream(seed, "adoption")
    sel = np.flatnonzero((per["decision"] != NA) & (per["decision"] <= horizon))
    n = len(sel)
    decision = per["decision"][sel]
    ceased = per["decision_ceased"][sel]
    ceased = np.where(ceased > horizon, NA, ceased)
    reason = np.where(ceased != NA, choice(rng, {"RD1": 0.3, "RD2": 0.15, "RD3": 0.35, "RD4": 0.2}, n), "")
    placed = per["placed"][sel]
    adopted = np.where(np.isin(per["rec"][sel], ["E11", "E12"]), per["end"][sel], NA)
    match = np.where(placed != NA, np.maximum(placed - lognormal_days(rng, P.ADOPT_MATCH_BEFORE_PLACED, n), decision),
                     NA)
    # adopted by their foster carers: the placement for adoption is A5
    a5 = np.zeros(len(per["child"]), dtype=bool)
    a5[ep["period"][ep["place"] == "A5"]] = True
    foster_care = a5[sel]
    nb = np.where(rng.random(n) < 0.15, 1, 2)
    sex = np.where(nb == 1, np.where(rng.random(n) < 0.85, "F1", "M1"),
                   choice(rng, {"MF": 0.85, "MM": 0.07, "FF": 0.08}, n))
    ls = np.where(nb == 1, "L0", np.where(sex == "MF", np.where(rng.random(n) < 0.75, "L11", "L2"),
                                          np.where(rng.random(n) < 0.6, "L12", "L2")))
    return {"period": sel, "child": per["child"][sel], "decision": decision, "ceased": ceased, "reason": reason,
            "placed": placed, "adopted": adopted, "match": match, "foster_care": foster_care.astype(np.int8),
            "nb": nb, "sex": sex, "ls": ls}
