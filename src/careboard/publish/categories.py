"""Breakdown categories as members read them: in their natural order and in words.

The measures keep each breakdown's values as the model writes them ('F', 'UASC', '10 to 15'); this
module is the one place that says how a page shows them:

* **order**: age bands from youngest to oldest (Under 1, 1 to 4, 5 to 9, 10 to 15, 16 and over, then
  single years of age), never sorted as text; the DfE's order for ethnic groups, legal status and
  placement types; local areas by name; "not known" rows last;
* **labels**: codes in words, from the DfE code lists in the return specs (sex from the SSDA903
  ``SEX`` list, the category of abuse from the CIN census ``ABUSE_CATEGORY`` list) and careboard's
  own words for its groupings (unaccompanied asylum-seeking children).

The label is also the category's identity on the pages (a reader matching "Kinship fostering" on the
sufficiency page to the same row of a breakdown), so placement types keep the names publish/cohorts.py
and publish/sufficiency.py use.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache

AGE_BANDS = ("Unborn", "Under 1", "1 to 4", "5 to 9", "10 to 15", "16 and over")
ETHNIC_GROUPS = ("White", "Mixed or Multiple ethnic groups", "Asian or Asian British",
                 "Black, African, Caribbean or Black British", "Other ethnic group", "Refused or not yet obtained")
LEGAL_GROUPS = ("Care order", "Placement order", "Voluntary agreement (section 20)", "Detained for child protection",
                "Youth justice legal status", "Short breaks")
PLACEMENT_TYPES = ("Kinship fostering", "In-house fostering", "Agency fostering", "Children's homes",
                   "Supported accommodation", "With parents", "Placed for adoption", "Other")
UASC = {"UASC": "Unaccompanied asylum-seeking children", "Not UASC": "Other children"}
DISABILITY = ("Disabled", "Not disabled")
NOT_KNOWN = frozenset({"Unknown", "Not known", "Not recorded", "Home area not recorded"})


@cache
def _codes(spec: str, code_list: str) -> dict[str, str]:
    """A DfE code list (code -> meaning) from a return spec, the latest version; empty if the spec lacks it."""
    from careboard.returns.spec import load_spec

    found = load_spec(spec)
    versions = found.code_lists.get(code_list) or []
    merged: dict[str, str] = {}
    for version in versions:  # later versions win: today's wording
        merged.update({str(k): str(v) for k, v in version["codes"].items()})
    return merged


def _sex(value: str) -> str:
    return _codes("ssda903", "SEX").get(value, value)


def _abuse(value: str) -> str:
    return _codes("cin_census", "ABUSE_CATEGORY").get(value, value) if _has_cin_codes() else value


@cache
def _has_cin_codes() -> bool:
    try:
        return bool(_codes("cin_census", "ABUSE_CATEGORY"))
    except (FileNotFoundError, KeyError):
        return False


_LABELS: dict[str, Callable[[str], str]] = {
    "sex": _sex,
    "uasc": lambda v: UASC.get(v, v),
    "abuse_category": _abuse,
}


def label(breakdown: str, value: str, area_name: Callable[[str], str] | None = None) -> str:
    """A breakdown value in words; ``area_name`` names local areas (publish.areas)."""
    if breakdown == "local_area" and area_name is not None:
        return area_name(value)
    found = _LABELS.get(breakdown)
    return found(value) if found else value


_AGE = re.compile(r"^\d+$")


def _age_key(value: str) -> tuple:
    if value in AGE_BANDS:
        return (0, AGE_BANDS.index(value), "")
    if _AGE.match(value):  # care leavers' single years of age
        return (1, int(value), "")
    return (2, 0, value)


def _listed(order: tuple[str, ...]) -> Callable[[str], tuple]:
    return lambda v: (0, order.index(v), "") if v in order else (1, 0, v)


def _sex_key(value: str) -> tuple:
    codes = list(_codes("ssda903", "SEX"))
    return (0, codes.index(value), "") if value in codes else (1, 0, value)


_ORDER: dict[str, Callable[[str], tuple]] = {
    "age_band": _age_key,
    "entry_age_band": _age_key,
    "sex": _sex_key,
    "ethnic_group": _listed(ETHNIC_GROUPS),
    "legal_group": _listed(LEGAL_GROUPS),
    "placement_type": _listed(PLACEMENT_TYPES),
    "uasc": _listed(tuple(UASC)),
    "disability": _listed(DISABILITY),
}


def sort_key(breakdown: str, value: str, shown_label: str | None = None) -> tuple:
    """Where a category goes: natural order for the breakdown, not-known categories last, then by label."""
    text = shown_label if shown_label is not None else value
    last = value in NOT_KNOWN or text in NOT_KNOWN
    inner = _ORDER.get(breakdown, lambda v: (0, 0, text))(value)
    return (last, *inner, text)


def ordered(breakdown: str, values: Iterable[str]) -> list[str]:
    """``values`` of one breakdown in the order a page shows them."""
    return sorted(values, key=lambda v: sort_key(breakdown, v))
