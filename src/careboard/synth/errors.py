"""Realistic data-entry mistakes, each recorded in a manifest with the DfE rule it should trigger.

The validation stage's tests use the manifest: (year, table, line = 1-based data row of the CSV,
child, rule, column, value).  Only rules whose trigger is plain from the DfE wording are used:
invalid codes (101, 103, 143-146, 149, 167, 178, 1006, 1009, 131-133, 196, 631, SW13STG1), invalid
dates (102, 141), dates in the wrong order (356 DEC before DECOM, 567 missing end before
start, 302 first episode before birth), 148 (DEC without REC), 501 (an episode starting before the
previous one ended), 168 (UPN of the wrong form), 180 (SDQ score above 40), SW02STG1 (SW_ID not
starting SW/XX) and 392c (postcode that is not a postcode).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .dates import fmt
from .report import _days


@dataclass(frozen=True)
class Injection:
    rule: str
    table: str
    column: str
    detail: str


INJECTIONS: tuple[Injection, ...] = (
    Injection("101", "Header", "SEX", "sex code outside the year's list"),
    Injection("102", "Header", "DOB", "impossible date"),
    Injection("103", "Header", "ETHNIC", "ethnicity code misspelt"),
    Injection("168", "Header", "UPN", "UPN one character short"),
    Injection("141", "Episodes", "DECOM", "episode start date that is not a date"),
    Injection("143", "Episodes", "RNE", "reason for new episode not a code"),
    Injection("144", "Episodes", "LS", "legal status not a code"),
    Injection("145", "Episodes", "CIN", "category of need not a code"),
    Injection("146", "Episodes", "PLACE", "placement type not a code"),
    Injection("148", "Episodes", "REC", "episode end date without a reason"),
    Injection("149", "Episodes", "REC", "reason episode ceased not a code"),
    Injection("178", "Episodes", "PLACE_PROVIDER", "provider code not a code"),
    Injection("1009", "Episodes", "REASON_PLACE_CHANGE", "reason for placement change not a code"),
    Injection("356", "Episodes", "DEC", "episode ends before it starts"),
    Injection("501", "Episodes", "DECOM", "episode starts before the previous one ended"),
    Injection("302", "Episodes", "DECOM", "first episode dated before birth"),
    Injection("392c", "Episodes", "HOME_POST", "home postcode cut short"),
    Injection("167", "Reviews", "REVIEW_CODE", "participation code not a code"),
    Injection("1006", "Missing", "MISSING", "missing type not M or A"),
    Injection("567", "Missing", "MIS_END", "missing episode ends before it starts"),
    Injection("131", "OC3", "IN_TOUCH", "in-touch code not a code"),
    Injection("132", "OC3", "ACTIV", "activity code not a code"),
    Injection("133", "OC3", "ACCOM", "accommodation code not a code"),
    Injection("180", "OC2", "SDQ_SCORE", "SDQ score above 40"),
    Injection("196", "OC2", "SDQ_REASON", "SDQ reason not a code"),
    Injection("631", "PrevPerm", "PREV_PERM", "previous permanence not a code"),
    Injection("SW13STG1", "SWEpisodes", "SW_REASON", "social worker change reason not a code"),
    Injection("SW02STG1", "SWEpisodes", "SW_ID", "social worker id without SW prefix"),
)


def _eligible(inj: Injection, t: dict[str, np.ndarray]) -> np.ndarray:
    """Rows where this mistake can be made so that exactly this rule's condition is met."""
    n = len(t["CHILD"])
    ok = np.ones(n, dtype=bool)
    col = inj.column
    if col in t:
        ok &= t[col] != ""
    if inj.rule in ("148", "149", "356"):
        ok &= t["DEC"] != ""
    if inj.rule == "501":
        prev_same = np.append(False, t["CHILD"][1:] == t["CHILD"][:-1])
        prev_closed = np.append(False, t["DEC"][:-1] != "")
        ok = prev_same & prev_closed & (t["RNE"] != "S")
    if inj.rule == "302":
        ok = (t["RNE"] == "S") & np.append(True, t["CHILD"][1:] != t["CHILD"][:-1])
    if inj.rule == "567":
        ok &= (t["MIS_START"] != "") & (t["MIS_END"] != "")
    if inj.rule == "196":
        ok = t["SDQ_REASON"] != ""
    return ok


def inject(tables: dict[str, dict[str, np.ndarray]], year: int, rate: float, rng: np.random.Generator,
           dob_of: dict[str, int]) -> list[dict[str, str]]:
    """Inject about ``rate`` x (data rows) mistakes into the year's tables in place; return manifest rows."""
    total = sum(len(t["CHILD"]) for t in tables.values())
    n_err = round(rate * total)
    usable = [i for i in INJECTIONS if i.table in tables and len(tables[i.table]["CHILD"])]
    if n_err == 0 or not usable:
        return []
    kinds = rng.integers(0, len(usable), n_err)
    used: dict[str, set[int]] = {}
    manifest = []
    for k in kinds.tolist():
        inj = usable[k]
        t = tables[inj.table]
        ok = _eligible(inj, t)
        taken = used.setdefault(inj.table, set())
        # never two mistakes in one row, nor next to a row already changed (keeps each rule's trigger clean)
        cand = np.flatnonzero(ok)
        cand = np.array([r for r in cand.tolist() if r not in taken and r - 1 not in taken and r + 1 not in taken])
        if len(cand) == 0:
            continue
        row = int(cand[rng.integers(0, len(cand))])
        value = _bad_value(inj, t, row, year, dob_of)
        if value is None:
            continue
        t[inj.column][row] = value
        taken.add(row)
        manifest.append({"year": str(year), "table": inj.table, "line": str(row + 1), "child": t["CHILD"][row],
                         "rule": inj.rule, "column": inj.column, "value": value, "detail": inj.detail})
    return manifest


def _shift(text: str, days: int) -> str:
    return fmt(np.array([_days(np.array([text]))[0] + days]))[0]


def _bad_value(inj: Injection, t: dict[str, np.ndarray], row: int, year: int, dob_of: dict[str, int]) -> str | None:
    r = inj.rule
    fixed = {"101": "3", "102": "30/02/2011", "103": "WBR", "141": "31/09/2024", "143": "X", "144": "C3", "145": "N0",
             "146": "U9", "148": "", "149": "E99", "178": "PR9", "1009": "MOVED", "167": "PN9", "1006": "X",
             "131": "MAYBE", "132": "F9", "133": "Q1", "180": "45", "196": "SDQ9", "631": "P9",
             "SW13STG1": "LAZY"}
    if r in fixed:
        return fixed[r]
    if r == "168":
        return t["UPN"][row][:-1] if len(t["UPN"][row]) == 13 else None
    if r == "356":
        return _shift(t["DECOM"][row], -3)
    if r == "501":
        return _shift(t["DECOM"][row], -5) if _days(np.array([t["DECOM"][row]]))[0] - 5 > \
            _days(np.array([t["DECOM"][row - 1]]))[0] else None
    if r == "302":
        dob = dob_of.get(t["CHILD"][row])
        return None if dob is None else fmt(np.array([dob - 10]))[0]
    if r == "392c":
        return t["HOME_POST"][row].split(" ")[0]
    if r == "567":
        start = _days(np.array([t["MIS_START"][row]]))[0]
        return fmt(np.array([start - 2]))[0]
    if r == "SW02STG1":
        return "AB" + t["SW_ID"][row][2:]
    return None


MANIFEST_COLUMNS = ("year", "table", "line", "child", "rule", "column", "value", "detail")
