"""DfE CIN rules on CIN episodes (the <CINdetails> module): referral, closure, need, no further
action, and what an episode may hold."""

from careboard.validate.rule import Rule
from careboard.validate.rules_cin._shared import EPISODE, SAME_EPISODE, finding

_RC8_RC9 = "('RC8', 'RC9')"

RULES = [
    Rule(
        "2990",
        sql=f"""
        WITH closed AS (SELECT * FROM cinepisode WHERE ReasonForClosure IN {_RC8_RC9}),
        held AS (
            {finding('Section47', 'x')} FROM section47 x JOIN closed e ON {SAME_EPISODE}
            UNION ALL {finding('CPPlan', 'x')} FROM cpplan x JOIN closed e ON {SAME_EPISODE}
            UNION ALL {finding('CINPlan', 'x')} FROM cinplan x JOIN closed e ON {SAME_EPISODE}
        )
        SELECT * FROM held
        UNION ALL
        {EPISODE} FROM closed e
        WHERE e.DateOfInitialCPC IS NOT NULL
           OR EXISTS (SELECT 1 FROM section47 x WHERE {SAME_EPISODE})
           OR EXISTS (SELECT 1 FROM cpplan x WHERE {SAME_EPISODE})
           OR EXISTS (SELECT 1 FROM cinplan x WHERE {SAME_EPISODE})
        """,
        note="Flags the episode closed RC8/RC9 and each section 47, child protection plan or CIN plan it holds.",
    ),
    Rule(
        "2991Q",
        sql=f"""
        {finding('Section47', 'x')} FROM section47 x
        WHERE NOT EXISTS (SELECT 1 FROM assessment a WHERE a.LAchildID = x.LAchildID AND a.EpisodeNo = x.EpisodeNo)
        """,
        note="Flags each section 47 enquiry of an episode with no assessment.",
    ),
    Rule(
        "8555Q",
        sql=f"""
        {finding('CINEpisode', 'e')} FROM cinepisode e JOIN child c ON c.LAchildID = e.LAchildID
        WHERE e.CINreferralDate > c.PersonDeathDate
        UNION ALL
        {finding('Child', 'c')} FROM child c JOIN cinepisode e ON c.LAchildID = e.LAchildID
        WHERE e.CINreferralDate > c.PersonDeathDate
        """,
        note="Flags the referral and the child.",
    ),
    Rule(
        "8565",
        sql=f"""
        WITH closed AS (SELECT * FROM cinepisode WHERE CINclosureDate IS NOT NULL),
        later AS (
            {finding('Assessment', 'x')} FROM assessment x JOIN closed e ON {SAME_EPISODE}
            WHERE x.AssessmentActualStartDate > e.CINclosureDate OR x.AssessmentAuthorisationDate > e.CINclosureDate
            UNION ALL
            {finding('Section47', 'x')} FROM section47 x JOIN closed e ON {SAME_EPISODE}
            WHERE x.S47ActualStartDate > e.CINclosureDate OR x.DateOfInitialCPC > e.CINclosureDate
            UNION ALL
            {finding('CPPlan', 'x')} FROM cpplan x JOIN closed e ON {SAME_EPISODE}
            WHERE x.CPPendDate > e.CINclosureDate
            UNION ALL
            {finding('CINPlan', 'x')} FROM cinplan x JOIN closed e ON {SAME_EPISODE}
            WHERE x.CINPlanStartDate > e.CINclosureDate OR x.CINPlanEndDate > e.CINclosureDate
        )
        SELECT * FROM later
        UNION ALL
        {EPISODE} FROM closed e
        WHERE e.DateOfInitialCPC > e.CINclosureDate
           OR EXISTS (SELECT 1 FROM assessment x WHERE {SAME_EPISODE}
                      AND (x.AssessmentActualStartDate > e.CINclosureDate
                           OR x.AssessmentAuthorisationDate > e.CINclosureDate))
           OR EXISTS (SELECT 1 FROM section47 x WHERE {SAME_EPISODE}
                      AND (x.S47ActualStartDate > e.CINclosureDate OR x.DateOfInitialCPC > e.CINclosureDate))
           OR EXISTS (SELECT 1 FROM cpplan x WHERE {SAME_EPISODE} AND x.CPPendDate > e.CINclosureDate)
           OR EXISTS (SELECT 1 FROM cinplan x WHERE {SAME_EPISODE}
                      AND (x.CINPlanStartDate > e.CINclosureDate OR x.CINPlanEndDate > e.CINclosureDate))
        """,
        note="Flags the closed episode and each assessment, section 47, plan or CIN plan dated after its closure.  "
        "The community validator never checks CPPendDate (its check runs on a fixed test table instead of the "
        "return's plans).",
    ),
    Rule(
        "8568",
        table="CINEpisode",
        where="ReferralNFA IS NULL OR NOT valid_code('YES_NO', ReferralNFA)",
        note="1 or 0 (true or false, which careboard reads as 1 and 0).",
    ),
    Rule(
        "8569Q",
        sql=f"""
        {EPISODE} FROM cinepisode
        WHERE CINreferralDate < (SELECT start_less_1_working_day FROM census_dates) AND ReferralNFA = '1'
        """,
        note="Referred before the working day before 1 April (an authority has one working day to decide on a "
        "referral) yet marked no further action.  A blank flag is rule 8568's, not this one's (the community "
        "validator flags it here too), and a referral on that last working day may still be NFA (the "
        "community validator counts from 1 April itself).",
    ),
    Rule(
        "8585Q",
        sql=f"""
        {finding('CINEpisode', 'e')} FROM cinepisode e
        WHERE e.ReasonForClosure = 'RC2'
          AND NOT EXISTS (SELECT 1 FROM child c WHERE c.LAchildID = e.LAchildID AND c.PersonDeathDate IS NOT NULL)
        UNION ALL
        {finding('Child', 'c')} FROM child c
        WHERE c.PersonDeathDate IS NULL
          AND EXISTS (SELECT 1 FROM cinepisode e WHERE e.LAchildID = c.LAchildID AND e.ReasonForClosure = 'RC2')
        """,
        note="Flags the episode and the child.",
    ),
    Rule(
        "8600",
        table="CINEpisode",
        where="CINreferralDate IS NULL OR CINreferralDate > collection_end()",
    ),
    Rule(
        "8606",
        sql=f"""
        WITH early AS (
            SELECT e.source_file, e.source_row, e.LAchildID, c.source_file AS c_file, c.source_row AS c_row
            FROM cinepisode e JOIN child c ON c.LAchildID = e.LAchildID
            WHERE e.CINreferralDate < coalesce(c.PersonBirthDate, c.ExpectedPersonBirthDate) - INTERVAL 280 DAY
        )
        {EPISODE} FROM early
        UNION ALL
        SELECT 'Child', c_file, c_row, LAchildID FROM early
        """,
        note="More than 280 days (40 weeks) before the date of birth, or the expected date of birth of an unborn "
        "child; flags the referral and the child.",
    ),
    Rule("8610", table="CINEpisode", where="ReferralNFA = '0' AND PrimaryNeedCode IS NULL"),
    Rule(
        "8620",
        table="CINEpisode",
        where="CINclosureDate < collection_start() OR CINclosureDate > collection_end()",
    ),
    Rule("8630", table="CINEpisode", where="CINclosureDate < CINreferralDate"),
    Rule(
        "8640",
        table="CINEpisode",
        where="ReasonForClosure IS NOT NULL AND NOT valid_code('CLOSURE_REASON', ReasonForClosure)",
        note="The year's code list (RC9 from 2022-23).  A missing reason is rule 8805's.",
    ),
    Rule(
        "8650",
        table="CINEpisode",
        where="PrimaryNeedCode IS NOT NULL AND NOT valid_code('PRIMARY_NEED', PrimaryNeedCode)",
    ),
    Rule("8805", table="CINEpisode", where="CINclosureDate IS NOT NULL AND ReasonForClosure IS NULL"),
    Rule("8810", table="CINEpisode", where="ReasonForClosure IS NOT NULL AND CINclosureDate IS NULL"),
    Rule(
        "8815",
        sql=f"""
        {EPISODE} FROM cinepisode
        WHERE CINclosureDate IS NULL AND ReferralNFA = '0'
        QUALIFY count(*) OVER (PARTITION BY LAchildID) > 1
        """,
        note="Flags each of the child's open episodes that went on to further action (open NFA referrals may "
        "be several).",
    ),
    Rule(
        "8816",
        sql=f"""
        WITH ranked AS (
            SELECT *, max(CINreferralDate) OVER (PARTITION BY LAchildID) AS latest
            FROM cinepisode WHERE CINreferralDate IS NOT NULL
        ),
        wrong AS (SELECT * FROM ranked WHERE CINclosureDate IS NULL AND ReferralNFA = '0'
                  AND CINreferralDate < latest)
        {EPISODE} FROM wrong
        UNION ALL
        {EPISODE} FROM ranked r
        WHERE CINreferralDate = latest AND LAchildID IN (SELECT LAchildID FROM wrong)
        """,
        note="Flags the open episode and the child's latest referral it should have been.",
    ),
    Rule(
        "8820",
        sql="""
        WITH pairs AS (
            SELECT a.source_file AS a_file, a.source_row AS a_row, b.source_file AS b_file,
                   b.source_row AS b_row, a.LAchildID
            FROM cinepisode a JOIN cinepisode b
              ON b.LAchildID = a.LAchildID AND (b.source_file, b.source_row) <> (a.source_file, a.source_row)
            WHERE a.CINreferralDate >= b.CINreferralDate
              AND (a.CINreferralDate < b.CINclosureDate
                   OR (b.CINclosureDate IS NULL AND b.ReferralNFA = '0' AND a.CINreferralDate <= collection_end()))
        )
        SELECT 'CINEpisode' AS tbl, a_file AS source_file, a_row AS source_row, LAchildID AS child FROM pairs
        UNION ALL
        SELECT 'CINEpisode', b_file, b_row, LAchildID FROM pairs
        """,
        note="A referral on or after another's referral and before its closure (a referral may start the day "
        "the previous one closed), or at any time after an open referral that went on to further action.  "
        "Flags both episodes.",
    ),
    Rule(
        "8825Q",
        sql=f"""
        {EPISODE} FROM cinepisode e
        WHERE ReasonForClosure IN {_RC8_RC9}
          AND NOT EXISTS (SELECT 1 FROM assessment a WHERE a.LAchildID = e.LAchildID AND a.EpisodeNo = e.EpisodeNo)
        """,
    ),
    Rule(
        "8831",
        sql=f"""
        WITH nfa AS (SELECT * FROM cinepisode WHERE ReferralNFA = '1'),
        held AS (
            {finding('Assessment', 'x')} FROM assessment x JOIN nfa e ON {SAME_EPISODE}
            WHERE x.AssessmentActualStartDate IS NOT NULL OR x.AssessmentAuthorisationDate IS NOT NULL
            UNION ALL
            {finding('Section47', 'x')} FROM section47 x JOIN nfa e ON {SAME_EPISODE}
            WHERE x.S47ActualStartDate IS NOT NULL OR x.DateOfInitialCPC IS NOT NULL
        )
        SELECT * FROM held
        UNION ALL
        {EPISODE} FROM nfa e
        WHERE e.DateOfInitialCPC IS NOT NULL
           OR EXISTS (SELECT 1 FROM assessment x WHERE {SAME_EPISODE}
                      AND (x.AssessmentActualStartDate IS NOT NULL OR x.AssessmentAuthorisationDate IS NOT NULL))
           OR EXISTS (SELECT 1 FROM section47 x WHERE {SAME_EPISODE}
                      AND (x.S47ActualStartDate IS NOT NULL OR x.DateOfInitialCPC IS NOT NULL))
        """,
        note="Flags the NFA episode and each assessment or section 47 with a date; a conference date on the "
        "episode itself counts too.",
    ),
    Rule(
        "8832",
        sql=f"""
        {finding('CPPlan', 'x')} FROM cpplan x JOIN cinepisode e ON {SAME_EPISODE} WHERE e.ReferralNFA = '1'
        UNION ALL
        {EPISODE} FROM cinepisode e
        WHERE e.ReferralNFA = '1' AND EXISTS (SELECT 1 FROM cpplan x WHERE {SAME_EPISODE})
        """,
        note="Flags the NFA episode and each child protection plan it holds.",
    ),
    Rule(
        "8866",
        table="CINEpisode",
        where="CINreferralDate >= DATE '2013-04-01' "
        "AND (ReferralSource IS NULL OR NOT valid_code('REFERRAL_SOURCE', ReferralSource))",
    ),
]
