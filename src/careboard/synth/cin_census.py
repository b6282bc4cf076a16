"""One year's CIN census from the simulated history: its tables, then its XML.

A census holds every child with an episode of need open at some time in the collection year (1
April to 31 March) and, as the DfE's guide and rules ask, only the year's activity: assessments
authorised in the year (or started in it and still going on), section 47 enquiries whose conference
was in the year (or that started in it), plans open in the year, reviews held in it, and closure
dates only once they have happened.  Codes follow the year's code lists (sex 1/2 until 2023-24
and M/F from 2024-25, RC9 and 5D from 2022-23, 24A from 2021-22).

The tables (``CensusTables``) are the census as the reader sees it, text cell by text cell and
in document order, so a table's row number is the record number a validation finding gives; the
error injection changes cells here before the XML is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from careboard.years import year_end, year_start

from .cin import CinHistory
from .dates import NA, day, iso
from .lives import Lives


@dataclass
class CensusTables:
    """Text columns per CIN table, in document order; ``parent`` maps a row to its enclosing row."""

    year: int
    la: str
    tables: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    parent: dict[str, np.ndarray] = field(default_factory=dict)

    def rows(self, table: str) -> int:
        cols = self.tables[table]
        return len(next(iter(cols.values()))) if cols else 0


def _rank(group: np.ndarray) -> np.ndarray:
    """1-based position of each row within its run of equal ``group`` values (rows sorted by group)."""
    n = len(group)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    new = np.ones(n, dtype=bool)
    new[1:] = group[1:] != group[:-1]
    starts = np.flatnonzero(new)
    return np.arange(n) - np.repeat(starts, np.diff(np.append(starts, n))) + 1


def _text(a: np.ndarray) -> np.ndarray:
    return np.array([str(x) for x in np.asarray(a).tolist()], dtype=object)


def _code_for_year(codes: np.ndarray, year: int) -> np.ndarray:
    """Codes the year's lists do not have yet, replaced by the code used before."""
    out = codes.copy()
    if year < 2021:
        out = np.where(np.isin(out, ["18B", "18C"]), "18A", out)
        out = np.where(np.isin(out, ["19B", "19C"]), "19A", out)
    if year < 2022:
        out = np.where(out == "24A", "11A", out)
    if year < 2023:
        out = np.where(out == "5D", "5B", out)
        out = np.where(out == "RC9", "RC8", out)
    return out.astype(object)


def _school_age(dob: np.ndarray, year: int) -> np.ndarray:
    """Old enough that the DfE expects a UPN (rule 8770Q's own threshold for the year)."""
    if year >= 2025:
        return dob <= day(date(year - 6, 8, 31))  # aged 5 by the start of the school year the census ends in
    return dob < day(year_end(year - 6))


def census_tables(hist: CinHistory, lv: Lives, year: int) -> CensusTables:
    """The census of collection ``year``, table by table."""
    ys, ye = day(year_start(year)), day(year_end(year))
    ep, people = hist.episodes, hist.people
    out = CensusTables(year, lv.la_code)
    # episodes open at some time in the year, grouped by child in LAchildID order
    inc = np.flatnonzero((ep["referral"] <= ye) & (ep["closure_at"] >= ys))
    persons = np.unique(ep["person"][inc])
    persons = persons[np.argsort(people["id"][persons].astype(str), kind="stable")]
    child_row = np.full(len(people["id"]), -1, dtype=np.int64)
    child_row[persons] = np.arange(len(persons))
    inc = inc[np.lexsort((ep["referral"][inc], child_row[ep["person"][inc]]))]
    ep_row = np.full(len(ep["person"]), -1, dtype=np.int64)
    ep_row[inc] = np.arange(len(inc))
    _children(out, hist, persons, inc, year, ye)
    _episodes(out, hist, inc, child_row, ye, year)
    _assessments(out, hist, ep_row, ys, ye, year)
    _s47(out, hist, ep_row, ys, ye)
    _cpp(out, hist, ep_row, ys, ye)
    if year >= 2022:
        _plans(out, hist, ep_row, ys, ye)
    return out


