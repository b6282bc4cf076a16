"""DfE rules on OC2: health, offending and SDQ of children looked after continuously for 12 months."""

from careboard.validate.rule import Rule
from careboard.validate.rules._shared import CHILD_DOB, CONTINUOUSLY_LOOKED_AFTER

# The eight 0/1 items for children looked after 12 months, and the four every such child needs.
ITEMS = [
    "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE",
    "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED",
]
CORE_ITEMS = ["IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE"]
ANY_ITEM_GIVEN = "(" + " OR ".join(f"{f} IS NOT NULL" for f in ITEMS) + ")"
ANY_CORE_BLANK = "(" + " OR ".join(f"{f} IS NULL" for f in CORE_ITEMS) + ")"
SDQ_GIVEN = "(SDQ_SCORE IS NOT NULL OR SDQ_REASON IS NOT NULL)"
AGE_START = "age_at(birth, collection_start())"
AGE_END = "age_at(birth, collection_end())"


def _oc2(condition: str) -> str:
    """OC2 rows where ``condition`` holds; it may use `birth` (the child's date of birth: OC2's own,
    else Header's) and `cla` (looked after continuously for 12 months at 31 March)."""
    birth = "coalesce(o.DOB, d.DOB)" if "birth" in condition else "NULL::DATE"
    cla = "c.CHILD IS NOT NULL" if "cla" in condition else "NULL::BOOLEAN"
    joins = f"LEFT JOIN ({CHILD_DOB}) d ON d.CHILD = o.CHILD " if "birth" in condition else ""
    joins += f"LEFT JOIN ({CONTINUOUSLY_LOOKED_AFTER}) c ON c.CHILD = o.CHILD" if "cla" in condition else ""
    return f"""
        SELECT 'OC2' AS tbl, source_file, source_row, CHILD AS child
        FROM (SELECT o.*, {birth} AS birth, {cla} AS cla FROM oc2 o {joins}) WHERE {condition}
    """


RULES = [
    # --- codes ---
    Rule("180", table="OC2", where="SDQ_SCORE NOT BETWEEN 0 AND 40",
         note="Whole numbers outside 0-40. A cell that is not a whole number is blank here; only the reader "
              "reports it."),
    Rule("181", table="OC2",
         where=" OR ".join(f"NOT valid_code('YES_NO_01', {f})" for f in ITEMS),
         note="Blank items are not checked here (rules 182, 191, 543, 545 ask for them)."),
    Rule("196", table="OC2", where="SDQ_REASON IS NOT NULL AND NOT valid_code('SDQ_REASON', SDQ_REASON)"),
    # --- completeness and consistency of the 0/1 items ---
    Rule("182", table="OC2", where=f"{ANY_CORE_BLANK} AND {ANY_ITEM_GIVEN}",
         note="Any of the four core items blank while any of the eight items is given (the four "
              "themselves included)."),
    Rule("544", table="OC2", where=f"CONVICTED IS NOT NULL AND {ANY_CORE_BLANK}",
         note="'Conviction information completed' read as CONVICTED given (0 or 1)."),
    Rule("547", table="OC2", where=f"HEALTH_CHECK IS NOT NULL AND {ANY_CORE_BLANK}",
         note="'Health promotion information completed' read as HEALTH_CHECK given (0 or 1)."),
    Rule("158", table="OC2", where="INTERVENTION_RECEIVED = '1' AND INTERVENTION_OFFERED IS NOT NULL"),
    Rule("159", table="OC2",
         where="SUBSTANCE_MISUSE = '1' AND INTERVENTION_RECEIVED = '0' AND INTERVENTION_OFFERED IS NULL"),
    Rule("192", table="OC2", where="SUBSTANCE_MISUSE = '1' AND INTERVENTION_RECEIVED IS NULL"),
    Rule("193", table="OC2",
         where="SUBSTANCE_MISUSE IS DISTINCT FROM '1' "
               "AND (INTERVENTION_RECEIVED IS NOT NULL OR INTERVENTION_OFFERED IS NOT NULL)"),
    # --- the 12-month cohort ---
    Rule("190", sql=_oc2(f"NOT cla AND {ANY_ITEM_GIVEN}")),
    Rule(
        "191",
        sql=_oc2(f"cla AND {ANY_CORE_BLANK}") + f"""
        UNION ALL
        SELECT 'Episodes', first.f, first.r, CHILD
        FROM (SELECT CHILD, arg_min({{'f': source_file, 'r': source_row}}, {{'d': DECOM, 'r': source_row}}) AS first
              FROM episodes WHERE CHILD IN ({CONTINUOUSLY_LOOKED_AFTER}) GROUP BY CHILD) e
        WHERE NOT EXISTS (SELECT 1 FROM oc2 WHERE oc2.CHILD = e.CHILD)
        """,
        note="A child in the cohort with no OC2 row at all is flagged on their first episode.",
    ),
    Rule("543", sql=_oc2(f"cla AND {AGE_END} >= 10 AND CONVICTED IS NULL")),
    Rule("545", sql=_oc2(f"cla AND {AGE_END} < 5 AND HEALTH_CHECK IS NULL")),
    Rule("546", sql=_oc2(f"{AGE_END} >= 5 AND HEALTH_CHECK IS NOT NULL"),
         note="Any child aged 5 or over at 31 March, in the 12-month cohort or not (the wording does "
              "not limit it)."),
    # --- SDQ ---
    Rule("185", sql=_oc2("NOT cla AND SDQ_SCORE IS NOT NULL")),
    Rule("198", sql=_oc2("NOT cla AND SDQ_REASON IS NOT NULL")),
    Rule("197a", table="OC2", where="SDQ_SCORE IS NOT NULL AND SDQ_REASON IS NOT NULL"),
    Rule("186", sql=_oc2(f"cla AND {AGE_START} >= 4 AND {AGE_END} < 17 AND NOT {SDQ_GIVEN}"),
         note="A reason for no score (SDQ_REASON) also satisfies the rule."),
    Rule("157", sql=_oc2(f"SDQ_REASON = 'SDQ1' AND {AGE_START} >= 4 AND {AGE_END} <= 16"),
         note="Read as aged 4 or over at 1 April AND 16 or under at 31 March (the cohort of rule 186); "
              "'or' would make SDQ1 always an error."),
    Rule("188", sql=_oc2(f"{AGE_END} < 4 AND {SDQ_GIVEN}")),
    Rule("189", sql=_oc2(f"{AGE_START} >= 17 AND {SDQ_GIVEN}"),
         note="A 17th birthday on 1 April counts as aged 17 at the beginning of the year."),
    Rule("197B", sql=_oc2(f"cla AND NOT {SDQ_GIVEN} AND ({AGE_END} = 4 OR ({AGE_END} = 17 AND {AGE_START} < 17))"),
         note="Children in the 12-month cohort whose 4th birthday falls in the year, or whose 17th falls "
              "after 1 April (a child 17 on 1 April is outside SDQ, rule 189, which the community validator "
              "contradicts by asking for an SDQ here too)."),
]
