"""Recruitment targets: the in-house foster households, by home area and approval, that would close the gap.

From the last year's matching (plan.py): the children left without a suitable in-house household,
by home area and the approval a new household would need, give the households needed in each
future; the 50% and 80% targets are the median and 80th percentile over futures.  They are checked
by matching the last year again with each level's households added.
"""

from __future__ import annotations

import math

import numpy as np

from .areas import Areas
from .capacity import SKILLS, Settings
from .plan import SKILL, WEEKS_A_YEAR, PlanInputs, SufficiencyPlan, YearMatch, _q, match_day
from .simulate import Simulation
from .supply import APPROVAL_LABELS, APPROVALS, Recruit, SupplyPlan, settings_on


def approval_needed(skills: np.ndarray, age_hi: np.ndarray) -> np.ndarray:
    """The approval a new household would need to take each row's children."""
    out = np.where(age_hi >= 11, "teenagers", "general").astype(object)
    for name, skill in (("teenagers", "TEENAGERS"), ("uasc", "UASC"), ("siblings", "SIBLINGS"),
                        ("disability", "DISABILITY"), ("parent_and_child", "PARENT_AND_CHILD")):
        out[skills[:, SKILL[skill]]] = name
    return out


def recruitment_need(d: YearMatch) -> tuple[list[tuple[int, str]], np.ndarray, dict[str, int]]:
    """(area, approval) pairs, households needed in each future (pair, future), and places a household."""
    dm = d.demand
    foster = (dm.kind == 0) & ~dm.step_down
    approval = approval_needed(dm.skills, dm.age_hi)
    pairs = sorted({(int(a), str(p)) for a, p in zip(dm.area[foster], approval[foster], strict=True)})
    per = {p: int(APPROVALS[p]["places"]) for p in APPROVALS}  # type: ignore[call-overload]
    out = np.zeros((len(pairs), d.matched.shape[1]))
    for i, (area, appr) in enumerate(pairs):
        sel = foster & (dm.area == area) & (approval == appr)
        if appr == "siblings":  # a household per sibling group
            groups = (d.unmatched[sel] / dm.group[sel][:, None]).sum(axis=0)
            out[i] = np.ceil(groups - 1e-6)
        else:
            out[i] = np.ceil(d.unmatched[sel].sum(axis=0) / per[appr] - 1e-6)
    return pairs, np.maximum(out, 0), per


def recruitment_targets(plan: SufficiencyPlan, areas: Areas) -> tuple[list[dict[str, object]], dict[str, list]]:
    """Households to recruit by area and approval to close the gap on the last day in 50% / 80% of futures."""
    last = plan.days[-1]
    pairs, need, per = recruitment_need(last)
    weekly = plan.weekly()
    saving_each = (weekly["fostering"][1] - weekly["fostering"][0]) * WEEKS_A_YEAR
    rows, by_level = [], {"50": [], "80": []}
    for i, (area, appr) in enumerate(pairs):
        q50, q80 = np.percentile(need[i], [50, 80])
        if q80 <= 0:
            continue
        name = areas.names[area] if area > 1 else "Anywhere (home area unknown or outside)"
        rows.append({"date": last.date.isoformat(), "home_area": name, "approval": appr,
                     "approved_for": APPROVAL_LABELS[appr], "places_per_household": per[appr],
                     "households_50": math.ceil(q50), "households_80": math.ceil(q80),
                     "children_without_a_household_median": round(float(np.median(
                         need[i] * (1 if appr == "siblings" else per[appr]))), 1),
                     "saving_a_year_per_child_gbp": round(saving_each)})
        for level, q in (("50", q50), ("80", q80)):
            if q > 0:
                by_level[level].append(Recruit(area=areas.names[area] if area > 1 else "", households=math.ceil(q),
                                               by=last.date, approval=appr))
    return sorted(rows, key=lambda r: (-int(r["households_80"]), r["home_area"], r["approval"])), by_level


def check_targets(sim: Simulation, inputs: PlanInputs, plan: SufficiencyPlan, by_level: dict[str, list],
                  edges: np.ndarray) -> list[dict[str, object]]:
    """Match the last day again with each level's households added: the gap left and the saving a year."""
    last = plan.days[-1]
    m = last.months
    base_gap = plan.gap_cost(last).sum(axis=0)
    base_un = last.by_kind(last.unmatched, False)[0]
    out = []
    for level, recruits in by_level.items():
        extra = [r for r in recruits if r.area]
        anywhere = [r for r in recruits if not r.area]
        supply = SupplyPlan(inputs.supply.carers_leaving, [*inputs.supply.recruit, *extra], inputs.supply.step_down)
        settings, leavers = settings_on(inputs.capacity, supply, inputs.areas, plan.start, last.date)
        if anywhere:  # households for children whose home area is unknown: anywhere in the authority
            parts = [settings]
            for r in anywhere:
                t = r.template()
                parts.append(Settings(
                    ident=np.array([f"new:{r.approval}:anywhere"], dtype=object), kind=np.array(["fostering"], object),
                    postcode=np.array([""], dtype=object), places=np.array([t["places"]], dtype=np.int64),
                    occupied=np.zeros(1, dtype=np.int64), age_from=np.array([t["age_from"]], dtype=np.int64),
                    age_to=np.array([t["age_to"]], dtype=np.int64),
                    skills=np.array([[s in t["skills"] for s in SKILLS]], dtype=bool),  # type: ignore[operator]
                    count=np.array([r.households]), area=np.array([0], dtype=np.int16)))
            settings = Settings.concat(parts)
            leavers = np.concatenate([leavers, np.zeros(len(anywhere), dtype=bool)])
        again = match_day(sim.detail[m], plan.futures, settings, leavers, inputs.areas, last.date, m, edges,
                          inputs.max_miles, inputs.supply.carers_leaving, inputs.supply.step_down, inputs.seed,
                          near_first=False)  # only the numbers matter here, not who is placed near home
        gap = plan.gap_cost(again).sum(axis=0)
        un = again.by_kind(again.unmatched, False)[0]
        lo, mid, hi = _q(un)
        out.append({"level": f"{level}%", "date": last.date.isoformat(),
                    "households_added": int(sum(r.households for r in recruits)),
                    "foster_shortfall_before_median": round(float(np.median(base_un)), 1),
                    "foster_shortfall_after_median": round(float(mid), 1),
                    "foster_shortfall_after_p10": round(float(lo), 1),
                    "foster_shortfall_after_p90": round(float(hi), 1),
                    "chance_gap_closed": round(float((un < 0.5).mean()), 3),
                    "saving_a_year_median_gbp": round(float(np.median(base_gap - gap)))})
    return out
