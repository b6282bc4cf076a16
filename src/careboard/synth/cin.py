"""The CIN census history of the same authority: every referral, and what followed it.

Two kinds of child, one history each, run once over the whole span (annual censuses are slices of
it, ``cin_census.py``):

* every looked-after child, with the episode of need that led to care: a referral before the
  first day of care, an assessment, often a section 47 enquiry and a child protection plan that
  ends when care starts, the case open until care ends (same ``LAchildID``, date of birth, sex and
  UPN as the SSDA903);
* children in need who are not looked after, each with a chain of referrals one after another (a
  referral only after the previous case closed).  A referral is closed with no further action,
  assessed and found not in need (closed RC8, or RC9 to early help), or found in need: then a
  section 47 enquiry, an initial conference on a working day, a child protection plan with its
  reviews, a CIN plan, or none, until the case closes.

Rates per referral and timings are calibrated to England 2025 (``cin_params.py``).  Working days
skip weekends and England's bank holidays (the ``holidays`` package), as the DfE counts them.
Everything is NumPy over flat arrays with parent indices; loops run over rounds of a child's
referral chain, not over children.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from careboard.years import label, year_end, year_start

from . import cin_params as C
from . import params as P
from .dates import NA, add_years, day
from .lives import OPEN, Lives
from .model import stream
from .ragged import choice, lognormal_days
from .upn import make_upns

# What a referral led to.
NFA, NOT_IN_NEED, IN_NEED, LOOKED_AFTER = range(4)


@dataclass
class CinHistory:
    """Flat arrays: people, their episodes of need and everything below an episode."""

    people: dict[str, np.ndarray] = field(default_factory=dict)  # id dob sex ethnic upn death dis
    episodes: dict[str, np.ndarray] = field(default_factory=dict)
    assessments: dict[str, np.ndarray] = field(default_factory=dict)  # episode start auth factors
    s47: dict[str, np.ndarray] = field(default_factory=dict)  # episode start target icpc
    cpp: dict[str, np.ndarray] = field(default_factory=dict)  # episode start end initial latest previous
    reviews: dict[str, np.ndarray] = field(default_factory=dict)  # cpp date
    plans: dict[str, np.ndarray] = field(default_factory=dict)  # episode start end


# -- working days ------------------------------------------------------------------------------


@cache
def _calendar() -> tuple[int, np.ndarray, np.ndarray]:
    """(first day, working-day number of every day, the working days) from 1990 to 2045."""
    import holidays

    lo, hi = day(year_start(1991)), day(year_end(2045))
    days = np.arange(lo, hi + 1)
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday: 0 = Monday
    bank = holidays.country_holidays("GB", subdiv="ENG", years=range(1990, 2046))
    bank_days = np.array([day(d) for d in bank], dtype=np.int64)
    working = (weekday < 5) & ~np.isin(days, bank_days)
    number = np.cumsum(working)
    return lo, number, days[working]


def next_working_day(d: np.ndarray) -> np.ndarray:
    """The first working day on or after each day."""
    lo, number, workdays = _calendar()
    d = np.asarray(d, dtype=np.int64)
    idx = number[d - lo] - 1  # index of the last working day on or before d
    on = workdays[np.clip(idx, 0, len(workdays) - 1)] == d
    return np.where(on, d, workdays[np.clip(idx + 1, 0, len(workdays) - 1)])


def add_working_days(d: np.ndarray, n: np.ndarray) -> np.ndarray:
    """The working day ``n`` working days after the working day ``d`` (0 gives ``d``)."""
    lo, number, workdays = _calendar()
    d = next_working_day(d)
    return workdays[number[d - lo] - 1 + np.asarray(n, dtype=np.int64)]


def working_days_between(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Working days after ``a`` up to and including ``b``."""
    lo, number, _ = _calendar()
    return number[np.asarray(b) - lo] - number[np.asarray(a) - lo]


def _census_year(d: np.ndarray) -> np.ndarray:
    """The collection year (named by its 31 March) a day falls in."""
    m = np.asarray(d).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return m // 12 + 1970 + (m % 12 >= 3)


