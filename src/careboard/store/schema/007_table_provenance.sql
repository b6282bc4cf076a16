-- Which load each table of a return came from, after a partial replacement
-- (`careboard load PATH --replace-tables Header`): the new load is the return's one current load and
-- holds every table, but the tables it did not replace were carried over from the load before, with
-- their files.  `from_load` names the load whose files a table's rows (or a file) were first read in.
-- `source_file` is the file of this load that held the table (NULL when no file held it).
-- `key_tag` identifies the pseudonymisation key (never the key), so a partial replacement cannot mix
-- rows pseudonymised under two keys.  The other local extracts (docs/extracts.md) get their tables.

ALTER TABLE load_tables ADD COLUMN from_load INTEGER;
ALTER TABLE load_tables ADD COLUMN source_file SMALLINT;
UPDATE load_tables SET from_load = load_id;

-- Loads made before this migration: each table's file, read off its rows.
UPDATE load_tables SET source_file = s.f FROM (SELECT load_id, min(source_file) AS f FROM ssda903_header GROUP BY load_id) s
    WHERE load_tables.load_id = s.load_id AND load_tables.table_name = 'Header';
UPDATE load_tables SET source_file = s.f FROM (SELECT load_id, min(source_file) AS f FROM ssda903_episodes GROUP BY load_id) s
    WHERE load_tables.load_id = s.load_id AND load_tables.table_name = 'Episodes';
UPDATE load_tables SET source_file = s.f FROM (SELECT load_id, min(source_file) AS f FROM ssda903_reviews GROUP BY load_id) s
    WHERE load_tables.load_id = s.load_id AND load_tables.table_name = 'Reviews';
UPDATE load_tables SET source_file = s.f FROM (SELECT load_id, min(source_file) AS f FROM ssda903_uasc GROUP BY load_id) s
    WHERE load_tables.load_id = s.load_id AND load_tables.table_name = 'UASC';
UPDATE load_tables SET source_file = s.f FROM (SELECT load_id, min(source_file) AS f FROM ssda903_oc2 GROUP BY load_id) s
    WHERE load_tables.load_id = s.load_id AND load_tables.table_name = 'OC2';
UPDATE load_tables SET source_file = s.f FROM (SELECT load_id, min(source_file) AS f FROM ssda903_oc3 GROUP BY load_id) s
    WHERE load_tables.load_id = s.load_id AND load_tables.table_name = 'OC3';
UPDATE load_tables SET source_file = s.f FROM (SELECT load_id, min(source_file) AS f FROM ssda903_ad1 GROUP BY load_id) s
    WHERE load_tables.load_id = s.load_id AND load_tables.table_name = 'AD1';
UPDATE load_tables SET source_file = s.f FROM (SELECT load_id, min(source_file) AS f FROM ssda903_placedadoption GROUP BY load_id) s
    WHERE load_tables.load_id = s.load_id AND load_tables.table_name = 'PlacedAdoption';
UPDATE load_tables SET source_file = s.f FROM (SELECT load_id, min(source_file) AS f FROM ssda903_prevperm GROUP BY load_id) s
    WHERE load_tables.load_id = s.load_id AND load_tables.table_name = 'PrevPerm';
UPDATE load_tables SET source_file = s.f FROM (SELECT load_id, min(source_file) AS f FROM ssda903_missing GROUP BY load_id) s
    WHERE load_tables.load_id = s.load_id AND load_tables.table_name = 'Missing';
UPDATE load_tables SET source_file = s.f FROM (SELECT load_id, min(source_file) AS f FROM ssda903_swepisodes GROUP BY load_id) s
    WHERE load_tables.load_id = s.load_id AND load_tables.table_name = 'SWEpisodes';
UPDATE load_tables SET source_file = s.f FROM (SELECT load_id, min(source_file) AS f FROM ssda903_dolo GROUP BY load_id) s
    WHERE load_tables.load_id = s.load_id AND load_tables.table_name = 'DoLo';
UPDATE load_tables SET source_file = s.f FROM (SELECT load_id, min(source_file) AS f FROM cin_child GROUP BY load_id) s
    WHERE load_tables.load_id = s.load_id AND load_tables.table_name = 'Child';
UPDATE load_tables SET source_file = s.f FROM (SELECT load_id, min(source_file) AS f FROM cin_disability GROUP BY load_id) s
    WHERE load_tables.load_id = s.load_id AND load_tables.table_name = 'Disability';
UPDATE load_tables SET source_file = s.f FROM (SELECT load_id, min(source_file) AS f FROM cin_cinepisode GROUP BY load_id) s
    WHERE load_tables.load_id = s.load_id AND load_tables.table_name = 'CINEpisode';
