"""A Children's Social Work Workforce census (CSWW) return for each year of a synthetic authority.

One XML file per collection year: the census as at 30 September inside the year (header ``<Year>`` the
calendar year of that September), laid out as the CSWW schema orders its elements, so it validates
against ``returns/spec/csww_social_work_workforce_2022.xsd``.  Each year's workforce is drawn on its
own (workers are not followed from year to year).

Calibrated roughly to England in the DfE's LAIT figures for September 2025 (``careboard synth
--report`` does not check these; the tests do, loosely): about 0.4 FTE children and family social
workers per child looked after, a vacancy rate near 16%, agency workers near 15% of FTE, 81% of agency
FTE covering vacancies and 74% of vacancies covered by agency workers, turnover near 13%, sickness
absence near 3.5% of working days, about 15 cases per FTE case-holding worker.  Stream ``csww`` (new).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
from lxml import etree

from careboard.years import label

from .dates import day, iso
from .lives import Lives, stream

FTE_PER_CHILD = 0.40
VACANCY_RATE = 0.16
AGENCY_COVERING = 0.81  # of agency FTE, covering vacancies
VACANCIES_COVERED = 0.74  # of vacancy FTE, covered by agency workers
TURNOVER = 0.13
STARTERS = 0.15
ABSENCE = 0.035
ROLES = {"5": 0.42, "4": 0.18, "3": 0.13, "2": 0.06, "1": 0.02, "6": 0.19}
CASES_PER_FTE = {"5": 17.0, "4": 12.0, "3": 2.0}
ETHNIC = {"WBRI": 0.68, "WOTH": 0.05, "BAFR": 0.08, "BCRB": 0.04, "AIND": 0.03, "APKN": 0.02, "MWBC": 0.03,
          "MOTH": 0.02, "AOTH": 0.02, "OOTH": 0.01, "REFU": 0.02}
UNIVERSITIES = ("University of Kent", "University of Sussex", "Open University", "University of Birmingham",
                "Manchester Metropolitan University", "University of East Anglia")
ORDER = ("AgencyWorker", "SWENo", "FTE", "PersonBirthDate", "GenderCurrent", "Ethnicity", "QualInst", "QualLevel",
         "StepUpGrad", "OrgRole", "RoleStartDate", "StartOrigin", "RoleEndDate", "LeaverDestination", "ReasonLeave",
         "FTE30", "Cases30", "WorkingDaysLost", "ContractWeeks", "FrontlineGrad", "Absat30Sept", "ReasonAbsence",
         "CFKSSstatus")


def _pick(rng: np.random.Generator, table: dict[str, float], n: int) -> np.ndarray:
    keys = list(table)
    p = np.array(list(table.values()))
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=n, p=p / p.sum())]


def _ftes(rng: np.random.Generator, total: float, full: float) -> np.ndarray:
    """Workers' FTEs (share ``full`` full-time) adding up to about ``total``."""
    n = max(1, int(total * 1.3) + 5)
    fte = np.where(rng.random(n) < full, 1.0, rng.choice([0.5, 0.6, 0.8, 0.9], n))
    return fte[: max(1, int(np.searchsorted(np.cumsum(fte), total)) + 1)]


