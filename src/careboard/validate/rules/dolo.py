"""DfE rules on deprivation of liberty orders (DoLo table, from 2026-27): dates, sequence, last
year's open order, and the placements a child with an order may be in."""

from careboard.validate.rule import Rule

_SELECT = "SELECT 'DoLo' AS tbl, source_file, source_row, CHILD AS child"
_SELECT_D = "SELECT 'DoLo' AS tbl, d.source_file, d.source_row, d.CHILD AS child"

# Each DoLO with a start date and the child's previous one (ordered by start, then end, then file
# position; an order with no start date cannot be placed in the sequence).
_DOLO_SEQUENCE = """
    SELECT *, lag(DOLO_END) OVER w AS prev_end, lag(source_row) OVER w AS prev_row
    FROM dolo WHERE DOLO_START IS NOT NULL
    WINDOW w AS (PARTITION BY CHILD ORDER BY DOLO_START, DOLO_END NULLS LAST, source_file, source_row)
"""

# Dates on which a child stopped being looked after: the end of an episode that no other episode of
# the child starts on (episodes joined end to start are one period of care).
_CARE_ENDED = """
    SELECT e.CHILD, e.DEC AS ended FROM episodes e
    WHERE e.DEC IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM episodes n WHERE n.CHILD = e.CHILD AND n.DECOM = e.DEC)
"""


def _dolo_placement(places: str, negate: bool) -> str:
    """DoLOs and the episodes that overlap them whose placement type is (or is not) in ``places``.

    The DfE's logic: "If <DOLO_START> and <DOLO_END> are present then <PLACEMENT> for any episode
    where <DECOM> and <DEC> overlap the DOLO should be ...".  So only orders with both dates are
    checked, and an overlap counts whole days: an episode ending on the day the order starts, or
    starting on the day it ends, was in place during the order.  An open episode runs on.  A blank
    placement type is left to the placement-type rules.
    """
    test = f"e.PLACE {'NOT ' if negate else ''}IN ({places})"
    pairs = f"""
        SELECT d.source_file AS d_file, d.source_row AS d_row, e.source_file AS e_file,
               e.source_row AS e_row, d.CHILD
        FROM dolo d JOIN episodes e ON e.CHILD = d.CHILD
        WHERE d.DOLO_START IS NOT NULL AND d.DOLO_END IS NOT NULL AND e.DECOM IS NOT NULL
          AND e.DECOM <= d.DOLO_END
          AND (e.DEC IS NULL OR e.DEC >= d.DOLO_START)
          AND {test}
    """
    return f"""
        SELECT 'DoLo' AS tbl, d_file AS source_file, d_row AS source_row, CHILD AS child FROM ({pairs})
        UNION ALL
        SELECT 'Episodes' AS tbl, e_file AS source_file, e_row AS source_row, CHILD AS child FROM ({pairs})
    """


RULES = [
    Rule(
        "700",
        table="DoLo",
        where="DOLO_START IS NULL",
        covers=(("DoLo", "DOLO_START"),),
        note="A blank start date is flagged as well as one that is not a date (a DoLO needs a start).",
    ),
    Rule("701", invalid=("DoLo", "DOLO_END")),
    Rule(
        "702",
        table="DoLo",
        where="DOLO_END < DOLO_START",
        note="Flagged when the end is before the start, as the DfE message says; an order ending on the "
        "day it started is not flagged.",
    ),
    Rule("703", table="DoLo", where="DOLO_START > collection_end()"),
    Rule("704", table="DoLo", where="DOLO_END < collection_start() OR DOLO_END > collection_end()"),
    Rule(
        "705",
        sql=f"""
        {_SELECT} FROM ({_DOLO_SEQUENCE})
        WHERE prev_row IS NOT NULL AND (prev_end IS NULL OR DOLO_START < prev_end)
        """,
        note="The later-starting order is flagged when the previous one has no end date or ends after "
        "it starts; starting on the day the previous one ended is allowed.",
    ),
    Rule(
        "706",
        sql="""
        WITH open_last AS (
            SELECT DISTINCT CHILD, DOLO_START FROM dolo_last
            WHERE DOLO_START IS NOT NULL AND DOLO_END IS NULL
        ),
        first_now AS (
            SELECT * FROM dolo WHERE DOLO_START IS NOT NULL
            QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY DOLO_START, source_file, source_row) = 1
        ),
        missing AS (
            SELECT o.CHILD, f.source_file, f.source_row
            FROM open_last o LEFT JOIN first_now f ON f.CHILD = o.CHILD
            WHERE f.DOLO_START IS DISTINCT FROM o.DOLO_START
        )
        SELECT 'DoLo' AS tbl, m.source_file, m.source_row, m.CHILD AS child
        FROM missing m WHERE m.source_row IS NOT NULL
        UNION ALL
        SELECT 'Header' AS tbl, h.source_file, h.source_row, h.CHILD AS child
        FROM missing m JOIN header h ON h.CHILD = m.CHILD
        WHERE m.source_row IS NULL
        """,
        note="Last year's open order must be this year's first order (same start date).  This year's first "
        "DoLO row is flagged; when the child has no DoLO row this year, the child's Header row is.  "
        "Reports nothing when last year's return has no DoLO table.",
    ),
    Rule(
        "707",
        sql=f"""
        {_SELECT_D} FROM dolo d
        WHERE d.DOLO_START IS NOT NULL AND d.DOLO_END IS NULL
          AND EXISTS (SELECT 1 FROM ({_CARE_ENDED}) c WHERE c.CHILD = d.CHILD AND c.ended >= d.DOLO_START)
        """,
        note="An order with no end date is flagged when the child stopped being looked after (a period "
        "of care ended) on or after the order started.  Orders with an end date are not checked here.",
    ),
    Rule(
        "708",
        sql=f"""
        {_SELECT_D} FROM dolo d
        LEFT JOIN (SELECT CHILD, arg_min(DOB, source_row) AS DOB FROM header GROUP BY CHILD) h
            ON h.CHILD = d.CHILD
        WHERE d.DOLO_START < coalesce(d.DOB, h.DOB)
        """,
        note="Start date before the date of birth on the DoLO row (Header's when that is blank); "
        "a start on the date of birth is not flagged, as the DfE message says 'before'.",
    ),
    Rule(
        "709",
        sql=_dolo_placement("'K2', 'Z12', 'Z13'", negate=True),
        note="Expected placement types during an order are K2, Z12 and Z13.  As the DfE's logic says, only "
        "orders with both a start and an end date are checked, and an episode overlaps when it starts on or "
        "before the order's end and ends on or after its start (or is open).  Both the DoLO and each "
        "overlapping episode are flagged.",
    ),
    Rule(
        "710",
        sql=_dolo_placement("'K1', 'P1', 'R5', 'K3'", negate=False),
        note="K1, P1, R5 and K3 episodes overlapping an order; both the DoLO and the episode are flagged.  "
        "As for 709: orders with both dates only, and an overlap includes the day an order starts or ends.",
    ),
]
