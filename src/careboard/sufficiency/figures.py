"""The figures a members' page and pack section need, as one plain data object (no text, no markup).

Where places are short, for whom, what it costs and what recruitment would change, from a
``ForecastResult`` with a plan.  The object holds numbers and names only; publish/ decides the
words, rounds forecasts and applies disclosure control before anything reaches a member:

* fields marked ``"real": True`` (the start date's children, places and matches) are counts of
  real children and must go through disclosure.control (1-5 -> ``c``, with secondary suppression);
* everything else is a quantile of simulated futures (``{"p10", "median", "p90"}``), which publish
  rounds as it rounds the forecast (not a count of real children, but a small forecast next to a
  small real count can still narrow it down, so a hidden today hides its forecasts too).
"""

from __future__ import annotations

import numpy as np

from .match import KINDS
from .plan import KIND_NAMES, need_label
from .recruit import approval_needed
from .service import ForecastResult
from .states import CATEGORIES
from .supply import APPROVAL_LABELS


def _q(values: np.ndarray) -> dict[str, float]:
    lo, mid, hi = np.percentile(values, [10, 50, 90])
    return {"p10": round(float(lo), 1), "median": round(float(mid), 1), "p90": round(float(hi), 1)}


def member_figures(result: ForecastResult, top: int = 10) -> dict[str, object]:
    """The sufficiency figures for members (see the module docstring for what must be controlled)."""
    sim = result.sim
    years = list(range(12, len(sim.dates), 12))
    cats = sim.by_category()
    out: dict[str, object] = {
        "la": result.la, "start": result.start.isoformat(), "scenario": result.scenario,
        "year_ends": [sim.dates[m].isoformat() for m in years], "simulations": result.simulations,
        "children_now": {"real": True, "total": int(sim.totals()[0, 0]),
                         "by_category": {c: int(cats[0, 0, i]) for i, c in enumerate(CATEGORIES)}},
        "children_forecast": [{"date": sim.dates[m].isoformat(), "total": _q(sim.totals()[:, m]),
                               "by_category": {c: _q(cats[:, m, i]) for i, c in enumerate(CATEGORIES)}}
                              for m in years],
        "costs_illustrative": bool(result.costs.illustrative) if result.costs is not None else None,
        "costs_source": result.costs.source if result.costs is not None else None,
        "spend": [{"financial_year": f"{y - 1}-{str(y)[2:]}", **_q(result.spend.by_future[:, j].sum(axis=1))}
                  for j, y in enumerate(result.spend.years) if result.spend.complete[j]] if result.spend else [],
    }
    plan = result.plan
    if plan is None:
        return out
    out["futures_matched"] = plan.futures
    out["max_miles"] = plan.max_miles
    out["carers_leaving"] = plan.supply.carers_leaving
    out["areas"] = plan.areas.names
    out["capacity_year"] = result.capacity_year
    out["capacity_changes"] = result.capacity_changes
    weekly = plan.weekly()
    out["weekly_cost"] = {KIND_NAMES[k]: {"local": round(float(a)), "instead": round(float(b))}
                          for k, (a, b) in weekly.items()}
    places, by_area, by_area_approval, for_whom, cost, cost_total = [], [], [], [], [], []
    for d in plan.days:
        real = d.months == 0
        children, matched = d.totals()
        all_places, usable, gap = d.places(), d.usable_places(), plan.gap_cost(d)
        for k, kind in enumerate(KINDS):
            places.append({"date": d.date.isoformat(), "months_ahead": d.months, "kind": KIND_NAMES[kind],
                           "real": real, "children": _q(children[k]), "places": _q(all_places[k]),
                           "usable_places": _q(usable[k]), "matched": _q(matched[k]),
                           "shortfall": _q(children[k] - matched[k]),
                           "chance_of_shortfall": round(float(((children[k] - matched[k]) > 0.5).mean()), 3)})
            cost.append({"date": d.date.isoformat(), "months_ahead": d.months, "kind": KIND_NAMES[kind],
                         "real": real, "extra_cost_of_gap": _q(gap[k])})
        cost_total.append({"date": d.date.isoformat(), "months_ahead": d.months, "real": real,
                           "extra_cost_of_gap": _q(gap.sum(axis=0))})
        if d.months not in (0, plan.days[-1].months):
            continue
        dm = d.demand
        regular = ~dm.step_down
        for k, kind in enumerate(KINDS):
            for a, area in enumerate(plan.areas.names):
                sel = regular & (dm.kind == k) & (dm.area == a)
                if not sel.any():
                    continue
                n, short = dm.children[sel].sum(axis=0), d.unmatched[sel].sum(axis=0)
                by_area.append({"date": d.date.isoformat(), "months_ahead": d.months, "real": real, "area": area,
                                "kind": KIND_NAMES[kind], "children": _q(n), "shortfall": _q(short)})
        # the map-like table: foster children by home area and the approval a household would need
        approval = approval_needed(dm.skills, dm.age_hi)
        foster = regular & (dm.kind == 0)
        for a, area in enumerate(plan.areas.names):
            for appr in sorted(set(approval[foster & (dm.area == a)])):
                sel = foster & (dm.area == a) & (approval == appr)
                by_area_approval.append({"date": d.date.isoformat(), "months_ahead": d.months, "real": real,
                                         "area": area, "approval": appr, "approved_for": APPROVAL_LABELS[appr],
                                         "children": _q(dm.children[sel].sum(axis=0)),
                                         "shortfall": _q(d.unmatched[sel].sum(axis=0))})
        labels = need_label(dm.skills)
        for k, kind in enumerate(KINDS):
            for label in sorted(set(labels[regular & (dm.kind == k)])):
                sel = regular & (dm.kind == k) & (labels == label)
                short = d.unmatched[sel].sum(axis=0)
                if np.percentile(short, 90) > 0:
                    for_whom.append({"date": d.date.isoformat(), "months_ahead": d.months, "real": real,
                                     "kind": KIND_NAMES[kind], "need": label,
                                     "children": _q(dm.children[sel].sum(axis=0)), "shortfall": _q(short)})
    out |= {"places": places, "by_area": by_area, "by_area_approval": by_area_approval, "for_whom": for_whom,
            "cost_of_gap": cost, "cost_of_gap_total": cost_total,
            "recruitment_targets": plan.targets[:top], "recruitment_check": plan.checks,
            "recruitment_planned": [{"area": r.area, "households": r.households, "by": r.by.isoformat(),
                                     "approval": r.approval} for r in plan.supply.recruit]}
    return out
