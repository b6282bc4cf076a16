"""DfE rules on missing / away-from-placement periods (the Missing table) and on reviews."""

from careboard.validate.rule import Rule
from careboard.validate.rules._shared import CHILD_DOB

# The children with an open missing period: the only ones whose spells of care (575, 577) are asked
# about, so the only ones whose episodes are run through the windows below (a child's spells are
# worked out from its own episodes alone).
_OPEN_MISSING_CHILDREN = "SELECT CHILD FROM missing WHERE MIS_END IS NULL AND MIS_START IS NOT NULL"

# Each child's spells of continuous care: runs of episodes where each starts on the day the one
# before ended (a gap starts a new spell).  poc_end is NULL while the spell is still open.  Episodes
# with no start date cannot be placed and are left out.  Episodes in EPISODE_ORDER, from the run's
# episode_sequence (undated episodes sort last, so a dated episode's previous one is dated too).
# Deliberately not careboard's period of care (store/macros.sql continues_period_of_care, which needs
# REC X1 to join two episodes): the missing rules below (577 and the period checks) read "period of
# care" as the DfE community validator does, as any unbroken run of care.
_CONTINUOUS_CARE = f"""
    SELECT CHILD, min(DECOM) AS poc_start,
           CASE WHEN bool_or(DEC IS NULL) THEN NULL ELSE max(DEC) END AS poc_end
    FROM (
        SELECT CHILD, DECOM, DEC, source_file, source_row,
               sum(new_period) OVER (PARTITION BY CHILD ORDER BY episode_no ROWS UNBOUNDED PRECEDING) AS poc
        FROM (
            SELECT CHILD, DECOM, DEC, source_file, source_row, episode_no,
                   CASE WHEN prev_decom IS NULL OR DECOM > prev_dec THEN 1 ELSE 0 END AS new_period
            FROM episode_sequence
            WHERE DECOM IS NOT NULL AND CHILD IS NOT NULL AND CHILD IN ({_OPEN_MISSING_CHILDREN})
        )
    )
    GROUP BY CHILD, poc
"""

# Each child's placement records: runs of episodes where the next starts on the day the one before
# ended with a change of legal status only (RNE 'L'), so the child stays in the same placement.
# pl_end is NULL while the placement is still open.  Deliberately not careboard's placement
# (store/macros.sql changes_carer, where T and U keep the same carer): DfE rule 575 asks about the
# placement the return records, which T and U change.
_PLACEMENT_RECORDS = f"""
    SELECT CHILD, min(DECOM) AS pl_start,
           CASE WHEN bool_or(DEC IS NULL) THEN NULL ELSE max(DEC) END AS pl_end
    FROM (
        SELECT CHILD, DECOM, DEC, source_file, source_row,
               sum(new_pl) OVER (PARTITION BY CHILD ORDER BY episode_no ROWS UNBOUNDED PRECEDING) AS pl
        FROM (
            SELECT CHILD, DECOM, DEC, source_file, source_row, episode_no,
                   CASE WHEN prev_decom IS NULL OR DECOM > prev_dec
                             OR RNE IS DISTINCT FROM 'L' THEN 1 ELSE 0 END AS new_pl
            FROM episode_sequence
            WHERE DECOM IS NOT NULL AND CHILD IS NOT NULL AND CHILD IN ({_OPEN_MISSING_CHILDREN})
        )
    )
    GROUP BY CHILD, pl
"""

# Open missing rows (rule 577) with the period of care in force when the child went missing (the
# latest period that started on or before MIS_START; NULL columns when none had started).
_MISSING_WITH_PERIOD = f"""
    SELECT m.*, p.poc_start, p.poc_end
    FROM (SELECT * FROM missing WHERE MIS_START IS NOT NULL AND MIS_END IS NULL) m
    ASOF LEFT JOIN ({_CONTINUOUS_CARE}) p ON m.CHILD = p.CHILD AND m.MIS_START >= p.poc_start
"""

_MISSING_ROW = "SELECT 'Missing' AS tbl, source_file, source_row, CHILD AS child"

