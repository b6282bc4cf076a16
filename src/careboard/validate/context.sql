-- The world one validation run sees: views of one return (and of last year's) under the names the
-- rules use, with the fields the DfE rules derive, and the macros the rules share (on top of the
-- shared definitions in store/macros.sql: age_at, age_band, postcode_sector ...).
-- $load, $last (load ids, -1 when there is no last year), $start, $end (collection year bounds) and
-- $la (3-digit code) are substituted from validated integers, dates and codes by context.py.

CREATE OR REPLACE TEMP MACRO collection_start() AS DATE '$start';
CREATE OR REPLACE TEMP MACRO collection_end() AS DATE '$end';
CREATE OR REPLACE TEMP MACRO this_la() AS '$la';

-- Is v a code in the named code list for this collection year?  NULL when v is NULL.
CREATE OR REPLACE TEMP MACRO valid_code(list_name, v) AS
    CASE WHEN v IS NULL THEN NULL
         ELSE v IN (SELECT code FROM rule_codes WHERE list = list_name) END;

-- Where each row of this return came from, the reader's repairs cell by cell, and its other warnings
-- (with the index of the file each names), for careboard's own format checks and for file lines.
CREATE OR REPLACE TEMP TABLE row_lines AS SELECT * FROM load_row_lines WHERE load_id = $load;
CREATE OR REPLACE TEMP TABLE normalisations AS SELECT * FROM load_normalisations WHERE load_id = $load;
CREATE OR REPLACE TEMP TABLE reader_warnings AS
SELECT w.*, f.file_index FROM load_warnings w
LEFT JOIN load_files f ON f.load_id = w.load_id AND f.name = w.file
WHERE w.load_id = $load;

CREATE OR REPLACE TEMP TABLE uasc AS SELECT * FROM ssda903_uasc WHERE load_id = $load;
CREATE OR REPLACE TEMP TABLE uasc_last AS SELECT * FROM ssda903_uasc WHERE load_id = $last;

-- Header.UASC is derived as the DfE's validator does for a CSV set: '1' when the child has a row in
-- the UASC table, else '0'.
CREATE OR REPLACE TEMP TABLE header AS
SELECT h.*, CASE WHEN h.CHILD IN (SELECT CHILD FROM uasc) THEN '1' ELSE '0' END AS UASC
FROM ssda903_header h WHERE h.load_id = $load;
CREATE OR REPLACE TEMP TABLE header_last AS
SELECT h.*, CASE WHEN h.CHILD IN (SELECT CHILD FROM uasc_last) THEN '1' ELSE '0' END AS UASC
FROM ssda903_header h WHERE h.load_id = $last;

-- Episodes with the placement's straight-line distance from home (miles, 1 dp, between the two full
-- postcodes' grid references, as the DfE works out PL_DISTANCE; none between Great Britain and
-- Northern Ireland, whose grids differ), the upper-tier authority of the placement postcode's own
-- district, and IN/OUT of this one.  ref_postcode (filled by context.py from the ONS Postcode
-- Directory) stands a postcode's sector centroid in only for a postcode not in the directory:
-- HOME_POST_FALLBACK / PL_POST_FALLBACK say so.  Each postcode as written in the two returns
-- (return_postcodes, context.py) is placed once, in postcode_place, and the episodes find theirs
-- there as written: shaping a postcode into the directory's key is a regular expression, which
-- took more time than the rest of placing them when it was done for every episode.
CREATE OR REPLACE TEMP TABLE postcode_place AS
SELECT r.postcode, p.source, p.east, p.north, p.la, p.grid
FROM return_postcodes r JOIN ref_postcode p ON p.pcd = postcode_key(r.postcode);

