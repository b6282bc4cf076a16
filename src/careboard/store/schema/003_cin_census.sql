-- CIN census (children in need) return tables: one per table of careboard/returns/spec/cin_census.yaml,
-- named cin_<table in lower case>, one row per element of the XML return as received, typed, with the
-- load it came from, the file, and the record it was (source_row: the child's position for cin_child,
-- else the element's 1-based position in the file).  Spec columns follow in spec order: DATE for
-- dates, INTEGER for whole numbers, VARCHAR for identifiers, codes, flags (0/1) and text.  Tables
-- below cin_child repeat LAchildID and the numbers of the blocks they sit in (EpisodeNo,
-- AssessmentNo, PlanNo), so that they join without relying on row order.
-- Columns follow the spec; a test (tests/test_cin_xml.py) keeps the two in step.

CREATE TABLE IF NOT EXISTS cin_child (
    load_id INTEGER NOT NULL,
    la VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    source_file SMALLINT NOT NULL,
    source_row INTEGER NOT NULL,
    LAchildID VARCHAR,
    UPN VARCHAR,
    FormerUPN VARCHAR,
    UPNunknown VARCHAR,
    PersonBirthDate DATE,
    ExpectedPersonBirthDate DATE,
    Sex VARCHAR,
    PersonDeathDate DATE,
    Ethnicity VARCHAR
);

CREATE TABLE IF NOT EXISTS cin_disability (
    load_id INTEGER NOT NULL,
    la VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    source_file SMALLINT NOT NULL,
    source_row INTEGER NOT NULL,
    LAchildID VARCHAR,
    Disability VARCHAR
);

CREATE TABLE IF NOT EXISTS cin_cinepisode (
    load_id INTEGER NOT NULL,
    la VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    source_file SMALLINT NOT NULL,
    source_row INTEGER NOT NULL,
    LAchildID VARCHAR,
    EpisodeNo INTEGER,
    CINreferralDate DATE,
    ReferralSource VARCHAR,
    PrimaryNeedCode VARCHAR,
    CINclosureDate DATE,
    ReasonForClosure VARCHAR,
    DateOfInitialCPC DATE,
    ReferralNFA VARCHAR
);

CREATE TABLE IF NOT EXISTS cin_assessment (
    load_id INTEGER NOT NULL,
    la VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    source_file SMALLINT NOT NULL,
    source_row INTEGER NOT NULL,
    LAchildID VARCHAR,
    EpisodeNo INTEGER,
    AssessmentNo INTEGER,
    AssessmentActualStartDate DATE,
    AssessmentInternalReviewDate DATE,
    AssessmentAuthorisationDate DATE
);

CREATE TABLE IF NOT EXISTS cin_assessmentfactor (
    load_id INTEGER NOT NULL,
    la VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    source_file SMALLINT NOT NULL,
    source_row INTEGER NOT NULL,
    LAchildID VARCHAR,
    EpisodeNo INTEGER,
    AssessmentNo INTEGER,
    AssessmentFactors VARCHAR
);

-- collected from 2022
CREATE TABLE IF NOT EXISTS cin_cinplan (
    load_id INTEGER NOT NULL,
    la VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    source_file SMALLINT NOT NULL,
    source_row INTEGER NOT NULL,
    LAchildID VARCHAR,
    EpisodeNo INTEGER,
    CINPlanStartDate DATE,
    CINPlanEndDate DATE
);

CREATE TABLE IF NOT EXISTS cin_section47 (
    load_id INTEGER NOT NULL,
    la VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    source_file SMALLINT NOT NULL,
    source_row INTEGER NOT NULL,
    LAchildID VARCHAR,
    EpisodeNo INTEGER,
    S47ActualStartDate DATE,
    InitialCPCtarget DATE,
    DateOfInitialCPC DATE,
    ICPCnotRequired VARCHAR
);

CREATE TABLE IF NOT EXISTS cin_cpplan (
    load_id INTEGER NOT NULL,
    la VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    source_file SMALLINT NOT NULL,
    source_row INTEGER NOT NULL,
    LAchildID VARCHAR,
    EpisodeNo INTEGER,
    PlanNo INTEGER,
    CPPstartDate DATE,
    CPPendDate DATE,
    InitialCategoryOfAbuse VARCHAR,
    LatestCategoryOfAbuse VARCHAR,
    NumberOfPreviousCPP INTEGER
);

CREATE TABLE IF NOT EXISTS cin_cppreview (
    load_id INTEGER NOT NULL,
    la VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    source_file SMALLINT NOT NULL,
    source_row INTEGER NOT NULL,
    LAchildID VARCHAR,
    EpisodeNo INTEGER,
    PlanNo INTEGER,
    CPPreviewDate DATE
);

-- collected from 2027
CREATE TABLE IF NOT EXISTS cin_preproceedings (
    load_id INTEGER NOT NULL,
    la VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    source_file SMALLINT NOT NULL,
    source_row INTEGER NOT NULL,
    LAchildID VARCHAR,
    EpisodeNo INTEGER,
    PPStartDate DATE,
    LBPSentDate DATE,
    FGDMMeetingOffer VARCHAR,
    FGDMMeetingFac VARCHAR,
    InitialPPMeetingDate DATE,
    ReviewMeetingsCount INTEGER,
    StepDecisionDate DATE,
    PPOutcome VARCHAR,
    CourtAppDate DATE,
    LetterInitCPDate DATE
);
