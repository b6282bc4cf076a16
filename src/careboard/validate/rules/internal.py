"""DfE internal (INT) checks: children in other tables exist in Header, agree with it, appear once.

Each flags the row of the table the DfE message is about (the AD1 row for 'child in AD1 does not
exist in Header', the UASC row for 'SEX in UASC is different', ...).
"""

from careboard.validate.rule import VIEW_NAMES, Rule


def _not_in_header(code: str, table: str) -> Rule:
    view = VIEW_NAMES[table]
    return Rule(
        code,
        table=table,
        where=(
            f"NOT EXISTS (SELECT 1 FROM header h WHERE h.CHILD = {view}.CHILD)"
            " AND EXISTS (SELECT 1 FROM header)"
        ),
        note="Not run against an empty Header (no Header file supplied); a blank CHILD never matches.",
    )


def _differs_from_header(code: str, table: str, field: str) -> Rule:
    view = VIEW_NAMES[table]
    return Rule(
        code,
        table=table,
        where=(
            f"{field} IS NOT NULL AND EXISTS (SELECT 1 FROM header h WHERE h.CHILD = {view}.CHILD"
            f" AND h.{field} IS NOT NULL AND h.{field} <> {view}.{field})"
        ),
        note=f"Only where both {field}s are given (blank or unreadable values are other rules' business); "
        "compared with every Header row of the child.",
    )


def _more_than_once(code: str, table: str) -> Rule:
    view = VIEW_NAMES[table]
    return Rule(
        code,
        sql=f"""
        SELECT '{table}' AS tbl, source_file, source_row, CHILD AS child FROM {view}
        WHERE CHILD IS NOT NULL
        QUALIFY count(*) OVER (PARTITION BY CHILD) > 1
        """,
        note="Every row of a repeated child is flagged; blank CHILD cells are not counted as one child.",
    )


RULES = [
    _not_in_header("INT01", "AD1"),
    _not_in_header("INT02", "PlacedAdoption"),
    _not_in_header("INT03", "Episodes"),
    _not_in_header("INT04", "Missing"),
    _not_in_header("INT05", "OC2"),
    _not_in_header("INT06", "OC3"),
    _not_in_header("INT07", "PrevPerm"),
    _not_in_header("INT08", "Reviews"),
    _not_in_header("INT09", "UASC"),
    _differs_from_header("INT11", "AD1", "DOB"),
    _differs_from_header("INT12", "PlacedAdoption", "DOB"),
    _differs_from_header("INT13", "Missing", "DOB"),
    _differs_from_header("INT14", "OC2", "DOB"),
    _differs_from_header("INT15", "OC3", "DOB"),
    _differs_from_header("INT16", "PrevPerm", "DOB"),
    _differs_from_header("INT17", "Reviews", "DOB"),
    _differs_from_header("INT18", "UASC", "DOB"),
    _differs_from_header("INT21", "UASC", "SEX"),
    _more_than_once("INT31", "AD1"),
    _more_than_once("INT32", "Header"),
    _more_than_once("INT33", "OC2"),
    _more_than_once("INT34", "OC3"),
    _more_than_once("INT35", "PrevPerm"),
    _more_than_once("INT36", "UASC"),
]