CREATE OR REPLACE TEMP MACRO episodes_with_location(load) AS TABLE
SELECT e.*,
       CASE WHEN hp.grid = pp.grid
            THEN round(sqrt(power(hp.east - pp.east, 2) + power(hp.north - pp.north, 2)) / 1000 / 1.6093, 1)
       END AS PL_DISTANCE,
       pp.la AS PL_LA,
       CASE WHEN pp.la IS NULL THEN NULL WHEN pp.la = this_la() THEN 'IN' ELSE 'OUT' END AS PL_LOCATION,
       coalesce(hp.source = 'sector', false) AS HOME_POST_FALLBACK,
       coalesce(pp.source = 'sector', false) AS PL_POST_FALLBACK
FROM ssda903_episodes e
LEFT JOIN postcode_place hp ON hp.postcode = e.HOME_POST
LEFT JOIN postcode_place pp ON pp.postcode = e.PL_POST
WHERE e.load_id = load;

-- Materialised once per run: dozens of rules read episodes, and the postcode look-ups are the cost.
CREATE OR REPLACE TEMP TABLE episodes AS SELECT * FROM episodes_with_location($load);
CREATE OR REPLACE TEMP TABLE episodes_last AS SELECT * FROM episodes_with_location($last);

-- This year's tables, and last year's that several rules read, are copied once per run; last year's
-- that one rule reads at most are views (a copy would cost more than that one read).
CREATE OR REPLACE TEMP TABLE reviews AS SELECT * FROM ssda903_reviews WHERE load_id = $load;
CREATE OR REPLACE TEMP VIEW reviews_last AS SELECT * FROM ssda903_reviews WHERE load_id = $last;
CREATE OR REPLACE TEMP TABLE oc2 AS SELECT * FROM ssda903_oc2 WHERE load_id = $load;
CREATE OR REPLACE TEMP VIEW oc2_last AS SELECT * FROM ssda903_oc2 WHERE load_id = $last;
CREATE OR REPLACE TEMP TABLE oc3 AS SELECT * FROM ssda903_oc3 WHERE load_id = $load;
CREATE OR REPLACE TEMP VIEW oc3_last AS SELECT * FROM ssda903_oc3 WHERE load_id = $last;
CREATE OR REPLACE TEMP TABLE ad1 AS SELECT * FROM ssda903_ad1 WHERE load_id = $load;
CREATE OR REPLACE TEMP VIEW ad1_last AS SELECT * FROM ssda903_ad1 WHERE load_id = $last;
CREATE OR REPLACE TEMP TABLE placedadoption AS SELECT * FROM ssda903_placedadoption WHERE load_id = $load;
CREATE OR REPLACE TEMP TABLE placedadoption_last AS SELECT * FROM ssda903_placedadoption WHERE load_id = $last;
CREATE OR REPLACE TEMP TABLE prevperm AS SELECT * FROM ssda903_prevperm WHERE load_id = $load;
CREATE OR REPLACE TEMP VIEW prevperm_last AS SELECT * FROM ssda903_prevperm WHERE load_id = $last;
CREATE OR REPLACE TEMP TABLE missing AS SELECT * FROM ssda903_missing WHERE load_id = $load;
CREATE OR REPLACE TEMP VIEW missing_last AS SELECT * FROM ssda903_missing WHERE load_id = $last;
CREATE OR REPLACE TEMP TABLE swepisodes AS SELECT * FROM ssda903_swepisodes WHERE load_id = $load;
CREATE OR REPLACE TEMP VIEW swepisodes_last AS SELECT * FROM ssda903_swepisodes WHERE load_id = $last;
CREATE OR REPLACE TEMP TABLE dolo AS SELECT * FROM ssda903_dolo WHERE load_id = $load;
CREATE OR REPLACE TEMP VIEW dolo_last AS SELECT * FROM ssda903_dolo WHERE load_id = $last;

