-- The world one CIN census validation run sees: views of one census (and of last year's, and of
-- the SSDA903 return of the same authority and year) under the names the rules use, the census
-- period's dates, and the macros the rules share (on top of store/macros.sql).
-- $load, $last, $other (load ids; -1 when there is no last year's census or no SSDA903), $year,
-- $start, $end (the collection year and its bounds) and $la (3-digit code) are substituted from
-- validated integers, dates and codes by context.py.
--
-- The census period is 1 April to 31 March of the collection year.  The DfE's rules measure it to
-- the header's <ReferenceDate>, which rule 100 requires to be that 31 March; careboard uses the 31
-- March itself, so one wrong header date is one finding (rule 100), not a finding on every record.

CREATE OR REPLACE TEMP MACRO collection_start() AS DATE '$start';
CREATE OR REPLACE TEMP MACRO collection_end() AS DATE '$end';
CREATE OR REPLACE TEMP MACRO census_year() AS $year;
CREATE OR REPLACE TEMP MACRO this_la() AS '$la';

-- Is v a code in the named code list for this collection year?  NULL when v is NULL.
CREATE OR REPLACE TEMP MACRO valid_code(list_name, v) AS
    CASE WHEN v IS NULL THEN NULL
         ELSE v IN (SELECT code FROM rule_codes WHERE list = list_name) END;

-- A yes/no flag as the DfE defines it: '1' (true) or '0' (false); conform has already turned
-- TRUE/FALSE into 1/0.  NULL for a blank or anything else.
CREATE OR REPLACE TEMP MACRO is_true(v) AS CASE WHEN v = '1' THEN true WHEN v = '0' THEN false END;

-- The census dates the rules measure against, worked out once.  "d minus n working days" is the
-- working day (England: no weekends or bank holidays) n working days before d: for a d that is
-- itself not a working day, the working day before it is the first of the n.
CREATE OR REPLACE TEMP MACRO working_days_before(d, n) AS (
    SELECT max(w.day) FROM ref_working_day w, ref_working_day s
    WHERE s.day = d AND w.is_working_day
      AND w.working_day_no = s.working_day_no - n + CASE WHEN s.is_working_day THEN 0 ELSE 1 END
);
CREATE OR REPLACE TEMP TABLE census_dates AS
SELECT working_days_before(collection_start(), 1) AS start_less_1_working_day,
       working_days_before(collection_end(), 45) AS end_less_45_working_days,
       working_days_before(collection_end(), 15) AS end_less_15_working_days;

-- Where each row of this census came from (the record's line in the XML), the reader's repairs cell
-- by cell, and its other warnings (with the index of the file each names): the engine gives every
-- finding its line from row_lines.
CREATE OR REPLACE TEMP VIEW row_lines AS SELECT * FROM load_row_lines WHERE load_id = $load;
CREATE OR REPLACE TEMP VIEW normalisations AS SELECT * FROM load_normalisations WHERE load_id = $load;
CREATE OR REPLACE TEMP VIEW reader_warnings AS
SELECT w.*, f.file_index FROM load_warnings w
LEFT JOIN load_files f ON f.load_id = w.load_id AND f.name = w.file
WHERE w.load_id = $load;

-- The census header, one row (record 1 of the Header), when the load kept it (loads before
-- careboard kept headers have none, and rule 100 then has nothing to check).
CREATE OR REPLACE TEMP VIEW header AS
SELECT 0::SMALLINT AS source_file, 1 AS source_row, NULL::VARCHAR AS LAchildID,
       max(value) FILTER (WHERE field = 'Collection') AS Collection,
       max(value) FILTER (WHERE field = 'Year') AS "Year",
       max(value) FILTER (WHERE field = 'ReferenceDate') AS ReferenceDate,
       max(value) FILTER (WHERE field = 'LEA') AS LEA
FROM load_header WHERE load_id = $load
HAVING count(*) > 0;
-- The census's tables, copied once per run: a hundred rules read them, and planning one statement
-- over copies is a quarter quicker than over views of the store's tables.
CREATE OR REPLACE TEMP TABLE child AS SELECT * FROM cin_child WHERE load_id = $load;
CREATE OR REPLACE TEMP TABLE disability AS SELECT * FROM cin_disability WHERE load_id = $load;
CREATE OR REPLACE TEMP TABLE cinepisode AS SELECT * FROM cin_cinepisode WHERE load_id = $load;
CREATE OR REPLACE TEMP TABLE assessment AS SELECT * FROM cin_assessment WHERE load_id = $load;
CREATE OR REPLACE TEMP TABLE assessmentfactor AS SELECT * FROM cin_assessmentfactor WHERE load_id = $load;
CREATE OR REPLACE TEMP TABLE cinplan AS SELECT * FROM cin_cinplan WHERE load_id = $load;
CREATE OR REPLACE TEMP TABLE section47 AS SELECT * FROM cin_section47 WHERE load_id = $load;
CREATE OR REPLACE TEMP TABLE cpplan AS SELECT * FROM cin_cpplan WHERE load_id = $load;
CREATE OR REPLACE TEMP TABLE cppreview AS SELECT * FROM cin_cppreview WHERE load_id = $load;
CREATE OR REPLACE TEMP TABLE preproceedings AS SELECT * FROM cin_preproceedings WHERE load_id = $load;

CREATE OR REPLACE TEMP VIEW child_last AS SELECT * FROM cin_child WHERE load_id = $last;
CREATE OR REPLACE TEMP VIEW cinepisode_last AS SELECT * FROM cin_cinepisode WHERE load_id = $last;
CREATE OR REPLACE TEMP VIEW cpplan_last AS SELECT * FROM cin_cpplan WHERE load_id = $last;

-- The SSDA903 return of the same authority and year, for careboard's cross-checks.
CREATE OR REPLACE TEMP VIEW ssda903_header_now AS SELECT * FROM ssda903_header WHERE load_id = $other;
CREATE OR REPLACE TEMP VIEW ssda903_episodes_now AS SELECT * FROM ssda903_episodes WHERE load_id = $other;
