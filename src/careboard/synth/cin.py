"""The CIN census for the same authority: children in need, most of whom never enter care.

Two kinds of child:

* every looked-after child, with the CIN episode that led to care (referral before the first DECOM,
  assessment, often a section 47 enquiry and a child protection plan ending when care starts), open
  until care ends; same ``LAchildID`` as the 903 CHILD;
* children in need who never enter care, about 7.7 referrals a year per child looked after (CIN25),
  with re-referrals (about a fifth within 12 months of the previous referral), assessments with
  factors, section 47 enquiries, initial conferences and child protection plans with reviews.

Each year's file holds the children with a CIN episode open at any time in the year, with dates and
sub-items after 31 March left out.  XML layout and element names as in the CIN census schema of that
year (``GenderCurrent`` until 2024, ``Sex`` from 2025; ``CINPlanDates`` from 2022).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from careboard.years import label, year_end, year_start

from . import params as P
from .dates import NA, day, iso
from .lives import OPEN, Lives, stream
from .ragged import choice, expand, lognormal_days
from .upn import make_upns


def _episodes_for_cla(lv: Lives) -> dict[str, np.ndarray]:
    per = lv.periods
    rng = stream(lv.seed, "sw", 7)
    n = len(per["child"])
    closure = np.where(per["end"] == OPEN, NA, per["end"])
    rec = per["rec"]
    reason = np.full(n, "RC7", dtype=object)
    reason[np.isin(rec, ["E11", "E12"])] = "RC1"
    reason[rec == "E2"] = "RC2"
    reason[rec == "E41"] = "RC3"
    reason[np.isin(rec, ["E45", "E46", "E47", "E48"])] = "RC4"
    reason[rec == "E3"] = "RC5"
    reason[rec == "E7"] = "RC6"
    cin_code = per["cin"]
    s47 = (cin_code == "N1") & (rng.random(n) < 0.7)
    cpp = s47 & (rng.random(n) < 0.6) & (per["start"] - per["referral"] > 60)
    return {
        "child": per["child"], "referral": per["referral"], "closure": closure,
        "reason": np.where(closure == NA, "", reason), "need": cin_code, "nfa": np.zeros(n, dtype=bool),
        "assess": np.ones(n, dtype=bool), "s47": s47, "cpp": cpp, "plan": ~cpp & (rng.random(n) < 0.3),
        "cpp_end_cap": per["start"],
    }


def _non_cla_children(lv: Lives, n_children: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    dob = rng.integers(day(year_start(lv.first_year)) - 17 * 365, day(year_end(lv.last_year)) - 30, n_children)
    sex = np.where(rng.random(n_children) < 0.54, 1, 2).astype(np.int8)
    eth = choice(rng, P.ETHNIC_SHARE, n_children)
    ids = rng.choice(np.arange(10_000_000, 99_999_999), n_children, replace=False)
    upn_year = dob.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970 + 4
    upn = make_upns(lv.la_code, upn_year, rng)
    return {"id": np.array([str(x) for x in ids.tolist()], dtype=object), "dob": dob, "sex": sex, "ethnic": eth,
            "upn": upn, "disabled": rng.random(n_children) < P.CIN_DISABILITY_SHARE}


def simulate_cin(lv: Lives, size: int) -> dict[str, dict[str, np.ndarray]]:
    """CIN episodes for looked-after children and for children in need who never enter care."""
    rng = stream(lv.seed, "sw", 8)
    w0 = day(year_start(lv.first_year)) - 365
    w1 = day(year_end(lv.last_year))
    years = (w1 - w0) / 365.25
    n_ref = int(size * P.CIN_REFERRALS_PER_CLA * years)
    # referrals per child: 1 + Poisson; the mean sets how many children we need
    extra = 0.32
    n_children = max(1, int(n_ref / (1 + extra)))
    kids = _non_cla_children(lv, n_children, rng)
    k = 1 + rng.poisson(extra, n_children)
    par, _rank = expand(k)
    first = w0 + (rng.random(n_children) * (w1 - w0)).astype(np.int64)
    first = np.maximum(first, kids["dob"] - 60)
    n = len(par)
    outcome = rng.random(n)
    nfa = outcome < P.CIN_NFA_AT_REFERRAL
    assess = ~nfa
    not_in_need = assess & (rng.random(n) < P.CIN_ASSESSMENT_NOT_IN_NEED)
    s47 = assess & ~not_in_need & (rng.random(n) < P.CIN_S47_SHARE / (1 - P.CIN_ASSESSMENT_NOT_IN_NEED))
    icpc = s47 & (rng.random(n) < P.CIN_ICPC_OF_S47)
    cpp = icpc & (rng.random(n) < P.CIN_CPP_OF_ICPC)
    plan = assess & ~not_in_need & ~cpp & (rng.random(n) < P.CIN_PLAN_SHARE)
    length = np.where(nfa, rng.integers(0, 3, n), np.where(not_in_need, rng.integers(10, 45, n),
                      np.where(cpp, lognormal_days(rng, (330, 0.5), n), lognormal_days(rng, (150, 0.7), n))))
    # chain: each referral starts after the previous closes; gaps make about a fifth re-referrals in 12 months
    gap = lognormal_days(rng, (420, 1.0), n)
    step = length + gap
    cum = np.cumsum(step)
    group_start = np.cumsum(k) - k
    before = cum - step  # cumulative up to this item
    offset = before - before[group_start][par]
    referral = first[par] + offset
    closure = referral + length
    keep = referral <= w1
    par, referral, closure = par[keep], referral[keep], closure[keep]
    nfa, assess, s47, icpc, cpp, plan, not_in_need = (a[keep] for a in (nfa, assess, s47, icpc, cpp, plan,
                                                                       not_in_need))
    referral = np.maximum(referral, kids["dob"][par])
    closure = np.maximum(closure, referral)
    open_ = closure > w1
    m = len(par)
    reason = np.where(nfa | not_in_need, "RC8", "RC7")
    need = choice(rng, {"N1": 0.55, "N2": 0.10, "N3": 0.04, "N4": 0.09, "N5": 0.13, "N6": 0.02, "N7": 0.01,
                        "N8": 0.02, "N9": 0.02, "N0": 0.02}, m)
    non = {
        "child": par, "referral": referral, "closure": np.where(open_, NA, closure),
        "reason": np.where(open_, "", reason), "need": np.where(nfa, "", need), "nfa": nfa, "assess": assess,
        "s47": s47, "cpp": cpp, "plan": plan, "cpp_end_cap": np.where(open_, NA, closure),
        "icpc": icpc,
    }
    cla = _episodes_for_cla(lv)
    cla["icpc"] = cla["cpp"].copy()
    return {"non_cla_children": kids, "non_cla": non, "cla": cla}


def _opt(show: np.ndarray, make) -> list[str]:
    """A list of '' with ``make(indices)`` strings filled in where ``show`` is true (few rows, cheap)."""
    out = [""] * len(show)
    idx = np.flatnonzero(show)
    for i, text in zip(idx.tolist(), make(idx), strict=True):
        out[i] = text
    return out


def _fragments(ep: dict[str, np.ndarray], year: int, rng: np.random.Generator) -> list[str]:
    """The <CINdetails> element of each episode as it stands at the end of ``year``."""
    ye = day(year_end(year))
    n = len(ep["referral"])
    ref = ep["referral"]
    closed = (ep["closure"] != NA) & (ep["closure"] <= ye)
    closure = np.where(closed, ep["closure"], ye)
    assess_start = np.minimum(ref + rng.integers(0, 10, n), closure)
    assess_auth = assess_start + rng.integers(10, 44, n)
    s47_start = ref + rng.integers(0, 15, n)
    icpc_date = s47_start + rng.integers(5, 15, n)
    cpp_start = icpc_date
    cap = ep["cpp_end_cap"]
    cpp_end = cpp_start + rng.integers(90, 500, n)
    cpp_end = np.maximum(np.where(cap != NA, np.minimum(cpp_end, cap), cpp_end), cpp_start + 1)
    plan_start = assess_auth + 1
    factors = np.array(P.CIN_FACTORS, dtype=object)
    f1 = factors[rng.integers(0, len(factors), n)]
    f2 = factors[rng.integers(0, len(factors), n)]
    two = (rng.random(n) < 0.6) & (f1 != f2)
    cat = choice(rng, P.CIN_ABUSE, n)
    source = choice(rng, P.CIN_REFERRAL_SOURCE, n)

    show_a = ep["assess"] & (assess_start <= ye)
    a_done = show_a & (assess_auth <= ye) & (~closed | (assess_auth <= ep["closure"]))
    a_start_t, a_auth_t = iso(assess_start), iso(assess_auth)

    def assessment(idx: np.ndarray) -> list[str]:
        out = []
        for i in idx.tolist():
            if a_done[i]:
                fac = f"<AssessmentFactors>{f1[i]}</AssessmentFactors>" + (
                    f"<AssessmentFactors>{f2[i]}</AssessmentFactors>" if two[i] else "")
                out.append(f"<Assessments><AssessmentActualStartDate>{a_start_t[i]}</AssessmentActualStartDate>"
                           f"<AssessmentAuthorisationDate>{a_auth_t[i]}</AssessmentAuthorisationDate>"
                           f"<FactorsIdentifiedAtAssessment>{fac}</FactorsIdentifiedAtAssessment></Assessments>")
            else:
                out.append(f"<Assessments><AssessmentActualStartDate>{a_start_t[i]}</AssessmentActualStartDate>"
                           "</Assessments>")
        return out

    show_plan = ep["plan"] & (plan_start <= ye) & (~closed | (plan_start <= ep["closure"])) & (year >= 2022)
    plan_t = iso(plan_start)
    close_t = iso(np.where(closed, ep["closure"], NA))

    def plan(idx: np.ndarray) -> list[str]:
        return [f"<CINPlanDates><CINPlanStartDate>{plan_t[i]}</CINPlanStartDate>"
                + (f"<CINPlanEndDate>{close_t[i]}</CINPlanEndDate>" if closed[i] else "") + "</CINPlanDates>"
                for i in idx.tolist()]

    show_s = ep["s47"] & (s47_start <= ye)
    icpc_shown = show_s & ep["icpc"] & (icpc_date <= ye)
    s47_t, target_t, icpc_t = iso(s47_start), iso(s47_start + 15), iso(icpc_date)

    def s47(idx: np.ndarray) -> list[str]:
        return [f"<Section47><S47ActualStartDate>{s47_t[i]}</S47ActualStartDate>"
                f"<InitialCPCtarget>{target_t[i]}</InitialCPCtarget>"
                + (f"<DateOfInitialCPC>{icpc_t[i]}</DateOfInitialCPC>" if icpc_shown[i] else "")
                + f"<ICPCnotRequired>{0 if ep['icpc'][i] else 1}</ICPCnotRequired></Section47>"
                for i in idx.tolist()]

    show_c = ep["cpp"] & (cpp_start <= ye)
    cs_t, ce_t, r1_t, r2_t = iso(cpp_start), iso(cpp_end), iso(cpp_start + 90), iso(cpp_start + 272)
    lim = np.minimum(cpp_end, ye + 1)

    def cpp(idx: np.ndarray) -> list[str]:
        out = []
        for i in idx.tolist():
            rev = ""
            if cpp_start[i] + 90 < lim[i]:
                rev += f"<CPPreviewDate>{r1_t[i]}</CPPreviewDate>"
            if cpp_start[i] + 272 < lim[i]:
                rev += f"<CPPreviewDate>{r2_t[i]}</CPPreviewDate>"
            out.append(f"<ChildProtectionPlans><CPPstartDate>{cs_t[i]}</CPPstartDate>"
                       + (f"<CPPendDate>{ce_t[i]}</CPPendDate>" if cpp_end[i] <= ye else "")
                       + f"<InitialCategoryOfAbuse>{cat[i]}</InitialCategoryOfAbuse>"
                       f"<LatestCategoryOfAbuse>{cat[i]}</LatestCategoryOfAbuse>"
                       "<NumberOfPreviousCPP>0</NumberOfPreviousCPP>"
                       + (f"<Reviews>{rev}</Reviews>" if rev else "") + "</ChildProtectionPlans>")
        return out

    a_l, p_l, s_l, c_l = _opt(show_a, assessment), _opt(show_plan, plan), _opt(show_s, s47), _opt(show_c, cpp)
    need = ep["need"].tolist()
    reason = ep["reason"].tolist()
    nfa = ep["nfa"].tolist()
    ref_t = iso(ref).tolist()
    close_l = close_t.tolist()
    closed_l = closed.tolist()
    icpc_l = icpc_shown.tolist()
    icpc_tl = icpc_t.tolist()
    src = source.tolist()
    return [
        f"<CINdetails><CINreferralDate>{ref_t[i]}</CINreferralDate><ReferralSource>{src[i]}</ReferralSource>"
        + (f"<PrimaryNeedCode>{need[i]}</PrimaryNeedCode>" if need[i] else "")
        + (f"<CINclosureDate>{close_l[i]}</CINclosureDate><ReasonForClosure>{reason[i]}</ReasonForClosure>"
           if closed_l[i] else "")
        + (f"<DateOfInitialCPC>{icpc_tl[i]}</DateOfInitialCPC>" if icpc_l[i] else "")
        + a_l[i] + p_l[i] + s_l[i] + f"<ReferralNFA>{1 if nfa[i] else 0}</ReferralNFA>" + c_l[i] + "</CINdetails>"
        for i in range(n)
    ]


def write_cin_year(lv: Lives, cin: dict, year: int, path: Path) -> Path:
    """Write the CIN census XML of collection ``year``."""
    ys, ye = day(year_start(year)), day(year_end(year))
    rng = stream(lv.seed, "sw", 9, year)
    sex_tag = "Sex" if year >= 2025 else "GenderCurrent"
    male, female = ("M", "F") if year >= 2025 else ("1", "2")
    lines: list[str] = []
    for ep, people in ((cin["cla"], lv.children), (cin["non_cla"], cin["non_cla_children"])):
        sel = (ep["referral"] <= ye) & ((ep["closure"] == NA) | (ep["closure"] >= ys))
        idx = np.flatnonzero(sel)
        idx = idx[np.argsort(ep["child"][idx], kind="stable")]
        sub = {k: v[idx] for k, v in ep.items()}
        frags = _fragments(sub, year, rng)
        child = sub["child"]
        if len(child) == 0:
            continue
        first = np.ones(len(child), dtype=bool)
        first[1:] = child[1:] != child[:-1]
        last = np.ones(len(child), dtype=bool)
        last[:-1] = child[1:] != child[:-1]
        who = child[first]
        dob = people["dob"][who]
        school_age = ((ye - dob) > 5 * 365).tolist()
        ids = people["id"][who].tolist()
        upn = people["upn"][who].tolist()
        dob_t = iso(dob).tolist()
        sex = [male if s == 1 else female for s in people["sex"][who].tolist()]
        eth = people["ethnic"][who].tolist()
        dis = people["disabled"][who].tolist()
        dis_code = np.array(P.CIN_DISABILITIES, dtype=object)[rng.integers(0, 12, len(who))].tolist()
        opens = [
            f"<Child><ChildIdentifiers><LAchildID>{ids[k]}</LAchildID>"
            + (f"<UPN>{upn[k]}</UPN>" if school_age[k] else "<UPNunknown>UN1</UPNunknown>")
            + f"<PersonBirthDate>{dob_t[k]}</PersonBirthDate><{sex_tag}>{sex[k]}</{sex_tag}></ChildIdentifiers>"
            f"<ChildCharacteristics><Ethnicity>{eth[k]}</Ethnicity>"
            + (f"<Disabilities><Disability>{dis_code[k]}</Disability></Disabilities>" if dis[k] else "")
            + "</ChildCharacteristics>"
            for k in range(len(who))
        ]
        k = -1
        first_l = first.tolist()
        last_l = last.tolist()
        for i, frag in enumerate(frags):
            if first_l[i]:
                k += 1
                frag = opens[k] + frag
            lines.append(frag + "</Child>" if last_l[i] else frag)
    header = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Message><Header><CollectionDetails><Collection>CIN</Collection>'
        f"<Year>{year}</Year><ReferenceDate>{iso(np.array([ye]))[0]}</ReferenceDate></CollectionDetails>"
        f"<Source><SourceLevel>L</SourceLevel><LEA>{lv.la_code}</LEA><SoftwareCode>careboard-synth</SoftwareCode>"
        f"<Release>1</Release><SerialNo>001</SerialNo><DateTime>{year}-04-15T09:00:00</DateTime></Source>"
        "</Header><Children>\n"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        f.write(header.encode("utf-8"))
        f.write("\n".join(lines).encode("utf-8"))
        f.write(b"\n</Children></Message>\n")
    return path


def cin_path(out: Path, la: str, year: int) -> Path:
    """OUT/<la>/cin/<yyyy-yy>/cin_census_<la>_<yyyy-yy>.xml"""
    return out / la / "cin" / label(year) / f"cin_census_{la}_{label(year)}.xml"
