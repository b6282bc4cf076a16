"""The census header (rule 100) and values the reader could not type (careboard's CB-TYPE)."""

from careboard.validate.rule import Rule

RULES = [
    Rule(
        "100",
        sql="""
        SELECT 'Header' AS tbl, source_file, source_row, NULL AS child FROM header
        WHERE try_strptime(trim(ReferenceDate), '%Y-%m-%d')::DATE IS DISTINCT FROM collection_end()
        """,
        note="<ReferenceDate> must be present and equal 31 March of the collection year.  Only run on a census "
        "whose header careboard kept (loads made before it kept headers have none to check).",
    ),
    Rule(
        "CB-TYPE",
        # invalid_cells: every cell of this census the reader could not type (filled by the engine).
        sql="""
        SELECT table_name AS tbl, source_file, source_row, NULL AS child, field, value, line,
               message || '; the DfE expects ' || expected AS note
        FROM invalid_cells
        """,
        detailed=True,
        note="Every cell the reader could not type (a date that is not a yyyy-mm-dd date, text in a number).  "
        "Such a cell is blank to every other rule, so without this check it would pass silently; the DfE's "
        "schema check rejects such a file before its rules run.",
    ),
]
