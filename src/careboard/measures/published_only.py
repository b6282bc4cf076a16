"""Published-only rows: outcomes the DfE publishes for the council that its own returns cannot give.

Members asked for education outcomes beside the care figures (issue 15.8).  Attainment, absence,
suspensions and special educational needs of children looked after and children in need come from the
National Pupil Database matched to the SSDA903 and the CIN census, which the DfE does and a council's
returns do not hold (measures/lait_coverage.py).  So careboard shows the DfE's own published figure
for the council from LAIT, with England, the statistical neighbours, band, rank and trend worked out
exactly as for a computed measure (benchmark/compare.sql), and says where the figure came from and
when it was published.

Each row is one declarative unit, like a measure: the LAIT code, the DfE's wording (LAIT's title), a
plain sentence for members, polarity (is high good?), unit, the decimal places the DfE publishes it
to, the theme and how long after the academic year the DfE publishes it.  A unit has the attributes
the renderers read from a :class:`~careboard.measures.measure.Measure` (``id``, ``title``,
``sentence``, ``definition``, ``unit``, ``polarity``, ``lait_code``, ``theme``, ``breakdowns``), with
``kind = "published"``, and is never in the measure catalogue: it has no cohort, so nothing of it is
computed, released or suppressed (docs/disclosure.md).

LAIT numbers an academic-year measure by the year the academic year ends (2025 is 2024/25), and its
cohort is the children looked after (or in need) at 31 March of that year, so it sits beside
careboard's year of the same number.  The DfE publishes attainment, absence and SEN in the spring
after the academic year ("Outcomes for children in need, including children looked after", March)
and suspensions a year later, as they are collected two terms in arrears (``published_lag``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from careboard.measures.measure import UNITS

EDUCATION = "Education and outcomes"
_SOURCE = ("DfE, Outcomes for children in need, including children looked after by local authorities in England; "
           "LAIT")
_CLA = "children looked after continuously for at least 12 months at 31 March"
_CIN = "children in need (the DfE's children in need group, which includes those on a child protection plan)"


@dataclass(frozen=True)
class PublishedOnly:
    id: str
    lait_code: str
    title: str  # what members read, e.g. "Children in care reaching the expected standard at Key Stage 2"
    dfe_wording: str  # LAIT's own title of the indicator, exactly
    sentence: str  # one plain-English sentence for members
    definition: str  # the DfE definition, with its source
    unit: str  # one of measure.UNITS
    polarity: str | None  # 'high' (high is good), 'low', or None (neither)
    precision: int  # decimal places the DfE publishes the figure to
    theme: str = EDUCATION
    published_lag: int = 1  # the DfE publishes LAIT year Y's figure in year Y + published_lag
    kind: str = "published"
    breakdowns: tuple[str, ...] = ()
    benchmark_year_lag: int = 0
    notes: str = ""
    example: str = ""
    min_cohort: int = 0

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"published-only row {self.id}: unknown unit {self.unit}")
        if self.polarity not in ("high", "low", None):
            raise ValueError(f"published-only row {self.id}: polarity must be 'high', 'low' or None")

    def academic_year(self, lait_year: int) -> str:
        """LAIT's year 2025 as the academic year it names: '2024/25'."""
        return f"{lait_year - 1}/{lait_year % 100:02d}"

    def published(self, lait_year: int) -> str:
        """When and for what the DfE published the figure: 'published 2026, academic year 2024/25'."""
        return f"published {lait_year + self.published_lag}, academic year {self.academic_year(lait_year)}"

    def show(self, value: float | None) -> str | None:
        """A figure at the precision the DfE publishes it to, with its unit: '14.55%', '17.3', '35%'."""
        if value is None:
            return None
        text = f"{value:.{self.precision}f}"
        return text + "%" if self.unit == "%" else text


def _row(id: str, code: str, title: str, dfe: str, sentence: str, definition: str, unit: str,
         polarity: str | None, precision: int, lag: int = 1) -> PublishedOnly:
    return PublishedOnly(id=id, lait_code=code, title=title, dfe_wording=dfe, sentence=sentence,
                         definition=f"{definition} ({_SOURCE} {code}).", unit=unit, polarity=polarity,
                         precision=precision, published_lag=lag)


