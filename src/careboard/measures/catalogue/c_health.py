"""Health, emotional wellbeing, offending and substance misuse of children in care for a year (OC2).

Every measure here reads the same cohort the DfE uses for the OC2 table: children looked after on
31 March who had been looked after continuously for at least 12 months, short breaks excluded.  The
cohort comes from the care histories (so it is the DfE's, whatever rows the authority sent), and each
child's answers come from the OC2 table of that year's return.  A child in the cohort with no OC2
row stays in the denominator and counts as "not done": the DfE counts refusals and gaps as not done,
and dropping the child would flatter the figure.
"""

from careboard.measures.measure import STANDARD, Measure

# Looked after continuously for 12 months at 31 March (DfE validation rules' reading): in care on
# 31 March in a period of care that began before 1 April of the year (a period begun on 1 April
# started "in the year"), so no start (RNE 'S') and no end (REC other than X1) fell in the year; and
# no short-break (V3/V4) episode in the year.  `age` is the age on 31 March.
TWELVE_MONTHS = """
    SELECT c.la, c.year, c.CHILD, c.age
    FROM model_child_year c
    JOIN model_years y ON y.la = c.la AND y.year = c.year
    WHERE c.in_care_at_year_end AND c.period_start < y.year_start
      AND NOT EXISTS (
          SELECT 1 FROM model_episodes e
          WHERE e.la = c.la AND e.CHILD = c.CHILD AND e.short_break
            AND e.DECOM <= y.year_end AND coalesce(e.DEC, y.year_end) >= y.year_start
      )
"""

# Each child's OC2 row in the return for that year (the last row, should a child appear twice).
_OC2 = """
    SELECT o.la, o.year, o.CHILD, o.SDQ_SCORE, o.CONVICTED, o.HEALTH_CHECK, o.IMMUNISATIONS,
           o.TEETH_CHECK, o.HEALTH_ASSESSMENT, o.SUBSTANCE_MISUSE
    FROM current_ssda903_oc2 o
    WHERE o.CHILD IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY o.la, o.year, o.CHILD ORDER BY o.source_file DESC, o.source_row DESC) = 1
"""

# A score the SDQ can give (0-40); anything else is a recording error and counts as not received.
_SDQ_VALID = "o.SDQ_SCORE BETWEEN 0 AND 40"


def _oc2(select: str, where: str = "TRUE") -> str:
    """The 12-month cohort (``k``) with each child's OC2 answers (``o``, NULLs when no row), filtered."""
    return f"""
        SELECT k.la, k.year, k.CHILD, {select}
        FROM ({TWELVE_MONTHS}) k
        LEFT JOIN ({_OC2}) o ON o.la = k.la AND o.year = k.year AND o.CHILD = k.CHILD
        WHERE {where}
    """


def _yes(item: str) -> str:
    """num/den for an OC2 yes/no item: '1' is yes; '0', blank or no OC2 row is no."""
    return f"coalesce(o.{item} = '1', false)::INT AS num, 1 AS den"


_COHORT_TEXT = (
    "children looked after on 31 March who had been looked after continuously for at least 12 months "
    "(excluding children looked after under an agreed series of short-term placements)"
)
_COHORT_NOTES = (
    "Cohort: in care on 31 March in a period of care that began before 1 April of the year, with no "
    "short-break (V3/V4) episode in the year (the DfE validation rules' reading of 'continuously for 12 "
    "months': no RNE 'S' start and no non-X1 end in the year). The cohort comes from the care histories; "
    "answers come from the OC2 table of that year's return. A child in the cohort without an OC2 row stays "
    "in the denominator and counts as not done; blank or refused counts as not done, as the DfE counts "
    "refusals."
)
_SDQ_NOTES = (
    " SDQ cohort: aged 5 to 16 on 31 March, as the DfE restricts it (the date of assessment is not "
    "collected), so a 17-year-old's score or a 4-year-old's is left out. A score outside 0-40 is a "
    "recording error and is treated as not received."
)
_THEME = "Health"
_OUTCOMES = "Education and outcomes"