def _children(out: CensusTables, hist: CinHistory, persons: np.ndarray, inc: np.ndarray, year: int, ye: int) -> None:
    people, ep = hist.people, hist.episodes
    dob = people["dob"][persons]
    born = dob <= ye
    if year >= 2025:
        sex = np.where(~born, "U", np.where(people["sex"][persons] == 1, "M", "F"))
    else:
        sex = np.where(~born, "0", np.where(people["sex"][persons] == 1, "1", "2"))
    # children whose every referral in the census was closed with no further action
    only_nfa = np.ones(len(people["id"]), dtype=bool)
    only_nfa[ep["person"][inc][~ep["nfa"][inc]]] = False
    only_nfa = only_nfa[persons]
    school = _school_age(dob, year) & born
    un7 = only_nfa & (people["upn"][persons].astype(str) < "M")  # about half of them, stable by child
    upn = np.where(school & ~un7, people["upn"][persons], "")
    unknown = np.where(upn != "", "", np.where(un7 & school, "UN7", "UN1"))
    death = people["death"][persons]
    cols = {
        "LAchildID": people["id"][persons],
        "UPN": upn.astype(object),
        "UPNunknown": unknown.astype(object),
        "PersonBirthDate": iso(np.where(born, dob, NA)),
        "ExpectedPersonBirthDate": iso(np.where(born, NA, dob)),
        "Sex": sex.astype(object),
        "PersonDeathDate": iso(np.where((death != NA) & (death <= ye), death, NA)),
        "Ethnicity": people["ethnic"][persons].astype(object),
    }
    out.tables["Child"] = cols
    # disabilities: NONE for a born child without one (rule 8540 wants every born child in need to say)
    rows, codes = [], []
    for k, (p, b) in enumerate(zip(persons.tolist(), born.tolist(), strict=True)):
        if not b:
            continue
        for code in people["dis"][p] or ("NONE",):
            rows.append(k)
            codes.append(code)
    out.tables["Disability"] = {
        "LAchildID": people["id"][persons][np.array(rows, dtype=np.int64)],
        "Disability": np.array(codes, dtype=object),
    }
    out.parent["Disability"] = np.array(rows, dtype=np.int64)


def _episodes(out: CensusTables, hist: CinHistory, inc: np.ndarray, child_row: np.ndarray, ye: int, year: int) -> None:
    ep, people = hist.episodes, hist.people
    parent = child_row[ep["person"][inc]]
    closed = ep["closure_at"][inc] <= ye
    out.tables["CINEpisode"] = {
        "LAchildID": people["id"][ep["person"][inc]],
        "EpisodeNo": _text(_rank(parent)),
        "CINreferralDate": iso(ep["referral"][inc]),
        "ReferralSource": _code_for_year(ep["source"][inc], year),
        "PrimaryNeedCode": ep["need"][inc].astype(object),
        "CINclosureDate": iso(np.where(closed, ep["closure_at"][inc], NA)),
        "ReasonForClosure": np.where(closed, _code_for_year(ep["reason_at"][inc], year), "").astype(object),
        "DateOfInitialCPC": np.full(len(inc), "", dtype=object),
        "ReferralNFA": np.where(ep["nfa"][inc], "1", "0").astype(object),
    }
    out.parent["CINEpisode"] = parent


def _below(
    out: CensusTables, name: str, rows: np.ndarray, ep_row_of: np.ndarray, numbered: str | None = None
) -> np.ndarray:
    """Order ``rows`` (of a history table) by their episode's census row; set key columns and parent."""
    order = np.argsort(ep_row_of[rows], kind="stable")
    rows = rows[order]
    parent = ep_row_of[rows]
    ep_table = out.tables["CINEpisode"]
    cols = {"LAchildID": ep_table["LAchildID"][parent], "EpisodeNo": ep_table["EpisodeNo"][parent]}
    if numbered:
        cols[numbered] = _text(_rank(parent))
    out.tables[name] = cols
    out.parent[name] = parent
    return rows


def _assessments(out: CensusTables, hist: CinHistory, ep_row: np.ndarray, ys: int, ye: int, year: int) -> None:
    a = hist.assessments
    of = ep_row[a["episode"]]
    done = (a["auth"] >= ys) & (a["auth"] <= ye)
    going = (a["auth"] > ye) & (a["start"] >= ys) & (a["start"] <= ye)
    rows = _below(out, "Assessment", np.flatnonzero((of >= 0) & (done | going)), of, "AssessmentNo")
    shown = a["auth"][rows] <= ye
    cols = out.tables["Assessment"]
    cols["AssessmentActualStartDate"] = iso(a["start"][rows])
    cols["AssessmentInternalReviewDate"] = np.full(len(rows), "", dtype=object)
    cols["AssessmentAuthorisationDate"] = iso(np.where(shown, a["auth"][rows], NA))
    f_parent, f_codes = [], []
    for k, (r, s) in enumerate(zip(rows.tolist(), shown.tolist(), strict=True)):
        if s:
            for code in a["factors"][r]:
                f_parent.append(k)
                f_codes.append(code)
    fp = np.array(f_parent, dtype=np.int64)
    out.tables["AssessmentFactor"] = {
        "LAchildID": cols["LAchildID"][fp],
        "EpisodeNo": cols["EpisodeNo"][fp],
        "AssessmentNo": cols["AssessmentNo"][fp],
        "AssessmentFactors": _code_for_year(np.array(f_codes, dtype=object), year),
    }
    out.parent["AssessmentFactor"] = fp


