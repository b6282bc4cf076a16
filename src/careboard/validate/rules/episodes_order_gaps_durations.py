"""DfE rules that compare a child's episodes with one another: order, gaps, legal-status and respite
durations, placements before and after."""

from careboard.validate.rule import Rule
from careboard.validate.rules._shared import EPISODES_WITH_NEIGHBOURS

_TEMPORARY = "('T0', 'T1', 'T2', 'T3', 'T4')"
_SELECT = "SELECT 'Episodes' AS tbl, source_file, source_row, CHILD AS child"

# Episodes with a start date, in order within each child (EPISODE_ORDER: an open episode after a
# closed one that starts the same day), with the previous episode's reason for placement change
# (prev_reason), from the run's episode_sequence.  Undated episodes sort after every dated one, so a
# dated episode's number and previous episode are the same among the dated episodes alone;
# episodes_of_child counts the dated ones.
_ORDERED = """
    SELECT * REPLACE (dated_episodes_of_child AS episodes_of_child)
    FROM episode_sequence WHERE DECOM IS NOT NULL
"""


def _legal_status_too_long(ls: str, days: int) -> str:
    """Episodes of legal status ``ls`` in a run of back-to-back ``ls`` episodes (each starting the day
    the one before ended) that lasted more than ``days`` days, an open episode counted to 31 March."""
    return f"""
    WITH ordered AS (  -- dated episodes in EPISODE_ORDER (see _ORDERED)
        SELECT CHILD, DECOM, DEC, LS, source_file, source_row, episode_no, prev_ls, prev_dec
        FROM episode_sequence WHERE DECOM IS NOT NULL
    ), runs AS (
        SELECT *, sum(CASE WHEN prev_ls = '{ls}' AND prev_dec = DECOM THEN 0 ELSE 1 END)
                      OVER (PARTITION BY CHILD ORDER BY episode_no ROWS UNBOUNDED PRECEDING) AS run_no
        FROM ordered WHERE LS = '{ls}'
    ), spans AS (
        SELECT *, min(DECOM) OVER r AS run_start, max(coalesce(DEC, collection_end())) OVER r AS run_end
        FROM runs WINDOW r AS (PARTITION BY CHILD, run_no)
    )
    {_SELECT} FROM spans WHERE run_end - run_start > {days}
    """


