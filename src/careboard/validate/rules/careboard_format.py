"""careboard's own checks (codes ``CB-...``), reported beside the DfE rules and labelled as careboard's.

The reader repairs what it can read without guessing (ISO dates, lower-case codes, Excel's '1234.0',
padded cells ...) and records every cell it repaired (``returns/conform.py``; for a loaded return,
the ``load_normalisations`` table).  The return the DfE receives still holds the original text, so
each repair is a finding here, at its row, line and field, with the value found.  So are cells the
reader could not read at all when no DfE rule reports that field, the file-level repairs (byte-order
mark, column names, extra columns, blank rows, XML layout), and any value a spreadsheet would run as
a formula.
"""

from careboard.returns.conform import NORMALISATION_KINDS
from careboard.returns.spec import ssda903
from careboard.validate.rule import VIEW_NAMES, Rule


def _repaired(kind: str) -> Rule:
    """Every cell the reader repaired with ``kind`` (``normalisations``: this return's repairs)."""
    return Rule(
        f"CB-FMT-{kind}",
        sql=f"""
        SELECT table_name AS tbl, source_file, source_row, NULL AS child, field, value, NULL AS line,
               message || '; the DfE expects ' || '{NORMALISATION_KINDS[kind].replace("'", "''")}' AS note
        FROM normalisations WHERE kind = '{kind}'
        """,
        detailed=True,
        note=f"Every cell the reader repaired this way, with the value found (the DfE expects "
        f"{NORMALISATION_KINDS[kind]}).",
    )


# Cells the reader could not type whose field no DfE 'is not a valid ...' rule run this year covers
# (those rules report them in the DfE's words); ``invalid_rule_cells`` is filled by the engine.
_UNREADABLE = """
    SELECT table_name AS tbl, source_file, source_row, NULL AS child, field, value, line,
           message || '; treated as blank; the DfE expects ' || expected AS note
    FROM invalid_cells i
    WHERE NOT EXISTS (SELECT 1 FROM invalid_rule_cells r WHERE r.tbl = i.table_name AND r.field = i.field)
"""

# What the reader did to whole files (reader_warnings: this load's warnings, with each file's index),
# leaving out the cell repairs reported above.  A file holds one table in the CSV set; an XML file
# holds them all, so its structural warnings name no table.
_FILE_LEVEL = """
    WITH file_tables AS (
        SELECT source_file, CASE WHEN count(DISTINCT table_name) = 1 THEN min(table_name) END AS tbl
        FROM row_lines GROUP BY source_file
    )
    SELECT coalesce(w.table_name, t.tbl, '') AS tbl, coalesce(w.file_index, 0) AS source_file,
           coalesce(w.source_row, 0) AS source_row, NULL AS child, w.field, w.value, w.line,
           w.message || CASE WHEN w.count > 1 THEN ' (' || w.count || ' places; the first is shown)' ELSE '' END
               AS note
    FROM reader_warnings w LEFT JOIN file_tables t ON t.source_file = w.file_index
    WHERE NOT EXISTS (SELECT 1 FROM normalisations n
                      WHERE n.table_name IS NOT DISTINCT FROM w.table_name AND n.field IS NOT DISTINCT FROM w.field
                        AND n.message = w.message)
"""

# Text a spreadsheet would take for a formula: starting with =, +, - or @ (a leading tab or carriage
# return is removed on reading and reported as CB-FMT-SPACE).
FORMULA_START = r"^[=+\-@]"


# The first characters of FORMULA_START, to pick out the rows worth unpivoting.
_FORMULA_FIRST = "('=', '+', '-', '@')"


def _formula_cells() -> str:
    """Every text cell of every table that starts like a formula (one UNPIVOT per table).

    Only the rows with such a cell are unpivoted (a row's cells, one row each, were most of the
    rule's time, for a finding that is rare)."""
    spec = ssda903()
    parts = []
    for name, view in VIEW_NAMES.items():
        table = spec.tables[name]
        cols = [c.name for c in table.columns if c.type in ("id", "code", "text", "postcode", "partial_date")]
        listed = ", ".join(cols)
        any_formula = " OR ".join(f"left({c}, 1) IN {_FORMULA_FIRST}" for c in cols)
        parts.append(
            f"SELECT '{name}' AS tbl, source_file, source_row, child_id AS child, field, value, NULL AS line, "
            f"NULL AS note FROM (UNPIVOT (SELECT source_file, source_row, CHILD AS child_id, {listed} FROM {view} "
            f"WHERE {any_formula}) "
            f"ON {listed} INTO NAME field VALUE value) "
            f"WHERE regexp_matches(value, '{FORMULA_START}')"
        )
    return "\nUNION ALL\n".join(parts)


# Every kind of repair the reader can make to a 903 cell (no 903 field is a 0/1 flag: FLAG is the
# CIN census's and the local extracts'; no 903 field is a time of day: TIME is the extracts').
KINDS_IN_903 = [kind for kind in NORMALISATION_KINDS if kind not in ("FLAG", "TIME")]

RULES = [
    *(_repaired(kind) for kind in KINDS_IN_903),
    Rule(
        "CB-FMT-UNREADABLE",
        sql=_UNREADABLE,
        detailed=True,
        note="Cells that could not be read (e.g. text in a number field) whose field no DfE rule reports as "
        "invalid; fields with such a rule (dates) are reported by it in the DfE's words.",
    ),
    Rule(
        "CB-FMT-FILE",
        sql=_FILE_LEVEL,
        detailed=True,
        note="One finding per kind of file-level repair, at its first place, with the number of places.",
    ),
    Rule(
        "CB-ID-FORMULA",
        sql=_formula_cells(),
        detailed=True,
        note="Every identifier, code, postcode or text cell starting with =, +, - or @ (exported reports "
        "neutralise such cells; the return itself should not hold them).",
    ),
]