def _s47(out: CensusTables, hist: CinHistory, ep_row: np.ndarray, ys: int, ye: int) -> None:
    s = hist.s47
    of = ep_row[s["episode"]]
    held = (s["icpc"] != NA) & (s["icpc"] >= ys) & (s["icpc"] <= ye)
    started = (s["start"] >= ys) & (s["start"] <= ye) & ((s["icpc"] == NA) | (s["icpc"] > ye))
    rows = _below(out, "Section47", np.flatnonzero((of >= 0) & (held | started)), of)
    icpc = s["icpc"][rows]
    cols = out.tables["Section47"]
    cols["S47ActualStartDate"] = iso(s["start"][rows])
    cols["InitialCPCtarget"] = iso(s["target"][rows])
    cols["DateOfInitialCPC"] = iso(np.where((icpc != NA) & (icpc <= ye), icpc, NA))
    cols["ICPCnotRequired"] = np.where(icpc == NA, "1", "0").astype(object)


def _cpp(out: CensusTables, hist: CinHistory, ep_row: np.ndarray, ys: int, ye: int) -> None:
    c = hist.cpp
    of = ep_row[c["episode"]]
    rows = _below(out, "CPPlan", np.flatnonzero((of >= 0) & (c["start"] <= ye) & (c["end"] >= ys)), of, "PlanNo")
    ended = c["end"][rows] <= ye
    cols = out.tables["CPPlan"]
    cols["CPPstartDate"] = iso(c["start"][rows])
    cols["CPPendDate"] = iso(np.where(ended, c["end"][rows], NA))
    cols["InitialCategoryOfAbuse"] = c["initial"][rows].astype(object)
    cols["LatestCategoryOfAbuse"] = np.where(ended, c["latest"][rows], c["initial"][rows]).astype(object)
    cols["NumberOfPreviousCPP"] = _text(c["previous"][rows])
    # reviews held in the year, while the plan was open
    r = hist.reviews
    plan_row = np.full(len(c["start"]), -1, dtype=np.int64)
    plan_row[rows] = np.arange(len(rows))
    pr = plan_row[r["cpp"]]
    keep = np.flatnonzero((pr >= 0) & (r["date"] >= ys) & (r["date"] <= ye))
    keep = keep[np.argsort(pr[keep], kind="stable")]
    parent = pr[keep]
    out.tables["CPPReview"] = {
        "LAchildID": cols["LAchildID"][parent],
        "EpisodeNo": cols["EpisodeNo"][parent],
        "PlanNo": cols["PlanNo"][parent],
        "CPPreviewDate": iso(r["date"][keep]),
    }
    out.parent["CPPReview"] = parent


def _plans(out: CensusTables, hist: CinHistory, ep_row: np.ndarray, ys: int, ye: int) -> None:
    p = hist.plans
    of = ep_row[p["episode"]]
    rows = _below(out, "CINPlan", np.flatnonzero((of >= 0) & (p["start"] <= ye) & (p["end"] >= ys)), of)
    cols = out.tables["CINPlan"]
    cols["CINPlanStartDate"] = iso(p["start"][rows])
    cols["CINPlanEndDate"] = iso(np.where(p["end"][rows] <= ye, p["end"][rows], NA))


# -- XML -----------------------------------------------------------------------------------------


def _el(name: str, values: np.ndarray, always: bool = False) -> np.ndarray:
    """``<name>value</name>`` per row; rows with an empty value get nothing (or an empty element)."""
    values = np.asarray(values, dtype=object)
    full = ("<" + name + ">") + values + ("</" + name + ">")
    return full if always else np.where(values != "", full, "").astype(object)


def _joined(parent: np.ndarray, frags: np.ndarray, n: int) -> list[str]:
    """For each of ``n`` parents, its children's fragments joined (rows are grouped by parent)."""
    starts = np.searchsorted(parent, np.arange(n), side="left").tolist()
    ends = np.searchsorted(parent, np.arange(n), side="right").tolist()
    fr = frags.tolist()
    return ["".join(fr[a:b]) for a, b in zip(starts, ends, strict=True)]


def _concat(*parts: np.ndarray | list[str] | str) -> np.ndarray:
    out = None
    for p in parts:
        arr = np.array(p, dtype=object) if isinstance(p, list) else p
        out = arr if out is None else out + arr
    return out  # type: ignore[return-value]