RULES = [
    # --- Reviews -------------------------------------------------------------------------------
    Rule(
        "166",
        table="Reviews",
        where="REVIEW IS NULL",
        covers=(("Reviews", "REVIEW"),),
        note="Blank, or a date that could not be read (NULL in the view).",
    ),
    Rule(
        "167",
        table="Reviews",
        where="REVIEW_CODE IS NULL OR NOT valid_code('REVIEW_CODE', REVIEW_CODE)",
        note="Every Reviews row needs a valid participation code, whether or not the review date is given.",
    ),
    Rule(
        "399",
        sql="""
        WITH short_breaks AS (       -- children looked after only under V3/V4
            SELECT CHILD FROM episodes WHERE CHILD IS NOT NULL
            GROUP BY CHILD HAVING bool_and(coalesce(LS IN ('V3', 'V4'), false))
        ),
        h AS (SELECT * FROM header WHERE MOTHER IS NOT NULL AND CHILD IN (SELECT CHILD FROM short_breaks)),
        r AS (SELECT * FROM reviews WHERE (REVIEW IS NOT NULL OR REVIEW_CODE IS NOT NULL)
                                      AND CHILD IN (SELECT CHILD FROM short_breaks))
        SELECT 'Header' AS tbl, source_file, source_row, CHILD AS child FROM h
        UNION ALL
        SELECT 'Reviews', source_file, source_row, CHILD FROM r
        UNION ALL
        SELECT 'Episodes', source_file, source_row, CHILD FROM episodes
        WHERE CHILD IN (SELECT CHILD FROM h UNION SELECT CHILD FROM r)
        """,
        note="Applies to children all of whose episodes are V3/V4; flags the Header row with MOTHER, "
        "the Reviews rows with a date or code, and the child's episodes.",
    ),
    Rule(
        "440",
        table="Reviews",
        where="REVIEW_CODE = 'PN0' AND age_at(DOB, REVIEW) >= 4",
        note="Age from Reviews.DOB; a review on the 4th birthday counts as aged 4.",
    ),
    Rule(
        "441",
        table="Reviews",
        where="REVIEW_CODE IN ('PN1', 'PN2', 'PN3', 'PN4', 'PN5', 'PN6', 'PN7') AND age_at(DOB, REVIEW) < 4",
        note="Age from Reviews.DOB; a review on the 4th birthday counts as aged 4.",
    ),
    # --- Missing: single-row checks --------------------------------------------------------------
    Rule(
        "564",
        table="Missing",
        where="valid_code('MISSING', MISSING) AND MIS_START IS NULL",
        note="A start date that could not be read is NULL and so also counts as blank here.",
    ),
    Rule("565", table="Missing", where="MIS_START IS NOT NULL AND MISSING IS NULL"),
    Rule("566", table="Missing", where="MIS_END IS NOT NULL AND MISSING IS NULL"),
    Rule("567", table="Missing", where="MIS_END < MIS_START"),
    Rule("570", table="Missing", where="MIS_START > collection_end()"),
    Rule("571", table="Missing", where="MIS_END < collection_start() OR MIS_END > collection_end()"),
    Rule(
        "586",
        table="Missing",
        where="MIS_START < DOB",
        note="Against Missing.DOB; a period starting on the date of birth is not before it.",
    ),
    Rule(
        "1004",
        invalid=("Missing", "MIS_START"),
        note="Dates that could not be read; a blank start date is rule 564's (when the type is given).",
    ),
    Rule("1005", invalid=("Missing", "MIS_END")),
    Rule("1006", table="Missing", where="NOT valid_code('MISSING', MISSING)"),
    # --- Missing: across rows and tables ---------------------------------------------------------
    Rule(
        "574",
        sql=f"""
        {_MISSING_ROW} FROM (
            SELECT *,
                   bool_or(MIS_END IS NULL) OVER before AS earlier_open,
                   max(MIS_END) OVER before AS earlier_end,
                   lead(MIS_START) OVER w AS next_start
            FROM missing WHERE MIS_START IS NOT NULL
            WINDOW w AS (PARTITION BY CHILD ORDER BY MIS_START, MIS_END DESC NULLS FIRST, source_row),
                   before AS (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
        )
        WHERE earlier_open OR MIS_START < earlier_end                       -- starts inside an earlier one
           OR (next_start IS NOT NULL AND (MIS_END IS NULL OR next_start < MIS_END))  -- a later one starts inside
        """,
        note="Flags both periods of each clash: one starting while an earlier one is open or not yet "
        "ended, and that earlier one (a period may start on the day the one before ended).",
    ),
    Rule(
        "575",
        sql=f"""
        SELECT 'Missing' AS tbl, m.source_file, m.source_row, m.CHILD AS child
        FROM (SELECT * FROM missing WHERE MIS_START IS NOT NULL AND MIS_END IS NULL) m
        ASOF JOIN ({_PLACEMENT_RECORDS}) p ON m.CHILD = p.CHILD AND m.MIS_START >= p.pl_start
        WHERE p.pl_end >= m.MIS_START
        """,
        note="The placement is the one in force on MIS_START (latest starting on or before it); "
        "an episode followed the same day by a legal-status-only change (RNE L) does not end it.  An open "
        "placement has not ended (the community validator, run with all its rules, sees end dates its "
        "rule 365 writes into the episodes it shares between rules, and flags open missing periods in "
        "open placements).",
    ),
    Rule(
        "576",
        sql=f"""
        WITH open_last AS (
            SELECT DISTINCT CHILD, MIS_START FROM missing_last WHERE MIS_END IS NULL AND MIS_START IS NOT NULL
        ),
        first_this AS (
            SELECT * FROM missing WHERE CHILD IS NOT NULL
            QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY MIS_START NULLS LAST, source_row) = 1
        )
        {_MISSING_ROW} FROM first_this f
        WHERE EXISTS (
            SELECT 1 FROM open_last o
            WHERE o.CHILD = f.CHILD
              AND NOT EXISTS (SELECT 1 FROM missing m WHERE m.CHILD = o.CHILD AND m.MIS_START = o.MIS_START))
        """,
        note="Each open period last year needs a row this year with the same start date; flags the "
        "child's earliest Missing row (a child with no Missing rows this year has no row to flag).",
    ),
    Rule(
        "577",
        sql=f"""
        {_MISSING_ROW} FROM ({_MISSING_WITH_PERIOD})
        WHERE MIS_END IS NULL AND poc_end IS NOT NULL
        """,
        note="An open missing period whose period of care (the one in force when it started) has ended; "
        "a period of care still open at 31 March has not (see 575 on the community validator).",
    ),
    Rule(
        "578",
        sql="""
        SELECT 'Missing' AS tbl, m.source_file, m.source_row, m.CHILD AS child
        FROM (SELECT * FROM missing WHERE MIS_START IS NOT NULL) m
        ASOF JOIN (SELECT CHILD, DECOM, DEC FROM episodes WHERE DECOM IS NOT NULL) e
             ON m.CHILD = e.CHILD AND m.MIS_START >= e.DECOM
        WHERE e.DEC < m.MIS_START
        """,
        note="MIS_START after the end of the child's latest episode starting on or before it (care had "
        "ceased); a start before any care is 581's, and an episode without a readable start date is "
        "left out.",
    ),
    Rule(
        "580",
        sql=f"""
        SELECT 'Episodes' AS tbl, e.source_file, e.source_row, e.CHILD AS child
        FROM episodes e
        JOIN missing m ON m.CHILD = e.CHILD AND m.MIS_END = e.DEC
        LEFT JOIN ({CHILD_DOB}) h
               ON h.CHILD = e.CHILD
        WHERE e.DEC = coalesce(m.DOB, h.DOB) + INTERVAL 18 YEAR
          AND e.REC IS DISTINCT FROM 'E8' AND e.REC IS DISTINCT FROM 'X1'
          AND (m.MIS_START IS NULL OR m.MIS_START <= e.DEC)
        """,
        note="Read as the DfE-community validator reads it: a missing period ending on the day care ends, "
        "that day being the 18th birthday (Missing.DOB, else Header.DOB); flags the episode.",
    ),
    Rule(
        "581",
        sql="""
        SELECT 'Missing' AS tbl, m.source_file, m.source_row, m.CHILD AS child FROM missing m
        JOIN (SELECT CHILD, min(DECOM) AS first_decom FROM episodes GROUP BY CHILD) e USING (CHILD)
        WHERE m.MIS_START < e.first_decom
        """,
        note="MIS_START before the child's first episode ('not yet started to be looked after'); missing "
        "between or after periods of care is 578's (the community validator flags any start outside "
        "every episode, so an episode with impossible dates puts all the child's missing periods here).",
    ),
]