def _banded(rng: np.random.Generator, bands: dict[tuple[int, int], float], n: int) -> np.ndarray:
    """Whole numbers drawn band by band (weights), uniform within a band."""
    keys = list(bands)
    w = np.array(list(bands.values()), dtype=np.float64)
    pick = rng.choice(len(keys), size=n, p=w / w.sum())
    lo = np.array([k[0] for k in keys])[pick]
    hi = np.array([k[1] for k in keys])[pick]
    return lo + (rng.random(n) * (hi - lo + 1)).astype(np.int64)


# -- people ------------------------------------------------------------------------------------


def _disabilities(rng: np.random.Generator, disabled: np.ndarray) -> np.ndarray:
    """Each person's disability codes (a tuple; empty when not disabled)."""
    n = len(disabled)
    k = rng.choice(3, size=n, p=np.array(C.EXTRA_DISABILITIES)) + 1
    w = np.array(C.DISABILITY_WEIGHTS)
    codes = np.array(C.DISABILITY_CODES, dtype=object)
    out = np.empty(n, dtype=object)
    draws = rng.random((n, len(codes))) ** (1 / w)  # weighted sampling without replacement (keys)
    order = np.argsort(-draws, axis=1)
    for i in range(n):
        out[i] = tuple(codes[order[i, : k[i]]]) if disabled[i] else ()
    return out


def _people(lv: Lives, n_other: int, rng: np.random.Generator, first: np.ndarray) -> dict[str, np.ndarray]:
    """The looked-after children (as in the SSDA903) followed by ``n_other`` children in need."""
    cla = lv.children
    bands = list(C.AGE_AT_FIRST_REFERRAL)
    w = np.array(list(C.AGE_AT_FIRST_REFERRAL.values()))
    pick = rng.choice(len(bands), size=n_other, p=w / w.sum())
    lo = np.array([b[0] for b in bands])[pick]
    hi = np.array([b[1] for b in bands])[pick]
    age = lo + rng.random(n_other) * (hi - lo)
    dob = first - (age * 365.25).astype(np.int64)
    sex = np.where(rng.random(n_other) < C.MALE_SHARE, 1, 2).astype(np.int8)
    ethnic = choice(rng, P.ETHNIC_SHARE, n_other)
    taken = set(cla["id"].tolist())
    ids = []
    pool = 10_000_000 + rng.choice(89_999_999, size=n_other + len(taken), replace=False)
    for x in pool.tolist():
        s = str(x)
        if s not in taken:
            ids.append(s)
            if len(ids) == n_other:
                break
    upn_year = dob.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970 + 4
    upn = make_upns(lv.la_code, upn_year, rng)
    known = set(cla["upn"].tolist())
    clash = np.array([u in known for u in upn.tolist()], dtype=bool)
    while clash.any():  # two draws of UPNs may meet (DfE rule 1520: a UPN belongs to one child)
        upn[clash] = make_upns(lv.la_code, upn_year[clash], rng)
        seen: set[str] = set()
        clash = np.zeros(len(upn), dtype=bool)
        for i, u in enumerate(upn.tolist()):
            clash[i] = u in known or u in seen
            seen.add(u)
    disabled = np.concatenate([cla["disabled"], rng.random(n_other) < C.DISABLED_SHARE])
    # home postcode: a looked-after child's home when last taken into care, others anywhere in the area
    per = lv.periods
    home_cla = np.full(len(cla["id"]), -1, dtype=np.int64)
    home_cla[per["child"]] = per["home"]  # periods are in start order, so the latest wins
    return {
        "home": np.concatenate([home_cla, lv.geo.random_inside(n_other, rng)]),
        "id": np.concatenate([cla["id"], np.array(ids, dtype=object)]),
        "dob": np.concatenate([cla["dob"], dob]).astype(np.int64),
        "sex": np.concatenate([cla["sex"], sex]),
        "ethnic": np.concatenate([cla["ethnic"], ethnic]),
        "upn": np.concatenate([cla["upn"], upn]),
        "death": np.full(len(cla["id"]) + n_other, NA, dtype=np.int64),
        "dis": _disabilities(rng, disabled),
        "looked_after": np.concatenate([np.ones(len(cla["id"]), bool), np.zeros(n_other, bool)]),
    }


# -- episodes ----------------------------------------------------------------------------------


