-- The staging views: the one place that says which rows of the stored returns are "the return".
--
-- At most one load per (kind, authority, year) is current (schema/001_core.sql).  store/load.py
-- deletes a replaced load's rows (or re-points them at the load that carries them over), so today
-- every stored row belongs to a current load; the filter states the contract rather than relying
-- on that, and costs what the JOIN every reader wrote before cost.  Everything downstream of the
-- store (model, measures, oversight, sufficiency, publish, web) reads the returns only through these
-- views, so the current-load filter is written once, here, and a later change to what "current"
-- means (or to the tables) is made once.  Validation of a loaded return reads one load by its id
-- (validate/context.sql) and store/ itself writes the tables; neither needs these views.
--
-- Applied by store/views.py on every read-write connection whose views are older than this file
-- (CREATE OR REPLACE, so adding a table here is enough); a plain JOIN, as every reader wrote it
-- before, so DuckDB plans the same scans (bench/scorecard.py, bench/load.py).
-- `SELECT t.*` is expanded when a query runs, so a column a later migration adds shows through.

-- The current load of each return.
CREATE OR REPLACE VIEW current_loads AS
SELECT * FROM loads WHERE status = 'current';

-- The SSDA903 (children looked after) return's tables.
CREATE OR REPLACE VIEW current_ssda903_header AS
SELECT t.* FROM ssda903_header t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';
CREATE OR REPLACE VIEW current_ssda903_episodes AS
SELECT t.* FROM ssda903_episodes t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';
CREATE OR REPLACE VIEW current_ssda903_reviews AS
SELECT t.* FROM ssda903_reviews t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';
CREATE OR REPLACE VIEW current_ssda903_uasc AS
SELECT t.* FROM ssda903_uasc t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';
CREATE OR REPLACE VIEW current_ssda903_oc2 AS
SELECT t.* FROM ssda903_oc2 t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';
CREATE OR REPLACE VIEW current_ssda903_oc3 AS
SELECT t.* FROM ssda903_oc3 t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';
CREATE OR REPLACE VIEW current_ssda903_ad1 AS
SELECT t.* FROM ssda903_ad1 t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';
CREATE OR REPLACE VIEW current_ssda903_placedadoption AS
SELECT t.* FROM ssda903_placedadoption t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';
CREATE OR REPLACE VIEW current_ssda903_prevperm AS
SELECT t.* FROM ssda903_prevperm t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';
CREATE OR REPLACE VIEW current_ssda903_missing AS
SELECT t.* FROM ssda903_missing t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';
CREATE OR REPLACE VIEW current_ssda903_swepisodes AS
SELECT t.* FROM ssda903_swepisodes t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';
CREATE OR REPLACE VIEW current_ssda903_dolo AS
SELECT t.* FROM ssda903_dolo t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';

-- The CIN census's tables.
CREATE OR REPLACE VIEW current_cin_child AS
SELECT t.* FROM cin_child t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';
CREATE OR REPLACE VIEW current_cin_disability AS
SELECT t.* FROM cin_disability t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';
CREATE OR REPLACE VIEW current_cin_cinepisode AS
SELECT t.* FROM cin_cinepisode t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';
CREATE OR REPLACE VIEW current_cin_assessment AS
SELECT t.* FROM cin_assessment t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';
CREATE OR REPLACE VIEW current_cin_assessmentfactor AS
SELECT t.* FROM cin_assessmentfactor t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';
CREATE OR REPLACE VIEW current_cin_cinplan AS
SELECT t.* FROM cin_cinplan t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';
CREATE OR REPLACE VIEW current_cin_section47 AS
SELECT t.* FROM cin_section47 t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';
CREATE OR REPLACE VIEW current_cin_cpplan AS
SELECT t.* FROM cin_cpplan t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';
CREATE OR REPLACE VIEW current_cin_cppreview AS
SELECT t.* FROM cin_cppreview t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';
CREATE OR REPLACE VIEW current_cin_preproceedings AS
SELECT t.* FROM cin_preproceedings t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';

-- The local extracts (docs/extracts.md).
CREATE OR REPLACE VIEW current_extract_missingdetail AS
SELECT t.* FROM extract_missingdetail t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';
CREATE OR REPLACE VIEW current_extract_iroallocations AS
SELECT t.* FROM extract_iroallocations t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';
CREATE OR REPLACE VIEW current_extract_fosterhouseholds AS
SELECT t.* FROM extract_fosterhouseholds t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';
CREATE OR REPLACE VIEW current_extract_placementcapacity AS
SELECT t.* FROM extract_placementcapacity t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';
CREATE OR REPLACE VIEW current_extract_unitcosts AS
SELECT t.* FROM extract_unitcosts t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';
CREATE OR REPLACE VIEW current_extract_childneeds AS
SELECT t.* FROM extract_childneeds t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';
CREATE OR REPLACE VIEW current_extract_capacitychanges AS
SELECT t.* FROM extract_capacitychanges t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';
CREATE OR REPLACE VIEW current_extract_cinaddress AS
SELECT t.* FROM extract_cinaddress t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';

-- The children's social work workforce census.
CREATE OR REPLACE VIEW current_csww_vacancies AS
SELECT t.* FROM csww_vacancies t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';
CREATE OR REPLACE VIEW current_csww_worker AS
SELECT t.* FROM csww_worker t JOIN loads l ON l.load_id = t.load_id AND l.status = 'current';
