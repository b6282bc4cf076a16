"""Realistic data-entry mistakes in a synthetic CIN census, each recorded in the errors manifest
with the DfE rule it should trigger (like the SSDA903's, ``errors.py``).

The manifest row gives the census table and the record number (``line``) the finding will point
at: the row changed, except for 8869, whose finding is on the assessment whose factor was changed.
Only rules whose trigger is plain from the DfE wording are used, and at most one mistake is made
per child, so each rule's trigger stays clean.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from careboard.years import year_end

from .cin_census import CensusTables
from .dates import day, iso
from .upn import CHECK_LETTERS


@dataclass(frozen=True)
class CinInjection:
    rule: str
    table: str  # the table the mistake is made in
    column: str
    detail: str


INJECTIONS: tuple[CinInjection, ...] = (
    CinInjection("4220", "Child", "Ethnicity", "ethnicity code misspelt"),
    CinInjection("4180", "Child", "Sex", "sex code outside the year's list"),
    CinInjection("1510", "Child", "UPN", "UPN with the wrong check letter"),
    CinInjection("8520", "Child", "PersonBirthDate", "date of birth after the census year"),
    CinInjection("8794", "Disability", "Disability", "the same disability code twice"),
    CinInjection("8866", "CINEpisode", "ReferralSource", "referral source not a code"),
    CinInjection("8650", "CINEpisode", "PrimaryNeedCode", "primary need not a code"),
    CinInjection("8640", "CINEpisode", "ReasonForClosure", "reason for closure not a code"),
    CinInjection("8630", "CINEpisode", "CINclosureDate", "case closed before it was referred"),
    CinInjection("8568", "CINEpisode", "ReferralNFA", "no further action flag neither 0 nor 1"),
    CinInjection("CB-TYPE", "CINEpisode", "CINreferralDate", "referral date that is not a date"),
    CinInjection("8608", "Assessment", "AssessmentAuthorisationDate", "assessment authorised before it started"),
    CinInjection("8869", "AssessmentFactor", "AssessmentFactors", "'no factors' beside other factors"),
    CinInjection("4011", "CINPlan", "CINPlanEndDate", "CIN plan ends before it starts"),
    CinInjection("8875", "Section47", "DateOfInitialCPC", "conference dated on a Saturday"),
    CinInjection("8925", "CPPlan", "CPPendDate", "plan ends before it starts"),
    CinInjection("8905", "CPPlan", "InitialCategoryOfAbuse", "category of abuse not a code"),
    CinInjection("8730", "CPPlan", "NumberOfPreviousCPP", "number of previous plans left out"),
    CinInjection("8842Q", "CPPReview", "CPPreviewDate", "review date left empty"),
)


def _days(text: str) -> int:
    return int(np.datetime64(text, "D").astype(np.int64))


def _shift(text: str, days: int) -> str:
    return str(iso(np.array([_days(text) + days]))[0])


def _eligible(inj: CinInjection, t: CensusTables) -> np.ndarray:
    """Rows where this mistake can be made so that exactly this rule's condition is met."""
    cols = t.tables.get(inj.table)
    if not cols or t.rows(inj.table) == 0:
        return np.zeros(0, dtype=bool)
    n = t.rows(inj.table)
    given = lambda c: np.asarray(cols[c]) != ""  # noqa: E731
    ok = np.ones(n, dtype=bool)
    if inj.rule in ("1510", "8520", "8650", "8640", "8630", "8608", "4011", "8875", "8925"):
        ok &= given(inj.column)
    if inj.rule == "1510":
        ok &= np.array([len(u) == 13 and u[1:].isdigit() for u in cols["UPN"].tolist()])
    if inj.rule == "8794":
        parent = t.parent["Disability"]
        ok = np.append(False, (parent[1:] == parent[:-1]) & (cols["Disability"][1:] != cols["Disability"][:-1]))
    if inj.rule == "8869":
        parent = t.parent["AssessmentFactor"]
        ok = np.append(False, (parent[1:] == parent[:-1]))  # the second factor of an assessment
        ok &= np.array([c != "21" for c in cols["AssessmentFactors"].tolist()])
    if inj.rule == "8875":
        ok &= np.array([(_days(d) + 3) % 7 < 5 for d in np.where(given("DateOfInitialCPC"), cols["DateOfInitialCPC"],
                                                                   "2000-01-03").tolist()])
    return ok