def _other_referrals(lv: Lives, size: int, rng: np.random.Generator) -> tuple[dict, int]:
    """Referral chains of children who are not looked after: (first referral date, count) per child."""
    w0 = day(year_start(lv.first_year)) - 3 * 365
    w1 = day(year_end(lv.last_year))
    years = (w1 - w0) / 365.25
    per_year = size * C.REFERRALS_PER_CLA - 0.4 * size  # looked-after children bring their own
    n_children = max(1, int(C.REFERRAL_VOLUME * per_year * years / (1 + C.EXTRA_REFERRALS_MEAN)))
    first = rng.integers(w0 - 2 * 365, w1 + 1, n_children)
    count = 1 + rng.poisson(C.EXTRA_REFERRALS_MEAN, n_children)
    return {"first": first, "count": count}, n_children


def _closure_reason(rng: np.random.Generator, age_at_close: np.ndarray) -> np.ndarray:
    n = len(age_at_close)
    reason = choice(rng, {"RC7": 0.92, "RC5": 0.03, "RC3": 0.02, "RC4": 0.01, "RC1": 0.002}, n)
    return np.where((age_at_close >= 17.5) & (rng.random(n) < 0.5), "RC6", reason)


def _chains(lv: Lives, people: dict, refs: dict, n_cla: int, rng: np.random.Generator) -> dict:
    """Episodes of the children not looked after: each referral after the previous case closed."""
    w1 = day(year_end(lv.last_year))
    n = len(refs["first"])
    idx = np.arange(n) + n_cla
    current = refs["first"].copy()
    eighteen = add_years(people["dob"][idx], 18)
    parts = []
    alive = np.ones(n, dtype=bool)
    for k in range(int(refs["count"].max())):
        go = alive & (refs["count"] > k) & (current <= w1) & (current < eighteen)
        if not go.any():
            break
        who = np.flatnonzero(go)
        ep = _episode_outcomes(rng, idx[who], current[who], people)
        parts.append(ep)
        died = ep["reason_at"] == "RC2"
        alive[who[died]] = False
        soon = rng.random(len(who)) < C.SOON_SHARE
        gap = np.where(soon, lognormal_days(rng, C.GAP_SOON, len(who)), lognormal_days(rng, C.GAP_LATER, len(who)))
        current[who] = np.where(ep["closure_at"] == OPEN, w1 + 1, ep["closure_at"] + gap)
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def _episode_outcomes(rng: np.random.Generator, person: np.ndarray, referral: np.ndarray, people: dict) -> dict:
    """One referral each: what it led to and when the case closed (the rest is drawn later)."""
    n = len(person)
    u = rng.random(n)
    kind = np.where(u < C.NFA_SHARE, NFA, np.where(u < C.NFA_SHARE + C.NOT_IN_NEED_SHARE, NOT_IN_NEED, IN_NEED))
    referral = np.maximum(referral, people["dob"][person] - 200)  # pre-birth referrals at most ~7 months early
    return {
        "person": person,
        "referral": referral.astype(np.int64),
        "kind": kind,
        "closure": np.full(n, OPEN),
        "reason": np.full(n, "", dtype=object),
        **_work(rng, kind, referral, person, people),
    }