PUBLISHED_ONLY: tuple[PublishedOnly, ...] = (
    # Children looked after
    _row("pub_cla_ks2_rwm", "LAC_KS2_ExpStd_RWM",
         "Children in care reaching the expected standard in reading, writing and maths at Key Stage 2",
         "CLA Key Stage 2 - Expected Std Reading, Writing & Maths",
         "Of the children in our care who finished primary school, the share who reached the expected standard "
         "in reading, writing and maths.",
         f"Percentage of {_CLA} at the end of Key Stage 2 (year 6) who met the expected standard in the reading "
         "and mathematics tests and the writing teacher assessment", "%", "high", 0),
    _row("pub_cla_ks4_attainment8", "LAC_KS4_AVG_Attain8",
         "Children in care: average Attainment 8 score at Key Stage 4",
         "CLA Key Stage 4 - AVG Attainment 8 score",
         "How well the children in our care did in their GCSEs and equivalent qualifications at 16, as an "
         "average score across eight subjects.",
         f"Average Attainment 8 score of {_CLA} at the end of Key Stage 4: achievement in up to eight "
         "qualifications, English and mathematics double weighted", "score", "high", 1),
    _row("pub_cla_ks4_english_maths", "LAC_EngMaths9-4",
         "Children in care passing English and maths GCSE (grade 4 or above)",
         "% of CLA achieving 9-4 pass in English and Maths",
         "Of the children in our care who took their GCSEs, the share who passed both English and maths at "
         "grade 4 or above.",
         f"Percentage of {_CLA} at the end of Key Stage 4 achieving grades 9 to 4 in English and mathematics",
         "%", "high", 1),
    _row("pub_cla_absence", "LAC_Over_Abs", "Children in care: school sessions missed",
         "CLA Overall Absence",
         "The share of school sessions that children in our care missed, for any reason.",
         f"Overall absence (authorised and unauthorised) of {_CLA}, as a percentage of possible sessions, "
         "pupils of compulsory school age", "%", "low", 1),
    _row("pub_cla_persistent_absence", "LAC_Pers_Abs", "Children in care who are persistently absent from school",
         "Percentage of CLA who are classed as persistent absentees",
         "Children in our care who missed one school session in ten or more.",
         f"Percentage of {_CLA} who are persistent absentees (missed 10% or more of their possible sessions)",
         "%", "low", 1),
    _row("pub_cla_suspension", "LAC_Fixed_ Ex", "Children in care suspended from school at least once",
         "Percentage of CLA pupil with at least one fixed exclusion",
         "Children in our care who were suspended (a fixed-period exclusion) at least once in the school year.",
         f"Percentage of {_CLA} with at least one suspension (fixed-period exclusion) in the academic year; "
         "collected two terms in arrears", "%", "low", 2, lag=2),
    _row("pub_cla_ehcp", "LAC_SEN_Statement", "Children in care with an education, health and care plan",
         "% of CLA with a SEN Statement/EHCP",
         "Children in our care whose special educational needs are met through an education, health and care "
         "plan. Neither high nor low is good: it shows the need the virtual school plans for.",
         f"Percentage of {_CLA}, aged 4 or over and matched to the school census, with a statement of special "
         "educational needs or an education, health and care plan", "%", None, 1),
    _row("pub_cla_sen_support", "LAC_SEN", "Children in care receiving special educational needs support",
         "% of CLA with SEN but without a Statement/EHCP",
         "Children in our care who have special educational needs support at school without a plan.",
         f"Percentage of {_CLA}, aged 4 or over and matched to the school census, with special educational "
         "needs but without a statement or plan (SEN support)", "%", None, 1),
    # Children in need
    _row("pub_cin_ks2_rwm", "CIN_KS2_ExpStd_RWM",
         "Children in need reaching the expected standard in reading, writing and maths at Key Stage 2",
         "% of CIN achieving expected standard KS2 in Reading, Writing and Maths",
         "Of the children in need who finished primary school, the share who reached the expected standard in "
         "reading, writing and maths.",
         f"Percentage of {_CIN} at the end of Key Stage 2 who met the expected standard in reading, writing "
         "and mathematics", "%", "high", 0),
    _row("pub_cin_ks4_attainment8", "CIN_Avg_Attain8_KS4",
         "Children in need: average Attainment 8 score at Key Stage 4",
         "CIN Average Attainment 8 score per pupil KS4",
         "How well children in need did in their GCSEs and equivalent qualifications at 16, as an average score "
         "across eight subjects.",
         f"Average Attainment 8 score of {_CIN} at the end of Key Stage 4", "score", "high", 1),
    _row("pub_cin_ks4_english_maths", "CIN_EngMaths9-4",
         "Children in need passing English and maths GCSE (grade 4 or above)",
         "% of CIN achieving 9-4 pass in English and Maths",
         "Of the children in need who took their GCSEs, the share who passed both English and maths at grade 4 "
         "or above.",
         f"Percentage of {_CIN} at the end of Key Stage 4 achieving grades 9 to 4 in English and mathematics",
         "%", "high", 1),
    _row("pub_cin_absence", "CINTotalAb_3Term", "Children in need: school sessions missed",
         "% session missed through overall absence",
         "The share of school sessions that children in need missed, for any reason.",
         f"Overall absence of {_CIN}, as a percentage of possible sessions over the three terms, pupils of "
         "compulsory school age", "%", "low", 1),
    _row("pub_cin_persistent_absence", "CINPermAbsent_3Term",
         "Children in need who are persistently absent from school",
         "% of Children in Need who are persistent absentees",
         "Children in need who missed one school session in ten or more.",
         f"Percentage of {_CIN} who are persistent absentees (missed 10% or more of their possible sessions)",
         "%", "low", 1),
    _row("pub_cin_suspension", "CINFixedExclusion", "Children in need suspended from school at least once",
         "% with at least one fixed period exclusion",
         "Children in need who were suspended (a fixed-period exclusion) at least once in the school year.",
         f"Percentage of {_CIN} with at least one suspension (fixed-period exclusion) in the academic year; "
         "collected two terms in arrears", "%", "low", 2, lag=2),
    _row("pub_cin_ehcp", "CINStatement", "Children in need with an education, health and care plan",
         "% of school-age Children in Need with a Statement/EHCP",
         "School-age children in need whose special educational needs are met through an education, health and "
         "care plan. Neither high nor low is good.",
         f"Percentage of school-age {_CIN} with a statement of special educational needs or an education, "
         "health and care plan", "%", None, 1),
)


