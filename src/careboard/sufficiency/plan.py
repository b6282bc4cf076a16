"""The sufficiency plan: forecast children, by the needs that decide a placement and by home area,
matched each year to the places expected then, with the cost of the gap and the recruitment that
would close it.

Each year end of the horizon (and today), in each of the first ``match_futures`` simulated futures:

1. **Demand.** The simulated children in in-house or agency foster care need a foster place, those
   in children's homes a children's-home place, those in supported accommodation a supported place.
   Each child brings an age, a home area and needs (``states.NEED_*``): a sibling group to be placed
   together needs one household approved for siblings with room for all; a disabled child, a young
   parent with a baby and an unaccompanied asylum-seeking child need carers approved for them; a
   teenager (13+) with high needs needs carers approved for teenagers.  Children's homes and
   supported accommodation take any need.
2. **Supply.** The places expected that day: the in-house foster households of
   ``foster_households.csv`` (each future loses a share of them, ``carers_leaving`` a year, drawn
   at random), the homes and supported accommodation of ``placement_capacity.csv``, with the known
   openings and closures of ``capacity_changes.csv`` and any recruitment in the scenario.
3. **Matching** (``match.Matcher``): children with identical needs, age group and home area are
   one row of the network and interchangeable settings one node, so a day is one small network
   solved for each future's counts (all futures at once, as one stacked maximum flow).
4. **Instead.** A child who needs a foster place and is not matched to an in-house household is
   placed with agency carers; a child who needs a children's home or supported accommodation and
   is not matched within reach goes further away ("out of area").  Each costs its weekly unit
   cost (plus any out-of-area extra the costs file gives) instead of the in-house or local one.
5. **Recruitment** (``recruit.py``): the children left without a suitable in-house household, by home
   area and the approval they need, are the gap; the households that would close it in half (50%)
   and in four of five (80%) of the futures are the targets, checked by matching again with them.

Everything is aggregate: counts of simulated children, never a child's record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from .areas import Areas
from .capacity import SKILLS, Settings
from .cost import UnitCosts
from .match import KINDS, Matcher, Units, merge_equivalent
from .simulate import Simulation
from .states import (
    AGE_BANDS,
    BAND_OF_AGE,
    CAT_INDEX,
    NEED_DISABILITY,
    NEED_HIGH,
    NEED_PARENT,
    NEED_UASC,
    TEENAGER,
    group_size,
)
from .supply import Capacity, SupplyPlan, age_edges, settings_on

SKILL = {s: i for i, s in enumerate(SKILLS)}
KIND_NAMES = {"fostering": "Foster care", "childrens_home": "Children's homes", "supported": "Supported accommodation"}
INSTEAD = {"fostering": "agency foster carers", "childrens_home": "a children's home out of area",
           "supported": "supported accommodation out of area"}
# the categories whose children need each kind of place, and the category whose unit cost a local place has
KIND_CATEGORIES = {"fostering": ("In-house fostering", "Agency fostering"), "childrens_home": ("Children's homes",),
                   "supported": ("Supported accommodation",)}
WEEKS_A_YEAR = 365.25 / 7
STEP_DOWN_WEIGHT = 0.5  # a child who could step down from a children's home comes after those who need a place

NEED_LABELS = ("Parent and child", "Disabled child", "Sibling group", "Unaccompanied asylum-seeking child",
               "Teenager with high needs", "No other identified need")


@dataclass
class Demand:
    """Children needing a place on one day, as rows of identical children with a count in each future.

    ``children`` is (row, future): children, not units (a sibling group of two is two children).
    """

    kind: np.ndarray
    age_lo: np.ndarray  # the row's ages are age_lo .. age_hi (an interval between age edges)
    age_hi: np.ndarray
    area: np.ndarray
    skills: np.ndarray  # (row, len(SKILLS)) needed
    group: np.ndarray
    step_down: np.ndarray  # children in a children's home who could be fostered
    children: np.ndarray

    def __len__(self) -> int:
        return len(self.kind)

    def units(self, areas: Areas) -> Units:
        return Units(members=None, kind=np.array([KINDS[k] for k in self.kind], dtype=object),
                     age_min=self.age_lo, age_max=self.age_hi, needs=self.skills, xy=areas.xy[self.area],
                     area=self.area, group=self.group, count=np.ones(len(self)),
                     weight=np.where(self.step_down, STEP_DOWN_WEIGHT, 1.0))


def demand_from(detail: dict[str, np.ndarray], futures: int, edges: np.ndarray, step_down: float = 0.0,
                seed: int = 0) -> Demand:
    """Rows of identical children (kind, ages, area, needs, group) with their count in each future."""
    cat = detail["cat"].astype(np.int64)
    kind = np.full(len(cat), -1)
    for k, name in enumerate(KINDS):
        for c in KIND_CATEGORIES[name]:
            kind[cat == CAT_INDEX[c]] = k
    age = detail["age"].astype(np.int64)
    need = detail["need"].astype(np.int64)
    fut = detail["future"].astype(np.int64)
    home = kind == KINDS.index("childrens_home")
    sd = np.zeros(len(cat), dtype=bool)
    if step_down > 0:
        sd = home & (age >= TEENAGER) & (np.random.default_rng(seed).random(len(cat)) < step_down)
        kind = np.where(sd, KINDS.index("fostering"), kind)
    keep = kind >= 0
    kind, age, need, fut, sd = kind[keep], age[keep], need[keep], fut[keep], sd[keep]
    fostering = kind == 0
    grp = np.where(fostering, group_size(need), 1)
    skill = np.zeros((len(kind), len(SKILLS)), dtype=bool)
    skill[:, SKILL["SIBLINGS"]] = fostering & (grp >= 2)
    skill[:, SKILL["DISABILITY"]] = fostering & ((need & NEED_DISABILITY) > 0)
    skill[:, SKILL["PARENT_AND_CHILD"]] = fostering & ((need & NEED_PARENT) > 0)
    skill[:, SKILL["UASC"]] = fostering & ((need & NEED_UASC) > 0)
    skill[:, SKILL["TEENAGERS"]] = fostering & (((need & NEED_HIGH) > 0) & (age >= TEENAGER) | sd)
    a_grp = np.searchsorted(edges, age, side="right") - 1
    area = detail["area"][keep].astype(np.int64)
    mask = (skill * (1 << np.arange(len(SKILLS)))).sum(axis=1)
    # one integer key per kind of child (mixed radix), so grouping is a 1-D unique and a bincount
    radix = np.array([len(KINDS), len(edges), int(area.max(initial=0)) + 1, 1 << len(SKILLS), 4, 2])
    key = np.zeros(len(kind), dtype=np.int64)
    for part, r in zip((kind, a_grp, area, mask, grp, sd.astype(np.int64)), radix, strict=True):
        key = key * r + part
    uniq, inverse = np.unique(key, return_inverse=True)
    children = np.bincount(inverse * futures + fut, minlength=len(uniq) * futures).reshape(len(uniq), futures)
    parts = []
    rest = uniq.copy()
    for r in radix[::-1]:
        parts.append(rest % r)
        rest //= r
    k, ag, ar, mk, gr, sdd = parts[::-1]
    return Demand(kind=k, age_lo=edges[ag], age_hi=edges[ag + 1] - 1, area=ar,
                  skills=((mk[:, None] >> np.arange(len(SKILLS))) & 1).astype(bool), group=gr,
                  step_down=sdd.astype(bool), children=children.astype(float))


def classes(settings: Settings) -> tuple[Settings, np.ndarray]:
    """Identical settings (kind, place, ages, skills, places a setting) as one row with a count; and each
    setting's row."""
    x = np.nan_to_num(settings.xy, nan=-1.0).round()
    key = np.column_stack([[KINDS.index(k) for k in settings.kind], x, settings.age_from, settings.age_to,
                           (settings.skills * (1 << np.arange(len(SKILLS)))).sum(axis=1), settings.places,
                           settings.area, settings.in_la]).astype(np.int64) if len(settings) else \
        np.zeros((0, 9), dtype=np.int64)
    rows, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    out = settings.take(first)
    out.count = np.bincount(inverse, weights=settings.count, minlength=len(rows)).astype(np.int64)
    out.occupied = np.bincount(inverse, weights=settings.occupied, minlength=len(rows)).astype(np.int64)
    return out, inverse


