-- The Panel's oversight of the service (issue 15): the Children's Social Work Workforce census (CSWW)
-- and the local extracts' optional columns for the IRO service and the missing-children themes.
--
-- csww_<table>: one table per table of careboard/returns/spec/csww.yaml, with the same provenance
-- columns as the other returns (source_row: the record's position among its kind in the file).
-- `year` is careboard's collection year, the one the census date (30 September) falls in.
-- New extract columns are optional in the files (docs/extracts.md) and appended here in spec order.

CREATE TABLE IF NOT EXISTS csww_vacancies (
    load_id INTEGER NOT NULL,
    la VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    source_file SMALLINT NOT NULL,
    source_row INTEGER NOT NULL,
    NumberOfVacancies DOUBLE,
    NoAgencyFTE DOUBLE,
    NoAgencyHeadcount INTEGER
);

CREATE TABLE IF NOT EXISTS csww_worker (
    load_id INTEGER NOT NULL,
    la VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    source_file SMALLINT NOT NULL,
    source_row INTEGER NOT NULL,
    AgencyWorker VARCHAR,
    SWENo VARCHAR,
    FTE DOUBLE,
    PersonBirthDate DATE,
    GenderCurrent VARCHAR,
    Ethnicity VARCHAR,
    QualInst VARCHAR,
    QualLevel VARCHAR,
    StepUpGrad VARCHAR,
    OrgRole VARCHAR,
    RoleStartDate DATE,
    StartOrigin VARCHAR,
    RoleEndDate DATE,
    LeaverDestination VARCHAR,
    ReasonLeave VARCHAR,
    FTE30 DOUBLE,
    Cases30 INTEGER,
    WorkingDaysLost DOUBLE,
    ContractWeeks DOUBLE,
    FrontlineGrad VARCHAR,
    Absat30Sept VARCHAR,
    ReasonAbsence VARCHAR,
    CFKSSstatus VARCHAR
);

ALTER TABLE extract_missingdetail ADD COLUMN MIS_START_TIME TIME;
ALTER TABLE extract_missingdetail ADD COLUMN MIS_END_TIME TIME;
ALTER TABLE extract_missingdetail ADD COLUMN FOUND_POSTCODE VARCHAR;
ALTER TABLE extract_missingdetail ADD COLUMN RHI_OFFERED_DATE DATE;
ALTER TABLE extract_missingdetail ADD COLUMN RISK_CSE VARCHAR;
ALTER TABLE extract_missingdetail ADD COLUMN RISK_CCE VARCHAR;
ALTER TABLE extract_missingdetail ADD COLUMN RISK_TRAFFICKING VARCHAR;

ALTER TABLE extract_iroallocations ADD COLUMN IRO_BASE_POSTCODE VARCHAR;
ALTER TABLE extract_iroallocations ADD COLUMN IRO_FTE DOUBLE;
