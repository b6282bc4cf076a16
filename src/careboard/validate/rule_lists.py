"""The rules a validation runs: the DfE's rule lists, and careboard's own checks.

``dfe_rules.csv`` is the DfE's SSDA903 rule list for 2022-23 to 2026-27 and ``cin_rules.csv`` the
CIN census rule list (with careboard's own clearly labelled CIN checks: comparisons with last
year's census and cross-checks with the SSDA903); each rule's ``rulesets`` say which collection
years use it.  The wording is the DfE's and is shown to users unchanged; the rule modules in
``rules/`` and ``rules_cin/`` only add the set-based check.

``careboard_rules.csv`` lists careboard's own checks of an SSDA903 return (codes ``CB-...``): what
the reader had to repair or could not read, and values a spreadsheet would run as formulas.  They
are not DfE rules, and every report labels them as careboard's, but a data manager must see them:
the return sent to the DfE still holds what careboard repaired on reading.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

FIRST_RULESET_YEAR = 2023  # the 2022-23 ruleset; earlier returns are checked against it


@dataclass(frozen=True)
class RuleInfo:
    code: str
    message: str
    tables: tuple[str, ...]
    fields: tuple[str, ...]
    last_year: str  # '', 'required' or 'optional'
    needs_providers: bool
    years: frozenset[int]
    source: str = "DfE"  # 'DfE' or 'careboard'
    query: bool = False  # a DfE "query" (check and amend or explain) rather than an error
    needs_ssda903: bool = False  # compares with the SSDA903 return of the same authority and year
    # Where the DfE reworded a rule between years: (years, message) for each wording.
    wordings: tuple[tuple[frozenset[int], str], ...] = ()

    @property
    def careboard(self) -> bool:
        """careboard's own check, not a DfE rule."""
        return self.source == "careboard"

    def applies_to(self, year: int) -> bool:
        return max(year, FIRST_RULESET_YEAR) in self.years

    def message_for(self, year: int) -> str:
        """The DfE's wording for collection ``year`` (the latest wording when the rule has one)."""
        for years, message in self.wordings:
            if max(year, FIRST_RULESET_YEAR) in years:
                return message
        return self.message


def _ruleset_year(name: str) -> int:
    """'2025_26' -> 2026."""
    return int(name.split("_")[0]) + 1


def _read(name: str, source: str) -> dict[str, RuleInfo]:
    """One RuleInfo per code; a code listed once per wording (by years) keeps every wording.

    ``source``: whose rules the list holds, unless a row's own ``source`` column says.
    """
    path = resources.files("careboard.validate") / name
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    infos: dict[str, RuleInfo] = {}
    for info in _infos(rows, source):
        before = infos.get(info.code)
        if before is None:
            infos[info.code] = info
            continue
        wordings = before.wordings or ((before.years, before.message),)
        infos[info.code] = replace(
            info, years=before.years | info.years, wordings=(*wordings, (info.years, info.message))
        )
    return infos


def _infos(rows: list[dict[str, str]], source: str) -> list[RuleInfo]:
    return [
        RuleInfo(
            code=r["code"],
            message=r["description"].strip(),
            tables=tuple(t for t in r["tables"].split(";") if t),
            fields=tuple(f for f in r["fields"].split(";") if f),
            last_year=r["uses_last_year"],
            needs_providers=r.get("needs_ofsted_lookup") == "Y",
            years=frozenset(_ruleset_year(s) for s in r["rulesets"].split()),
            source=r.get("source") or source,
            query=r.get("type") == "Query",
            needs_ssda903=r.get("needs_ssda903") == "Y",
        )
        for r in rows
    ]


@cache
def dfe_rules() -> dict[str, RuleInfo]:
    """The DfE's SSDA903 rules, by code."""
    return _read("dfe_rules.csv", "DfE")


@cache
def careboard_rules() -> dict[str, RuleInfo]:
    """careboard's own checks of an SSDA903 return (``CB-...``), by code."""
    return _read("careboard_rules.csv", "careboard")


@cache
def all_rules_info() -> dict[str, RuleInfo]:
    """Every rule an SSDA903 validation can report: the DfE's, then careboard's."""
    return {**dfe_rules(), **careboard_rules()}


@cache
def cin_rules() -> dict[str, RuleInfo]:
    """The DfE's CIN census rules and careboard's own CIN checks (``source == 'careboard'``)."""
    return _read("cin_rules.csv", "DfE")


def message(code: str) -> str:
    """The wording shown for an SSDA903 rule code (DfE or careboard); '' for an unknown code."""
    info = all_rules_info().get(code)
    return info.message if info else ""