@dataclass
class YearMatch:
    """One day's demand matched to the settings there, in each future."""

    date: dt.date
    months: int
    demand: Demand
    settings: Settings  # classes of identical settings
    setting_count: np.ndarray  # (class, future) settings left that day
    matched: np.ndarray  # (row, future) children matched to a suitable place within reach
    usable: np.ndarray  # (class, future) the class could take at least one child who needs a place that day

    @property
    def unmatched(self) -> np.ndarray:
        return self.demand.children - self.matched

    def places(self) -> np.ndarray:
        """(kind, future) places there that day."""
        out = np.zeros((len(KINDS), self.setting_count.shape[1]))
        kind = np.array([KINDS.index(k) for k in self.settings.kind], dtype=np.int64)
        np.add.at(out, kind, self.settings.places[:, None] * self.setting_count)
        return out

    def usable_places(self) -> np.ndarray:
        out = np.zeros((len(KINDS), self.setting_count.shape[1]))
        kind = np.array([KINDS.index(k) for k in self.settings.kind], dtype=np.int64)
        np.add.at(out, kind, self.settings.places[:, None] * self.setting_count * self.usable)
        return out

    def by_kind(self, values: np.ndarray, step_down: bool | None = False) -> np.ndarray:
        """(kind, future) sums of a (row, future) array over the demand rows (step-down rows apart)."""
        out = np.zeros((len(KINDS), values.shape[1]))
        sel = np.ones(len(self.demand), dtype=bool) if step_down is None else self.demand.step_down == step_down
        np.add.at(out, self.demand.kind[sel], values[sel])
        return out

    def totals(self) -> tuple[np.ndarray, np.ndarray]:
        """(children, matched), each (kind, future).  A child who could step down from a children's home
        and found an in-house household is fostered there; one who found none stays in the home,
        counted there as placed."""
        children, matched = self.by_kind(self.demand.children), self.by_kind(self.matched)
        moved = self.by_kind(self.matched, True)[0]
        stay = self.by_kind(self.unmatched, True)[0]
        home = KINDS.index("childrens_home")
        children[0] += moved
        matched[0] += moved
        children[home] += stay
        matched[home] += stay
        return children, matched


