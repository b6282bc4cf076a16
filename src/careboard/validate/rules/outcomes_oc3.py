"""DfE rules on OC3 (care leavers whose 17th to 21st birthday falls in the year) and motherhood."""

from careboard.validate.rule import Rule
from careboard.validate.rules._shared import CHILD_DOB

# OC3 rows with the young person's date of birth (OC3's own, else Header's) as `birth`, the
# birthday that falls in the collection year as `bday`, and whether any care leaver item is
# given (a row with all three blank reports nothing) as `given`.
OC3_WITH_BIRTH = f"""
    SELECT *, (birth + to_years(age_at(birth, collection_end())))::DATE AS bday
    FROM (SELECT o.*, coalesce(o.DOB, d.DOB) AS birth,
                 (o.IN_TOUCH IS NOT NULL OR o.ACTIV IS NOT NULL OR o.ACCOM IS NOT NULL) AS given
          FROM oc3 o LEFT JOIN ({CHILD_DOB}) d ON d.CHILD = o.CHILD)
"""

# Children with an episode open at any time in the collection year.
LOOKED_AFTER_IN_YEAR = """
    SELECT DISTINCT CHILD FROM episodes
    WHERE CHILD IS NOT NULL AND DECOM <= collection_end() AND (DEC IS NULL OR DEC >= collection_start())
"""

# Children whose episodes in the year are all short breaks (V3/V4): rule 399 requires their MOTHER
# blank.  Episodes outside the year do not count; a child needs at least one V3/V4 episode.
SHORT_BREAKS_ONLY = """
    SELECT CHILD FROM episodes WHERE CHILD IS NOT NULL
    GROUP BY CHILD
    HAVING bool_and(coalesce(LS IN ('V3', 'V4'), false)
                    OR NOT coalesce(DECOM <= collection_end() AND (DEC IS NULL OR DEC >= collection_start()), false))
       AND bool_or(coalesce(LS IN ('V3', 'V4'), false))
"""

# OC3 rows that give any care leaver item.
OC3_GIVEN = "(IN_TOUCH IS NOT NULL OR ACTIV IS NOT NULL OR ACCOM IS NOT NULL)"

# The final episode (latest start) of each care leaver in this year's and in last year's return,
# as a struct `final` of its DEC and REC.
FINAL_EPISODE = """
    SELECT CHILD, arg_max({'dec': DEC, 'rec': REC}, {'d': DECOM, 'r': source_row}) AS final
    FROM episodes WHERE CHILD IN (SELECT CHILD FROM oc3) GROUP BY CHILD
"""
FINAL_EPISODE_LAST = FINAL_EPISODE.replace("FROM episodes", "FROM episodes_last")


def _oc3(condition: str, joins: str = "") -> str:
    """OC3 rows (as `o`, with `given`, and `birth` and `bday` if used) where ``condition`` holds."""
    rows = OC3_WITH_BIRTH if "birth" in condition + joins or "bday" in condition + joins else (
        f"SELECT *, {OC3_GIVEN} AS given FROM oc3"
    )
    return f"""
        SELECT DISTINCT 'OC3' AS tbl, o.source_file, o.source_row, o.CHILD AS child
        FROM ({rows}) o {joins} WHERE {condition}
    """


# Care leavers (OC3 items given) whose care history over this and last year's episodes shows they
# are not a relevant or former relevant child: fewer than 91 days looked after since the 14th
# birthday, none after the 16th (short-break V3/V4 episodes not counted; an open episode counted to
# 31 March; an episode in both returns taken from this year's), or adopted at the end.
_NOT_RELEVANT = f"""
    WITH leavers AS (
        SELECT o.source_file, o.source_row, o.CHILD, coalesce(o.DOB, d.DOB) AS birth
        FROM oc3 o LEFT JOIN ({CHILD_DOB}) d ON d.CHILD = o.CHILD
        WHERE o.IN_TOUCH IS NOT NULL OR o.ACTIV IS NOT NULL OR o.ACCOM IS NOT NULL
    ), born AS (
        SELECT CHILD, min(birth) AS birth FROM leavers
        WHERE age_at(birth, collection_end()) < 20 GROUP BY CHILD
    ), eps AS (
        SELECT DISTINCT ON (e.CHILD, e.DECOM) e.CHILD, e.DECOM, e.DEC, e.LS, e.REC, b.birth
        FROM (SELECT CHILD, DECOM, DEC, LS, REC, 1 AS cur, source_row FROM episodes
              UNION ALL
              SELECT CHILD, DECOM, DEC, LS, REC, 0 AS cur, source_row FROM episodes_last) e
        JOIN born b ON b.CHILD = e.CHILD
        WHERE e.DECOM IS NOT NULL
        ORDER BY e.CHILD, e.DECOM, e.cur DESC, e.source_row
    ), history AS (
        SELECT CHILD,
               sum(greatest(0, date_diff('day', greatest(DECOM, (birth + INTERVAL 14 YEAR)::DATE),
                                         coalesce(DEC, collection_end()))))
                   FILTER (WHERE LS IS NULL OR LS NOT IN ('V3', 'V4')) AS days_from_14,
               sum(greatest(0, date_diff('day', greatest(DECOM, (birth + INTERVAL 16 YEAR)::DATE),
                                         coalesce(DEC, collection_end()))))
                   FILTER (WHERE LS IS NULL OR LS NOT IN ('V3', 'V4')) AS days_from_16,
               arg_max(REC, DECOM) AS final_rec
        FROM eps GROUP BY CHILD
    )
    SELECT 'OC3' AS tbl, l.source_file, l.source_row, l.CHILD AS child
    FROM leavers l JOIN history h ON h.CHILD = l.CHILD
    WHERE age_at(l.birth, collection_end()) < 20
      AND (coalesce(h.days_from_14, 0) < 91 OR coalesce(h.days_from_16, 0) < 1 OR h.final_rec IN ('E11', 'E12'))
"""

