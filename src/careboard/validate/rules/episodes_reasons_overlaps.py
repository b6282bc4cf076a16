"""DfE rules on how a child's episodes follow one another (reasons for new episode, reasons ceased,
overlaps, temporary placements, category of need within a period of care).  How the first episode
continues last year's open one (rules 502, 503A-503J) is in last_year.py."""

from careboard.validate.rule import Rule

# Each episode with what this module compares against: the child's previous episode, the one before
# that and whether a next one exists, in EPISODE_ORDER (by start date, then end date, then file
# position; an episode with no start date sorts last: it cannot be placed in the sequence).  Worked
# out once per run: the TEMP table episode_sequence (validate/context.sql).  The rules that only
# filter it are checked together, in one scan of it (Rule.view).
_EPISODE_SEQUENCE = "SELECT * FROM episode_sequence"

_SELECT = "SELECT 'Episodes' AS tbl, source_file, source_row, CHILD AS child"


def _same_postcode(a: str, b: str) -> str:
    return f"replace({a}, ' ', '') IS NOT DISTINCT FROM replace({b}, ' ', '')"


# The placement (type, postcode, Ofsted URN, provider) is the same as in the previous episode;
# blank counts as the same as blank.
_SAME_PLACEMENT = (
    f"(PLACE IS NOT DISTINCT FROM prev_place AND {_same_postcode('PL_POST', 'prev_pl_post')}"
    " AND URN IS NOT DISTINCT FROM prev_urn AND PLACE_PROVIDER IS NOT DISTINCT FROM prev_provider)"
)

# The episode that starts a period of care (store/macros.sql): the child's first, or one not following
# on the same day from an episode ended X1.  period_no numbers a child's periods of care in order.
# Only children with more than one episode (rule 504 compares an episode with the first of its period,
# which for a child's only episode is itself), so the windows run over a fraction of the episodes.
_PERIODS = f"""
    SELECT *, sum(CASE WHEN prev_row IS NULL OR NOT continues_period_of_care(prev_rec, prev_dec, DECOM)
                       THEN 1 ELSE 0 END)
                  OVER (PARTITION BY CHILD ORDER BY episode_no)
              AS period_no
    FROM ({_EPISODE_SEQUENCE})
    WHERE episodes_of_child > 1
"""

RULES = [
    Rule(
        "383",
        table="Episodes",
        view="episode_sequence",
        where=f"""temporary_placement(prev_place) AND prev2_row IS NOT NULL
          AND (RNE IS DISTINCT FROM 'P' OR PLACE IS DISTINCT FROM prev2_place
               OR (year(collection_end()) >= 2026 AND NOT {_same_postcode('PL_POST', 'prev2_pl_post')}))
        """,
        note="The episode after a temporary (T0-T4) one must have RNE P and the placement type (and, from "
        "2025-26, the placement postcode) of the episode before the temporary one.",
    ),
    Rule(
        "431",
        table="Episodes",
        view="episode_sequence",
        where="RNE = 'S' AND prev_row IS NOT NULL AND DECOM <= prev_dec",
        note="An S episode must start after the previous episode ended (on or before its end date is flagged).",
    ),
    Rule(
        "432",
        table="Episodes",
        view="episode_sequence",
        where="""prev_row IS NOT NULL AND prev_rec <> 'X1' AND valid_code('REC', prev_rec)
          AND RNE IS DISTINCT FROM 'S'
        """,
    ),
    Rule(
        "433",
        table="Episodes",
        view="episode_sequence",
        where="""RNE IN ('P', 'L', 'T', 'U', 'B') AND prev_row IS NOT NULL
          AND (DECOM IS NULL OR prev_dec IS NULL OR DECOM <> prev_dec)
        """,
    ),
    Rule(
        "434",
        table="Episodes",
        view="episode_sequence",
        where=f"""RNE = 'L' AND prev_row IS NOT NULL
          AND (LS IS NOT DISTINCT FROM prev_ls OR NOT {_SAME_PLACEMENT})
        """,
        note="Flagged when the legal status is unchanged or any of PLACE, PL_POST, URN, PLACE_PROVIDER "
        "changed; blank counts as the same as blank.",
    ),
    Rule(
        "435",
        table="Episodes",
        view="episode_sequence",
        where=f"""RNE IN ('P', 'T') AND prev_row IS NOT NULL
          AND (LS IS DISTINCT FROM prev_ls OR {_SAME_PLACEMENT})
        """,
        note="Flagged when the legal status changed or none of PLACE, PL_POST, URN, PLACE_PROVIDER changed; "
        "blank counts as the same as blank (so an unchanged blank URN does not hide an unchanged placement).",
    ),
    Rule(
        "436",
        table="Episodes",
        view="episode_sequence",
        where=f"""RNE IN ('U', 'B') AND prev_row IS NOT NULL
          AND (LS IS NOT DISTINCT FROM prev_ls OR {_SAME_PLACEMENT})
        """,
        note="Flagged when the legal status is unchanged or none of PLACE, PL_POST, URN, PLACE_PROVIDER "
        "changed; blank counts as the same as blank.",
    ),
    Rule(
        "437",
        table="Episodes",
        view="episode_sequence",
        where="""REC IN ('E2', 'E15') AND DECOM IS NOT NULL AND next_row IS NOT NULL
        """,
    ),
    Rule(
        "501",
        table="Episodes",
        view="episode_sequence",
        where="prev_row IS NOT NULL AND DECOM < prev_dec",
    ),
    Rule(
        "504",
        sql=f"""
        {_SELECT} FROM (
            SELECT *, first_value(CIN) OVER (
                PARTITION BY CHILD, period_no ORDER BY episode_no) AS period_cin
            FROM ({_PERIODS}))
        WHERE CIN IS DISTINCT FROM period_cin
        """,
        note="Compared with the first episode of the period of care (episodes joined by X1 on the same day), "
        "as the DfE wording says, so every later episode with a different CIN is flagged (the community "
        "validator compares each episode with the one before it).",
    ),
]
