"""Children in need (CIN census): referrals, what followed them, assessments, children in need at
31 March and section 47 enquiries."""

from careboard.measures.catalogue.cin_cohorts import ATTRIBUTES, BREAKDOWNS, CHILDREN, REFERRALS, age_band_on
from careboard.measures.measure import Measure

THEME = "Children in need and child protection"

# Referrals in the year, one row each, with the child's breakdown attributes (age on the day).
_REFERRALS = f"""
    SELECT r.la, r.census_year AS year, 1 AS num, r.ReferralNFA, r.ReasonForClosure, r.LAchildID, r.EpisodeNo,
           r.load_id, {age_band_on('r.CINreferralDate')} AS age_band, {ATTRIBUTES}
    FROM ({REFERRALS}) r
    JOIN ({CHILDREN}) ch ON ch.la = r.la AND ch.year = r.census_year AND ch.LAchildID = r.LAchildID
"""

# Every referral once, from all current censuses (a referral open across years is in several),
# with the child's previous referral; then the year's referrals with the census's attributes.
_REREFERRALS = f"""
    WITH every AS (
        SELECT DISTINCT e.la, e.LAchildID, e.CINreferralDate AS referred
        FROM current_cin_cinepisode e
        WHERE e.LAchildID IS NOT NULL AND e.CINreferralDate IS NOT NULL
    ),
    ordered AS (
        SELECT *, lag(referred) OVER (PARTITION BY la, LAchildID ORDER BY referred) AS previous FROM every
    )
    SELECT DISTINCT r.la, r.census_year AS year, r.LAchildID AS referral_child, r.CINreferralDate,
           (o.previous IS NOT NULL AND o.referred <= (o.previous + INTERVAL 12 MONTH)::DATE)::INT AS num,
           1 AS den, {age_band_on('r.CINreferralDate')} AS age_band, {ATTRIBUTES}
    FROM ({REFERRALS}) r
    JOIN ordered o ON o.la = r.la AND o.LAchildID = r.LAchildID AND o.referred = r.CINreferralDate
    JOIN ({CHILDREN}) ch ON ch.la = r.la AND ch.year = r.census_year AND ch.LAchildID = r.LAchildID
"""

# A referral assessed and found not in need: an assessment, then closed RC8 (or, from 2022-23,
# RC9: closed after assessment and referred to early help).  DfE rule 2990 keeps section 47s and
# plans out of such episodes.
_ASSESSED = """
    EXISTS (SELECT 1 FROM current_cin_assessment a WHERE a.load_id = q.load_id AND a.LAchildID = q.LAchildID
            AND a.EpisodeNo = q.EpisodeNo)
"""

# Assessments authorised in the year, with working days from start to authorisation.
_ASSESSMENTS = f"""
    SELECT a.la, a.year, ws.working_day_no AS start_no, wa.working_day_no AS auth_no,
           {age_band_on('a.AssessmentAuthorisationDate')} AS age_band, {ATTRIBUTES}
    FROM current_cin_assessment a
    JOIN ref_working_day ws ON ws.day = a.AssessmentActualStartDate
    JOIN ref_working_day wa ON wa.day = a.AssessmentAuthorisationDate
    JOIN ({CHILDREN}) ch ON ch.la = a.la AND ch.year = a.year AND ch.LAchildID = a.LAchildID
    WHERE a.AssessmentAuthorisationDate BETWEEN make_date(a.year - 1, 4, 1) AND make_date(a.year, 3, 31)
"""

# Children with an episode of need open on 31 March (not a referral with no further action), once.
_IN_NEED = f"""
    SELECT DISTINCT ch.la, ch.year, ch.LAchildID, 1 AS num, {age_band_on('make_date(ch.year, 3, 31)')} AS age_band,
           {ATTRIBUTES}
    FROM ({CHILDREN}) ch
    WHERE EXISTS (SELECT 1 FROM current_cin_cinepisode e WHERE e.la = ch.la AND e.year = ch.year
                  AND e.LAchildID = ch.LAchildID
                  AND e.CINclosureDate IS NULL AND e.ReferralNFA = '0')
"""