RULES = [
    # --- codes and completeness ---
    Rule("131", table="OC3", where="IN_TOUCH IS NOT NULL AND NOT valid_code('IN_TOUCH', IN_TOUCH)",
         note="Blank is not invalid: an all-blank row is allowed (rule 153) and a partly blank one is rule 153's."),
    Rule("132", table="OC3", where="ACTIV IS NOT NULL AND NOT valid_code('ACTIV', ACTIV)",
         note="Blank is not invalid: an all-blank row is allowed (rule 153) and a partly blank one is rule 153's."),
    Rule("133", table="OC3", where="ACCOM IS NOT NULL AND NOT valid_code('ACCOM', ACCOM)",
         note="Blank is not invalid: an all-blank row is allowed (rule 153) and a partly blank one is rule 153's."),
    Rule("153", table="OC3",
         where="(IN_TOUCH IS NULL OR ACTIV IS NULL OR ACCOM IS NULL) "
               "AND (IN_TOUCH IS NOT NULL OR ACTIV IS NOT NULL OR ACCOM IS NOT NULL)"),
    Rule("344", table="OC3",
         where="IN_TOUCH IN ('DIED', 'RHOM') AND (ACTIV <> '0' OR ACCOM <> '0')",
         note="Flags ACTIV or ACCOM coded other than 0; a blank one is rule 153's."),
    Rule("345", table="OC3", where="IN_TOUCH = 'YES' AND (ACTIV = '0' OR ACCOM = '0')"),
    # --- age ---
    Rule("391", sql=_oc3("given AND (age_at(birth, collection_end()) < 17 OR age_at(birth, collection_start()) >= 22)"),
         note="Under 17 all year (17th birthday after 31 March) or 22 or over all year (22nd birthday "
              "on or before 1 April)."),
    Rule("347", sql=_oc3("ACCOM IN ('T1', 'T2') AND age_at(birth, collection_start()) < 18"),
         note="Foyer is ACCOM T1/T2; age taken at 1 April."),
    Rule("3001", sql=_oc3("ACCOM IN ('Z1', 'Z2') AND age_at(birth, collection_end()) = 17"),
         note="17th birthday between 1 April and 31 March."),
    Rule(
        "1007",
        sql=_oc3(
            "given AND age_at(o.birth, collection_end()) IN (17, 18)",
            "JOIN episodes e ON e.CHILD = o.CHILD AND e.DECOM <= o.bday AND (e.DEC IS NULL OR e.DEC > o.bday)",
        ),
        note="17th or 18th birthday in the year and an episode open on that birthday (still open, or "
             "ceasing after it).",
    ),
    Rule(
        "1016",
        sql=_oc3(
            "given AND age_at(o.birth, collection_end()) IN (17, 18)",
            "JOIN episodes e ON e.CHILD = o.CHILD AND e.DEC > o.bday AND e.REC IS DISTINCT FROM 'X1'",
        ),
        note="17th or 18th birthday in the year and an episode ceasing (not X1) after that birthday; "
             "ceasing on the birthday itself is not after it, as the DfE message says 'after' (the community "
             "validator counts the birthday itself, so flags every care leaver who left care on the 18th "
             "birthday, the usual way care ends).",
    ),
    # --- care history ---
    Rule(
        "1000",
        sql=_oc3(
            "given",
            "JOIN (SELECT CHILD FROM episodes WHERE REC = 'E2' "
            "      UNION SELECT CHILD FROM episodes_last WHERE REC = 'E2') d ON d.CHILD = o.CHILD",
        ),
    ),
    Rule(
        "1001",
        sql=_NOT_RELEVANT,
        note="Over this and last year's episodes (not V3/V4): fewer than 91 days looked after since the "
             "14th birthday, none after the 16th, or adopted at the end. Only young people under 20 at "
             "31 March (older ones' care is before the two years loaded) and with some episode "
             "(none at all is rule 1002; the community validator flags those under 1001 as well).",
    ),
    Rule(
        "1002",
        sql=_oc3(
            "given AND NOT EXISTS (SELECT 1 FROM episodes e WHERE e.CHILD = o.CHILD) "
            "AND NOT EXISTS (SELECT 1 FROM episodes_last e WHERE e.CHILD = o.CHILD)"
        ),
    ),
    Rule(
        "1010",
        sql=_oc3(
            "given AND l.final.dec IS NULL AND NOT EXISTS (SELECT 1 FROM episodes e WHERE e.CHILD = o.CHILD)",
            f"JOIN ({FINAL_EPISODE_LAST}) l ON l.CHILD = o.CHILD",
        ),
    ),
    Rule("1011", sql=_oc3("given AND f.final.rec = 'E3'", f"JOIN ({FINAL_EPISODE}) f ON f.CHILD = o.CHILD")),
    Rule(
        "1014",
        sql=f"""
        WITH leavers AS (
            SELECT CHILD, source_file, source_row FROM oc3
            WHERE {OC3_GIVEN} AND CHILD NOT IN ({LOOKED_AFTER_IN_YEAR})
        )
        SELECT 'OC3' AS tbl, source_file, source_row, CHILD AS child FROM leavers
        WHERE CHILD IN (SELECT CHILD FROM uasc)
        UNION ALL
        SELECT 'UASC', source_file, source_row, CHILD FROM uasc
        WHERE CHILD IN (SELECT CHILD FROM leavers)
        """,
        note="Care leavers = OC3 items given and no episode open in the year; flags the UASC and OC3 rows.",
    ),
    Rule(
        "348",
        sql=_oc3(
            "given AND o.IN_TOUCH IS DISTINCT FROM 'DIED'",
            "SEMI JOIN (SELECT CHILD FROM oc3_last WHERE IN_TOUCH = 'DIED') l ON l.CHILD = o.CHILD",
        ),
        note="Care leaver information this year other than DIED for someone reported DIED last year.",
    ),
    # --- OC2 and OC3 together ---
    Rule(
        "215",
        sql=f"""
        WITH leavers AS (SELECT * FROM oc3 WHERE {OC3_GIVEN}), twelve_months AS (
            SELECT * FROM oc2
            WHERE CONVICTED IS NOT NULL OR HEALTH_CHECK IS NOT NULL OR IMMUNISATIONS IS NOT NULL
               OR TEETH_CHECK IS NOT NULL OR HEALTH_ASSESSMENT IS NOT NULL OR SUBSTANCE_MISUSE IS NOT NULL
               OR INTERVENTION_RECEIVED IS NOT NULL OR INTERVENTION_OFFERED IS NOT NULL
        )
        SELECT 'OC3' AS tbl, source_file, source_row, CHILD AS child FROM leavers
        WHERE CHILD IN (SELECT CHILD FROM twelve_months)
        UNION ALL
        SELECT 'OC2', source_file, source_row, CHILD FROM twelve_months
        WHERE CHILD IN (SELECT CHILD FROM leavers)
        """,
    ),
    # --- motherhood (Header.MOTHER) ---
    Rule(
        "165",
        sql=f"""
        SELECT 'Header' AS tbl, source_file, source_row, CHILD AS child FROM header
        WHERE (MOTHER IS NOT NULL AND NOT valid_code('YES_NO_01', MOTHER))
           OR (MOTHER IS NOT NULL AND SEX IN ('1', 'M'))
           OR (MOTHER IS NULL AND SEX IN ('2', 'F')
               AND CHILD NOT IN ({SHORT_BREAKS_ONLY})
               AND (CHILD IN ({LOOKED_AFTER_IN_YEAR})
                    OR CHILD NOT IN (SELECT CHILD FROM oc3 WHERE CHILD IS NOT NULL AND {OC3_GIVEN})))
        """,
        note="MOTHER given but not 0/1; given for a male; or blank for a female unless she is a care "
             "leaver not looked after in the year (MOTHER given for such a care leaver is rule 628) or looked "
             "after in the year only under short breaks (V3/V4), for whom rule 399 requires MOTHER blank.",
    ),
    Rule(
        "628",
        sql=f"""
        SELECT 'Header' AS tbl, source_file, source_row, CHILD AS child FROM header
        WHERE MOTHER IS NOT NULL AND CHILD NOT IN ({LOOKED_AFTER_IN_YEAR})
          AND CHILD IN (SELECT CHILD FROM oc3 WHERE {OC3_GIVEN})
        """,
        note="Looked after during the year means an episode overlapping the year by its dates (the "
             "community validator counts any child with an episode row, whatever its dates).",
    ),
]