-- Children looked after continuously for 12 months at 31 March (the OC2 cohort), as the DfE's
-- validation derives it: looked after at some time in the year, with no episode starting with RNE
-- 'S' after 1 April, no episode ending before 31 March for a reason other than X1, and no
-- short-break (V3/V4) episode in the year.  (A start on 1 April or an end on 31 March leaves the
-- full year looked after, as the community validator also reads it.)  Built once: a dozen rules
-- use it.
CREATE OR REPLACE TEMP TABLE cla_12_months AS
SELECT CHILD FROM episodes
GROUP BY CHILD
HAVING bool_or(DECOM <= collection_end() AND coalesce(DEC, collection_end()) >= collection_start())
   AND NOT bool_or(coalesce(RNE = 'S' AND DECOM > collection_start() AND DECOM <= collection_end(), false))
   AND NOT bool_or(coalesce(DEC >= collection_start() AND DEC < collection_end() AND coalesce(REC, '') <> 'X1', false))
   AND NOT bool_or(coalesce(LS IN ('V3', 'V4') AND DECOM <= collection_end()
                            AND coalesce(DEC, collection_end()) >= collection_start(), false));

-- Every episode of this return with its place in the child's sequence, worked out once per run (the
-- "rule plan that shares scans": about thirty rules read a child's previous or next episode, and each
-- windowing the episodes itself cost more than all its other work).  The order is the one definition
-- of a child's episode order, EPISODE_ORDER in rules/_shared.py (store/macros.sql): by start date,
-- then end date (an open episode last), then place in the files; an episode with no start date last.
--   episode_no, episodes_of_child   place in that order, and the child's episodes
--   dated_episodes_of_child         the child's episodes with a start date (they come first)
--   prev_* / prev2_* / next_row     the previous, second previous and next episode in that order
-- Two readings that rules deliberately make differently are derived here from the same rows, and
-- named for the rules that need them:
--   nb_*             the previous and next episode in NEIGHBOUR_ORDER (an undated episode first, and
--                    two starting the same day in file order): the neighbour rules (gaps, overlaps,
--                    adoption placements, episodes against the header) were written and tested
--                    against the DfE's reading, which sorts that way
--   first_by_start   the child's first dated episode by start date alone, ties in file order (rules
--                    452, 453, 502 and 503A-503J, as the DfE compares the year's first episode with
--                    last year's open one)
-- Each order is numbered once and the neighbours are joined by number: a window function per
-- neighbour column (lag/lead, some thirty) cost more than the five joins (measured).
CREATE OR REPLACE TEMP TABLE episode_sequence AS
WITH numbered AS (
    SELECT *,
           row_number() OVER w AS episode_no,
           count(*) OVER c AS episodes_of_child,
           count(DECOM) OVER c AS dated_episodes_of_child,
           row_number() OVER nb AS nb_episode_no,
           DECOM IS NOT NULL AND row_number() OVER by_start = 1 AS first_by_start
    FROM episodes
    WINDOW c AS (PARTITION BY CHILD),
           w AS (PARTITION BY CHILD ORDER BY DECOM NULLS LAST, DEC NULLS LAST, source_file, source_row),
           nb AS (PARTITION BY CHILD ORDER BY DECOM NULLS FIRST, source_row),
           by_start AS (PARTITION BY CHILD ORDER BY DECOM NULLS LAST, source_file, source_row)
)
SELECT e.* EXCLUDE (nb_episode_no, first_by_start),
       p.source_row AS prev_row, p.DECOM AS prev_decom, p.DEC AS prev_dec, p.REC AS prev_rec, p.LS AS prev_ls,
       p.CIN AS prev_cin, p.PLACE AS prev_place, p.PL_POST AS prev_pl_post, p.URN AS prev_urn,
       p.PLACE_PROVIDER AS prev_provider, p.REASON_PLACE_CHANGE AS prev_reason,
       p2.source_row AS prev2_row, p2.PLACE AS prev2_place, p2.PL_POST AS prev2_pl_post,
       n.source_row AS next_row,
       q.DECOM AS nb_prev_decom, q.DEC AS nb_prev_dec, q.REC AS nb_prev_rec, q.LS AS nb_prev_ls,
       q.PLACE AS nb_prev_place, q.source_row AS nb_prev_row,
       r.DECOM AS nb_next_decom, r.RNE AS nb_next_rne, r.LS AS nb_next_ls, r.PLACE AS nb_next_place,
       r.source_row AS nb_next_row,
       e.nb_episode_no, e.first_by_start