_DETAIL = "a part of a figure shown (the subjects of the reading, writing and maths standard, or the kinds of absence)"
_CONTEXT = "a description of the children (free school meals, no special educational needs), not an outcome"
_PLAN = ("children on a child protection plan are within children in need, shown; their own groups are small and "
         "most councils' figures are not published")
_EARLY = ("the early years foundation stage profile of children in care or in need at 5: LAIT shows no quartiles "
          "and few councils' figures are published")
_PROGRESS = ("progress scores: no longer published (the latest are for 2022/23 at Key Stage 2 and 2023/24 at Key "
             "Stage 4; later pupils had no Key Stage 1 or Key Stage 2 assessments in 2020 and 2021 to measure "
             "progress from)")
# Every academic-year LAIT code of the 'Children Looked After' and 'Children in Need' topics (the education
# outcomes) that is not a published-only row, and why; a test keeps this and PUBLISHED_ONLY complete.
NOT_SHOWN: dict[str, str] = {
    "LAC_Good_Develop": _EARLY,
    "LAC_KS2_AVG_Prog8_M": _PROGRESS,
    "LAC_KS2_AVG_Prog8_R": _PROGRESS,
    "LAC_KS2_AVG_Prog8_W": _PROGRESS,
    "LAC_KS4_AVG_Prog8": _PROGRESS,
    "CINProgKS2-4_Avg_Prog8": _PROGRESS,
    "LAC_KS2_ExpStd_GPS": _DETAIL,
    "LAC_KS2_ExpStd_M": _DETAIL,
    "LAC_KS2_ExpStd_R": _DETAIL,
    "LAC_KS2_ExpStd_W": _DETAIL,
    "LAC_Unauth": _DETAIL,
    "CIN_KS2_ExpStd_GPS": _DETAIL,
    "CIN_KS2_ExpStd_M": _DETAIL,
    "CIN_KS2_ExpStd_R": _DETAIL,
    "CIN_KS2_ExpStd_W": _DETAIL,
    "CINAuthAb_3Term": _DETAIL,
    "CINUnauthAb_3Term": _DETAIL,
    "CIN_EngMaths9-5": "the higher pass (grade 5) of the English and maths GCSE figure shown at grade 4",
    "CIN_EngBacAPS": "the English Baccalaureate: a choice of subjects, beside the Attainment 8 score shown",
    "CIN_EngBacEntries": "the English Baccalaureate: a choice of subjects, beside the Attainment 8 score shown",
    "CINPermExclusion": "permanent exclusions: LAIT shows no quartiles and most councils' figures are not published",
    "CINFSM": _CONTEXT,
    "CINNoSEN": _CONTEXT,
    "CINSEN_SUP": _CONTEXT + "; the plans (EHCP) are shown",
    "CIN_Good _Develop": _EARLY,
    "CPP_Good_Develop": _EARLY,
    "CPPO_KS2_RWM": _PLAN,
    "CPPO_KS4_A8": _PLAN,
    "CPPPerAbs_3Term": _PLAN,
    "CPPTotalAb_3Term": _PLAN,
}
# What members asked for that LAIT does not hold, for docs/measures.md.
ELSEWHERE = (
    "Care leavers aged 22 to 25: the DfE publishes whether councils are in touch with them (since 2023) in "
    "*Children looked after in England including adoptions*, not in LAIT, so there is no LAIT figure to show.",
    "Health and offending of children in care (health and dental checks, immunisations, the strengths and "
    "difficulties questionnaire, substance misuse, convictions) are computed from the council's own SSDA903 "
    "(the OC2 table), so they are careboard's measures with their LAIT benchmarks, not published-only rows.",
    "LAIT's 'Health and Wellbeing' and 'Youth Offending' topics (hospital admissions, first-time entrants to "
    "the youth justice system, reoffending) count every child in the area, not children in care or in need; "
    "they are not in careboard's vendored LAIT data and are not shown.",
)


@cache
def published_only() -> dict[str, PublishedOnly]:
    """Every published-only row by id, in declaration order (the order the scorecard shows them)."""
    found: dict[str, PublishedOnly] = {}
    for unit in PUBLISHED_ONLY:
        if unit.id in found:
            raise ValueError(f"published-only row {unit.id} defined twice")
        found[unit.id] = unit
    return found


def is_published_only(measure_id: object) -> bool:
    return isinstance(measure_id, str) and measure_id in published_only()
