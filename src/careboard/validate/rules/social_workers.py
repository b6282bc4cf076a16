"""DfE rules on social worker episodes (SWEpisodes table, from 2023-24): completeness, codes, dates
and how a child's social worker episodes follow one another."""

from careboard.validate.rule import Rule

_SELECT = "SELECT 'SWEpisodes' AS tbl, source_file, source_row, CHILD AS child"

# First day of the social worker reporting period: the collection year in 2023-24, when social worker
# episodes were first collected; from 2024-25 the previous year as well.
_SW_PERIOD_START = (
    "CASE WHEN year(collection_end()) <= 2024 THEN collection_start() "
    "ELSE CAST(collection_start() - INTERVAL 1 YEAR AS DATE) END"
)

# Each social worker episode with a start date, with the child's previous and next one (ordered by
# start date, then end date, then file position; an episode with no start date cannot be placed):
# worked out once per run, the TEMP table swepisode_sequence (validate/context.sql).  The rules that
# only filter it are checked together, in one scan of it (Rule.view).
_SW_SEQUENCE = "swepisode_sequence"

# Children looked after on 31 March: an open episode that is not a short break (V3/V4).
_LOOKED_AFTER_AT_YEAR_END = """
    SELECT CHILD FROM episodes
    WHERE DECOM IS NOT NULL AND (DEC IS NULL OR DEC > collection_end())
      AND LS IS DISTINCT FROM 'V3' AND LS IS DISTINCT FROM 'V4'
"""

# Each child's social worker episodes merged into continuous stretches (an episode starting on or the
# day after the latest end so far continues the stretch; an open episode runs to 31 March).
_SW_STRETCHES = """
    SELECT CHILD, min(SW_DECOM) AS s_start, max(sw_end) AS s_end
    FROM (SELECT *, sum(new_stretch) OVER (PARTITION BY CHILD ORDER BY SW_DECOM, sw_end
                                           ROWS UNBOUNDED PRECEDING) AS stretch
          FROM (SELECT CHILD, SW_DECOM, sw_end,
                       CASE WHEN SW_DECOM > max(sw_end) OVER (PARTITION BY CHILD ORDER BY SW_DECOM, sw_end
                                            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) + 1
                            THEN 1 ELSE 0 END AS new_stretch
                FROM (SELECT CHILD, SW_DECOM, greatest(SW_DECOM, coalesce(SW_DEC, collection_end())) AS sw_end
                      FROM swepisodes WHERE SW_DECOM IS NOT NULL)))
    GROUP BY CHILD, stretch
"""

# 1 April 2023: social worker episodes starting before it need no reason for the change.
_SW_FIRST_COLLECTED = "DATE '2023-04-01'"