def match_day(detail: dict[str, np.ndarray], futures: int, settings: Settings, leavers: np.ndarray,
              areas: Areas, when: dt.date, months: int, edges: np.ndarray, max_miles: float | None,
              carers_leaving: float, step_down: float, seed: int, near_first: bool = True) -> YearMatch:
    """Match the children of ``detail`` (one day of the first ``futures`` futures) to ``settings``."""
    demand = demand_from(detail, futures, edges, step_down, seed)
    units = demand.units(areas)
    cls, row_of = merge_equivalent(units, settings, settings.xy, max_miles)
    count = np.repeat(cls.count[:, None], futures, axis=1).astype(float)
    if carers_leaving > 0 and leavers.any():
        # each future keeps each in-house household with the chance it has not left by then
        years = months / 12
        stay = (1 - carers_leaving) ** years
        rng = np.random.default_rng([seed, months])
        lost = np.zeros((len(cls), futures))
        idx = np.flatnonzero(leavers)
        gone = rng.random((len(idx), futures)) >= stay
        np.add.at(lost, row_of[idx], gone * settings.count[idx][:, None])
        count = count - lost
    m = Matcher(units, cls, cls.xy, max_miles)
    # futures that are the same here (every future is, on the start date) are solved once
    both = np.concatenate([demand.children, count], axis=0)
    _, first, again = np.unique(both.T, axis=0, return_index=True, return_inverse=True)
    flows = m.solve_many(demand.children[:, first], count[:, first], near_first=near_first)[:, again.ravel()]
    matched = m.by_row @ flows
    usable = ((demand.children > 0).T.astype(np.float32) @ m.feasible.astype(np.float32)).T > 0
    return YearMatch(when, months, demand, cls, count, matched, usable)


