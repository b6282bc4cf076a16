"""DfE CIN rules on child protection plans and their reviews."""

from careboard.validate.rule import Rule
from careboard.validate.rules_cin._shared import CP_PLAN, SAME_EPISODE


def _with(other: str, join: str, condition: str) -> str:
    """Plans (x) where ``condition`` holds against a row (o) of table ``other``; flags both."""
    view = {"Child": "child", "CINEpisode": "cinepisode", "CPPReview": "cppreview"}[other]
    return f"""
        WITH wrong AS (
            SELECT x.source_file, x.source_row, x.LAchildID, o.source_file AS o_file, o.source_row AS o_row
            FROM cpplan x JOIN {view} o ON {join}
            WHERE {condition}
        )
        {CP_PLAN} FROM wrong
        UNION ALL
        SELECT '{other}', o_file, o_row, LAchildID FROM wrong
    """


_CHILD = "o.LAchildID = x.LAchildID"
_EPISODE = SAME_EPISODE.replace("e.", "o.")
_REVIEW = "o.LAchildID = x.LAchildID AND o.EpisodeNo = x.EpisodeNo AND o.PlanNo = x.PlanNo"

RULES = [
    Rule(
        "1105",
        sql=_with("CINEpisode", _EPISODE, "x.CPPstartDate < o.CINreferralDate"),
        note="Flags the plan and its episode.",
    ),
    Rule("8720", table="CPPlan", where="CPPstartDate IS NULL OR CPPstartDate > collection_end()"),
    Rule("8730", table="CPPlan", where="NumberOfPreviousCPP IS NULL OR NumberOfPreviousCPP < 0"),
    Rule("8840", table="CPPlan", where="CPPstartDate = CPPendDate"),
    Rule(
        "8841",
        sql=_with("CPPReview", _REVIEW, "o.CPPreviewDate <= x.CPPstartDate"),
        note="Flags the plan and the review.",
    ),
    Rule(
        "8842Q",
        table="CPPReview",
        where="CPPreviewDate IS NULL",
        note="A <CPPreviewDate> element left empty (a date that could not be read is careboard's CB-TYPE).",
    ),
    Rule(
        "8905",
        table="CPPlan",
        where="InitialCategoryOfAbuse IS NULL OR NOT valid_code('ABUSE_CATEGORY', InitialCategoryOfAbuse)",
    ),
    Rule(
        "8910",
        table="CPPlan",
        where="LatestCategoryOfAbuse IS NULL OR NOT valid_code('ABUSE_CATEGORY', LatestCategoryOfAbuse)",
    ),
    Rule(
        "8915",
        sql=_with("Child", _CHILD, "x.CPPstartDate > o.PersonDeathDate"),
        note="Flags the plan and the child.",
    ),
    Rule(
        "8920",
        sql=_with("Child", _CHILD, "x.CPPendDate > o.PersonDeathDate"),
        note="Flags the plan and the child.",
    ),
    Rule("8925", table="CPPlan", where="CPPendDate < CPPstartDate"),
    Rule("8930", table="CPPlan", where="CPPendDate < collection_start() OR CPPendDate > collection_end()"),
    Rule(
        "8935",
        sql=f"{CP_PLAN} FROM cpplan WHERE CPPendDate IS NULL QUALIFY count(*) OVER (PARTITION BY LAchildID) > 1",
        note="Flags each of the child's open plans.",
    ),
    Rule(
        "8940",
        sql="""
        WITH pairs AS (
            SELECT a.source_file AS a_file, a.source_row AS a_row, b.source_file AS b_file, b.source_row AS b_row,
                   a.LAchildID
            FROM cpplan a JOIN cpplan b
              ON b.LAchildID = a.LAchildID AND (b.source_file, b.source_row) <> (a.source_file, a.source_row)
            WHERE a.CPPstartDate >= b.CPPstartDate
              AND a.CPPstartDate <= coalesce(b.CPPendDate, collection_end())
        )
        SELECT 'CPPlan' AS tbl, a_file AS source_file, a_row AS source_row, LAchildID AS child FROM pairs
        UNION ALL SELECT 'CPPlan', b_file, b_row, LAchildID FROM pairs
        """,
        note="A plan of the child starting on or between another's start and end (31 March if open); flags both.",
    ),
]
