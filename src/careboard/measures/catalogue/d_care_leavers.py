"""Care leavers: contact, education/employment/training, accommodation and staying put (OC3).

The DfE publishes care leaver figures for two age groups, 17-18 and 19-21, and LAIT benchmarks the
19-21 group; so each measure is declared once per group, and only the 19-21 one carries the LAIT code
(the benchmark compares like with like).  A care leaver's age is their age on their birthday in the
year (= their age on 31 March), taken from the OC3 row, not from ``model_child_year`` - most care
leavers were not looked after in the year.  Each query therefore returns its own ``age_band`` (the
single year of age, within the group), ``sex`` and ``ethnic_group`` (from the young person's latest
Header row).  No UASC breakdown: whether a care leaver was an unaccompanied asylum-seeking child is
only known from UASC rows of returns from their time in care, which may not be loaded.
"""

from careboard.measures.measure import Measure

# Care leavers whose 17th to 21st birthday falls in the year, one row per young person, as the DfE
# counts them, with its exclusions (see model/care_leavers.sql, where the cohort is derived once).
_LEAVERS = "SELECT * FROM model_care_leavers"  # built once by model/care_leavers.sql

# The DfE's "in touch": the authority is in touch, or it is not but knows the young person's activity
# from a third party ("'Local authority not in touch' excludes young people where activity information
# is known"; the published categories always add up to the total, so they are counted as in touch).
_ACTIVITY_KNOWN = "coalesce(k.ACTIV, '0') <> '0'"
_IN_TOUCH = f"(k.IN_TOUCH = 'YES' OR (k.IN_TOUCH = 'NO' AND {_ACTIVITY_KNOWN}))"
_NOT_IN_TOUCH = f"(k.IN_TOUCH = 'NO' AND NOT {_ACTIVITY_KNOWN})"
_EET = "coalesce(left(k.ACTIV, 1) IN ('F', 'P'), false)"
_NEET = "coalesce(k.ACTIV IN ('G4', 'G5', 'G6'), false)"
_HIGHER_EDUCATION = "coalesce(k.ACTIV IN ('F1', 'P1'), false)"
# Gone abroad (G), deported (H) or residence not known (R): suitability cannot be known.
_SUITABILITY_KNOWABLE = "coalesce(left(k.ACCOM, 1), '') NOT IN ('G', 'H', 'R')"
_SUITABLE = "coalesce(right(k.ACCOM, 1) = '1', false)"
# Ceased to be looked after on their 18th birthday from a foster placement (U1-U6).
_LEFT_FOSTER_CARE_AT_18 = """EXISTS (
    SELECT 1 FROM model_care c
    WHERE c.la = k.la AND c.CHILD = k.CHILD AND c.DEC = (k.birth + INTERVAL 18 YEAR)::DATE
      AND c.REC IS DISTINCT FROM 'X1' AND c.PLACE IN ('U1', 'U2', 'U3', 'U4', 'U5', 'U6')
)"""


def _leavers(num: str, lo: int, hi: int, where: str = "TRUE") -> str:
    """Care leavers aged ``lo``-``hi`` (``k``) meeting ``where``; num = ``num``, den = 1."""
    return f"""
        SELECT k.la, k.year, k.CHILD, k.age_band, k.sex, k.ethnic_group, ({num})::INT AS num, 1 AS den
        FROM ({_LEAVERS}) k
        WHERE k.age BETWEEN {lo} AND {hi} AND {where}
    """


_BREAKDOWNS = ("age_band", "sex", "ethnic_group")
_THEME = "Care leavers"
_GROUPS = {"17_18": (17, 18, "17 to 18", "17th or 18th"), "19_21": (19, 21, "19 to 21", "19th, 20th or 21st")}
_COHORT_TEXT = (
    "former relevant young people (looked after for at least 13 weeks after their 14th birthday, including "
    "some time after their 16th) whose {birthdays} birthday fell in the year ending 31 March"
)
# DG23's exclusions, common to every care leaver figure; ends the definition before its source.
_EXCLUSIONS = (
    " Excludes young people looked after only under an agreed series of short-term placements, who have died, "
    "who returned home to parents or someone with parental responsibility for at least 6 months, or whose care "
    "was transferred to another authority; information relates to contact around their birthday"
)
_COHORT_NOTES = (
    "Cohort: the young people in that year's OC3 table whose OC3 row reports something and whose age on "
    "31 March (their age on their birthday in the year, from OC3's date of birth, else Header's) is in the "
    "group; IN_TOUCH DIED and RHOM are excluded, and so are young people whose last episode ended with REC E3 "
    "(care taken over by another authority) or who had only short-break (V3/V4) episodes, as far as the "
    "loaded returns show their care, and anyone still looked after on that birthday (not yet a care leaver). "
    "Whether a young person qualifies as a care leaver (13 weeks after 14) is the authority's judgement in "
    "putting them in OC3; careboard does not re-derive it. Breakdowns: single year of age, and sex and "
    "ethnicity from the latest Header row."
)

