"""Children missing, or away from placement without authorisation, during the year (903 Missing table).

The DfE publishes these as Official Statistics with a warning: authorities record differently (many
report every incident as 'missing', none as 'away'), so comparisons between authorities and over
time need care, and LAIT gives them no polarity.  careboard follows LAIT and marks none.

Each year is read from that year's own return, whose Missing table lists every incident open at any
time in the year - including one that began before 1 April and is "carried over" (LAIT's wording).
Such an incident is counted in both years, as the DfE counts it.
"""

from careboard.measures.inputs import shared
from careboard.measures.measure import Measure

# Incidents (M missing, A away) in the year's return that overlap the year, of children looked
# after during the year (short breaks aside), that began while the child was looked after: one
# row per child, kind and start date (a row sent twice is one incident; the copy with an end wins).
# Shared by every measure here: worked out once (measures/inputs.py).
_INCIDENTS = shared("missing_incidents", """
    SELECT m.la, m.year, m.CHILD, m.MISSING, m.MIS_START, m.MIS_END
    FROM current_ssda903_missing m
    JOIN model_years y ON y.la = m.la AND y.year = m.year
    SEMI JOIN model_child_year c ON c.la = m.la AND c.year = m.year AND c.CHILD = m.CHILD
    WHERE m.MISSING IN ('M', 'A') AND m.MIS_START IS NOT NULL
      AND m.MIS_START <= y.year_end AND coalesce(m.MIS_END, y.year_end) >= y.year_start
      AND EXISTS (
          SELECT 1 FROM model_care e
          WHERE e.la = m.la AND e.CHILD = m.CHILD AND e.DECOM <= m.MIS_START
            AND (e.DEC IS NULL OR e.DEC >= m.MIS_START)
      )
    QUALIFY row_number() OVER (PARTITION BY m.la, m.year, m.CHILD, m.MISSING, m.MIS_START
                               ORDER BY m.MIS_END DESC NULLS LAST, m.source_row) = 1
""")


def _children(kind: str) -> str:
    """Every child looked after during the year; num = 1 if they had a ``kind`` incident in it."""
    return f"""
        SELECT c.la, c.year, c.CHILD, (i.CHILD IS NOT NULL)::INT AS num, 1 AS den
        FROM model_child_year c
        LEFT JOIN (SELECT DISTINCT la, year, CHILD FROM ({_INCIDENTS}) WHERE MISSING = '{kind}') i
          ON i.la = c.la AND i.year = c.year AND i.CHILD = c.CHILD
    """


_MISSING = f"SELECT * FROM ({_INCIDENTS}) WHERE MISSING = 'M'"
_PER_CHILD = f"SELECT la, year, CHILD, count(*) AS incidents FROM ({_MISSING}) GROUP BY la, year, CHILD"

_THEME = "Missing and away"
_DG = "DfE, Children looked after in England, Official Statistics on children missing or away from placement"
_MISSING_DEF = (
    "Missing: a looked after child who is not at their placement or a place they are expected to be and "
    "whose whereabouts is not known"
)
_AWAY_DEF = (
    "Away from placement without authorisation: a looked after child whose whereabouts is known but who is "
    "not at their placement or place they are expected to be, and the carer has concerns or the incident has "
    "been notified to the local authority or the police"
)
_NOTES = (
    "Incidents come from the Missing table of that year's return: MISSING 'M' (missing) or 'A' (away), with a "
    "start on or before 31 March and an end (blank = still missing) on or after 1 April, so an incident "
    "carried over from the year before counts in both years, as the DfE counts it. Only incidents of children "
    "looked after during the year (short breaks aside) that began while they were looked after count: one "
    "that began after a child left care (for example after their 18th birthday) does not. Two rows with the "
    "same child, kind and start are one incident. Return-home interviews are not in the 903; they need a "
    "local extract and are not measured here."
)

# Missing (not away) incidents from the local missing-episode extract (docs/extracts.md), each once: when
# extracts loaded as at different years both hold an incident, the latest extract's row is used.
_RETURN_INTERVIEWS = """
    WITH detail AS (
        SELECT d.la, d.CHILD, d.MIS_START, d.RHI_OFFERED, d.RHI_ACCEPTED
        FROM current_extract_missingdetail d
        WHERE d.CHILD IS NOT NULL AND d.MIS_START IS NOT NULL AND d.MISSING = 'M'
        QUALIFY row_number() OVER (PARTITION BY d.la, d.CHILD, d.MIS_START ORDER BY d.year DESC, d.source_row) = 1
    )
    SELECT y.la, y.year, x.CHILD, coalesce(x.RHI_OFFERED = '1', false)::INT AS offered,
           coalesce(x.RHI_ACCEPTED = '1', false)::INT AS accepted
    FROM model_years y JOIN detail x ON x.la = y.la AND x.MIS_START BETWEEN y.year_start AND y.year_end
"""
_RHI_NOTES = (
    "Return home interviews are not collected by the SSDA903; these measures need the local missing-episode "
    "extract (MissingDetail, docs/extracts.md) loaded with `careboard load`. Only missing incidents (MISSING 'M', "
    "not away) starting in the year count; without an extract the measures have no figures."
)