UPDATE load_tables SET source_file = s.f FROM (SELECT load_id, min(source_file) AS f FROM cin_assessment GROUP BY load_id) s
    WHERE load_tables.load_id = s.load_id AND load_tables.table_name = 'Assessment';
UPDATE load_tables SET source_file = s.f FROM (SELECT load_id, min(source_file) AS f FROM cin_assessmentfactor GROUP BY load_id) s
    WHERE load_tables.load_id = s.load_id AND load_tables.table_name = 'AssessmentFactor';
UPDATE load_tables SET source_file = s.f FROM (SELECT load_id, min(source_file) AS f FROM cin_cinplan GROUP BY load_id) s
    WHERE load_tables.load_id = s.load_id AND load_tables.table_name = 'CINPlan';
UPDATE load_tables SET source_file = s.f FROM (SELECT load_id, min(source_file) AS f FROM cin_section47 GROUP BY load_id) s
    WHERE load_tables.load_id = s.load_id AND load_tables.table_name = 'Section47';
UPDATE load_tables SET source_file = s.f FROM (SELECT load_id, min(source_file) AS f FROM cin_cpplan GROUP BY load_id) s
    WHERE load_tables.load_id = s.load_id AND load_tables.table_name = 'CPPlan';
UPDATE load_tables SET source_file = s.f FROM (SELECT load_id, min(source_file) AS f FROM cin_cppreview GROUP BY load_id) s
    WHERE load_tables.load_id = s.load_id AND load_tables.table_name = 'CPPReview';
UPDATE load_tables SET source_file = s.f FROM (SELECT load_id, min(source_file) AS f FROM cin_preproceedings GROUP BY load_id) s
    WHERE load_tables.load_id = s.load_id AND load_tables.table_name = 'PreProceedings';
UPDATE load_tables SET source_file = s.f FROM (SELECT load_id, min(source_file) AS f FROM extract_missingdetail GROUP BY load_id) s
    WHERE load_tables.load_id = s.load_id AND load_tables.table_name = 'MissingDetail';

ALTER TABLE load_files ADD COLUMN from_load INTEGER;
UPDATE load_files SET from_load = load_id;

ALTER TABLE loads ADD COLUMN key_tag VARCHAR;

CREATE TABLE IF NOT EXISTS extract_iroallocations (
    load_id INTEGER NOT NULL,
    la VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    source_file SMALLINT NOT NULL,
    source_row INTEGER NOT NULL,
    CHILD VARCHAR,
    PERIOD_START DATE,
    REVIEW_DATE DATE,
    REVIEW_DUE DATE,
    IRO_ID VARCHAR,
    IRO_ALLOCATED DATE
);

CREATE TABLE IF NOT EXISTS extract_fosterhouseholds (
    load_id INTEGER NOT NULL,
    la VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    source_file SMALLINT NOT NULL,
    source_row INTEGER NOT NULL,
    HOUSEHOLD_ID VARCHAR,
    URN VARCHAR,
    POSTCODE VARCHAR,
    IN_LA VARCHAR,
    APPROVED_PLACES INTEGER,
    AGE_FROM INTEGER,
    AGE_TO INTEGER,
    SIBLINGS VARCHAR,
    DISABILITY VARCHAR,
    PARENT_AND_CHILD VARCHAR,
    TEENAGERS VARCHAR,
    UASC VARCHAR,
    OCCUPIED_AT_REFERENCE INTEGER,
    REFERENCE_DATE DATE
);

CREATE TABLE IF NOT EXISTS extract_placementcapacity (
    load_id INTEGER NOT NULL,
    la VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    source_file SMALLINT NOT NULL,
    source_row INTEGER NOT NULL,
    PROVIDER_ID VARCHAR,
    URN VARCHAR,
    TYPE VARCHAR,
    PLACE_PROVIDER VARCHAR,
    POSTCODE VARCHAR,
    IN_LA VARCHAR,
    PLACES INTEGER,
    AGE_FROM INTEGER,
    AGE_TO INTEGER,
    OCCUPIED_AT_REFERENCE INTEGER,
    REFERENCE_DATE DATE
);

CREATE TABLE IF NOT EXISTS extract_unitcosts (
    load_id INTEGER NOT NULL,
    la VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    source_file SMALLINT NOT NULL,
    source_row INTEGER NOT NULL,
    PLACE VARCHAR,
    PROVIDER_GROUP VARCHAR,
    WEEKLY_COST_GBP INTEGER,
    ILLUSTRATIVE VARCHAR
);

CREATE TABLE IF NOT EXISTS extract_childneeds (
    load_id INTEGER NOT NULL,
    la VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    source_file SMALLINT NOT NULL,
    source_row INTEGER NOT NULL,
    CHILD VARCHAR,
    SIBLING_GROUP VARCHAR,
    DISABILITY VARCHAR,
    PARENT_AND_CHILD VARCHAR
);
