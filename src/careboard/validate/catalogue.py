"""The rules a validation runs: the DfE's SSDA903 rule list, and careboard's own format checks.

``dfe_rules.csv`` is the DfE rule list for 2022-23 to 2026-27 (each rule's ``rulesets`` say which
collection years use it).  The wording is the DfE's and is shown to users unchanged; the rule
modules in ``rules/`` only add the set-based check.

``careboard_rules.csv`` lists careboard's own checks (codes ``CB-...``): what the reader had to
repair or could not read, and values a spreadsheet would run as formulas.  They are not DfE rules,
and every report labels them as careboard's, but a data manager must see them: the return sent to
the DfE still holds what careboard repaired on reading.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
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

    def applies_to(self, year: int) -> bool:
        return max(year, FIRST_RULESET_YEAR) in self.years


def _ruleset_year(name: str) -> int:
    """'2025_26' -> 2026."""
    return int(name.split("_")[0]) + 1


def _read(name: str, source: str) -> dict[str, RuleInfo]:
    path = resources.files("careboard.validate") / name
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {
        r["code"]: RuleInfo(
            code=r["code"],
            message=r["description"].strip(),
            tables=tuple(t for t in r["tables"].split(";") if t),
            fields=tuple(f for f in r["fields"].split(";") if f),
            last_year=r["uses_last_year"],
            needs_providers=r["needs_ofsted_lookup"] == "Y",
            years=frozenset(_ruleset_year(s) for s in r["rulesets"].split()),
            source=source,
        )
        for r in rows
    }


@cache
def dfe_rules() -> dict[str, RuleInfo]:
    """The DfE's rules, by code."""
    return _read("dfe_rules.csv", "DfE")


@cache
def careboard_rules() -> dict[str, RuleInfo]:
    """careboard's own checks (``CB-...``), by code."""
    return _read("careboard_rules.csv", "careboard")


@cache
def all_rules_info() -> dict[str, RuleInfo]:
    """Every rule a validation can report: the DfE's, then careboard's."""
    return {**dfe_rules(), **careboard_rules()}


def message(code: str) -> str:
    """The wording shown for a rule code (DfE or careboard); '' for an unknown code."""
    info = all_rules_info().get(code)
    return info.message if info else ""
