"""DfE rules that check codes within one Episodes row (legal status, placement, provider, reason
ceased) against each other and against dates, plus rule 1012 on data for children with no episodes."""

from careboard.validate.rule import Rule

_FOSTER = "('U1', 'U2', 'U3', 'U4', 'U5', 'U6')"
_ADOPTION = "('A3', 'A4', 'A5', 'A6')"

# Tables that should hold no rows for a child with no episodes (rule 1012), as (table, view).
_NOT_FOR_CARE_LEAVERS_ONLY = [
    ("PlacedAdoption", "placedadoption"),
    ("Missing", "missing"),
    ("Reviews", "reviews"),
    ("AD1", "ad1"),
    ("PrevPerm", "prevperm"),
    ("OC2", "oc2"),
]

RULES = [
    Rule("384", table="Episodes", where="LS IN ('V3', 'V4') AND PLACE IN ('U1', 'U4')"),
    Rule("385", table="Episodes", where="DEC > collection_end()"),
    Rule("390", table="Episodes", where=f"REC IN ('E11', 'E12') AND coalesce(PLACE, '') NOT IN {_ADOPTION}"),
    Rule("408", table="Episodes", where="PLACE IN ('A5', 'A6') AND LS IS DISTINCT FROM 'E1'"),
    Rule(
        "426",
        sql="""
        SELECT 'Episodes' AS tbl, source_file, source_row, CHILD AS child
        FROM (SELECT *, bool_or(LS = 'V3') OVER (PARTITION BY CHILD) AS has_v3,
                        bool_or(LS = 'V4') OVER (PARTITION BY CHILD) AS has_v4
              FROM episodes)
        WHERE LS IN ('V3', 'V4') AND has_v3 AND has_v4
        """,
        note="Flags every V3 and V4 episode of a child who has both in the return.",
    ),
    Rule("445", table="Episodes", where="LS = 'D1' AND DECOM > DATE '2005-12-31'"),
    Rule("446", table="Episodes", where="LS = 'E1' AND DECOM < DATE '2005-12-01'"),
    Rule(
        "451",
        table="Episodes",
        where="LS = 'D1' AND DEC IS NULL AND REC IS NULL",
        note="Still freed = an open D1 episode (no date or reason ceased).",
    ),
    Rule("516", table="Episodes", where=f"REC IN ('E45', 'E46') AND coalesce(PLACE, '') NOT IN {_FOSTER}"),
    Rule(
        "526",
        table="Episodes",
        where="PLACE_PROVIDER IS NULL AND coalesce(PLACE, '') NOT IN ('T0', 'T1', 'T2', 'T3', 'T4') "
        "AND NOT (year(collection_end()) < 2026 AND coalesce(PLACE, '') = 'Z1') "
        "AND NOT (year(collection_end()) >= 2026 AND coalesce(PLACE, '') IN ('Z11', 'Z12', 'Z13', 'Z14'))",
        note="Temporary placements (T0-T4) and other placements (Z1; Z11-Z14 from 2025-26) need no provider.",
    ),
    Rule("527", table="Episodes", where="PLACE_PROVIDER = 'PR1' AND PLACE IN ('P1', 'R2', 'R5')"),
    Rule("528", table="Episodes", where="PLACE_PROVIDER = 'PR2' AND PLACE IN ('P1', 'R2', 'R5')"),
    Rule(
        "529",
        table="Episodes",
        where=f"PLACE_PROVIDER = 'PR3' AND (PLACE IN {_ADOPTION} OR PLACE IN {_FOSTER} OR PLACE IN ('P1', 'K1', 'K2'))",
    ),
    Rule("530", table="Episodes", where="PLACE_PROVIDER = 'PR4' AND PLACE = 'P1'"),
    Rule("531", table="Episodes", where="PLACE_PROVIDER = 'PR5' AND PLACE = 'P1'"),
    Rule("550", table="Episodes", where="PLACE_PROVIDER = 'PR0' AND PLACE IS DISTINCT FROM 'P1'"),
    Rule(
        "1009",
        table="Episodes",
        where="REASON_PLACE_CHANGE IS NOT NULL AND NOT valid_code('REASON_PLACE_CHANGE', REASON_PLACE_CHANGE)",
    ),
    Rule(
        "1012",
        # The tables' rows together, against the episodes once (one anti join, not one per table).
        sql="SELECT t.* FROM ("
        + "\nUNION ALL\n".join(
            f"SELECT '{table}' AS tbl, source_file, source_row, CHILD AS child FROM {view} WHERE CHILD IS NOT NULL"
            for table, view in _NOT_FOR_CARE_LEAVERS_ONLY
        )
        + ") t WHERE NOT EXISTS (SELECT 1 FROM episodes e WHERE e.CHILD = t.child)",
        note="Flags rows of PlacedAdoption, Missing, Reviews, AD1, PrevPerm and OC2 for a child with no "
        "episode in the return (Header, UASC and OC3 rows are expected for care leavers).",
    ),
]