def workers(lv: Lives, year: int) -> tuple[dict[str, float], list[dict[str, str]]]:
    """The census for collection ``year``: the vacancies block and one dict per worker (text values)."""
    rng = stream(lv.seed, "csww", year)
    census = day(date(year - 1, 9, 30))
    year_from = day(date(year - 2, 10, 1))
    size = max(1.0, float(((lv.periods["start"] <= census) & (lv.periods["end"] > census)).sum()))
    in_post = _ftes(rng, FTE_PER_CHILD * size, 0.8)
    fte_total = float(in_post.sum())
    vacancies = round(VACANCY_RATE / (1 - VACANCY_RATE) * fte_total, 2)
    covering = round(VACANCIES_COVERED * vacancies, 2)
    agency = _ftes(rng, covering / AGENCY_COVERING, 0.95)
    leavers = _ftes(rng, TURNOVER * fte_total, 0.8)
    n_emp, n_ag, n_leave = len(in_post), len(agency), len(leavers)
    n = n_emp + n_ag + n_leave
    kind = np.array(["employed"] * n_emp + ["agency"] * n_ag + ["leaver"] * n_leave, dtype=object)
    fte = np.concatenate([in_post, agency, leavers])
    role = np.where(kind == "agency", _pick(rng, {"5": 0.8, "4": 0.1, "3": 0.1}, n), _pick(rng, ROLES, n))
    cases = np.zeros(n, dtype=np.int64)
    for code, rate in CASES_PER_FTE.items():
        sel = (role == code) & (kind != "leaver")
        holds = rng.random(n) < (0.3 if code == "3" else 1.0)
        cases = np.where(sel & holds, rng.poisson(rate * fte), cases)
    years_in_role = rng.exponential(6.0, n)
    started = census - (years_in_role * 365.25).astype(np.int64)
    new = (rng.random(n) < STARTERS * fte_total / max(n_emp, 1)) & (kind == "employed")
    started = np.where(new, year_from + rng.integers(0, census - year_from, n), started)
    ended = np.where(kind == "leaver", year_from + rng.integers(0, census - year_from + 1, n), -1)
    started = np.where(kind == "leaver", np.minimum(started, year_from - 30), started)
    age = np.clip(rng.normal(42, 10, n), 23, 66)
    dob = census - (age * 365.25).astype(np.int64)
    sick = np.where(rng.random(n) < 0.4, rng.exponential(ABSENCE * 253 / 0.4, n), 0.0) * fte
    absent = (rng.random(n) < 0.04) & (kind != "leaver")
    ids = np.unique(rng.integers(10**9, 10**10, 2 * n + 10))[:n]  # distinct Social Work England numbers
    rows = []
    for i in range(n):  # one record per worker, built as XML text: tens to hundreds of workers a year
        employed = kind[i] != "agency"
        row = {
            "AgencyWorker": "0" if employed else "1",
            "SWENo": f"SW{ids[i]:010d}",
            "FTE": f"{fte[i]:.6f}",
            "PersonBirthDate": iso(np.array([dob[i]]))[0],
            "GenderCurrent": "2" if rng.random() < 0.84 else "1",
            "Ethnicity": str(_pick(rng, ETHNIC, 1)[0]),
            "QualInst": UNIVERSITIES[int(rng.integers(0, len(UNIVERSITIES)))],
            "QualLevel": "2" if rng.random() < 0.45 else "1",
            "StepUpGrad": "1" if rng.random() < 0.03 else "0",
            "OrgRole": str(role[i]),
            "RoleStartDate": iso(np.array([started[i]]))[0],
        }
        if new[i]:
            row["StartOrigin"] = str(_pick(rng, {"1": 0.35, "2": 0.3, "4": 0.2, "8": 0.15}, 1)[0])
        if kind[i] == "leaver":
            row["RoleEndDate"] = iso(np.array([ended[i]]))[0]
            row["LeaverDestination"] = str(_pick(rng, {"1": 0.35, "3": 0.25, "6": 0.2, "8": 0.2}, 1)[0])
            row["ReasonLeave"] = str(_pick(rng, {"1": 0.7, "5": 0.1, "7": 0.08, "8": 0.12}, 1)[0])
        else:
            row["FTE30"] = f"{fte[i]:.6f}"
            row["Cases30"] = str(int(cases[i]))
        if employed:
            row["WorkingDaysLost"] = f"{sick[i]:.2f}"
        else:
            row["ContractWeeks"] = f"{rng.uniform(4, 52):.1f}"
        row["FrontlineGrad"] = "1" if rng.random() < 0.04 else "0"
        if kind[i] != "leaver":
            row["Absat30Sept"] = "1" if absent[i] else "0"
            if absent[i]:
                row["ReasonAbsence"] = str(_pick(rng, {"SIC": 0.5, "MAT": 0.35, "OTH": 0.15}, 1)[0])
        rows.append(row)
    block = {"NumberOfVacancies": vacancies, "NoAgencyFTE": covering,
             "NoAgencyHeadcount": round(covering / 0.95)}
    return block, rows


def write_csww(lv: Lives, year: int, path: Path) -> Path:
    """The census for ``year`` as a CSWW XML return at ``path``."""
    block, rows = workers(lv, year)
    root = etree.Element("Message")
    header = etree.SubElement(root, "Header")
    details = etree.SubElement(header, "CollectionDetails")
    for name, text in (("Collection", "CSWW"), ("Year", str(year - 1)), ("ReferenceDate", f"{year - 1}-09-30")):
        etree.SubElement(details, name).text = text
    source = etree.SubElement(header, "Source")
    for name, text in (("SourceLevel", "L"), ("LEA", lv.la_code), ("SoftwareCode", "careboard synth")):
        etree.SubElement(source, name).text = text
    vac = etree.SubElement(root, "LALevelVacancies")
    etree.SubElement(vac, "NumberOfVacancies").text = f"{block['NumberOfVacancies']:.2f}"
    etree.SubElement(vac, "NoAgencyFTE").text = f"{block['NoAgencyFTE']:.2f}"
    etree.SubElement(vac, "NoAgencyHeadcount").text = str(block["NoAgencyHeadcount"])
    for row in rows:
        worker = etree.SubElement(root, "CSWWWorker")
        for name in ORDER:
            if name in row:
                etree.SubElement(worker, name).text = row[name]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
    return path


def csww_path(out: Path, la: str, year: int) -> Path:
    return out / la / "csww" / label(year) / f"csww_{la}_{label(year)}.xml"
