"""The DfE's SSDA903 validation rules list: code, DfE message, tables, fields, years.

``dfe_rules.csv`` is the DfE rule list for 2022-23 to 2026-27 (each rule's ``rulesets`` say which
collection years use it).  The wording is the DfE's and is shown to users unchanged; the rule
modules in ``rules/`` only add the set-based check.
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

    def applies_to(self, year: int) -> bool:
        return max(year, FIRST_RULESET_YEAR) in self.years


def _ruleset_year(name: str) -> int:
    """'2025_26' -> 2026."""
    return int(name.split("_")[0]) + 1


@cache
def dfe_rules() -> dict[str, RuleInfo]:
    path = resources.files("careboard.validate") / "dfe_rules.csv"
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
        )
        for r in rows
    }
