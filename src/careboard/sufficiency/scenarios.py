"""Scenarios a user can set in a small YAML file, turned into model adjustments.

```yaml
name: More teenagers, recruit in-house carers
entries:                 # multiply the entry rate (1.1 = 10% more children coming into care)
  all: 1.0
  "10 to 15": 1.2        # an age band (Under 1, 1 to 4, 5 to 9, 10 to 15, 16 and over)
  uasc: 0.5              # unaccompanied asylum-seeking children, any age
shift:                   # of new placements (entries and moves) into one category, a share goes to another
  - {from: Agency fostering, to: In-house fostering, share: 0.05, include_current: false}
stay:                    # multiply the length of stays (0.8 = 20% shorter)
  "Children's homes": 0.8
trend: auto              # entries: auto (the filtered trend, fading), fitted (kept), or none
carers_leaving: 0.1      # share of in-house foster households leaving each year (default 0)
recruit:                 # a recruitment plan: more in-house foster households, ramped up to the date
  - {area: West Kent, households: 12, by: 2028, approval: teenagers}   # places, age_from, age_to optional
step_down: 0.1           # share of teenagers in children's homes whom carers approved for teenagers could foster
```

Why multipliers: they are what a commissioner can reason about ("10% more entries"), they keep
every rate non-negative, and they avoid cs-demand-model's confusion of "children a month" with a
per-child daily probability.  Every key and value is checked, and a mistake names the file and key.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import yaml

from .simulate import Adjustments
from .states import AGE_BANDS, CAT_INDEX, CATEGORIES, N_BAND, N_CAT
from .supply import APPROVALS, Recruit, SupplyPlan


class Scenario(NamedTuple):
    """A named set of assumptions: changes to demand (``adjustments``) and to places (``supply``)."""

    name: str
    adjustments: Adjustments
    supply: SupplyPlan


class ScenarioError(ValueError):
    """A scenario file that cannot be used, with the file and the key at fault."""


def _number(where: str, value: Any, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(f"{where}: expected a number, got {value!r}")
    if not low <= float(value) <= high:
        raise ScenarioError(f"{where}: {value} is outside {low}..{high}")
    return float(value)


def _category(where: str, value: Any) -> int:
    if value not in CATEGORIES:
        raise ScenarioError(f"{where}: unknown placement category {value!r} (one of: {', '.join(CATEGORIES)})")
    return CAT_INDEX[value]


def _recruit(where: str, item: Any) -> Recruit:
    if not isinstance(item, dict) or not {"area", "households", "by"} <= set(item):
        raise ScenarioError(f"{where}: needs area, households and by (e.g. {{area: West Kent, households: 12, "
                            "by: 2028, approval: teenagers}})")
    unknown = set(item) - {"area", "households", "by", "approval", "places", "age_from", "age_to"}
    if unknown:
        raise ScenarioError(f"{where}: unknown key(s) {sorted(unknown)}")
    if not isinstance(item["area"], str) or not item["area"].strip():
        raise ScenarioError(f"{where}.area: expected the name of an area")
    households = _number(f"{where}.households", item["households"], 1, 10000)
    by = item["by"]
    if isinstance(by, int) and not isinstance(by, bool) and 2000 <= by <= 2100:
        when = dt.date(by, 3, 31)  # a year is named by the 31 March it ends on
    elif isinstance(by, dt.date):
        when = by
    else:
        raise ScenarioError(f"{where}.by: expected a year like 2028 (31 March 2028) or a date, got {by!r}")
    approval = item.get("approval", "general")
    if approval not in APPROVALS:
        raise ScenarioError(f"{where}.approval: {approval!r} is not one of {', '.join(APPROVALS)}")
    extra = {k: int(_number(f"{where}.{k}", item[k], lo, hi)) for k, lo, hi in
             (("places", 1, 10), ("age_from", 0, 17), ("age_to", 0, 17)) if k in item}
    r = Recruit(item["area"].strip(), int(households), when, approval, **extra)
    t = r.template()
    if t["age_from"] > t["age_to"]:  # type: ignore[operator]
        raise ScenarioError(f"{where}: age_from {t['age_from']} is above age_to {t['age_to']}")
    return r


def supply_from(data: dict[str, Any], source: str) -> SupplyPlan:
    """The scenario's assumptions about places: carers leaving, recruitment, step-down from children's homes."""
    plan = SupplyPlan()
    if "carers_leaving" in data:
        plan.carers_leaving = _number(f"{source}: carers_leaving", data["carers_leaving"], 0.0, 1.0)
    if "step_down" in data:
        plan.step_down = _number(f"{source}: step_down", data["step_down"], 0.0, 1.0)
    items = data.get("recruit") or []
    if not isinstance(items, list):
        raise ScenarioError(f"{source}: recruit: expected a list of {{area, households, by, approval}}")
    plan.recruit = [_recruit(f"{source}: recruit[{i}]", item) for i, item in enumerate(items)]
    return plan


def from_dict(data: dict[str, Any], source: str = "scenario") -> Scenario:
    """The scenario from a parsed file; raises ScenarioError naming ``source`` and the key."""
    if not isinstance(data, dict):
        raise ScenarioError(f"{source}: expected a mapping of settings at the top level")
    known = {"name", "entries", "shift", "stay", "trend", "carers_leaving", "recruit", "step_down"}
    unknown = set(data) - known
    if unknown:
        raise ScenarioError(f"{source}: unknown setting(s) {sorted(unknown)} (allowed: {sorted(known)})")
    adj = Adjustments()
    entries = data.get("entries") or {}
    if not isinstance(entries, dict):
        raise ScenarioError(f"{source}: entries: expected a mapping like {{all: 1.1}}")
    mult = np.ones((N_BAND, 2))
    for key, value in entries.items():
        where = f"{source}: entries.{key}"
        m = _number(where, value, 0.0, 10.0)
        if key == "all":
            mult *= m
        elif key == "uasc":
            mult[:, 1] *= m
        elif key in AGE_BANDS:
            mult[AGE_BANDS.index(key)] *= m
        else:
            raise ScenarioError(f"{where}: not 'all', 'uasc' or an age band ({', '.join(AGE_BANDS)})")
    adj.entry_multiplier = mult
    shifts = data.get("shift") or []
    if not isinstance(shifts, list):
        raise ScenarioError(f"{source}: shift: expected a list of {{from, to, share}}")
    redirect = np.eye(N_CAT)
    for i, item in enumerate(shifts):
        where = f"{source}: shift[{i}]"
        if not isinstance(item, dict) or not {"from", "to", "share"} <= set(item):
            raise ScenarioError(f"{where}: needs from, to and share")
        a, b = _category(f"{where}.from", item["from"]), _category(f"{where}.to", item["to"])
        share = _number(f"{where}.share", item["share"], 0.0, 1.0)
        if a == b:
            raise ScenarioError(f"{where}: from and to are the same category")
        moved = redirect[:, a] * share  # of every placement that would end in ``from``, a share ends in ``to``
        redirect[:, a] -= moved
        redirect[:, b] += moved
        if item.get("include_current", False):
            adj.redirect_stock = True
    adj.redirect = redirect
    stay = data.get("stay") or {}
    if not isinstance(stay, dict):
        raise ScenarioError(f"{source}: stay: expected a mapping like {{\"Children's homes\": 0.8}}")
    sm = np.ones(N_CAT)
    for key, value in stay.items():
        sm[_category(f"{source}: stay", key)] = _number(f"{source}: stay.{key}", value, 0.05, 20.0)
    adj.stay_multiplier = sm
    trend = data.get("trend", "auto")
    modes = {True: "fitted", False: "none", "auto": "auto", "fitted": "fitted", "none": "none"}
    if not isinstance(trend, bool | str) or trend not in modes:
        raise ScenarioError(f"{source}: trend: expected auto, fitted or none")
    adj.trend = modes[trend]
    return Scenario(str(data.get("name") or Path(source).stem), adj, supply_from(data, source))


def load(path: Path) -> Scenario:
    """Read a scenario YAML file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not UTF-8 text (expected a YAML scenario file)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise ScenarioError(f"{path}{line}: not valid YAML") from None
    return from_dict(data or {}, str(path))
