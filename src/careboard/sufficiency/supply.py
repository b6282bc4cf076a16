"""Places over the forecast horizon: what the capacity folder says, known changes, carers leaving and recruitment.

The settings there on a day are those of ``foster_households.csv`` and ``placement_capacity.csv``,
less the closures of ``capacity_changes.csv`` up to that day, plus its openings, plus the
scenario's recruitment (each line ramped up in a straight line from the start to its date).  In-house
households that exist today can leave (``SupplyPlan.carers_leaving`` a year; plan.match_day draws
who in each future); new recruits are assumed to stay.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np

from .areas import Areas
from .capacity import SKILLS, Change, Settings
from .states import TEENAGER

# New in-house households a recruitment plan adds, by approval: places, ages and skills (overridable).
APPROVALS: dict[str, dict[str, object]] = {
    "general": {"places": 2, "age_from": 0, "age_to": 17, "skills": ()},
    "teenagers": {"places": 2, "age_from": 11, "age_to": 17, "skills": ("TEENAGERS",)},
    "siblings": {"places": 3, "age_from": 0, "age_to": 17, "skills": ("SIBLINGS",)},
    "disability": {"places": 1, "age_from": 0, "age_to": 17, "skills": ("DISABILITY",)},
    "parent_and_child": {"places": 1, "age_from": 12, "age_to": 17, "skills": ("PARENT_AND_CHILD",)},
    "uasc": {"places": 2, "age_from": 14, "age_to": 17, "skills": ("UASC",)},
}
APPROVAL_LABELS = {"general": "any child in their age range", "teenagers": "teenagers",
                   "siblings": "sibling groups", "disability": "disabled children",
                   "parent_and_child": "parent and child", "uasc": "unaccompanied asylum-seeking children"}
@dataclass
class Recruit:
    """``households`` more in-house foster households approved for ``approval`` in ``area`` by ``by``."""

    area: str
    households: int
    by: dt.date
    approval: str = "general"
    places: int | None = None
    age_from: int | None = None
    age_to: int | None = None

    def template(self) -> dict[str, object]:
        t = dict(APPROVALS[self.approval])
        for key in ("places", "age_from", "age_to"):
            if getattr(self, key) is not None:
                t[key] = getattr(self, key)
        return t


@dataclass
class SupplyPlan:
    """Assumptions about places over the horizon (scenario file keys ``carers_leaving``, ``recruit``, ``step_down``)."""

    carers_leaving: float = 0.0  # share of in-house foster households leaving each year
    recruit: list[Recruit] = field(default_factory=list)
    step_down: float = 0.0  # share of teenagers in children's homes whom teenager-approved carers could foster


@dataclass
class Capacity:
    """The places read from the capacity folder, located, with known changes."""

    settings: Settings
    changes: list[Change] = field(default_factory=list)


def settings_on(cap: Capacity, plan: SupplyPlan, areas: Areas, start: dt.date, when: dt.date
                ) -> tuple[Settings, np.ndarray]:
    """The settings there on ``when`` (closures and openings so far, recruitment ramped up linearly from
    ``start`` to each target date), and which of them are in-house households that can leave."""
    base = cap.settings
    closed = {c.ident for c in cap.changes if c.change == "close" and c.date <= when}
    keep = ~np.isin(base.ident, list(closed)) if closed else np.ones(len(base), dtype=bool)
    parts = [base.take(keep)]
    leave = [(base.kind[keep] == "fostering")]
    for c in cap.changes:
        if c.change == "open" and c.date <= when and c.setting is not None and c.ident not in closed:
            parts.append(c.setting)
            leave.append(np.zeros(1, dtype=bool))
    for r in plan.recruit:
        share = 1.0 if r.by <= start else min(1.0, max(0.0, (when - start).days / max((r.by - start).days, 1)))
        n = math.floor(r.households * share + 0.5)  # ramped, to the nearest household
        if n <= 0:
            continue
        parts.append(recruited_households(r, n, areas))
        leave.append(np.zeros(1, dtype=bool))
    return Settings.concat(parts), np.concatenate(leave)


def recruited_households(r: Recruit, n: int, areas: Areas) -> Settings:
    """``n`` households of a recruitment line, as one row standing for ``n`` identical settings at the area's centre."""
    t = r.template()
    k = areas.names.index(r.area)
    skills = np.array([[s in t["skills"] for s in SKILLS]], dtype=bool)  # type: ignore[operator]
    return Settings(ident=np.array([f"new:{r.approval}:{r.area}"], dtype=object),
                    kind=np.array(["fostering"], dtype=object), postcode=np.array([""], dtype=object),
                    places=np.array([t["places"]], dtype=np.int64), occupied=np.zeros(1, dtype=np.int64),
                    age_from=np.array([t["age_from"]], dtype=np.int64), age_to=np.array([t["age_to"]], dtype=np.int64),
                    skills=skills, count=np.array([n]), provider=np.array(["PR1"], dtype=object),
                    in_la=np.array([True]), xy=areas.xy[k][None, :].copy(), area=np.array([k], dtype=np.int16))


def age_edges(settings: list[Settings]) -> np.ndarray:
    """Ages at which feasibility can change: every approval's limits and the DfE age bands' edges."""
    edges = {0, 1, 5, 10, 16, TEENAGER, 18}
    for s in settings:
        edges |= set(s.age_from.tolist()) | set((s.age_to + 1).tolist())
    return np.array(sorted(e for e in edges if 0 <= e <= 18))