def _work(rng: np.random.Generator, kind: np.ndarray, referral: np.ndarray, person: np.ndarray, people: dict) -> dict:
    """Assessment, section 47, conference, plans and closure of each referral, by what it led to."""
    n = len(kind)
    assessed = kind != NFA
    a_start = add_working_days(referral, rng.integers(0, 3, n))
    a_auth = add_working_days(a_start, _banded(rng, C.ASSESSMENT_WORKING_DAYS, n))
    need = kind == IN_NEED
    s47 = need & (rng.random(n) < C.S47_OF_IN_NEED)
    s47_start = add_working_days(referral, rng.integers(0, 6, n))
    icpc = s47 & (rng.random(n) < C.ICPC_OF_S47)
    icpc_date = add_working_days(s47_start, _banded(rng, C.ICPC_WORKING_DAYS, n))
    cpp = icpc & (rng.random(n) < C.CPP_OF_ICPC)
    cpp_len = np.maximum(lognormal_days(rng, C.CPP_DURATION, n), 14)
    # many long plans end at the review around their second anniversary
    ends_at_two = (cpp_len > 730) & (rng.random(n) < C.ENDS_AT_TWO_YEARS)
    cpp_len = np.where(ends_at_two, 730 + rng.integers(0, 60, n), cpp_len)
    cpp_end = icpc_date + cpp_len
    step_down = cpp & (rng.random(n) < C.STEP_DOWN_SHARE)
    plan = (need & ~cpp & (rng.random(n) < C.CIN_PLAN_SHARE)) | step_down
    plan_start = np.where(cpp, cpp_end, np.maximum(a_auth, np.where(icpc, icpc_date, a_auth)) + rng.integers(1, 10, n))
    plan_len = np.where(
        cpp, lognormal_days(rng, C.DURATION_AFTER_STEP_DOWN, n), lognormal_days(rng, C.DURATION_CIN_PLAN, n)
    )
    plan_end = plan_start + np.maximum(plan_len, 7)
    # the case closes when its last piece of work ends
    last = np.where(assessed, a_auth, referral + rng.integers(0, 2, n))
    last = np.where(icpc, np.maximum(last, icpc_date), last)
    last = np.where(s47, np.maximum(last, s47_start), last)
    last = np.where(cpp, np.maximum(last, cpp_end), last)
    no_plan_close = last + lognormal_days(rng, C.DURATION_NO_PLAN, n)
    # a case assessed not in need closes within days of the assessment, in the same census year
    after = a_auth + rng.integers(*C.CLOSE_AFTER_NOT_IN_NEED, n)
    after = np.where(_census_year(after) > _census_year(a_auth), a_auth, after)
    closure = np.where(kind == NOT_IN_NEED, after, np.where(plan, plan_end, np.where(need, no_plan_close, last)))
    closure = np.maximum(closure, last)
    age = (closure - people["dob"][person]) / 365.25
    reason = np.where(
        kind == NFA,
        "RC7",
        np.where(
            kind == NOT_IN_NEED, np.where(rng.random(n) < C.EARLY_HELP_SHARE, "RC9", "RC8"), _closure_reason(rng, age)
        ),
    )
    died = need & (rng.random(n) < C.DEATH_SHARE)
    reason = np.where(died, "RC2", reason)
    second = need & (closure - a_auth > 200) & (rng.random(n) < C.SECOND_ASSESSMENT_SHARE)
    a2_start = next_working_day(a_auth + 30 + (rng.random(n) * np.maximum(closure - a_auth - 150, 1)).astype(np.int64))
    a2_auth = add_working_days(a2_start, _banded(rng, C.ASSESSMENT_WORKING_DAYS, n))
    second &= a2_auth <= closure
    return {
        "closure_at": closure,
        "reason_at": reason,
        "assessed": assessed,
        "a_start": a_start,
        "a_auth": a_auth,
        "second": second,
        "a2_start": a2_start,
        "a2_auth": a2_auth,
        "s47": s47,
        "s47_start": s47_start,
        "icpc": icpc,
        "icpc_date": icpc_date,
        "cpp": cpp,
        "cpp_end": cpp_end,
        "plan": plan,
        "plan_start": plan_start,
        "plan_end": plan_end,
    }


def _looked_after(lv: Lives, rng: np.random.Generator) -> dict:
    """The episode of need of each period of care: open from the referral until care ends."""
    per = lv.periods
    n = len(per["child"])
    referral = per["referral"].astype(np.int64)
    start = per["start"].astype(np.int64)
    end = per["end"].astype(np.int64)
    kind = np.full(n, LOOKED_AFTER)
    a_start = np.minimum(add_working_days(referral, rng.integers(0, 3, n)), np.maximum(start, referral))
    a_auth = add_working_days(a_start, _banded(rng, C.ASSESSMENT_WORKING_DAYS, n))
    a_auth = np.where(end == OPEN, a_auth, np.minimum(a_auth, end))
    s47 = (per["cin"] == "N1") & (rng.random(n) < 0.7)
    s47_start = next_working_day(referral)
    icpc_date = add_working_days(s47_start, _banded(rng, C.ICPC_WORKING_DAYS, n))
    # a conference held before care started; the plan it made ends the day care starts
    icpc = s47 & (icpc_date < start - 7) & (rng.random(n) < 0.6)
    cpp = icpc & (rng.random(n) < C.CPP_OF_ICPC)
    rec = per["rec"]
    reason = np.full(n, "RC7", dtype=object)
    reason[np.isin(rec, ["E11", "E12"])] = "RC1"
    reason[rec == "E2"] = "RC2"
    reason[rec == "E41"] = "RC3"
    reason[np.isin(rec, ["E45", "E46", "E47", "E48"])] = "RC4"
    reason[rec == "E3"] = "RC5"
    reason[rec == "E7"] = "RC6"
    z = np.zeros(n, dtype=bool)
    return {
        "person": per["child"].astype(np.int64),
        "referral": referral,
        "kind": kind,
        "closure": np.full(n, OPEN),
        "reason": np.full(n, "", dtype=object),
        "closure_at": np.where(end == OPEN, OPEN, end),
        "reason_at": reason,
        "assessed": np.ones(n, dtype=bool),
        "a_start": a_start,
        "a_auth": a_auth,
        "second": z,
        "a2_start": a_start,
        "a2_auth": a_auth,
        "s47": s47,
        "s47_start": s47_start,
        "icpc": icpc,
        "icpc_date": icpc_date,
        "cpp": cpp,
        "cpp_end": np.where(cpp, start, NA),
        "plan": z,
        "plan_start": a_start,
        "plan_end": a_start,
        "need": per["cin"].astype(object),
    }