def _bad_value(inj: CinInjection, t: CensusTables, row: int) -> str:
    cols = t.tables[inj.table]
    value = cols[inj.column][row]
    fixed = {"4220": "WBR", "4180": "X", "8866": "5Z", "8650": "N10", "8640": "RC0", "8568": "2", "8869": "21",
             "8905": "NEGL", "8730": "", "8842Q": "", "CB-TYPE": f"{t.year - 1}-02-30"}
    if inj.rule in fixed:
        return fixed[inj.rule]
    if inj.rule == "1510":
        wrong = CHECK_LETTERS[(CHECK_LETTERS.index(value[0]) + 1) % len(CHECK_LETTERS)]
        return wrong + value[1:]
    if inj.rule == "8520":
        return str(iso(np.array([day(year_end(t.year)) + 10]))[0])
    if inj.rule == "8794":
        return str(cols["Disability"][row - 1])
    if inj.rule == "8630":
        return _shift(t.tables["CINEpisode"]["CINreferralDate"][row], -3)
    if inj.rule == "8608":
        return _shift(cols["AssessmentActualStartDate"][row], -2)
    if inj.rule == "4011":
        return _shift(cols["CINPlanStartDate"][row], -2)
    if inj.rule == "8925":
        return _shift(cols["CPPstartDate"][row], -3)
    if inj.rule == "8875":
        d = _days(value)
        return _shift(value, -(((d + 3) % 7) + 2))  # the Saturday before
    raise ValueError(inj.rule)


def _child_of(t: CensusTables, table: str, row: int) -> int:
    """The Child row a table row belongs to."""
    while table != "Child":
        row = int(t.parent[table][row])
        table = {"Disability": "Child", "CINEpisode": "Child", "Assessment": "CINEpisode", "CINPlan": "CINEpisode",
                 "Section47": "CINEpisode", "CPPlan": "CINEpisode", "CPPReview": "CPPlan",
                 "AssessmentFactor": "Assessment"}[table]
    return row


def inject_cin(t: CensusTables, rate: float, rng: np.random.Generator) -> list[dict[str, str]]:
    """Make about ``rate`` x (data rows) mistakes in the census in place; return the manifest rows."""
    total = sum(t.rows(name) for name in t.tables)
    n_err = round(rate * total)
    usable = [i for i in INJECTIONS if i.table in t.tables and t.rows(i.table)]
    if n_err == 0 or not usable:
        return []
    touched: set[int] = set()  # children with a mistake already
    manifest = []
    for k in rng.integers(0, len(usable), n_err).tolist():
        inj = usable[k]
        cand = np.flatnonzero(_eligible(inj, t))
        cand = np.array([r for r in cand.tolist() if _child_of(t, inj.table, r) not in touched], dtype=np.int64)
        if len(cand) == 0:
            continue
        row = int(cand[rng.integers(0, len(cand))])
        value = _bad_value(inj, t, row)
        t.tables[inj.table][inj.column][row] = value
        touched.add(_child_of(t, inj.table, row))
        table, line = inj.table, row + 1
        if inj.rule == "8869":  # the finding is on the assessment
            table, line = "Assessment", int(t.parent["AssessmentFactor"][row]) + 1
        manifest.append({"year": str(t.year), "table": table, "line": str(line),
                         "child": str(t.tables[inj.table]["LAchildID"][row]), "rule": inj.rule, "column": inj.column,
                         "value": value, "detail": inj.detail})
    return manifest