MEASURES = [
    Measure(
        id="missing_children",
        title="Children who went missing",
        sentence="Of the children in our care at any time during the year, the share who went missing at least "
        "once.",
        definition=f"Children who had a missing incident during the year as a percentage of children looked after "
        f"during the year, including incidents open on 1 April carried over from the year before. {_MISSING_DEF} "
        f"({_DG}; LAIT Children_missing).",
        kind="proportion",
        unit="%",
        polarity=None,
        lait_code="Children_missing",
        sql=_children("M"),
        theme=_THEME,
        notes=_NOTES + " Denominator: every child looked after at any time in the year (model_child_year).",
    ),
    Measure(
        id="away_children",
        title="Children who were away from placement without authorisation",
        sentence="Of the children in our care at any time during the year, the share who were away from where "
        "they live without permission at least once (we knew where they were).",
        definition=f"Children who were away from placement without authorisation during the year as a percentage "
        f"of children looked after during the year. {_AWAY_DEF} ({_DG}; LAIT Children_Away).",
        kind="proportion",
        unit="%",
        polarity=None,
        lait_code="Children_Away",
        sql=_children("A"),
        theme=_THEME,
        notes=_NOTES + " Many authorities record every incident as missing, so this is often near 0 (the DfE "
        "estimates away incidents are under-counted by up to a third nationally).",
    ),
    Measure(
        id="missing_incidents",
        title="Missing incidents",
        sentence="How many times children in our care went missing during the year.",
        definition=f"Number of missing incidents during the year, of children looked after during the year "
        f"({_DG}).",
        kind="count",
        unit="number",
        polarity=None,
        sql=f"SELECT la, year, CHILD, 1 AS num FROM ({_MISSING})",
        theme=_THEME,
        notes=_NOTES + " Breakdowns describe the child as on their last day looked after in the year, not at the "
        "start of the incident (the DfE's age breakdown uses age at the start of the incident).",
    ),
    Measure(
        id="missing_more_than_once",
        title="Children who went missing more than once",
        sentence="How many children in our care went missing more than once during the year.",
        definition=f"Children who went missing more than once during the year ({_DG}).",
        kind="count",
        unit="number",
        polarity=None,
        sql=f"SELECT la, year, CHILD, 1 AS num FROM ({_PER_CHILD}) WHERE incidents >= 2",
        theme=_THEME,
        notes=_NOTES,
    ),
    Measure(
        id="missing_incidents_per_child",
        title="Missing incidents per child who went missing",
        sentence="On average, how many times each child who went missing from our care went missing during the "
        "year.",
        definition=f"Average number of missing incidents per looked after child who went missing during the year, "
        f"rounded to one decimal place ({_DG}).",
        kind="mean",
        unit="number",
        polarity=None,
        sql=f"SELECT la, year, CHILD, incidents AS value FROM ({_PER_CHILD})",
        theme=_THEME,
        notes=_NOTES,
    ),
    Measure(
        id="missing_duration_median",
        title="Typical length of a missing incident",
        sentence="Half of the missing incidents that ended during the year lasted this many days or fewer.",
        definition=f"Median number of days per missing incident ({_DG}, national table 'Average (median) number "
        "of days per missing incident').",
        kind="median",
        unit="days",
        polarity=None,
        sql=f"""
            SELECT la, year, CHILD, date_diff('day', MIS_START, MIS_END) AS value
            FROM ({_MISSING}) WHERE MIS_END >= MIS_START
        """,
        theme=_THEME,
        notes=_NOTES + " Days are whole days from the start date to the end date (0 = back the same day; "
        "the 903 has no times). Incidents still open on 31 March have no length yet and are left out, so a "
        "carried-over incident's length counts in the year it ended only; an end before the start is a "
        "recording error and is left out. The DfE publishes the median for England only.",
    ),
    Measure(
        id="return_interviews_offered",
        title="Return home interviews offered",
        sentence="Of the times a child in our care went missing during the year, the share after which they were "
        "offered a return home interview.",
        definition="Missing incidents starting in the year after which the child was offered a return home "
        "interview, as a percentage of all missing incidents starting in the year (statutory guidance on children "
        "who run away or go missing from home or care). Not in the SSDA903: from the local missing-episode extract.",
        kind="proportion",
        unit="%",
        polarity="high",
        sql=f"SELECT la, year, CHILD, offered AS num, 1 AS den FROM ({_RETURN_INTERVIEWS})",
        theme=_THEME,
        notes=_RHI_NOTES,
    ),
    Measure(
        id="return_interviews_accepted",
        title="Return home interviews accepted",
        sentence="Of the return home interviews offered after a child went missing, the share the child accepted.",
        definition="Return home interviews accepted, as a percentage of those offered, for missing incidents "
        "starting in the year (local missing-episode extract).",
        kind="proportion",
        unit="%",
        polarity="high",
        sql=f"SELECT la, year, CHILD, accepted AS num, 1 AS den FROM ({_RETURN_INTERVIEWS}) WHERE offered = 1",
        theme=_THEME,
        notes=_RHI_NOTES,
    ),
]