RULES = [
    Rule(
        "SW01STG1",
        sql="""
        SELECT 'Episodes' AS tbl, e.source_file, e.source_row, e.CHILD AS child
        FROM episodes e
        LEFT JOIN (SELECT CHILD, bool_or(SW_ID IS NOT NULL) AS has_id, bool_or(SW_DECOM IS NOT NULL) AS has_decom,
                          bool_or(SW_REASON IS NOT NULL) AS has_reason
                   FROM swepisodes GROUP BY CHILD) s ON s.CHILD = e.CHILD
        WHERE e.DECOM IS NOT NULL AND e.DEC IS NULL AND e.LS IS DISTINCT FROM 'V3' AND e.LS IS DISTINCT FROM 'V4'
          AND NOT coalesce(s.has_id AND s.has_decom AND s.has_reason, false)
        """,
        note="The child's open episode (not a V3/V4 short break) is flagged when no social worker "
        "episode gives a social worker ID, none a start date, or none a reason.",
    ),
    Rule(
        "SW01aSTG1",
        table="SWEpisodes",
        where=f"SW_DECOM IS NULL OR (SW_DECOM < {_SW_FIRST_COLLECTED} AND SW_ID IS NULL)",
        note="Episodes starting before 1 April 2023 need a start date and social worker ID (the reason may "
        "be blank); a missing or invalid start date is always flagged.",
    ),
    Rule(
        "SW01bSTG1",
        table="SWEpisodes",
        where=f"SW_DECOM IS NULL OR (SW_DECOM >= {_SW_FIRST_COLLECTED} AND (SW_ID IS NULL OR SW_REASON IS NULL))",
        note="Episodes starting on or after 1 April 2023 need a start date, social worker ID and reason; "
        "a missing or invalid start date is always flagged.",
    ),
    Rule(
        "SW02STG1",
        table="SWEpisodes",
        where="SW_ID IS NULL OR NOT (upper(left(SW_ID, 2)) IN ('SW', 'XX')) "
        "OR (year(collection_end()) >= 2026 AND length(SW_ID) < 4)",
        note="Case-insensitive, as the DfE upper-cases values; a blank ID is flagged (no other rule "
        "requires one from 2025-26), and from 2025-26 an ID of under 4 characters.",
    ),
    Rule(
        "SW03STG1",
        table="SWEpisodes",
        where="SW_ID IS NULL OR SW_DECOM IS NULL OR SW_REASON IS NULL",
    ),
    Rule("SW04STG1", invalid=("SWEpisodes", "SW_DECOM")),
    Rule("SW05STG1", invalid=("SWEpisodes", "SW_DEC")),
    Rule("SW06STG2", table="SWEpisodes", where="SW_DECOM > collection_end()"),
    Rule(
        "SW07STG2",
        table="SWEpisodes",
        where=f"SW_DEC < ({_SW_PERIOD_START}) OR SW_DEC > collection_end()",
        note="The reporting period starts on 1 April of the collection year in 2023-24 and a year earlier "
        "from 2024-25.",
    ),
    Rule(
        "SW08STG2",
        table="SWEpisodes",
        view=_SW_SEQUENCE,
        where="SW_DEC IS NULL AND next_row IS NOT NULL",
        note="The open episode that a later-starting episode follows is flagged.",
    ),
    Rule(
        "SW09STG2",
        table="SWEpisodes",
        where="SW_DEC = SW_DECOM",
        note="Ended on the day it started.  The reference validator flags under 3 days from 2025-26; "
        "careboard keeps to the DfE message (less than 24 hours).",
    ),
    Rule(
        "SW10STG2",
        table="SWEpisodes",
        view=_SW_SEQUENCE,
        where="""prev_row IS NOT NULL AND (prev_dec IS NULL OR SW_DECOM < prev_dec - 7)
          AND (year(collection_end()) <= 2024 OR SW_REASON IS DISTINCT FROM 'FCONTA')""",
        note="Flagged when the new episode starts more than 7 days before the previous one ended, or the "
        "previous one has no end; from 2024-25 first-contact (FCONTA) episodes are left to SW10b.",
    ),
    Rule(
        "SW10aSTG2",
        table="SWEpisodes",
        view=_SW_SEQUENCE,
        where="""prev_row IS NOT NULL AND SW_REASON IS DISTINCT FROM 'FCONTA'
          AND (prev_dec IS NULL OR SW_DECOM < prev_dec - 7 OR SW_DECOM > prev_dec + 7)""",
        note="Start more than 7 days from the previous episode's end (either way), or the previous one has "
        "no end; first-contact (FCONTA) episodes are exempt.",
    ),
    Rule(
        "SW10bSTG2",
        table="SWEpisodes",
        view=_SW_SEQUENCE,
        where="prev_row IS NOT NULL AND SW_REASON = 'FCONTA' AND (prev_dec IS NULL OR SW_DECOM <= prev_dec)",
        note="A first-contact episode must start after the previous episode ended; starting on its end "
        "date, or while it has no end, is flagged.",
    ),
    Rule(
        "SW11bSTG2",
        sql=f"""
        {_SELECT} FROM {_SW_SEQUENCE}
        WHERE SW_DEC < collection_end() AND next_row IS NULL AND CHILD IN ({_LOOKED_AFTER_AT_YEAR_END})
        """,
        note="The last episode (by start date) of a child looked after on 31 March ended before 31 March.  "
        "Children who left care in the year are not checked (the reference validator checks every child).",
    ),
    Rule(
        "SW12STG2",
        sql=f"""
        WITH need AS (
            SELECT source_file, source_row, CHILD, greatest(DECOM, collection_start()) AS n_start,
                   CASE WHEN DEC IS NULL OR DEC > collection_end() THEN collection_end() ELSE DEC - 1 END AS n_end
            FROM episodes
            WHERE DECOM IS NOT NULL AND DECOM <= collection_end()
              AND (DEC IS NULL OR DEC > collection_start())
              AND LS IS DISTINCT FROM 'V3' AND LS IS DISTINCT FROM 'V4'
              AND CHILD IN ({_LOOKED_AFTER_AT_YEAR_END})
              AND CHILD IN (SELECT CHILD FROM swepisodes WHERE SW_DECOM IS NOT NULL)
        )
        SELECT 'Episodes' AS tbl, n.source_file, n.source_row, n.CHILD AS child
        FROM need n
        WHERE n.n_end >= n.n_start
          AND NOT EXISTS (SELECT 1 FROM ({_SW_STRETCHES}) s
                          WHERE s.CHILD = n.CHILD AND s.s_start <= n.n_start AND s.s_end >= n.n_end)
        """,
        note="For a child looked after on 31 March, each episode of care in the year (not V3/V4 short breaks) "
        "must lie within one unbroken stretch of social worker episodes (an episode starting on or the day "
        "after the previous one ended continues it; the day care ends need not be covered).  The "
        "episode of care not covered is flagged.  Time not looked after cannot be checked (the return "
        "does not say when the child had a social worker), and children with no dated social worker "
        "episode are left to SW01STG1.",
    ),
    Rule(
        "SW13STG1",
        table="SWEpisodes",
        where=f"""NOT valid_code('SW_REASON', SW_REASON)
              OR (SW_REASON IS NULL AND (year(collection_end()) <= 2024 OR SW_DECOM >= {_SW_FIRST_COLLECTED}))""",
        note="A blank reason is flagged in 2023-24, and from 2024-25 for episodes starting on or after "
        "1 April 2023.",
    ),
    Rule(
        "SW14STG2",
        table="SWEpisodes",
        view=_SW_SEQUENCE,
        where="SW_DEC IS NULL AND next_row IS NOT NULL",
        note="Only the child's last episode (by start date) may be open.",
    ),
    Rule(
        "SW17STG2",
        sql=f"""
        {_SELECT} FROM {_SW_SEQUENCE}
        WHERE SW_DEC IS NOT NULL AND next_row IS NULL AND CHILD IN ({_LOOKED_AFTER_AT_YEAR_END})
        """,
        note="The last episode (by start date) of a child looked after on 31 March has an end date.  Children "
        "who left care in the year are not checked (the reference validator checks every child).",
    ),
    Rule("SW18STG2", table="SWEpisodes", where="SW_DEC < SW_DECOM"),
    Rule(
        "SW19STG2",
        sql=f"""
        {_SELECT} FROM swepisodes WHERE SW_DECOM IS NOT NULL
        QUALIFY count(*) OVER (PARTITION BY CHILD, SW_DECOM) > 1
        """,
        note="Every episode sharing a start date with another of the child's is flagged.",
    ),
]
