"""Missing children in detail: repeat missing, length, return home interviews within 72 hours and
exploitation concerns, from the 903 Missing table and the local extract missing_detail.csv.

Each incident is counted in the collection year it began in (careboard.oversight's missing.sql); the
breakdowns describe the child as on their last day looked after in the year, as for every measure.
"""

from careboard.measures.inputs import shared_query
from careboard.measures.measure import Measure

_THEME = "Missing and away"
_EPISODES = f"""
    SELECT e.* FROM ({shared_query('missing.sql', 'missing_episodes')}) e
    SEMI JOIN model_years y ON y.la = e.la AND y.year = e.year
"""
_PER_CHILD = f"SELECT la, year, CHILD, count(*) AS incidents FROM ({_EPISODES}) WHERE kind = 'M' GROUP BY ALL"
_DG = "DfE, Children looked after in England, Official Statistics on children missing or away from placement"
_NOTES = (
    "Incidents are the 903 Missing table's (MISSING 'M'), each once across returns, counted in the year they began "
    "in; only incidents that began while the child was looked after count."
)
_EXTRACT = (
    " Needs the local extract missing_detail.csv (docs/extracts.md); incidents the extract does not hold are left "
    "out."
)

MEASURES = [
    Measure(
        id="missing_three_or_more",
        title="Children who went missing three or more times",
        sentence="How many children in our care went missing three or more times during the year.",
        definition=f"Children looked after who had three or more missing incidents starting during the year "
        f"(repeat missing; {_DG}).",
        kind="count",
        unit="number",
        polarity=None,
        sql=f"SELECT la, year, CHILD, 1 AS num FROM ({_PER_CHILD}) WHERE incidents >= 3",
        theme=_THEME,
        notes=_NOTES,
    ),
    Measure(
        id="missing_ten_or_more",
        title="Children who went missing ten or more times",
        sentence="How many children in our care went missing ten or more times during the year.",
        definition=f"Children looked after who had ten or more missing incidents starting during the year ({_DG}).",
        kind="count",
        unit="number",
        polarity=None,
        sql=f"SELECT la, year, CHILD, 1 AS num FROM ({_PER_CHILD}) WHERE incidents >= 10",
        theme=_THEME,
        notes=_NOTES,
    ),
    Measure(
        id="missing_repeat_share",
        title="Children who went missing who did so three or more times",
        sentence="Of the children in our care who went missing during the year, the share who went missing three "
        "or more times.",
        definition="Children looked after with three or more missing incidents starting in the year, as a "
        "percentage of children looked after with at least one.",
        kind="proportion",
        unit="%",
        polarity="low",
        sql=f"SELECT la, year, CHILD, (incidents >= 3)::INT AS num, 1 AS den FROM ({_PER_CHILD})",
        theme=_THEME,
        notes=_NOTES,
    ),
    Measure(
        id="missing_over_24_hours",
        title="Missing incidents lasting a day or more",
        sentence="Of the times a child in our care went missing and came back, the share they were away for 24 "
        "hours or more.",
        definition="Missing incidents starting in the year that had ended, lasting 24 hours or more, as a percentage "
        "of them.",
        kind="proportion",
        unit="%",
        polarity="low",
        sql=f"""
            SELECT la, year, CHILD, (hours >= 24)::INT AS num, 1 AS den
            FROM ({_EPISODES}) WHERE kind = 'M' AND hours >= 0
        """,
        theme=_THEME,
        notes=_NOTES + " Length from the start and end times when missing_detail.csv gives both, else whole days "
        "from the 903's dates (an incident ending the next day counts as 24 hours).",
    ),
    Measure(
        id="return_interviews_within_72h",
        title="Return home interviews offered within 72 hours",
        sentence="Of the times a child in our care came back after going missing, the share after which they were "
        "offered a return home interview within 72 hours.",
        definition="Missing incidents that ended in the year after which the child was offered a return home "
        "interview within 72 hours of their return, as a percentage of those incidents (statutory guidance on "
        "children who run away or go missing from home or care: the interview should be offered within 72 hours).",
        kind="proportion",
        unit="%",
        polarity="high",
        sql=f"""
            WITH ended AS (
                SELECT e.la, y.year, e.CHILD, e.rhi_within_72h, e.rhi_offered_date
                FROM ({shared_query('missing.sql', 'missing_episodes')}) e
                JOIN model_years y ON y.la = e.la AND e.mis_end BETWEEN y.year_start AND y.year_end
                WHERE e.kind = 'M' AND e.rhi_within_72h IS NOT NULL
            )
            SELECT la, year, CHILD, rhi_within_72h::INT AS num, 1 AS den FROM ended
            WHERE (la, year) IN (SELECT (la, year) FROM ended WHERE rhi_offered_date IS NOT NULL)
        """,
        theme=_THEME,
        notes="Counted in the year the incident ended. Within 72 hours: RHI_OFFERED_DATE on or before the third "
        "day after the day the child came back (the extract records the offer's date, not its time); an offer "
        "without a date counts as not shown to be within 72 hours. A year whose extract gives no offer dates at "
        "all (an extract in the earlier layout, without RHI_OFFERED_DATE) has no figure, not 0%." + _EXTRACT,
    ),
    Measure(
        id="missing_exploitation_concern",
        title="Children who went missing with an exploitation concern",
        sentence="How many children in our care went missing during the year with a concern recorded that they "
        "were being sexually or criminally exploited or trafficked.",
        definition="Children looked after with at least one missing incident starting in the year for which the "
        "local extract records a child sexual exploitation, child criminal exploitation or trafficking concern.",
        kind="count",
        unit="number",
        polarity=None,
        sql=f"""
            SELECT la, year, CHILD, 1 AS num FROM ({_EPISODES})
            WHERE kind = 'M' GROUP BY la, year, CHILD HAVING bool_or(exploitation_concern)
        """,
        theme=_THEME,
        notes=_NOTES + _EXTRACT,
    ),
]