RULES = [
    Rule(
        "142",
        sql=f"{_SELECT} FROM ({_ORDERED}) WHERE episode_no < episodes_of_child AND (DEC IS NULL OR REC IS NULL)",
        note="Every episode but the child's latest must have both DEC and REC; episodes without a start "
        "date are left to rule 141 (the community validator sorts an unreadable start date first and "
        "flags the episode after it).",
    ),
    Rule(
        "357",
        sql=f"{_SELECT} FROM ({_ORDERED}) WHERE episode_no = 1 AND DECOM >= collection_start() "
        "AND coalesce(RNE, '') <> 'S'",
        note="The child's first episode counts as the first ever when it starts in the collection year.",
    ),
    Rule(
        "199",
        sql=f"""
        WITH adoptions AS (          -- episodes ending in adoption, last year's return first
            SELECT CHILD, DECOM, 0 AS this_year, source_file, source_row FROM episodes_last
            WHERE REC IN ('E11', 'E12') AND DECOM IS NOT NULL
            UNION ALL
            SELECT CHILD, DECOM, 1, source_file, source_row FROM episodes
            WHERE REC IN ('E11', 'E12') AND DECOM IS NOT NULL
        ),
        first_adoption AS (
            SELECT CHILD, DECOM AS adopted_from, this_year, source_file AS a_file, source_row AS a_row FROM adoptions
            QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY DECOM, this_year, source_file, source_row) = 1
        )
        {_SELECT} FROM episodes e JOIN first_adoption a USING (CHILD)
        WHERE e.DECOM > a.adopted_from
           OR (e.DECOM = a.adopted_from AND e.REC IN ('E11', 'E12')
               AND NOT (a.this_year = 1 AND a.a_file = e.source_file AND a.a_row = e.source_row))
        """,
        note="Flags every episode starting after the child's first episode that ended in adoption (E11/E12), "
        "this year's or last year's, including a second adoption; and a second adoption episode starting "
        "the same day as the first (a duplicate; the first is the earliest in last year's return, then in "
        "file order).",
    ),
    Rule(
        "225",
        sql=f"""
        {_SELECT} FROM ({EPISODES_WITH_NEIGHBOURS})
        WHERE REC = 'X1' AND REASON_PLACE_CHANGE IS NULL AND next_rne IN ('P', 'B', 'T', 'U')
          AND coalesce(PLACE, '') NOT IN {_TEMPORARY} AND coalesce(next_place, '') NOT IN {_TEMPORARY}
        """,
        note="An episode ending X1 where the next one changes placement (RNE P, B, T or U) and neither "
        "placement is temporary (T0-T4).",
    ),
    Rule(
        "226",
        sql=f"""
        {_SELECT} FROM ({_ORDERED})
        WHERE PLACE IN {_TEMPORARY} AND (REASON_PLACE_CHANGE IS NOT NULL OR prev_reason IS NOT NULL)
        """,
        note="The temporary-placement episode is flagged when it, or the episode before it (the move into "
        "the temporary placement), has a reason for placement change.",
    ),
    Rule(
        "336",
        sql=f"""
        {_SELECT} FROM ({EPISODES_WITH_NEIGHBOURS})
        WHERE PLACE IN ('A3', 'A5') AND prev_row IS NOT NULL
          AND coalesce(prev_place, '') NOT IN ('A3', 'A4', 'A5', 'A6', 'U1', 'U2', 'U3', 'U4', 'U5', 'U6')
        """,
        note="Placements for adoption with current foster carers (A3, A5) must follow a foster or adoption "
        "placement; a child's first episode in the return is not checked.",
    ),
    Rule("361", sql=_legal_status_too_long("L1", 3), note="Back-to-back L1 episodes count as one period."),
    Rule("362", sql=_legal_status_too_long("L2", 21), note="Back-to-back L2 episodes count as one period."),
    Rule("363", sql=_legal_status_too_long("L3", 7), note="Back-to-back L3 episodes count as one period."),
    Rule(
        "364",
        sql=_legal_status_too_long("J2", 21),
        note="More than 21 days (as the DfE validator counts it); back-to-back J2 episodes count as one.",
    ),
    Rule(
        "367",
        sql=f"""
        WITH v3 AS (
            SELECT *, least(coalesce(DEC, collection_end()), collection_end())
                      - greatest(DECOM, collection_start()) AS days_in_year
            FROM episodes WHERE LS = 'V3' AND DECOM IS NOT NULL
        )
        {_SELECT} FROM (SELECT *, sum(days_in_year) OVER (PARTITION BY CHILD) AS total
                        FROM v3 WHERE days_in_year > 0)
        WHERE total > 75
        """,
        note="Days of V3 episodes within the collection year (DEC - DECOM, an open episode to 31 March).",
    ),
    Rule(
        "377",
        sql=f"""
        WITH t3 AS (SELECT * FROM episodes WHERE PLACE = 'T3' AND DECOM IS NOT NULL),
        windows AS (
            SELECT b.*, count(*) OVER (PARTITION BY a.CHILD, a.source_file, a.source_row) AS in_window
            FROM t3 a JOIN t3 b ON a.CHILD = b.CHILD AND b.DECOM >= a.DECOM AND b.DECOM < a.DECOM + INTERVAL 1 YEAR
        )
        {_SELECT} FROM windows WHERE in_window > 2
        """,
        note="Flags the T3 episodes of any 12 months (from a T3 start date) holding three or more T3 starts.",
    ),
]