MEASURES = [
    Measure(
        id="health_assessment",
        title="Annual health assessment",
        sentence="Of the children who have been in our care for a year or more, the share who had their "
        "annual health assessment.",
        definition=f"Percentage of {_COHORT_TEXT}, who had their annual health assessment from a doctor or other "
        "suitably qualified professional during the year; under-5s need both six-monthly assessments; "
        "refusals count as not done (DfE, Children looked after in England, conviction and health outcomes, "
        "footnote 6; LAIT LACHealth%).",
        kind="proportion",
        unit="%",
        polarity="high",
        lait_code="LACHealth%",
        sql=_oc2(_yes("HEALTH_ASSESSMENT")),
        theme=_THEME,
        notes=_COHORT_NOTES + " Whether an under-5 had both assessments is the authority's judgement in "
        "HEALTH_ASSESSMENT; careboard cannot check it.",
    ),
    Measure(
        id="dental_check",
        title="Dental check",
        sentence="Of the children who have been in our care for a year or more, the share who had their teeth "
        "checked by a dentist during the year.",
        definition=f"Percentage of {_COHORT_TEXT}, who had their teeth checked by a dentist during the year ending "
        "31 March; all children in the cohort, even very young ones, can be expected to have a check, and "
        "refusals count as not done (DfE footnote 5; LAIT LACDental%).",
        kind="proportion",
        unit="%",
        polarity="high",
        lait_code="LACDental%",
        sql=_oc2(_yes("TEETH_CHECK")),
        theme=_THEME,
        notes=_COHORT_NOTES,
    ),
    Measure(
        id="immunisations",
        title="Immunisations up to date",
        sentence="Of the children who have been in our care for a year or more, the share whose immunisations "
        "were up to date at 31 March.",
        definition=f"Percentage of {_COHORT_TEXT}, whose immunisations were up to date by the end of March: all the "
        "immunisations a child of their age should have had under the Department of Health schedule, "
        "including any due before they came into care (DfE footnote 4; LAIT LACVaccinations%).",
        kind="proportion",
        unit="%",
        polarity="high",
        lait_code="LACVaccinations%",
        sql=_oc2(_yes("IMMUNISATIONS")),
        theme=_THEME,
        notes=_COHORT_NOTES,
    ),
    Measure(
        id="development_checks",
        title="Development checks up to date (under 5s)",
        sentence="Of the children under 5 who have been in our care for a year or more, the share whose "
        "development checks were up to date.",
        definition=f"Percentage of {_COHORT_TEXT}, aged 4 or under on 31 March, whose health surveillance or "
        "health promotion (development) checks were up to date (DfE footnote 7).",
        kind="proportion",
        unit="%",
        polarity="high",
        sql=_oc2(_yes("HEALTH_CHECK"), "k.age < 5"),
        breakdowns=tuple(b for b in STANDARD if b != "age_band"),
        theme=_THEME,
        notes=_COHORT_NOTES + " Under 5 means aged 0 to 4 on 31 March (age from the date of birth in the "
        "child's latest Header row); a child with no date of birth is left out.",
    ),
    Measure(
        id="sdq_received",
        title="Strengths and Difficulties Questionnaire completed",
        sentence="Of the children aged 5 to 16 who have been in our care for a year or more, the share who have "
        "a Strengths and Difficulties Questionnaire (SDQ) score - the check on their emotional wellbeing.",
        definition=f"Percentage of {_COHORT_TEXT}, aged 5 to 16 on 31 March, for whom an SDQ score was received "
        "(DfE footnote 8: a score is required of all children aged 4 to 16 on the date of the latest "
        "assessment; as that date is not collected the figures are restricted to ages 5 to 16).",
        kind="proportion",
        unit="%",
        polarity="high",
        sql=_oc2(f"coalesce({_SDQ_VALID}, false)::INT AS num, 1 AS den", "k.age BETWEEN 5 AND 16"),
        theme=_THEME,
        notes=_COHORT_NOTES + _SDQ_NOTES + " A reason for no score (SDQ_REASON) counts as not received.",
    ),
    Measure(
        id="sdq_average",
        title="Average SDQ score",
        sentence="The average emotional and behavioural difficulties score (SDQ, 0 to 40) of children aged 5 to "
        "16 who have been in our care for a year or more; lower is better, and 17 or more is a cause for "
        "concern.",
        definition=f"Mean Strengths and Difficulties Questionnaire score of {_COHORT_TEXT}, aged 5 to 16 on "
        "31 March, with a score; rounded to one decimal place. 0-13 is normal, 14-16 borderline, 17-40 a cause "
        "for concern (DfE footnote 8; LAIT Emotional_LAC).",
        kind="mean",
        unit="score",
        polarity="low",
        lait_code="Emotional_LAC",
        sql=_oc2("o.SDQ_SCORE AS value", f"k.age BETWEEN 5 AND 16 AND {_SDQ_VALID}"),
        theme=_THEME,
        notes=_COHORT_NOTES + _SDQ_NOTES,
    ),
    Measure(
        id="sdq_concern",
        title="SDQ score a cause for concern",
        sentence="Of the children aged 5 to 16 with an emotional wellbeing (SDQ) score, the share whose score "
        "(17 or more) is a cause for concern.",
        definition="Children in the SDQ cohort (looked after continuously for 12 months at 31 March, aged 5 to "
        "16) whose SDQ score is 17 to 40, a cause for concern, as a percentage of those with a score "
        "(DfE footnote 8).",
        kind="proportion",
        unit="%",
        polarity="low",
        sql=_oc2("(o.SDQ_SCORE >= 17)::INT AS num, 1 AS den", f"k.age BETWEEN 5 AND 16 AND {_SDQ_VALID}"),
        theme=_THEME,
        notes=_COHORT_NOTES + _SDQ_NOTES + " The denominator is children with a score, as the DfE publishes "
        "the bands.",
    ),
    Measure(
        id="convictions",
        title="Convicted or given a youth caution",
        sentence="Of the children aged 10 to 17 who have been in our care for a year or more, the share who were "
        "convicted or given a youth caution or youth conditional caution during the year.",
        definition=f"Percentage of {_COHORT_TEXT}, aged 10 to 17 on 31 March, who were convicted or subject to a "
        "youth caution or youth conditional caution during the year (DfE conviction and health outcomes; "
        "LAIT LAC_Convictions). For comparison, 1% of all children aged 10 to 17 (MoJ, 2017).",
        kind="proportion",
        unit="%",
        polarity="low",
        lait_code="LAC_Convictions",
        sql=_oc2(_yes("CONVICTED"), "k.age BETWEEN 10 AND 17"),
        theme=_OUTCOMES,
        notes=_COHORT_NOTES,
    ),
    Measure(
        id="substance_misuse",
        title="Substance misuse problem identified",
        sentence="Of the children who have been in our care for a year or more, the share identified as having a "
        "substance misuse problem during the year.",
        definition=f"Percentage of {_COHORT_TEXT}, of all ages, identified as having a substance misuse problem: "
        "'intoxication by (or regular excessive consumption and/or dependence on) psychoactive substances, "
        "leading to social, psychological, physical or legal problems', drugs and alcohol but not tobacco "
        "(DfE footnote 3; LAIT LACSubstance).",
        kind="proportion",
        unit="%",
        polarity="low",
        lait_code="LACSubstance",
        sql=_oc2(_yes("SUBSTANCE_MISUSE")),
        theme=_OUTCOMES,
        notes=_COHORT_NOTES + " Whether an intervention was received or refused is not a measure here.",
    ),
]