# -- the whole history ---------------------------------------------------------------------------


def simulate_cin(lv: Lives, size: int) -> CinHistory:
    """Every referral of the authority over the simulated span, and what followed it."""
    rng = stream(lv.seed, "sw", 70)
    refs, n_other = _other_referrals(lv, size, rng)
    people = _people(lv, n_other, rng, refs["first"])
    n_cla = len(lv.children["id"])
    ep_other = _chains(lv, people, refs, n_cla, stream(lv.seed, "sw", 71))
    ep_other["need"] = np.where(
        ep_other["kind"] == NFA,
        "",
        np.where(
            ep_other["kind"] == NOT_IN_NEED,
            choice(rng, {"N9": 0.8, "N0": 0.2}, len(ep_other["kind"])),
            choice(rng, C.PRIMARY_NEED, len(ep_other["kind"])),
        ),
    )
    ep_cla = _looked_after(lv, stream(lv.seed, "sw", 72))
    keys = [k for k in ep_other if k in ep_cla]
    ep = {k: np.concatenate([ep_other[k], ep_cla[k]]) for k in keys}
    order = np.lexsort((ep["referral"], ep["person"]))
    ep = {k: v[order] for k, v in ep.items()}
    horizon = lv.horizon
    closed = ep["closure_at"] <= horizon
    ep["closure"] = np.where(closed, ep["closure_at"], OPEN)
    ep["reason"] = np.where(closed, ep["reason_at"], "")
    m = len(ep["person"])
    ep["nfa"] = ep["kind"] == NFA
    ep["source"] = choice(rng, C.REFERRAL_SOURCE, m)
    deaths = ep["reason"] == "RC2"
    people["death"][ep["person"][deaths]] = ep["closure"][deaths]
    hist = CinHistory(people=people, episodes=ep)
    _below_episodes(hist, stream(lv.seed, "sw", 73))
    return hist


