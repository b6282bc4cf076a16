"""DfE rules on AD1 (children adopted during the year): codes, completeness and consistency with episodes."""

from careboard.validate.rule import Rule
from careboard.validate.rules._shared import CONTINUOUSLY_LOOKED_AFTER
from careboard.validate.rules.adoption_common import (
    AD1_FIELDS,
    ADOPTED,
    ADOPTED_IN_YEAR,
    ADOPTION_PLACEMENT_STARTS,
    OC3_FIELDS,
    all_given,
    any_given,
    first_episode_where,
    flag_pairs,
)

_AD1_GIVEN = any_given(AD1_FIELDS)
_COUPLE = "('MM', 'FF', 'MF')"


def _code(field: str, code_list: str) -> str:
    return f"{field} IS NOT NULL AND NOT valid_code('{code_list}', {field})"


RULES = [
    Rule("112", invalid=("AD1", "DATE_INT")),
    Rule("113", invalid=("AD1", "DATE_MATCH")),
    Rule("114", table="AD1", where=_code("FOSTER_CARE", "YES_NO_01")),
    Rule("175", table="AD1", where=_code("NB_ADOPTR", "NB_ADOPTR")),
    Rule("176", table="AD1", where=_code("SEX_ADOPTR", "SEX_ADOPTR")),
    Rule("177", table="AD1", where=_code("LS_ADOPTR", "LS_ADOPTR")),
    Rule(
        "151",
        table="AD1",
        where=f"{_AD1_GIVEN} AND NOT {all_given(AD1_FIELDS)}",
        note="A date the reader could not read counts as blank here (it is reported by 112/113).",
    ),
    Rule(
        "134",
        table="AD1",
        where=f"{_AD1_GIVEN} AND CHILD IN (SELECT CHILD FROM oc3 WHERE {any_given(OC3_FIELDS)})",
        note="Flags the AD1 row of a child who also has care-leaver (OC3) data.",
    ),
    Rule(
        "187",
        sql=f"""
        WITH cla AS ({CONTINUOUSLY_LOOKED_AFTER})
        SELECT 'AD1' AS tbl, source_file, source_row, CHILD AS child FROM ad1
        WHERE {_AD1_GIVEN} AND CHILD IN (SELECT CHILD FROM cla)
        UNION ALL
        SELECT 'OC3' AS tbl, source_file, source_row, CHILD AS child FROM oc3
        WHERE {any_given(OC3_FIELDS)} AND CHILD IN (SELECT CHILD FROM cla)
        """,
        note="Cohort read NULL-safely: a child whose episodes are all open is looked after all year.",
    ),
    Rule(
        "331",
        sql=flag_pairs(
            f"""
            SELECT a.CHILD, a.source_file AS a_file, a.source_row AS a_row, e.source_file AS e_file,
                   e.source_row AS e_row
            FROM ad1 a JOIN episodes e ON e.CHILD = a.CHILD
            WHERE e.REC IN {ADOPTED} AND a.DATE_MATCH > e.DECOM
            """,
            ("AD1", "a"), ("Episodes", "e"),
        ),
        note="The date of placement is the start (DECOM) of the episode that ended in adoption (E11/E12).",
    ),
    Rule(
        "333",
        table="AD1",
        where="DATE_MATCH IS NOT NULL AND (DATE_INT IS NULL OR DATE_INT > DATE_MATCH)",
        note="Also flags a matching date with no date should be placed.",
    ),
    Rule(
        "334",
        sql=flag_pairs(
            f"""
            SELECT a.CHILD, a.source_file AS a_file, a.source_row AS a_row, s.source_file AS e_file,
                   s.source_row AS e_row
            FROM ad1 a
            JOIN ({first_episode_where("RNE = 'S'", latest=True, children="SELECT CHILD FROM ad1")}) s
                ON s.CHILD = a.CHILD
            WHERE a.DATE_INT < s.DECOM
            """,
            ("AD1", "a"), ("Episodes", "e"),
        ),
        note="The latest period of care starts at the child's latest episode with RNE S in the return.",
    ),
    Rule(
        "335",
        sql=flag_pairs(
            f"""
            SELECT a.CHILD, a.source_file AS a_file, a.source_row AS a_row, e.source_file AS e_file,
                   e.source_row AS e_row
            FROM ad1 a JOIN episodes e ON e.CHILD = a.CHILD
            WHERE e.REC IN {ADOPTED}
              AND ((a.FOSTER_CARE = '0' AND e.PLACE IN ('A2', 'A3', 'A5'))
                OR (a.FOSTER_CARE = '1' AND e.PLACE IN ('A1', 'A4', 'A6')))
            """,
            ("AD1", "a"), ("Episodes", "e"),
        ),
        note="The last placement is the episode that ended in adoption (E11/E12).",
    ),
    Rule(
        "511",
        table="AD1",
        where=f"NB_ADOPTR = '2' AND SEX_ADOPTR IS NOT NULL AND SEX_ADOPTR NOT IN {_COUPLE}",
        note="Any given SEX_ADOPTR other than MM, FF or MF is flagged, not only M1/F1; a blank one is left to 151.",
    ),
    Rule(
        "514",
        table="AD1",
        where=f"LS_ADOPTR = 'L0' AND SEX_ADOPTR IN {_COUPLE}",
        note="A single adopter (L0) recorded with couple genders (MM, FF or MF); a blank or invalid "
        "SEX_ADOPTR does not show a couple.",
    ),
    Rule("517", table="AD1", where="LS_ADOPTR = 'L3' AND SEX_ADOPTR IS DISTINCT FROM 'MF'"),
    Rule("518", table="AD1", where="LS_ADOPTR = 'L4' AND coalesce(SEX_ADOPTR, '') NOT IN ('MM', 'FF')"),
    Rule("519", table="AD1", where=f"LS_ADOPTR = 'L2' AND coalesce(SEX_ADOPTR, '') NOT IN {_COUPLE}"),
    Rule(
        "520",
        table="AD1",
        where="LS_ADOPTR = 'L11' AND SEX_ADOPTR IN ('MM', 'FF')",
        note="Flags L11 with a same-gender couple (MM or FF) only, as the DfE message says.",
    ),
    Rule("524", table="AD1", where="LS_ADOPTR = 'L12' AND coalesce(SEX_ADOPTR, '') NOT IN ('MM', 'FF')"),
    Rule(
        "521",
        sql=flag_pairs(
            f"""
            SELECT a.CHILD, a.source_file AS a_file, a.source_row AS a_row, s.source_file AS e_file,
                   s.source_row AS e_row
            FROM ad1 a JOIN ({ADOPTION_PLACEMENT_STARTS}) s ON s.CHILD = a.CHILD
            WHERE a.DATE_INT > s.DECOM
            """,
            ("AD1", "a"), ("Episodes", "e"),
        ),
        note="The date placed for adoption is the start of an A3-A6 placement (not an A3-A6 episode "
        "continuing the same placement).",
    ),
    Rule(
        "582",
        sql=f"""
        SELECT 'Episodes' AS tbl, e.source_file, e.source_row, e.CHILD AS child
        FROM episodes e JOIN ad1 a ON a.CHILD = e.CHILD
        WHERE e.REC IN {ADOPTED} AND e.DEC = a.DATE_MATCH
        """,
    ),
    Rule(
        "601",
        sql=flag_pairs(
            f"""
            SELECT e.CHILD, e.source_file AS e_file, e.source_row AS e_row, a.source_file AS a_file,
                   a.source_row AS a_row
            FROM ({ADOPTED_IN_YEAR}) e LEFT JOIN ad1 a ON a.CHILD = e.CHILD
            WHERE a.CHILD IS NULL OR NOT {all_given(AD1_FIELDS, "a.")}
            """,
            ("Episodes", "e"), ("AD1", "a"),
        ),
        note="A child adopted in the year with no AD1 row at all is flagged too (its adoption fields "
        "are not completed).",
    ),
    Rule(
        "602",
        table="AD1",
        where=f"{_AD1_GIVEN} AND NOT EXISTS (SELECT 1 FROM ({ADOPTED_IN_YEAR}) e WHERE e.CHILD = ad1.CHILD)",
    ),
]
