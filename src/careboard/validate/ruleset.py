"""What differs between the returns careboard validates: each kind's rule list, rules and run context.

The engine is the same for every kind of return.  A ``Ruleset`` tells it where the kind's DfE rule
list and rule modules are, which views the rules read (``context.sql`` for the SSDA903,
``context_cin.sql`` for the CIN census), which column of each view holds the child, and which DfE
rules careboard deliberately does not run.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from careboard.validate.rule import NOT_RUN, VIEW_NAMES, Rule
from careboard.validate.rule_lists import RuleInfo, all_rules_info, cin_rules

# Store table name for each CIN census table, as the CIN rule views name them.
CIN_VIEW_NAMES = {
    "Header": "header",
    "Child": "child",
    "Disability": "disability",
    "CINEpisode": "cinepisode",
    "Assessment": "assessment",
    "AssessmentFactor": "assessmentfactor",
    "CINPlan": "cinplan",
    "Section47": "section47",
    "CPPlan": "cpplan",
    "CPPReview": "cppreview",
    "PreProceedings": "preproceedings",
}

# Rows of the returns a CIN census is compared with: their table names carry a prefix, and their
# files belong to that return's load (see runner._describe).
LAST_YEAR_PREFIX = "Last year: "
SSDA903_PREFIX = "SSDA903: "


@dataclass(frozen=True)
class Ruleset:
    kind: str  # 'ssda903' or 'cin', as in loads.kind
    label: str  # how reports name the return
    rule_list: Callable[[], dict[str, RuleInfo]]
    package: str  # the package holding the rule modules
    context: str  # the .sql file in careboard.validate that sets up the views
    views: dict[str, str]
    child: str  # the child identifier column of every view
    spec: str  # the return spec whose code lists the rules check against
    last_ruleset: int  # the latest collection year with a DfE ruleset; later years use it
    not_run: dict[str, str] = field(default_factory=dict)
    # Rules about the form of an identifier, which a pseudonymised load no longer holds.
    identifier_rules: frozenset[str] = frozenset()

    def ruleset_year(self, year: int) -> int:
        """The collection year whose DfE ruleset checks a return of ``year``."""
        return min(year, self.last_ruleset)

    def rules(self) -> dict[str, Rule]:
        return _rules(self.package, self.kind)

    def rule_files(self) -> dict[str, str]:
        """Each implemented rule's module file, as a path under ``src/`` (what docs list beside it)."""
        return _rule_files(self.package)


@cache
def _rules(package_name: str, kind: str) -> dict[str, Rule]:
    """Every rule implemented in ``package_name``'s modules, checked against the kind's rule list."""
    package = importlib.import_module(package_name)
    listed = RULESETS[kind].rule_list()
    found: dict[str, Rule] = {}
    for mod in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package_name}.{mod.name}")
        for rule in getattr(module, "RULES", []):
            if rule.code in found:
                raise ValueError(f"rule {rule.code} defined twice")
            if rule.code not in listed:
                raise ValueError(f"rule {rule.code} is in neither the DfE's {kind} rule list nor careboard's")
            found[rule.code] = rule
    return found


@cache
def _rule_files(package_name: str) -> dict[str, str]:
    """Rule code -> 'careboard/validate/rules/header.py' for every rule in ``package_name``'s modules."""
    package = importlib.import_module(package_name)
    folder = package_name.replace(".", "/")
    files: dict[str, str] = {}
    for mod in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package_name}.{mod.name}")
        for rule in getattr(module, "RULES", []):
            files[rule.code] = f"{folder}/{mod.name}.py"
    return files


SSDA903 = Ruleset(
    kind="ssda903",
    label="SSDA903",
    rule_list=all_rules_info,  # the DfE's rules and careboard's own CB- format checks
    package="careboard.validate.rules",
    context="context.sql",
    views=VIEW_NAMES,
    child="CHILD",
    spec="ssda903",
    last_ruleset=2027,
    not_run=NOT_RUN,
)

CIN = Ruleset(
    kind="cin",
    label="CIN census",
    rule_list=cin_rules,
    package="careboard.validate.rules_cin",
    context="context_cin.sql",
    views=CIN_VIEW_NAMES,
    child="LAchildID",
    spec="cin_census",
    # The DfE's CIN rules are published up to 2025-26; a 2026-27 census is checked against them
    # (its new pre-proceedings module has no rules in careboard yet; see docs/validation-cin.md).
    last_ruleset=2026,
    identifier_rules=frozenset({"1510", "1530", "1540", "1550", "1560Q", "1570", "1580"}),
)

RULESETS = {r.kind: r for r in (SSDA903, CIN)}
