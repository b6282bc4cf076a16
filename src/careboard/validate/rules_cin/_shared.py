"""SQL fragments the CIN rule modules share (names say what each holds).

Each is a query or clause over the views of ``validate/context_cin.sql``.  Rows of one census
join on ``LAchildID`` and the numbers of the blocks they sit in (``EpisodeNo``, ``AssessmentNo``,
``PlanNo``): the XML has no other keys.
"""

# The start of a finding from each table: tbl, source_file, source_row, child.
CHILD = "SELECT 'Child' AS tbl, source_file, source_row, LAchildID AS child"
DISABILITY = "SELECT 'Disability' AS tbl, source_file, source_row, LAchildID AS child"
EPISODE = "SELECT 'CINEpisode' AS tbl, source_file, source_row, LAchildID AS child"
ASSESSMENT = "SELECT 'Assessment' AS tbl, source_file, source_row, LAchildID AS child"
FACTOR = "SELECT 'AssessmentFactor' AS tbl, source_file, source_row, LAchildID AS child"
CIN_PLAN = "SELECT 'CINPlan' AS tbl, source_file, source_row, LAchildID AS child"
SECTION47 = "SELECT 'Section47' AS tbl, source_file, source_row, LAchildID AS child"
CP_PLAN = "SELECT 'CPPlan' AS tbl, source_file, source_row, LAchildID AS child"
REVIEW = "SELECT 'CPPReview' AS tbl, source_file, source_row, LAchildID AS child"


def finding(table: str, alias: str) -> str:
    """The finding columns of ``alias``, a row of ``table`` in a join."""
    return f"SELECT '{table}' AS tbl, {alias}.source_file, {alias}.source_row, {alias}.LAchildID AS child"


# Joins a row (alias x) to its CIN episode (alias e).
SAME_EPISODE = "e.LAchildID = x.LAchildID AND e.EpisodeNo = x.EpisodeNo"

# The census's own header record, for findings about the whole return (the DfE's "LA level").
RETURN_LEVEL = "SELECT 'Header' AS tbl, 0 AS source_file, 1 AS source_row, NULL AS child"

# The date a piece of work is open to, for overlaps: its end, or the census's 31 March when open.
OPEN_TO_END = "coalesce({end}, collection_end())"
