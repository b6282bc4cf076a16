"""A scorecard measure as one declarative unit, and the registry of all of them.

A measure is declared once: what it is called, one plain-English sentence for members, the DfE
definition it follows, its unit, polarity (is high good?), the LAIT code of its published benchmark,
the breakdowns that make sense for it, the smallest cohort that may be published, and ONE SQL query
over the model that returns its cohort, one row per child (or event) per authority and year:

* ``la, year`` and, where the row is a child, ``CHILD``;
* for ``kind='proportion'``: ``num`` (0/1) and ``den`` (0/1): value = 100 * sum(num) / sum(den);
* for ``kind='count'`` and ``kind='rate'``: ``num``: value = sum(num) (rate: per 10,000 children
  aged 0-17 in the authority, ONS mid-year estimate before the 31 March);
* for ``kind='ratio'``: ``num`` and ``den`` (any numbers): value = sum(num) / sum(den), e.g. children per
  full-time IRO, cases per FTE social worker;
* for ``kind='median'`` / ``kind='mean'``: ``value``.

Breakdown columns (``age_band``, ``entry_age_band``, ``sex``, ``ethnic_group``, ``legal_group``,
``uasc``, ``placement_type``, ``local_area``) come from ``model_child_year`` unless the query returns
its own column of that name (measures about care leavers or referrals describe their own cohort);
the children-in-need measures return all of theirs, with ``disability`` and ``abuse_category``.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from functools import cache

BREAKDOWNS = {
    "age_band": "Age",
    "entry_age_band": "Age at entry to care",
    "sex": "Sex",
    "ethnic_group": "Ethnicity",
    "legal_group": "Legal status",
    "uasc": "Unaccompanied asylum-seeking children",
    "placement_type": "Placement type",
    "local_area": "Local area",
    "disability": "Disability",  # children in need (CIN census)
    "abuse_category": "Category of abuse",  # child protection plans (CIN census)
}
KINDS = {"proportion", "count", "rate", "median", "mean", "ratio"}
UNITS = {"%", "number", "per 10,000", "days", "score"}
STANDARD = ("age_band", "entry_age_band", "sex", "ethnic_group", "legal_group", "uasc", "placement_type", "local_area")


@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    sentence: str  # one plain-English sentence for members, e.g. "Children who had 3 or more ..."
    definition: str  # the DfE definition followed, with its source
    kind: str
    unit: str
    polarity: str | None  # 'high' (high is good), 'low', or None (neither)
    sql: str
    lait_code: str | None = None
    breakdowns: tuple[str, ...] = STANDARD
    min_cohort: int = 6  # smaller denominators are not published
    notes: str = ""  # careboard's definitional choices, for docs/measures.md
    example: str = ""  # a worked example of a reading that needs one, for docs/measures.md
    theme: str = ""  # one of measures/themes.py's THEMES (checked for the catalogue by all_measures)
    # LAIT's year for the same figure is this many years before careboard's: the workforce census of
    # 30 September 2025 is careboard's 2025-26 (2026) and LAIT's 2025, so its lag is 1.
    benchmark_year_lag: int = 0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"measure {self.id}: unknown kind {self.kind}")
        if self.unit not in UNITS:
            raise ValueError(f"measure {self.id}: unknown unit {self.unit}")
        if self.polarity not in ("high", "low", None):
            raise ValueError(f"measure {self.id}: polarity must be 'high', 'low' or None")
        unknown = set(self.breakdowns) - set(BREAKDOWNS)
        if unknown:
            raise ValueError(f"measure {self.id}: unknown breakdowns {sorted(unknown)}")


@cache
def all_measures() -> dict[str, Measure]:
    """Every measure, from every module in ``measures/catalogue/``, in declaration order."""
    from careboard.measures import catalogue as package

    found: dict[str, Measure] = {}
    for mod in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package.__name__}.{mod.name}")
        for measure in getattr(module, "MEASURES", []):
            if measure.id in found:
                raise ValueError(f"measure {measure.id} defined twice")
            found[measure.id] = measure
    from careboard.measures.themes import BY_NAME

    stray = sorted(m.id for m in found.values() if m.theme not in BY_NAME)
    if stray:
        raise ValueError(f"measures without a declared theme (measures/themes.py): {', '.join(stray)}")
    return found
