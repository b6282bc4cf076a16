"""DfE CIN rules on CIN plans (<CINPlanDates>, collected from 2021-22)."""

from careboard.validate.rule import Rule
from careboard.validate.rules_cin._shared import CIN_PLAN, SAME_EPISODE, finding


def _with_child(condition: str) -> str:
    """The CIN plans of children whose date of death makes ``condition`` true, and those children."""
    return f"""
        WITH wrong AS (
            SELECT x.source_file, x.source_row, x.LAchildID, c.source_file AS c_file, c.source_row AS c_row
            FROM cinplan x JOIN child c ON c.LAchildID = x.LAchildID
            WHERE c.PersonDeathDate IS NOT NULL AND {condition}
        )
        {CIN_PLAN} FROM wrong
        UNION ALL
        SELECT 'Child', c_file, c_row, LAchildID FROM wrong
    """


RULES = [
    Rule(
        "4000",
        sql=f"""
        {finding('CINPlan', 'x')} FROM cinplan x JOIN cinepisode e ON {SAME_EPISODE} WHERE e.ReferralNFA = '1'
        UNION ALL
        {finding('CINEpisode', 'e')} FROM cinepisode e
        WHERE e.ReferralNFA = '1' AND EXISTS (SELECT 1 FROM cinplan x WHERE {SAME_EPISODE})
        """,
        note="Flags the NFA episode and each CIN plan it holds.",
    ),
    Rule(
        "4001",
        sql="""
        WITH pairs AS (
            SELECT p.source_file AS p_file, p.source_row AS p_row, x.source_file AS x_file,
                   x.source_row AS x_row, x.LAchildID
            FROM cpplan p JOIN cinplan x ON x.LAchildID = p.LAchildID AND x.EpisodeNo = p.EpisodeNo
            WHERE p.CPPendDate IS NULL AND x.CINPlanEndDate IS NULL
        )
        SELECT 'CPPlan' AS tbl, p_file AS source_file, p_row AS source_row, LAchildID AS child FROM pairs
        UNION ALL
        SELECT 'CINPlan', x_file, x_row, LAchildID FROM pairs
        """,
        note="In one episode, an open child protection plan and an open CIN plan; flags both.",
    ),
    Rule(
        "4003",
        sql="""
        WITH clashes AS (
            SELECT r.source_file AS r_file, r.source_row AS r_row, p.source_file AS p_file, p.source_row AS p_row,
                   x.source_file AS x_file, x.source_row AS x_row, r.LAchildID
            FROM cppreview r
            JOIN cpplan p ON p.LAchildID = r.LAchildID AND p.EpisodeNo = r.EpisodeNo AND p.PlanNo = r.PlanNo
            JOIN cinplan x ON x.LAchildID = r.LAchildID AND x.EpisodeNo = r.EpisodeNo
            WHERE r.CPPreviewDate >= x.CINPlanStartDate
              AND r.CPPreviewDate <= coalesce(x.CINPlanEndDate, collection_end())
              AND r.CPPreviewDate IS DISTINCT FROM p.CPPendDate
        )
        SELECT 'CPPReview' AS tbl, r_file AS source_file, r_row AS source_row, LAchildID AS child FROM clashes
        UNION ALL SELECT 'CPPlan', p_file, p_row, LAchildID FROM clashes
        UNION ALL SELECT 'CINPlan', x_file, x_row, LAchildID FROM clashes
        """,
        note="In one episode, a review on or between a CIN plan's start and end (31 March if open), unless it is "
        "the day the child protection plan ended; flags the review, the plan and the CIN plan.",
    ),
    Rule(
        "4004",
        sql=f"""
        {CIN_PLAN} FROM cinplan WHERE CINPlanEndDate IS NULL
        QUALIFY count(*) OVER (PARTITION BY LAchildID, EpisodeNo) > 1
        """,
        note="Flags each open CIN plan of an episode with more than one.",
    ),
    Rule("4008", sql=_with_child("x.CINPlanStartDate > c.PersonDeathDate"), note="Flags the CIN plan and the child."),
    Rule("4009Q", sql=_with_child("x.CINPlanEndDate > c.PersonDeathDate"), note="Flags the CIN plan and the child."),
    Rule("4010", table="CINPlan", where="CINPlanStartDate IS NULL OR CINPlanStartDate > collection_end()"),
    Rule("4011", table="CINPlan", where="CINPlanEndDate < CINPlanStartDate"),
    Rule("4012Q", table="CINPlan", where="CINPlanEndDate = CINPlanStartDate"),
    Rule(
        "4013",
        table="CINPlan",
        where="CINPlanEndDate < collection_start() OR CINPlanEndDate > collection_end()",
    ),
    Rule(
        "4014",
        sql="""
        WITH pairs AS (
            SELECT a.source_file AS a_file, a.source_row AS a_row, b.source_file AS b_file, b.source_row AS b_row,
                   a.LAchildID
            FROM cinplan a JOIN cinplan b
              ON b.LAchildID = a.LAchildID AND (b.source_file, b.source_row) <> (a.source_file, a.source_row)
            WHERE a.CINPlanStartDate >= b.CINPlanStartDate
              AND a.CINPlanStartDate <= coalesce(b.CINPlanEndDate, collection_end())
        )
        SELECT 'CINPlan' AS tbl, a_file AS source_file, a_row AS source_row, LAchildID AS child FROM pairs
        UNION ALL SELECT 'CINPlan', b_file, b_row, LAchildID FROM pairs
        """,
        note="A CIN plan of the child starting on or between another's start and end (31 March if open); flags "
        "both.",
    ),
    Rule(
        "4015",
        sql=f"""
        WITH early AS (
            SELECT x.source_file, x.source_row, x.LAchildID, e.source_file AS e_file, e.source_row AS e_row
            FROM cinplan x JOIN cinepisode e ON {SAME_EPISODE}
            WHERE x.CINPlanStartDate < e.CINreferralDate
        )
        {CIN_PLAN} FROM early
        UNION ALL
        SELECT 'CINEpisode', e_file, e_row, LAchildID FROM early
        """,
        note="Flags the CIN plan and its episode.",
    ),
    Rule(
        "4016",
        sql="""
        WITH pairs AS (
            SELECT x.source_file AS x_file, x.source_row AS x_row, p.source_file AS p_file, p.source_row AS p_row,
                   x.LAchildID
            FROM cinplan x JOIN cpplan p ON p.LAchildID = x.LAchildID
            WHERE x.CINPlanStartDate >= p.CPPstartDate
              AND (x.CINPlanStartDate < p.CPPendDate
                   OR (p.CPPendDate IS NULL AND x.CINPlanStartDate <= collection_end()))
        )
        SELECT 'CINPlan' AS tbl, x_file AS source_file, x_row AS source_row, LAchildID AS child FROM pairs
        UNION ALL SELECT 'CPPlan', p_file, p_row, LAchildID FROM pairs
        """,
        note="A CIN plan of the child starting on or after a child protection plan's start and before its end "
        "(up to 31 March if open); starting the day it ends is allowed.  Flags both.",
    ),
    Rule(
        "4017",
        sql="""
        WITH pairs AS (
            SELECT p.source_file AS p_file, p.source_row AS p_row, x.source_file AS x_file, x.source_row AS x_row,
                   x.LAchildID
            FROM cpplan p JOIN cinplan x ON x.LAchildID = p.LAchildID
            WHERE p.CPPstartDate >= x.CINPlanStartDate
              AND (p.CPPstartDate < x.CINPlanEndDate
                   OR (x.CINPlanEndDate IS NULL AND p.CPPstartDate <= collection_end()))
        )
        SELECT 'CPPlan' AS tbl, p_file AS source_file, p_row AS source_row, LAchildID AS child FROM pairs
        UNION ALL SELECT 'CINPlan', x_file, x_row, LAchildID FROM pairs
        """,
        note="A child protection plan starting on or after a CIN plan's start and before its end (up to 31 March "
        "if open); starting the day it ends is allowed.  Flags both.",
    ),
]