# Section 47 enquiries starting in the year, each.
_SECTION47 = f"""
    SELECT s.la, s.year, 1 AS num, {age_band_on('s.S47ActualStartDate')} AS age_band, {ATTRIBUTES}
    FROM current_cin_section47 s
    JOIN ({CHILDREN}) ch ON ch.la = s.la AND ch.year = s.year AND ch.LAchildID = s.LAchildID
    WHERE s.S47ActualStartDate BETWEEN make_date(s.year - 1, 4, 1) AND make_date(s.year, 3, 31)
"""

_RATE = "per 10,000 children aged under 18 (ONS mid-year estimate of the year before)"

MEASURES = [
    Measure(
        id="referrals",
        title="Referrals to children's social care",
        sentence="Referrals to children's social care during the year (a child referred twice counts twice).",
        definition="Referrals to children's social care services in the year (1 April to 31 March); a referral "
        "is a request for services for a child not already open to children's social care (DfE, "
        "Characteristics of children in need; LAIT CPP_Total_NumRef).",
        kind="count",
        unit="number",
        polarity=None,
        lait_code="CPP_Total_NumRef",
        sql=_REFERRALS,
        breakdowns=BREAKDOWNS,
        theme=THEME,
        notes="Counted from each year's census (referral date in the year).  Age on the day of the referral.",
    ),
    Measure(
        id="referrals_rate",
        title="Referrals per 10,000 children",
        sentence="For every 10,000 children living in the area, this many referrals to children's social care.",
        definition=f"Referrals to children's social care services in the year {_RATE} (DfE; LAIT "
        "CPP_Total_Rateper10,000).",
        kind="rate",
        unit="per 10,000",
        polarity=None,
        lait_code="CPP_Total_Rateper10,000",
        sql=_REFERRALS,
        breakdowns=(),
        theme=THEME,
    ),
    Measure(
        id="rereferrals_12_months",
        title="Re-referrals within 12 months",
        sentence="Of the referrals to children's social care this year, the share about a child referred in the "
        "12 months before.",
        definition="Referrals in the year (1 April to 31 March) that occurred within 12 months of a previous "
        "referral of the same child, as a percentage of all referrals in the year; each referral counts "
        "(DfE, Characteristics of children in need; LAIT ReReferral).",
        kind="proportion",
        unit="%",
        polarity="low",
        lait_code="ReReferral",
        sql=_REREFERRALS,
        breakdowns=BREAKDOWNS,
        theme=THEME,
        notes="Within 12 months: on or before the same calendar date a year after the previous referral. "
        "Referrals are gathered from every loaded census, so a previous referral from an earlier year counts "
        "when that year's census is loaded; load at least the previous year's census too.",
    ),
    Measure(
        id="referrals_nfa",
        title="Referrals closed with no further action",
        sentence="Of the referrals this year, the share closed with no further action, without an assessment.",
        definition="Referrals in the year that resulted in no further action (ReferralNFA true), as a "
        "percentage of referrals in the year (DfE; LAIT CIN_Refferals_NFA).",
        kind="proportion",
        unit="%",
        polarity=None,
        lait_code="CIN_Refferals_NFA",
        sql=f"SELECT la, year, (ReferralNFA = '1')::INT AS num, 1 AS den, age_band, sex, ethnic_group, disability, "
        f"local_area FROM ({_REFERRALS})",
        breakdowns=BREAKDOWNS,
        theme=THEME,
        notes="No benchmark direction: a low share can mean referrers are well advised, or that the front door "
        "assesses what it need not.",
    ),
    Measure(
        id="referrals_not_in_need",
        title="Referrals assessed and found not in need",
        sentence="Of the referrals this year, the share where the child was assessed and found not to be in need.",
        definition="Referrals in the year where the child was assessed but not found to be in need: an "
        "assessment and no further activity, closed as 'case closed after assessment' (DfE; LAIT "
        "Referrals_AssessedNotNeed).",
        kind="proportion",
        unit="%",
        polarity=None,
        lait_code="Referrals_AssessedNotNeed",
        sql=f"SELECT la, year, (ReferralNFA = '0' AND ReasonForClosure IN ('RC8', 'RC9') AND {_ASSESSED})::INT "
        f"AS num, 1 AS den, age_band, sex, ethnic_group, disability, local_area FROM ({_REFERRALS}) q",
        breakdowns=BREAKDOWNS,
        theme=THEME,
        notes="Closed RC8 or RC9 by 31 March of the census year (RC9, referred to early help, is a code from "
        "2022-23 that used to be part of RC8); a referral whose case was still open on 31 March is not yet "
        "counted, as in the DfE's figures.  This is the 'not at the threshold' question members ask.",
    ),
    Measure(
        id="assessments_45_days",
        title="Assessments completed within 45 working days",
        sentence="Of the assessments completed this year, the share finished within 45 working days of starting.",
        definition="Assessments completed (authorised) in the year that took 45 working days or fewer from "
        "the start of the assessment to its authorisation, as a percentage of assessments completed (DfE, "
        "Characteristics of children in need, duration of assessments; LAIT Continue_Assess_Comp).",
        kind="proportion",
        unit="%",
        polarity="high",
        lait_code="Continue_Assess_Comp",
        sql=f"SELECT la, year, (auth_no - start_no <= 45)::INT AS num, 1 AS den, age_band, sex, ethnic_group, "
        f"disability, local_area FROM ({_ASSESSMENTS})",
        breakdowns=BREAKDOWNS,
        theme=THEME,
        notes="Working days exclude weekends and England's bank holidays; the start day is not counted and the "
        "day of authorisation is, so an assessment authorised the day it started took 0 working days.",
    ),
    Measure(
        id="cin_31_march",
        title="Children in need on 31 March",
        sentence="Children open to children's social care as children in need on 31 March (including children on "
        "child protection plans and children in our care).",
        definition="Children with an episode of need open on 31 March; referrals with no further action are not "
        "episodes of need (DfE, Characteristics of children in need).",
        kind="count",
        unit="number",
        polarity=None,
        sql=_IN_NEED,
        breakdowns=BREAKDOWNS,
        theme=THEME,
        notes="Each child once, however many episodes are open.  Age on 31 March.",
    ),
    Measure(
        id="cin_rate",
        title="Children in need per 10,000 children",
        sentence="For every 10,000 children living in the area, this many were children in need on 31 March.",
        definition=f"Children in need on 31 March {_RATE} (DfE; LAIT CIN).",
        kind="rate",
        unit="per 10,000",
        polarity=None,
        lait_code="CIN",
        sql=_IN_NEED,
        breakdowns=(),
        theme=THEME,
    ),
    Measure(
        id="section47",
        title="Section 47 enquiries",
        sentence="Enquiries started during the year because a child was thought to be suffering, or likely to "
        "suffer, significant harm (section 47 of the Children Act 1989).",
        definition="Section 47 enquiries starting in the year; each enquiry counts (DfE, Characteristics of "
        "children in need).",
        kind="count",
        unit="number",
        polarity=None,
        sql=_SECTION47,
        breakdowns=BREAKDOWNS,
        theme=THEME,
    ),
    Measure(
        id="section47_rate",
        title="Section 47 enquiries per 10,000 children",
        sentence="For every 10,000 children living in the area, this many section 47 enquiries started.",
        definition=f"Section 47 enquiries starting in the year {_RATE} (DfE; LAIT Section_47).",
        kind="rate",
        unit="per 10,000",
        polarity=None,
        lait_code="Section_47",
        sql=_SECTION47,
        breakdowns=(),
        theme=THEME,
    ),
]