def _q(values: np.ndarray, axis: int = -1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lo, mid, hi = np.percentile(values, [10, 50, 90], axis=axis)
    return lo, mid, hi


def need_label(skills: np.ndarray, step_down: np.ndarray | None = None) -> np.ndarray:
    """The need that decides the placement, one per row (the rarest first)."""
    order = (SKILL["PARENT_AND_CHILD"], SKILL["DISABILITY"], SKILL["SIBLINGS"], SKILL["UASC"], SKILL["TEENAGERS"])
    out = np.full(len(skills), NEED_LABELS[-1], dtype=object)
    for label, i in reversed(list(zip(NEED_LABELS[:-1], order, strict=True))):
        out[skills[:, i]] = label
    if step_down is not None:
        out[step_down] = "Teenager in a children's home who could be fostered"
    return out


@dataclass
class SufficiencyPlan:
    """Demand matched to places on each year end (and today), in each of the matched futures."""

    start: dt.date
    areas: Areas
    days: list[YearMatch]
    costs: UnitCosts
    supply: SupplyPlan
    max_miles: float | None
    futures: int
    targets: list[dict[str, object]] = field(default_factory=list)
    checks: list[dict[str, object]] = field(default_factory=list)

    def overview(self) -> list[dict[str, object]]:
        """Places against children by kind and year: the "1,800 places for 1,900 children" table, done properly."""
        rows = []
        for d in self.days:
            places, usable = d.places(), d.usable_places()
            children, matched = d.totals()
            sd_children, sd_matched = d.by_kind(d.demand.children, True), d.by_kind(d.matched, True)
            for k, kind in enumerate(KINDS):
                short = children[k] - matched[k]
                rec: dict[str, object] = {"date": d.date.isoformat(), "months_ahead": d.months,
                                          "kind": KIND_NAMES[kind]}
                for name, v in (("children", children[k]), ("places", places[k]), ("usable_places", usable[k]),
                                ("matched", matched[k]), ("shortfall", short), ("places_minus_children",
                                                                                places[k] - children[k])):
                    lo, mid, hi = _q(v)
                    rec |= {f"{name}_p10": round(float(lo), 1), f"{name}_median": round(float(mid), 1),
                            f"{name}_p90": round(float(hi), 1)}
                rec["chance_of_shortfall"] = round(float((short > 0.5).mean()), 3)
                if kind == "fostering" and self.supply.step_down > 0:
                    rec["step_down_fostered_median"] = round(float(np.median(sd_matched[k])), 1)
                    rec["step_down_candidates_median"] = round(float(np.median(sd_children[k])), 1)
                rows.append(rec)
        return rows

    def shortfall(self) -> list[dict[str, object]]:
        """Children without a suitable place within reach, by year, kind, need, age band and home area."""
        rows = []
        for d in self.days:
            dm = d.demand
            labels = need_label(dm.skills, dm.step_down)
            keys = np.stack([dm.kind, BAND_OF_AGE[np.clip(dm.age_lo, 0, 17)], dm.area,
                             np.unique(labels, return_inverse=True)[1].ravel()], axis=1)
            uniq, inv = np.unique(keys, axis=0, return_inverse=True)
            inv = inv.ravel()
            for j, (k, band, area, _) in enumerate(uniq):
                sel = inv == j
                if dm.step_down[sel].all():
                    continue
                demand = d.demand.children[sel].sum(axis=0)
                short = d.unmatched[sel].sum(axis=0)
                lo, mid, hi = _q(short)
                if hi <= 0:
                    continue
                dlo, dmid, dhi = _q(demand)
                rows.append({"date": d.date.isoformat(), "months_ahead": d.months, "kind": KIND_NAMES[KINDS[k]],
                             "need": labels[sel][0], "age_band": AGE_BANDS[band], "home_area": self.areas.names[area],
                             "children_median": round(float(dmid), 1), "children_p10": round(float(dlo), 1),
                             "children_p90": round(float(dhi), 1), "shortfall_median": round(float(mid), 1),
                             "shortfall_p10": round(float(lo), 1), "shortfall_p90": round(float(hi), 1),
                             "placed_instead_with": INSTEAD[KINDS[k]]})
        return sorted(rows, key=lambda r: (r["months_ahead"], -float(r["shortfall_median"]), r["kind"],
                                           r["home_area"], r["need"]))

    def needs(self) -> list[dict[str, object]]:
        """Children needing each kind of place, by year, need, age band and home area (median and 80% range)."""
        rows = []
        for d in self.days:
            dm = d.demand
            labels = need_label(dm.skills)
            band = BAND_OF_AGE[np.clip(dm.age_lo, 0, 17)]
            keep = ~dm.step_down
            key = np.stack([dm.kind, band, dm.area, np.unique(labels, return_inverse=True)[1].ravel()], axis=1)[keep]
            uniq, inv = np.unique(key, axis=0, return_inverse=True)
            inv = inv.ravel()
            children = dm.children[keep]
            lab = labels[keep]
            for j, (k, b, area, _) in enumerate(uniq):
                sel = inv == j
                lo, mid, hi = _q(children[sel].sum(axis=0))
                if hi <= 0:
                    continue
                rows.append({"date": d.date.isoformat(), "months_ahead": d.months, "kind": KIND_NAMES[KINDS[k]],
                             "need": lab[sel][0], "age_band": AGE_BANDS[b], "home_area": self.areas.names[area],
                             "children_median": round(float(mid), 1), "children_p10": round(float(lo), 1),
                             "children_p90": round(float(hi), 1)})
        return rows

    def weekly(self) -> dict[str, tuple[float, float]]:
        """(local, instead) weekly cost per kind of place."""
        w = self.costs.weekly
        extra = self.costs.out_of_area_extra
        return {"fostering": (w[CAT_INDEX["In-house fostering"]], w[CAT_INDEX["Agency fostering"]]),
                "childrens_home": (w[CAT_INDEX["Children's homes"]],
                                   w[CAT_INDEX["Children's homes"]] + extra[CAT_INDEX["Children's homes"]]),
                "supported": (w[CAT_INDEX["Supported accommodation"]],
                              w[CAT_INDEX["Supported accommodation"]] + extra[CAT_INDEX["Supported accommodation"]])}

    def gap_cost(self, d: YearMatch) -> np.ndarray:
        """(kind, future) extra cost a year of placing the unmatched children instead (GBP)."""
        weekly = self.weekly()
        un = d.by_kind(d.unmatched)
        out = np.zeros_like(un)
        for k, kind in enumerate(KINDS):
            local, instead = weekly[kind]
            out[k] = un[k] * (instead - local) * WEEKS_A_YEAR
        # children who stepped down from a children's home to in-house carers save the difference
        sd = d.by_kind(d.matched, True)[0]
        out[0] -= sd * (weekly["childrens_home"][0] - weekly["fostering"][0]) * WEEKS_A_YEAR
        return out

    def cost(self) -> list[dict[str, object]]:
        """Cost a year, at each day's numbers, of the places used: local ones and those used instead."""
        rows = []
        weekly = self.weekly()
        for d in self.days:
            children, matched = d.totals()
            un = children - matched
            gap = self.gap_cost(d)
            for k, kind in enumerate(KINDS):
                local, instead = weekly[kind]
                spend = (matched[k] * local + un[k] * instead) * WEEKS_A_YEAR
                rec = {"date": d.date.isoformat(), "months_ahead": d.months, "kind": KIND_NAMES[kind],
                       "weekly_cost_local": round(local), "weekly_cost_instead": round(instead),
                       "placed_instead_with": INSTEAD[kind]}
                for name, v in (("placed_locally", matched[k]), ("placed_instead", un[k]), ("cost_a_year", spend),
                                ("extra_cost_of_gap", gap[k])):
                    lo, mid, hi = _q(v)
                    rec |= {f"{name}_p10": round(float(lo)), f"{name}_median": round(float(mid)),
                            f"{name}_p90": round(float(hi))}
                rows.append(rec)
        return rows


@dataclass
class PlanInputs:
    """What the plan is built from, apart from the simulation."""

    capacity: Capacity
    areas: Areas
    costs: UnitCosts
    supply: SupplyPlan = field(default_factory=SupplyPlan)
    max_miles: float | None = 20.0
    match_futures: int = 200
    seed: int = 1


def build_plan(sim: Simulation, inputs: PlanInputs, targets: bool = True) -> SufficiencyPlan:
    """Match each kept day of ``sim`` (its ``detail``) to the places expected then; costs; recruitment targets."""
    months = sorted(sim.detail)
    futures = min(inputs.match_futures, sim.counts.shape[0])
    start = sim.dates[0]
    days = []
    per_day = []
    for m in months:
        when = sim.dates[m]
        settings, leavers = settings_on(inputs.capacity, inputs.supply, inputs.areas, start, when)
        per_day.append((m, when, settings, leavers))
    edges = age_edges([s for _, _, s, _ in per_day])
    for m, when, settings, leavers in per_day:
        days.append(match_day(sim.detail[m], futures, settings, leavers, inputs.areas, when, m, edges,
                              inputs.max_miles, inputs.supply.carers_leaving,
                              inputs.supply.step_down if m > 0 else 0.0, inputs.seed))
    plan = SufficiencyPlan(start, inputs.areas, days, inputs.costs, inputs.supply, inputs.max_miles, futures)
    if targets and len(days) > 1:
        from .recruit import check_targets, recruitment_targets  # recruit.py builds on this module

        plan.targets, by_level = recruitment_targets(plan, inputs.areas)
        plan.checks = check_targets(sim, inputs, plan, by_level, edges)
    return plan