MEASURES = []
for suffix, (lo, hi, label, birthdays) in _GROUPS.items():
    older = suffix == "19_21"
    cohort_text = _COHORT_TEXT.format(birthdays=birthdays)
    MEASURES += [
        Measure(
            id=f"care_leavers_in_touch_{suffix}",
            title=f"Care leavers aged {label} in touch",
            sentence=f"Of our care leavers aged {label}, the share we were in touch with around their birthday.",
            definition=f"Percentage of {cohort_text}, with whom the local authority was in touch."
            f"{_EXCLUSIONS} (DfE la_care_leavers_intouch: 'Local authority in touch with care leaver' / Total).",
            kind="proportion",
            unit="%",
            polarity="high",
            sql=_leavers(_IN_TOUCH, lo, hi),
            breakdowns=_BREAKDOWNS,
            theme=_THEME,
            notes=_COHORT_NOTES + " In touch: IN_TOUCH YES, or NO with an activity known from a third party "
            "(the DfE's 'not in touch' excludes those, and its four categories always add up to the total). "
            "Refuses contact (REFU) and no longer requires services (NREQ) are in the denominator, not in touch.",
        ),
        Measure(
            id=f"care_leavers_not_in_touch_{suffix}",
            title=f"Care leavers aged {label} the council is not in touch with",
            sentence=f"Of our care leavers aged {label}, the share we had lost touch with (not counting those who "
            "refused contact or no longer needed our help).",
            definition=f"Percentage of {cohort_text}, with whom the local authority was not in touch, "
            "excluding young people whose activity is known, as a third party provided it."
            f"{_EXCLUSIONS} (DfE la_care_leavers_intouch"
            + ("; LAIT CareLeavers_LA_NotInTouch)." if older else ")."),
            kind="proportion",
            unit="%",
            polarity="low",
            lait_code="CareLeavers_LA_NotInTouch" if older else None,
            sql=_leavers(_NOT_IN_TOUCH, lo, hi),
            breakdowns=_BREAKDOWNS,
            theme=_THEME,
            notes=_COHORT_NOTES + " Not in touch: IN_TOUCH NO and activity not known (ACTIV 0 or blank).",
        ),
        Measure(
            id=f"care_leavers_eet_{suffix}",
            title=f"Care leavers aged {label} in education, employment or training",
            sentence=f"Of our care leavers aged {label}, the share in education, training or work around their "
            "birthday.",
            definition=f"Percentage of {cohort_text}, who were in education, employment or training (higher "
            "education, other education, training or employment, apprenticeships; full or part time); the total "
            "includes young people the authority was not in touch with, who refused contact or no longer require "
            f"services.{_EXCLUSIONS} (DfE la_care_leavers_activity" + ("; LAIT CareLeaverEET)." if older else ")."),
            kind="proportion",
            unit="%",
            polarity="high",
            lait_code="CareLeaverEET" if older else None,
            sql=_leavers(_EET, lo, hi),
            breakdowns=_BREAKDOWNS,
            theme=_THEME,
            notes=_COHORT_NOTES + " EET: ACTIV F1-F5 or P1-P5 (F3/P3 before 2021-22); activity 0 (not known) "
            "stays in the denominator.",
        ),
        Measure(
            id=f"care_leavers_higher_education_{suffix}",
            title=f"Care leavers aged {label} in higher education",
            sentence=f"Of our care leavers aged {label}, the share at university or in other higher education "
            "around their birthday.",
            definition=f"Percentage of {cohort_text}, who were in higher education (full or part time)."
            f"{_EXCLUSIONS} (DfE la_care_leavers_activity" + ("; LAIT LAC_19_HE)." if older else ")."),
            kind="proportion",
            unit="%",
            polarity="high",
            lait_code="LAC_19_HE" if older else None,
            sql=_leavers(_HIGHER_EDUCATION, lo, hi),
            breakdowns=_BREAKDOWNS,
            theme=_THEME,
            notes=_COHORT_NOTES + " Higher education: ACTIV F1 or P1; activity 0 (not known) stays in the "
            "denominator.",
        ),
        Measure(
            id=f"care_leavers_neet_{suffix}",
            title=f"Care leavers aged {label} not in education, employment or training",
            sentence=f"Of our care leavers aged {label}, the share known to be out of education, training and "
            "work around their birthday.",
            definition=f"Percentage of {cohort_text}, who were not in education, employment or training, owing to "
            "illness or disability, pregnancy or parenting, or other reasons."
            f"{_EXCLUSIONS} (DfE la_care_leavers_activity"
            + ("; LAIT CareLeaversNEET)." if older else ")."),
            kind="proportion",
            unit="%",
            polarity="low",
            lait_code="CareLeaversNEET" if older else None,
            sql=_leavers(_NEET, lo, hi),
            breakdowns=_BREAKDOWNS,
            theme=_THEME,
            notes=_COHORT_NOTES + " NEET: ACTIV G4, G5 or G6; activity not known (0) is neither EET nor NEET.",
        ),
        Measure(
            id=f"care_leavers_suitable_accommodation_{suffix}",
            title=f"Care leavers aged {label} in suitable accommodation",
            sentence=f"Of our care leavers aged {label}, the share living somewhere suitable around their birthday.",
            definition=f"Percentage of {cohort_text}, whose accommodation was considered suitable (Care Leavers "
            "Regulations, regulation 9(2)); the total excludes young people who have gone abroad, been deported "
            "or whose residence is not known, and includes those whose accommodation is not known because the "
            "authority is not in touch, or they refused contact or no longer require services."
            f"{_EXCLUSIONS} (DfE la_care_leavers_accommodation_suitability"
            + ("; LAIT CareLeaverAcc)." if older else ")."),
            kind="proportion",
            unit="%",
            polarity="high",
            lait_code="CareLeaverAcc" if older else None,
            sql=_leavers(_SUITABLE, lo, hi, _SUITABILITY_KNOWABLE),
            breakdowns=_BREAKDOWNS,
            theme=_THEME,
            notes=_COHORT_NOTES + " Suitable: an ACCOM code ending 1 (B1 ... Z1); ending 2 (and S2 homeless, X2 "
            "custody) is unsuitable. ACCOM G*, H* and R* are left out of the denominator; 0 (not known) and blank "
            "stay in it as 'no information'.",
        ),
    ]

