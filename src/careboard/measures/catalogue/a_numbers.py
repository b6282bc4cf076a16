"""How many children are looked after, start and stop being looked after, and who they are."""

from careboard.measures.catalogue.cohorts import LOOKED_AFTER_AT_31_MARCH
from careboard.measures.measure import Measure

# The first start in the year; its age at entry is the age on that day (not at a later re-entry).
_STARTED = """
    SELECT y.la, y.year, p.CHILD, 1 AS num, age_band(age_at(ch.dob, p.period_start)) AS entry_age_band
    FROM model_years y
    JOIN model_periods p ON p.la = y.la AND p.period_start BETWEEN y.year_start AND y.year_end
    JOIN model_children ch ON ch.la = p.la AND ch.CHILD = p.CHILD
    QUALIFY row_number() OVER (PARTITION BY y.la, y.year, p.CHILD ORDER BY p.period_start) = 1
"""

# Children who started in the year (first start), unaccompanied asylum-seeking when they started.
_STARTED_UASC = """
    SELECT y.la, y.year, p.CHILD, 1 AS den, age_band(age_at(ch.dob, p.period_start)) AS entry_age_band,
           coalesce(ch.ever_uasc AND (ch.uasc_ceased IS NULL OR ch.uasc_ceased > p.period_start), false)::INT AS num
    FROM model_years y
    JOIN model_periods p ON p.la = y.la AND p.period_start BETWEEN y.year_start AND y.year_end
    JOIN model_children ch ON ch.la = p.la AND ch.CHILD = p.CHILD
    QUALIFY row_number() OVER (PARTITION BY y.la, y.year, p.CHILD ORDER BY p.period_start) = 1
"""

_CEASED = """
    SELECT y.la, y.year, p.CHILD, 1 AS num
    FROM model_years y
    JOIN model_periods p ON p.la = y.la AND p.period_end BETWEEN y.year_start AND y.year_end
    QUALIFY row_number() OVER (PARTITION BY y.la, y.year, p.CHILD ORDER BY p.period_end DESC) = 1
"""

MEASURES = [
    Measure(
        id="cla_31_march",
        title="Children looked after on 31 March",
        sentence="Children in our care on 31 March.",
        definition="Children looked after on 31 March, excluding children looked after under an agreed series "
        "of short-term placements (DfE, Children looked after in England, data guidance).",
        kind="count",
        unit="number",
        polarity=None,
        lait_code="LACnum",
        sql=f"SELECT la, year, CHILD, 1 AS num FROM ({LOOKED_AFTER_AT_31_MARCH})",
        theme="Numbers and flow",
    ),
    Measure(
        id="cla_rate",
        title="Children looked after per 10,000 children",
        sentence="For every 10,000 children living in the area, this many were in our care on 31 March.",
        definition="Children looked after on 31 March per 10,000 children aged under 18, using the ONS mid-year "
        "estimate for the year before (DfE).",
        kind="rate",
        unit="per 10,000",
        polarity=None,
        lait_code="LAC",
        sql=f"SELECT la, year, CHILD, 1 AS num FROM ({LOOKED_AFTER_AT_31_MARCH})",
        breakdowns=(),
        theme="Numbers and flow",
    ),
    Measure(
        id="starts",
        title="Children who started to be looked after",
        sentence="Children who came into our care during the year.",
        definition="Children who started to be looked after during the year; only the first occasion in the year "
        "is counted (DfE).",
        kind="count",
        unit="number",
        polarity=None,
        lait_code="LACnum_Start",
        sql=_STARTED,
        theme="Numbers and flow",
        notes="A start is the first day of a period of care (an episode with RNE 'S', or the first "
        "episode of a child's history); short breaks are excluded.",
    ),
    Measure(
        id="starts_rate",
        title="Children starting to be looked after per 10,000 children",
        sentence="For every 10,000 children in the area, this many came into our care during the year.",
        definition="Children who started to be looked after during the year per 10,000 children aged under 18 (DfE).",
        kind="rate",
        unit="per 10,000",
        polarity=None,
        lait_code="LAC_Start_Rate",
        sql=_STARTED,
        breakdowns=(),
        theme="Numbers and flow",
    ),
    Measure(
        id="ceased",
        title="Children who ceased to be looked after",
        sentence="Children who left our care during the year.",
        definition="Children who ceased to be looked after during the year; only the last occasion in the year "
        "is counted (DfE).",
        kind="count",
        unit="number",
        polarity=None,
        lait_code="LACceased",
        sql=_CEASED,
        theme="Numbers and flow",
    ),
    Measure(
        id="ceased_rate",
        title="Children ceasing to be looked after per 10,000 children",
        sentence="For every 10,000 children in the area, this many left our care during the year.",
        definition="Children who ceased to be looked after during the year per 10,000 children aged under 18 (DfE).",
        kind="rate",
        unit="per 10,000",
        polarity=None,
        lait_code="LAC_Cease_Rate",
        sql=_CEASED,
        breakdowns=(),
        theme="Numbers and flow",
    ),
    Measure(
        id="uasc_share",
        title="Unaccompanied asylum-seeking children",
        sentence="Of the children in our care on 31 March, the share who came to this country alone seeking asylum.",
        definition="Percentage of children looked after on 31 March who are unaccompanied asylum-seeking "
        "children (DfE).",
        kind="proportion",
        unit="%",
        polarity=None,
        lait_code="Unacc_Asylmn_Seek_Childn%",
        sql="SELECT la, year, CHILD, (uasc = 'UASC')::INT AS num, 1 AS den FROM model_child_year "
        "WHERE in_care_at_year_end",
        breakdowns=("age_band", "sex", "local_area"),
        theme="Numbers and flow",
        notes="UASC on 31 March: the child has a row in any UASC table and the date UASC status ceased "
        "is blank or after 31 March.",
    ),    Measure(
        id="uasc_31_march",
        title="Unaccompanied asylum-seeking children looked after on 31 March",
        sentence="How many of the children in our care on 31 March came to this country alone seeking asylum.",
        definition="Number of unaccompanied asylum-seeking children looked after on 31 March (DfE; LAIT "
        "Unacc_Asylmn_Seek_Childn).",
        kind="count",
        unit="number",
        polarity=None,
        lait_code="Unacc_Asylmn_Seek_Childn",
        sql="SELECT la, year, CHILD, (uasc = 'UASC')::INT AS num FROM model_child_year WHERE in_care_at_year_end",
        breakdowns=("age_band", "sex", "local_area"),
        theme="Numbers and flow",
        notes="UASC on 31 March, as for the percentage above.",
    ),
    Measure(
        id="uasc_starts_share",
        title="Unaccompanied asylum-seeking children among children starting care",
        sentence="Of the children who came into our care during the year, the share who came to this country "
        "alone seeking asylum.",
        definition="Percentage of children who started to be looked after during the year who were unaccompanied "
        "asylum-seeking children (DfE; LAIT UASC_%_Starting).",
        kind="proportion",
        unit="%",
        polarity=None,
        lait_code="UASC_%_Starting",
        sql=_STARTED_UASC,
        breakdowns=("entry_age_band", "sex"),
        theme="Numbers and flow",
        notes="Starters as for the count of starts (the first start in the year); UASC when they started: the "
        "child has a row in any UASC table and the date UASC status ceased is blank or after the start.",
    ),
]
