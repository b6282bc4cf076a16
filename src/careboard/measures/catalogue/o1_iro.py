"""The independent reviewing officer (IRO) service, from the local extract iro_allocations.csv.

The IRO Handbook asks for a caseload of 50 to 70 children per full-time IRO and for the same IRO to
stay with a child ("changes of worker mean starting again").  These figures name no IRO; the per-IRO
and child-level views are analysts' (careboard.oversight.iro).  Without the extract they have no figures.
"""

from careboard.measures.inputs import shared_query
from careboard.measures.measure import Measure
from careboard.oversight.iro import HANDBOOK_SOURCE

_THEME = "Independent reviewing officers"
_NOTES = (
    "From the local extract iro_allocations.csv (docs/extracts.md), loaded with `careboard load`. An IRO is "
    "allocated to a child from IRO_ALLOCATED (or their first review for the child) until the next allocation in "
    "the same period of care or the period's end; a change of IRO after the child's last review shows only when "
    "the new IRO's row arrives."
)

MEASURES = [
    Measure(
        id="iro_caseload_per_fte",
        title="Children per full-time IRO",
        sentence="On 31 March, the number of children in our care for each full-time independent reviewing "
        "officer (the guidance range is 50 to 70).",
        definition="Children looked after on 31 March with an allocated IRO, divided by the full-time equivalence "
        f"of the IROs they were allocated to. Range: {HANDBOOK_SOURCE}",
        kind="ratio",
        unit="number",
        polarity="low",
        sql=f"SELECT la, year, children AS num, fte AS den FROM ({shared_query('iro.sql', 'iro_at_year_end')})",
        breakdowns=(),
        theme=_THEME,
        notes=_NOTES + " An IRO's full-time equivalence is their latest IRO_FTE (1.0 when the extract gives none). "
        "Polarity 'low' because caseloads above the range are the concern; below 50 is not a failing.",
    ),
    Measure(
        id="iro_changed_in_year",
        title="Children whose IRO changed during the year",
        sentence="Of the children in our care on 31 March, the share whose independent reviewing officer changed "
        "during the year.",
        definition="Children looked after on 31 March with an IRO allocation on record in their current period of "
        "care, whose IRO changed (a different IRO allocated) between 1 April and 31 March, as a percentage of them "
        "(IRO Handbook: the same IRO should stay with a child wherever possible).",
        kind="proportion",
        unit="%",
        polarity="low",
        sql=f"""
            SELECT la, year, CHILD, (changes_in_year > 0)::INT AS num, 1 AS den
            FROM ({shared_query('iro.sql', 'iro_child_year')}) WHERE in_care_at_year_end
        """,
        theme=_THEME,
        notes=_NOTES,
    ),
    Measure(
        id="iro_three_or_more",
        title="Children who have had three or more IROs",
        sentence="Of the children in our care on 31 March, the share who have had three or more independent "
        "reviewing officers since they came into care this time.",
        definition="Children looked after on 31 March with an IRO allocation on record in their current period of "
        "care who have had three or more different IROs in that period, as a percentage of them.",
        kind="proportion",
        unit="%",
        polarity="low",
        sql=f"""
            SELECT la, year, CHILD, (iros_in_period >= 3)::INT AS num, 1 AS den
            FROM ({shared_query('iro.sql', 'iro_child_year')}) WHERE in_care_at_year_end
        """,
        theme=_THEME,
        notes=_NOTES + " Only the allocations the extracts loaded hold are seen: load an extract covering the "
        "whole period of care for a complete count.",
    ),
    Measure(
        id="iro_unallocated",
        title="Children without an allocated IRO",
        sentence="How many children in our care on 31 March had been in care for more than five working days "
        "without an independent reviewing officer on record.",
        definition="Children looked after on 31 March, looked after for more than five working days, with no IRO "
        "allocation covering that day (IRO Handbook: an IRO should be appointed within five working days of a "
        "child becoming looked after).",
        kind="count",
        unit="number",
        polarity="low",
        sql=f"SELECT la, year, CHILD, 1 AS num FROM ({shared_query('iro.sql', 'iro_unallocated_year_end')})",
        theme=_THEME,
        notes=_NOTES + " Counted only for years the extract covers (it holds a review in the year); a child "
        "allocated an IRO whose allocation the extract does not record (no review yet and no allocation-only row) "
        "counts as without one.",
    ),
    # The IRO annual report's figures on reviews: every review the extract records as chaired by an IRO (events,
    # not children; the scorecard's reviews_on_time and review_participation are the 903's own measures, and the
    # children's participation in the reviews IROs chaired is review_participation itself, so it is not repeated).
    Measure(
        id="iro_reviews_on_time",
        title="IRO reviews held on time",
        sentence="Of the reviews our independent reviewing officers chaired this year, the share held on time.",
        definition="Reviews recorded in the IRO extract as held between 1 April and 31 March, held by the date the "
        "statutory schedule sets (within 20 working days of coming into care, three months after the first "
        "review, then every six months; the extract's REVIEW_DUE for a review the 903 lacks), as a percentage "
        "of them.  A review held on its due date is on time; one whose due date cannot be known (not in the 903, "
        "no REVIEW_DUE) is not counted as on time.",
        kind="proportion",
        unit="%",
        polarity="high",
        sql=f"SELECT la, year, CHILD, coalesce(on_time, false)::INT AS num, 1 AS den "
        f"FROM ({shared_query('iro.sql', 'iro_reviews_in_year')})",
        breakdowns=(),
        theme=_THEME,
        notes=_NOTES,
    ),
    Measure(
        id="iro_reviews_far",
        title="IRO reviews of children living far away",
        sentence="Of the reviews our independent reviewing officers chaired this year, the share for children "
        "living outside our area or more than 20 miles from home, where the IRO has to travel furthest.",
        definition="Reviews recorded in the IRO extract as held between 1 April and 31 March where the child's "
        "placement that day was outside the authority or more than 20 miles (straight line) from their home "
        "postcode, as a percentage of them.  Reviews are assumed to be held where the child lives.",
        kind="proportion",
        unit="%",
        polarity=None,
        sql="SELECT la, year, CHILD, far::INT AS num, 1 AS den "
        f"FROM ({shared_query('iro.sql', 'iro_reviews_in_year')})",
        breakdowns=(),
        theme=_THEME,
        notes=_NOTES + " A placement whose postcode is not in the directory counts as near.",
    ),
]
