"""DfE CIN rules on assessments and the factors identified at assessment."""

from careboard.validate.rule import Rule
from careboard.validate.rules_cin._shared import ASSESSMENT, SAME_EPISODE

# The factors of an assessment (alias a).
_FACTORS_OF = "f.LAchildID = a.LAchildID AND f.EpisodeNo = a.EpisodeNo AND f.AssessmentNo = a.AssessmentNo"


def _uses_factor(code: str) -> str:
    return f"""
        {ASSESSMENT} FROM assessment a
        WHERE EXISTS (SELECT 1 FROM assessmentfactor f WHERE {_FACTORS_OF} AND f.AssessmentFactors = '{code}')
    """


RULES = [
    Rule(
        "1103",
        sql=f"""
        WITH early AS (
            SELECT x.source_file, x.source_row, x.LAchildID, e.source_file AS e_file, e.source_row AS e_row
            FROM assessment x JOIN cinepisode e ON {SAME_EPISODE}
            WHERE x.AssessmentActualStartDate < e.CINreferralDate
        )
        {ASSESSMENT} FROM early
        UNION ALL
        SELECT 'CINEpisode', e_file, e_row, LAchildID FROM early
        """,
        note="Flags the assessment and its episode.",
    ),
    Rule("8608", table="Assessment", where="AssessmentAuthorisationDate < AssessmentActualStartDate"),
    Rule(
        "8614",
        sql=f"""
        {ASSESSMENT} FROM assessment a
        WHERE a.AssessmentAuthorisationDate IS NULL
          AND EXISTS (SELECT 1 FROM assessmentfactor f WHERE {_FACTORS_OF})
        """,
        note="An assessment with factors but no authorisation date is flagged (its factors are not).",
    ),
    Rule(
        "8670Q",
        sql=f"""
        {ASSESSMENT} FROM assessment
        WHERE AssessmentAuthorisationDate IS NULL
          AND AssessmentActualStartDate < (SELECT end_less_45_working_days FROM census_dates)
        """,
        note="Started before 31 March less 45 working days (England's bank holidays counted) and not "
        "authorised.  The community validator counts 44 working days back, so also flags assessments started "
        "on the 45th working day before 31 March.",
    ),
    Rule(
        "8696",
        table="Assessment",
        where="AssessmentAuthorisationDate < collection_start() OR AssessmentAuthorisationDate > collection_end()",
    ),
    Rule(
        "8736",
        table="Assessment",
        where="AssessmentAuthorisationDate IS NULL "
        "AND (AssessmentActualStartDate < collection_start() OR AssessmentActualStartDate > collection_end())",
    ),
    Rule(
        "8863Q",
        sql="""
        WITH pairs AS (
            SELECT a.source_file AS a_file, a.source_row AS a_row, b.source_file AS b_file, b.source_row AS b_row,
                   a.LAchildID
            FROM assessment a JOIN assessment b
              ON b.LAchildID = a.LAchildID AND b.EpisodeNo = a.EpisodeNo AND b.AssessmentNo <> a.AssessmentNo
            WHERE a.AssessmentActualStartDate >= b.AssessmentActualStartDate
              AND a.AssessmentActualStartDate <= coalesce(b.AssessmentAuthorisationDate, collection_end())
        )
        SELECT 'Assessment' AS tbl, a_file AS source_file, a_row AS source_row, LAchildID AS child FROM pairs
        UNION ALL
        SELECT 'Assessment', b_file, b_row, LAchildID FROM pairs
        """,
        note="Within one episode, an assessment starting on or between another's start and authorisation (or "
        "31 March if not authorised); flags both.",
    ),
    Rule(
        "8867",
        sql=f"""
        WITH open AS (
            SELECT x.source_file, x.source_row, x.LAchildID, e.source_file AS e_file, e.source_row AS e_row
            FROM assessment x JOIN cinepisode e ON {SAME_EPISODE}
            WHERE e.CINclosureDate IS NOT NULL AND x.AssessmentAuthorisationDate IS NULL
        )
        {ASSESSMENT} FROM open
        UNION ALL
        SELECT 'CINEpisode', e_file, e_row, LAchildID FROM open
        """,
        note="Flags the assessment without an authorisation date and its closed episode.",
    ),
    Rule(
        "8869",
        sql=f"""
        {ASSESSMENT} FROM assessment a
        WHERE EXISTS (SELECT 1 FROM assessmentfactor f WHERE {_FACTORS_OF} AND f.AssessmentFactors = '21')
          AND EXISTS (SELECT 1 FROM assessmentfactor f WHERE {_FACTORS_OF}
                      AND f.AssessmentFactors IS DISTINCT FROM '21')
        """,
        note="Flags the assessment.",
    ),
    Rule(
        "8873Q",
        sql=f"""
        WITH only_one AS (
            SELECT a.* FROM assessment a
            QUALIFY count(*) OVER (PARTITION BY a.LAchildID, a.EpisodeNo) = 1
        ),
        wrong AS (
            SELECT a.source_file, a.source_row, a.LAchildID, e.source_file AS e_file, e.source_row AS e_row
            FROM only_one a JOIN cinepisode e ON e.LAchildID = a.LAchildID AND e.EpisodeNo = a.EpisodeNo
            WHERE a.AssessmentAuthorisationDate IS NOT NULL
              AND EXISTS (SELECT 1 FROM assessmentfactor f WHERE {_FACTORS_OF} AND f.AssessmentFactors = '21')
              AND e.ReasonForClosure IS NOT NULL AND e.ReasonForClosure NOT IN ('RC8', 'RC9')
        )
        {ASSESSMENT} FROM wrong
        UNION ALL
        SELECT 'CINEpisode', e_file, e_row, LAchildID FROM wrong
        """,
        note="Only closed episodes: an open case whose one completed assessment found no factors has no reason "
        "for closure to check yet (the community validator flags it).  Flags the assessment and the episode.",
    ),
    Rule(
        "8896",
        sql=f"""
        {ASSESSMENT} FROM assessment WHERE AssessmentAuthorisationDate IS NULL
        QUALIFY count(*) OVER (PARTITION BY LAchildID, EpisodeNo) > 1
        """,
        note="Flags each of the episode's assessments without an authorisation date.",
    ),
    Rule(
        "8897Q",
        sql=f"""
        {ASSESSMENT} FROM assessment a
        WHERE a.AssessmentAuthorisationDate >= collection_start()
          AND (NOT EXISTS (SELECT 1 FROM assessmentfactor f WHERE {_FACTORS_OF} AND f.AssessmentFactors IS NOT NULL)
               OR EXISTS (SELECT 1 FROM assessmentfactor f WHERE {_FACTORS_OF}
                          AND (f.AssessmentFactors IS NULL
                               OR NOT valid_code('ASSESSMENT_FACTOR', f.AssessmentFactors))))
        """,
        note="An assessment authorised in the year with no factor, or with a blank or invalid one (the year's "
        "code list), is flagged.",
    ),
    Rule(
        "8898",
        sql=f"""
        {ASSESSMENT} FROM assessment a
        WHERE EXISTS (SELECT 1 FROM assessmentfactor f WHERE {_FACTORS_OF} AND f.AssessmentFactors IS NOT NULL
                      GROUP BY f.AssessmentFactors HAVING count(*) > 1)
        """,
        note="Flags the assessment.",
    ),
    Rule(
        "8945Q",
        sql=_uses_factor("18A"),
        note="Flags the assessment.  The community validator compares the assessment's list of factors with '18A' "
        "as text, so never fires.",
    ),
    Rule(
        "8950Q",
        sql=_uses_factor("19A"),
        note="Flags the assessment.  The community validator compares the assessment's list of factors with '19A' "
        "as text, so never fires.",
    ),
]