FROM numbered e
LEFT JOIN numbered p ON p.CHILD = e.CHILD AND p.episode_no = e.episode_no - 1
LEFT JOIN numbered p2 ON p2.CHILD = e.CHILD AND p2.episode_no = e.episode_no - 2
LEFT JOIN numbered n ON n.CHILD = e.CHILD AND n.episode_no = e.episode_no + 1
LEFT JOIN numbered q ON q.CHILD = e.CHILD AND q.nb_episode_no = e.nb_episode_no - 1
LEFT JOIN numbered r ON r.CHILD = e.CHILD AND r.nb_episode_no = e.nb_episode_no + 1;

-- The child's first episode this year by start date (first_by_start) beside last year's final
-- episode by start date (ties in file order; ``p_`` columns), for children with dated episodes in
-- both years: rules 452, 453, 502 and 503A-503J compare the two.  A view, not a table: those rules
-- are checked together in one scan of it (Rule.view), which works it out once, and keeping every
-- column of episode_sequence beside last year's cost more than that scan.
CREATE OR REPLACE TEMP VIEW first_and_last_year AS
SELECT f.*, p.DECOM AS p_decom, p.DEC AS p_dec, p.RNE AS p_rne, p.LS AS p_ls, p.CIN AS p_cin,
       p.PLACE AS p_place, p.PLACE_PROVIDER AS p_provider, p.URN AS p_urn, p.PL_DISTANCE AS p_distance,
       p.PL_LA AS p_la, p.PL_LOCATION AS p_location
FROM episode_sequence f
JOIN (SELECT CHILD, DECOM, DEC, RNE, LS, CIN, PLACE, PLACE_PROVIDER, URN, PL_DISTANCE, PL_LA, PL_LOCATION
      FROM episodes_last WHERE DECOM IS NOT NULL
      QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY DECOM DESC, source_file, source_row) = 1) p
  ON p.CHILD = f.CHILD
WHERE f.first_by_start;

-- Last year's first Header row of each child (file order): the rules comparing a child's
-- characteristics with last year's (202-208, 205A-205D) read it, once per run.
CREATE OR REPLACE TEMP TABLE header_last_first AS
SELECT * FROM header_last
QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY source_file, source_row) = 1;

-- This year's Header rows of children also in last year's Header, beside last year's first row of
-- the child (``l_`` columns): rules 202-208, 624 and 626 compare the two.  A view: the rules that only
-- filter it are checked together in one scan of it (Rule.view), which works it out once.
CREATE OR REPLACE TEMP VIEW header_both_years AS
SELECT h.source_file, h.source_row, h.CHILD, h.SEX, h.DOB, h.ETHNIC, h.UPN, h.MOTHER, h.MC_DOB, h.UASC,
       l.SEX AS l_sex, l.DOB AS l_dob, l.ETHNIC AS l_ethnic, l.UPN AS l_upn, l.MOTHER AS l_mother,
       l.MC_DOB AS l_mc_dob, l.UASC AS l_uasc
FROM header h
JOIN header_last_first l ON l.CHILD = h.CHILD;

-- Each social worker episode with a start date, with the child's previous and next one (by start
-- date, then end date, then file position; an episode with no start date cannot be placed), worked
-- out once for the SW rules that read it (social_workers.py).
CREATE OR REPLACE TEMP TABLE swepisode_sequence AS
SELECT *, lag(SW_DEC) OVER w AS prev_dec, lag(source_row) OVER w AS prev_row,
       lead(source_row) OVER w AS next_row
FROM swepisodes WHERE SW_DECOM IS NOT NULL
WINDOW w AS (PARTITION BY CHILD ORDER BY SW_DECOM, SW_DEC NULLS LAST, source_file, source_row);