def census_xml(t: CensusTables) -> bytes:
    """The census as the DfE's XML (elements in the schema's order; <GenderCurrent> until 2023-24)."""
    T = t.tables
    sex_tag = "Sex" if t.year >= 2025 else "GenderCurrent"
    n_child, n_ep = t.rows("Child"), t.rows("CINEpisode")
    factors = _joined(
        t.parent["AssessmentFactor"],
        _el("AssessmentFactors", T["AssessmentFactor"]["AssessmentFactors"], True),
        t.rows("Assessment"),
    )
    factors = [f"<FactorsIdentifiedAtAssessment>{f}</FactorsIdentifiedAtAssessment>" if f else "" for f in factors]
    a = T["Assessment"]
    assessment = _concat(
        "<Assessments>",
        _el("AssessmentActualStartDate", a["AssessmentActualStartDate"]),
        _el("AssessmentAuthorisationDate", a["AssessmentAuthorisationDate"]),
        factors,
        "</Assessments>",
    )
    plan_parts = np.zeros(0, dtype=object)
    if "CINPlan" in T:
        p = T["CINPlan"]
        plan_parts = _concat(
            "<CINPlanDates>",
            _el("CINPlanStartDate", p["CINPlanStartDate"]),
            _el("CINPlanEndDate", p["CINPlanEndDate"]),
            "</CINPlanDates>",
        )
    s = T["Section47"]
    s47 = _concat(
        "<Section47>",
        _el("S47ActualStartDate", s["S47ActualStartDate"]),
        _el("InitialCPCtarget", s["InitialCPCtarget"]),
        _el("DateOfInitialCPC", s["DateOfInitialCPC"]),
        _el("ICPCnotRequired", s["ICPCnotRequired"]),
        "</Section47>",
    )
    reviews = _joined(
        t.parent["CPPReview"], _el("CPPreviewDate", T["CPPReview"]["CPPreviewDate"], True), t.rows("CPPlan")
    )
    reviews = [f"<Reviews>{r}</Reviews>" if r else "" for r in reviews]
    c = T["CPPlan"]
    cpp = _concat(
        "<ChildProtectionPlans>",
        _el("CPPstartDate", c["CPPstartDate"]),
        _el("CPPendDate", c["CPPendDate"]),
        _el("InitialCategoryOfAbuse", c["InitialCategoryOfAbuse"]),
        _el("LatestCategoryOfAbuse", c["LatestCategoryOfAbuse"]),
        _el("NumberOfPreviousCPP", c["NumberOfPreviousCPP"]),
        reviews,
        "</ChildProtectionPlans>",
    )
    e = T["CINEpisode"]
    episode = _concat(
        "<CINdetails>",
        _el("CINreferralDate", e["CINreferralDate"]),
        _el("ReferralSource", e["ReferralSource"]),
        _el("PrimaryNeedCode", e["PrimaryNeedCode"]),
        _el("CINclosureDate", e["CINclosureDate"]),
        _el("ReasonForClosure", e["ReasonForClosure"]),
        _el("DateOfInitialCPC", e["DateOfInitialCPC"]),
        _joined(t.parent["Assessment"], assessment, n_ep),
        _joined(t.parent["CINPlan"], plan_parts, n_ep) if "CINPlan" in T else [""] * n_ep,
        _joined(t.parent["Section47"], s47, n_ep),
        _el("ReferralNFA", e["ReferralNFA"]),
        _joined(t.parent["CPPlan"], cpp, n_ep),
        "</CINdetails>",
    )
    ch = T["Child"]
    dis = _joined(t.parent["Disability"], _el("Disability", T["Disability"]["Disability"], True), n_child)
    dis = [f"<Disabilities>{d}</Disabilities>" if d else "" for d in dis]
    child = _concat(
        "<Child><ChildIdentifiers>",
        _el("LAchildID", ch["LAchildID"]),
        _el("UPN", ch["UPN"]),
        _el("UPNunknown", ch["UPNunknown"]),
        _el("PersonBirthDate", ch["PersonBirthDate"]),
        _el("ExpectedPersonBirthDate", ch["ExpectedPersonBirthDate"]),
        _el(sex_tag, ch["Sex"]),
        _el("PersonDeathDate", ch["PersonDeathDate"]),
        "</ChildIdentifiers><ChildCharacteristics>",
        _el("Ethnicity", ch["Ethnicity"]),
        dis,
        "</ChildCharacteristics>",
        _joined(t.parent["CINEpisode"], episode, n_child),
        "</Child>",
    )
    ref = iso(np.array([day(year_end(t.year))]))[0]
    header = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Message><Header><CollectionDetails><Collection>CIN</Collection>'
        f"<Year>{t.year}</Year><ReferenceDate>{ref}</ReferenceDate></CollectionDetails>"
        f"<Source><SourceLevel>L</SourceLevel><LEA>{t.la}</LEA><SoftwareCode>careboard-synth</SoftwareCode>"
        f"<Release>1</Release><SerialNo>001</SerialNo><DateTime>{t.year}-04-15T09:00:00</DateTime></Source>"
        "</Header><Children>\n"
    )
    return (header + "\n".join(child.tolist()) + "\n</Children></Message>\n").encode("utf-8")


def write_census(t: CensusTables, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(census_xml(t))
    return path