def _below_episodes(hist: CinHistory, rng: np.random.Generator) -> None:
    """Assessments with factors, section 47s, plans and reviews as flat tables keyed by episode."""
    ep = hist.episodes
    m = len(ep["person"])
    idx = np.arange(m)
    closure = ep["closure_at"]
    # assessments: one for every assessed referral, a second for some long cases
    a1 = ep["assessed"]
    a2 = ep["second"]
    a_ep = np.concatenate([idx[a1], idx[a2]])
    a_no = np.concatenate([np.ones(a1.sum(), np.int64), np.full(a2.sum(), 2, np.int64)])
    a_start = np.concatenate([ep["a_start"][a1], ep["a2_start"][a2]])
    a_auth = np.concatenate([ep["a_auth"][a1], ep["a2_auth"][a2]])
    o = np.lexsort((a_no, a_ep))
    a_ep, a_no, a_start, a_auth = a_ep[o], a_no[o], a_start[o], a_auth[o]
    not_in_need = ep["kind"][a_ep] == NOT_IN_NEED
    none = not_in_need & (rng.random(len(a_ep)) < C.NO_FACTORS_SHARE)
    f1 = choice(rng, C.FACTORS, len(a_ep))
    f2 = choice(rng, C.FACTORS, len(a_ep))
    two = (rng.random(len(a_ep)) < 0.55) & (f1 != f2)
    factors = np.empty(len(a_ep), dtype=object)
    for i in range(len(a_ep)):
        factors[i] = ("21",) if none[i] else ((f1[i], f2[i]) if two[i] else (f1[i],))
    hist.assessments = {"episode": a_ep, "no": a_no, "start": a_start, "auth": a_auth, "factors": factors}
    # section 47 enquiries
    s = ep["s47"]
    hist.s47 = {
        "episode": idx[s],
        "start": ep["s47_start"][s],
        "target": add_working_days(ep["s47_start"][s], 15),
        "icpc": np.where(ep["icpc"][s], ep["icpc_date"][s], NA),
    }
    # child protection plans and their reviews
    c = ep["cpp"]
    c_ep = idx[c]
    start = ep["icpc_date"][c]
    end = ep["cpp_end"][c]
    end = np.where(end > closure[c], closure[c], end)
    initial = choice(rng, C.ABUSE_CATEGORY, len(c_ep))
    latest = np.where(
        rng.random(len(c_ep)) < C.CATEGORY_CHANGE_SHARE, choice(rng, C.ABUSE_CATEGORY, len(c_ep)), initial
    )
    person = ep["person"][c_ep]
    rank = np.zeros(len(c_ep), dtype=np.int64)
    if len(c_ep):
        new = np.ones(len(c_ep), dtype=bool)
        new[1:] = person[1:] != person[:-1]
        starts = np.flatnonzero(new)
        rank = np.arange(len(c_ep)) - np.repeat(starts, np.diff(np.append(starts, len(c_ep))))
    before = np.where(rng.random(len(c_ep)) < C.PREVIOUS_PLAN_BEFORE_WINDOW, 1 + rng.poisson(0.3, len(c_ep)), 0)
    base = np.zeros(len(hist.people["id"]), dtype=np.int64)
    base[person] = before  # one draw per child (the last plan's draw wins; all plans share it)
    hist.cpp = {
        "episode": c_ep,
        "start": start,
        "end": end,
        "initial": initial,
        "latest": latest,
        "previous": base[person] + rank,
    }
    hist.reviews = _reviews(rng, start, end)
    # CIN plans
    p = ep["plan"]
    hist.plans = {"episode": idx[p], "start": ep["plan_start"][p], "end": np.minimum(ep["plan_end"][p], closure[p])}


def _reviews(rng: np.random.Generator, start: np.ndarray, end: np.ndarray) -> dict[str, np.ndarray]:
    """Review conferences: within 3 months of the plan starting, then at most 6 months apart; a few late."""
    plans, dates = [], []
    late = rng.random(len(start)) < C.REVIEW_LATE_SHARE
    late_at = rng.integers(0, 4, len(start))
    due = start + 91
    k = 0
    active = np.ones(len(start), dtype=bool)
    while active.any():
        held = (
            due - rng.integers(1, 21, len(start)) + np.where(late & (late_at == k), rng.integers(5, 41, len(start)), 0)
        )
        held = next_working_day(np.maximum(held, start + 1))
        active &= held < end
        i = np.flatnonzero(active)
        plans.append(i)
        dates.append(held[i])
        due = held + 182
        k += 1
    if not plans:
        return {"cpp": np.zeros(0, np.int64), "date": np.zeros(0, np.int64)}
    cpp = np.concatenate(plans)
    date = np.concatenate(dates)
    o = np.lexsort((date, cpp))
    return {"cpp": cpp[o], "date": date[o]}


def write_cin_addresses(lv: Lives, hist: CinHistory, path: Path) -> Path:
    """The local extract ``cin_addresses.csv``: each child in any of the censuses with a home postcode."""
    from .write903 import csv_text

    ep = hist.episodes
    ys, ye = day(year_start(lv.first_year)), day(year_end(lv.last_year))
    who = np.unique(ep["person"][(ep["referral"] <= ye) & (ep["closure_at"] >= ys)])
    home = hist.people["home"][who]
    who = who[home >= 0]
    columns = {"CHILD": hist.people["id"][who], "POSTCODE": lv.geo.table.text(hist.people["home"][who])}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_text(columns).encode("utf-8"))
    return path


def cin_path(out: Path, la: str, year: int) -> Path:
    """OUT/<la>/cin/<yyyy-yy>/cin_census_<la>_<yyyy-yy>.xml"""
    return out / la / "cin" / label(year) / f"cin_census_{la}_{label(year)}.xml"
