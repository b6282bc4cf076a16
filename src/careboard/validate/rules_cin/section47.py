"""DfE CIN rules on section 47 enquiries and initial child protection conferences."""

from careboard.validate.rule import Rule
from careboard.validate.rules_cin._shared import EPISODE, RETURN_LEVEL, SAME_EPISODE, SECTION47

# A section 47 enquiry still waiting for its conference: no conference date, and not marked as
# needing none.
_AWAITING_ICPC = "DateOfInitialCPC IS NULL AND ICPCnotRequired IS DISTINCT FROM '1'"


def _with_episode(condition: str) -> str:
    """Section 47 enquiries (x) where ``condition`` holds against their episode (e), and those episodes."""
    return f"""
        WITH wrong AS (
            SELECT x.source_file, x.source_row, x.LAchildID, e.source_file AS e_file, e.source_row AS e_row
            FROM section47 x JOIN cinepisode e ON {SAME_EPISODE}
            WHERE {condition}
        )
        {SECTION47} FROM wrong
        UNION ALL
        SELECT 'CINEpisode', e_file, e_row, LAchildID FROM wrong
    """


RULES = [
    Rule(
        "1104",
        sql=_with_episode("x.DateOfInitialCPC < e.CINreferralDate"),
        note="The conference date of the section 47 enquiry; flags it and its episode.",
    ),
    Rule(
        "2883",
        sql=f"""
        {RETURN_LEVEL}
        WHERE (SELECT count(*) FROM cpplan WHERE CPPstartDate BETWEEN collection_start() AND collection_end())
            > (SELECT count(*) FROM cinepisode WHERE DateOfInitialCPC BETWEEN collection_start() AND collection_end())
            + (SELECT count(*) FROM section47 WHERE DateOfInitialCPC BETWEEN collection_start() AND collection_end())
        """,
        note="A finding about the whole return, on the header record.",
    ),
    Rule(
        "2884",
        sql=_with_episode("x.DateOfInitialCPC = e.DateOfInitialCPC"),
        note="The same conference date on the episode and on one of its section 47 enquiries; flags both.  The "
        "community validator matches dates across all of the child's episodes.",
    ),
    Rule(
        "2885",
        sql="""
        WITH plans AS (
            SELECT p.*, e.source_file AS e_file, e.source_row AS e_row, e.DateOfInitialCPC AS episode_icpc,
                   EXISTS (SELECT 1 FROM section47 s WHERE s.LAchildID = p.LAchildID AND s.EpisodeNo = p.EpisodeNo
                           AND coalesce(s.ICPCnotRequired, '') <> '1') AS has_s47
            FROM cpplan p JOIN cinepisode e ON e.LAchildID = p.LAchildID AND e.EpisodeNo = p.EpisodeNo
            WHERE p.CPPstartDate BETWEEN collection_start() AND collection_end()
        ),
        wrong AS (
            SELECT * FROM plans p
            WHERE CASE WHEN p.has_s47
                       THEN NOT EXISTS (SELECT 1 FROM section47 s WHERE s.LAchildID = p.LAchildID
                                        AND s.EpisodeNo = p.EpisodeNo AND s.DateOfInitialCPC = p.CPPstartDate)
                       ELSE p.episode_icpc IS DISTINCT FROM p.CPPstartDate END
        )
        SELECT 'CPPlan' AS tbl, source_file, source_row, LAchildID AS child FROM wrong
        UNION ALL
        SELECT 'Section47', s.source_file, s.source_row, s.LAchildID FROM wrong w
        JOIN section47 s ON s.LAchildID = w.LAchildID AND s.EpisodeNo = w.EpisodeNo AND w.has_s47
          AND coalesce(s.ICPCnotRequired, '') <> '1'
        UNION ALL
        SELECT 'CINEpisode', e_file, e_row, LAchildID FROM wrong WHERE NOT has_s47
        """,
        note="A plan starting in the year must start on the day of a conference of its episode: a section 47 "
        "enquiry's (those marked 'conference not required' aside) or, with none, the episode's own.  Flags "
        "the plan and the enquiries (or the episode) it should match.",
    ),
    Rule(
        "2889",
        sql=_with_episode("x.S47ActualStartDate < e.CINreferralDate"),
        note="Flags the enquiry and its episode.",
    ),
    Rule(
        "8615",
        table="Section47",
        where="DateOfInitialCPC IS NOT NULL AND (S47ActualStartDate IS NULL OR S47ActualStartDate > DateOfInitialCPC)",
    ),
    Rule(
        "8675Q",
        sql=f"""
        {SECTION47} FROM section47
        WHERE {_AWAITING_ICPC}
          AND S47ActualStartDate < (SELECT end_less_15_working_days FROM census_dates)
        """,
        note="No conference yet and not marked 'not required' (a blank flag is not a 'not required'), and started "
        "before 31 March less 15 working days (England's bank holidays counted).",
    ),
    Rule(
        "8715",
        sql=f"""
        {SECTION47} FROM section47
        WHERE DateOfInitialCPC < collection_start() OR DateOfInitialCPC > collection_end()
        UNION ALL
        {EPISODE} FROM cinepisode
        WHERE DateOfInitialCPC < collection_start() OR DateOfInitialCPC > collection_end()
        """,
        note="The conference date is one DfE data item (N00110) recorded on the section 47 enquiry or on the "
        "episode; both are checked (the community validator checks only the enquiry's).",
    ),
    Rule(
        "8740",
        table="Section47",
        where=f"{_AWAITING_ICPC} "
        "AND (S47ActualStartDate < collection_start() OR S47ActualStartDate > collection_end())",
    ),
    Rule(
        "8839",
        sql=f"""
        {SECTION47} FROM section47 WHERE {_AWAITING_ICPC}
        QUALIFY count(*) OVER (PARTITION BY LAchildID, EpisodeNo) > 1
        """,
        note="Flags each of the episode's enquiries still waiting for a conference.",
    ),
    Rule(
        "8868",
        sql=_with_episode(
            "e.CINclosureDate IS NOT NULL AND x.DateOfInitialCPC IS NULL AND x.ICPCnotRequired IS DISTINCT FROM '1'"
        ),
        note="Flags the enquiry and its closed episode.",
    ),
    Rule("8870Q", table="Section47", where="isodow(InitialCPCtarget) IN (6, 7)"),
    Rule(
        "8875",
        sql=f"""
        {SECTION47} FROM section47 WHERE isodow(DateOfInitialCPC) IN (6, 7)
        UNION ALL
        {EPISODE} FROM cinepisode WHERE isodow(DateOfInitialCPC) IN (6, 7)
        """,
        note="Both places the conference date is recorded are checked (see 8715).",
    ),
    Rule(
        "8890",
        sql="""
        WITH pairs AS (
            SELECT a.source_file AS a_file, a.source_row AS a_row, b.source_file AS b_file, b.source_row AS b_row,
                   a.LAchildID
            FROM section47 a JOIN section47 b
              ON b.LAchildID = a.LAchildID AND b.EpisodeNo = a.EpisodeNo
             AND (b.source_file, b.source_row) <> (a.source_file, a.source_row)
            WHERE a.S47ActualStartDate >= b.S47ActualStartDate
              AND (a.S47ActualStartDate <= b.DateOfInitialCPC
                   OR (b.DateOfInitialCPC IS NULL AND b.ICPCnotRequired IS DISTINCT FROM '1'
                       AND a.S47ActualStartDate <= collection_end()))
        )
        SELECT 'Section47' AS tbl, a_file AS source_file, a_row AS source_row, LAchildID AS child FROM pairs
        UNION ALL SELECT 'Section47', b_file, b_row, LAchildID FROM pairs
        """,
        note="Within one episode, an enquiry starting on or between another's start and conference (31 March if "
        "it is still waiting for one); flags both.  Two identical enquiries are flagged too (the community "
        "validator takes them for one).",
    ),
]