# The numbers behind the 19-21 percentages, as LAIT publishes them ("Leaving Care 2 & 4").
_NUMBERS_19_21 = [
    ("care_leavers_19_21", "Care leavers aged 19 to 21", "How many care leavers aged 19 to 21 we had (their 19th, "
     "20th or 21st birthday in the year).", "Number of former relevant young people aged 19 to 21", "1",
     "NoCareLeavers", "TRUE"),
    ("care_leavers_eet_19_21_number", "Care leavers aged 19 to 21 in education, employment or training (number)",
     "How many of our care leavers aged 19 to 21 were in education, training or work around their birthday.",
     "Number of former relevant young people aged 19 to 21 in education, employment or training", _EET,
     "CareLeaverEETNum", "TRUE"),
    ("care_leavers_suitable_accommodation_19_21_number",
     "Care leavers aged 19 to 21 in suitable accommodation (number)",
     "How many of our care leavers aged 19 to 21 were living somewhere suitable around their birthday.",
     "Number of former relevant young people aged 19 to 21 in suitable accommodation", _SUITABLE,
     "NoCareLeaverAcc", _SUITABILITY_KNOWABLE),
    ("care_leavers_higher_education_19_21_number", "Care leavers aged 19 to 21 in higher education (number)",
     "How many of our care leavers aged 19 to 21 were in higher education around their birthday.",
     "Number of former relevant young people aged 19 to 21 in higher education", _HIGHER_EDUCATION,
     "LAC_19_HE_Num", "TRUE"),
]
for mid, title, sentence, definition, num, code, where in _NUMBERS_19_21:
    MEASURES.append(
        Measure(
            id=mid,
            title=title,
            sentence=sentence,
            definition=f"{definition} (former relevant young people whose 19th, 20th or 21st birthday fell in the "
            f"year ending 31 March).{_EXCLUSIONS} (DfE; LAIT {code}).",
            kind="count",
            unit="number",
            polarity=None,
            lait_code=code,
            sql=_leavers(num, 19, 21, where),
            breakdowns=_BREAKDOWNS,
            theme=_THEME,
            notes=_COHORT_NOTES + " The young people counted in the percentage of the same name.",
        )
    )

for suffix, (lo, hi, label) in {"18": (18, 18, "18"), "19_20": (19, 20, "19 to 20")}.items():
    older = suffix == "19_20"
    MEASURES.append(
        Measure(
            id=f"staying_put_{suffix}",
            title=f"Staying put: care leavers aged {label} still living with their former foster carers",
            sentence=f"Of our care leavers aged {label} who left foster care on their 18th birthday, the share "
            "still living with their former foster carers.",
            definition=f"Young people aged {label} who ceased to be looked after in a foster placement on their "
            "18th birthday and were eligible for care leavers support, who were living with their former foster "
            f"carers, as a percentage of all of them.{_EXCLUSIONS} (DfE la_care_leavers_stayput"
            + ("; LAIT StayingPut)." if older else ")."),
            kind="proportion",
            unit="%",
            polarity="high",
            lait_code="StayingPut" if older else None,
            sql=_leavers("coalesce(k.ACCOM IN ('Z1', 'Z2'), false)", lo, hi, _LEFT_FOSTER_CARE_AT_18),
            breakdowns=_BREAKDOWNS,
            theme=_THEME,
            notes=_COHORT_NOTES + " Denominator: care leavers aged " + label + " on 31 March with an episode "
            "(short breaks aside) that ended, other than X1, on their 18th birthday in a foster placement (PLACE "
            "U1-U6). For 19- and 20-year-olds that episode is one or two years back, so it is found only when the "
            "return covering the 18th birthday is loaded; young people whose leaving episode is not loaded are "
            "left out, not counted as not staying put. Numerator: OC3 accommodation Z1 or Z2 (with former foster "
            "carers); for 18-year-olds REC E17 on leaving is not used, the OC3 accommodation around the birthday is.",
        )
    )
