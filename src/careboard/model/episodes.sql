-- Care histories, step 1: every episode of every child, stitched across annual returns.
--
-- Each authority sends a return a year; an episode open on 31 March appears again (closed or still
-- open) in the next year's return, and returns disagree.  The rules below decide, explicitly, which
-- version of each stretch of a child's history stands, and record every repair in model_repairs:
--
--   R3A superseded   an episode from an earlier return that starts on or after the child's first
--                    episode in a later return is replaced by that later return (the latest
--                    return wins for its own years); this also removes duplicates.
--   R1  continued    an episode left open, followed by a later episode that does not start a new
--                    period of care (RNE <> 'S'): it ended when the next began (DEC = next DECOM,
--                    REC = 'X1').  Usually the open episode is in an earlier return; within one return
--                    only the last episode may be open (DfE rules flag it), and it is repaired alike.
--   R1A left         as R1 but the next episode starts a new period of care: the child left care
--                    on the earlier of 31 March of that return's year and the day before re-entry
--                    (REC = 'E99', reason not known).
--   R2  vanished     an episode left open in an earlier return with no later episode although a
--                    later return exists: closed on 31 March of its return's year (REC 'E99').
--   R4  overlap      an episode ending after the next one starts ends when the next starts.
--   R5  reversed     an episode ending before it starts (what DfE rule 356 reports) is taken to end
--                    the day it starts: the return says the child left, the dates cannot both be
--                    right, and the shortest reading neither invents days in care nor drops the child.
-- Short breaks (legal status V3/V4) are kept but flagged; the DfE sets them aside in its figures.

CREATE OR REPLACE TABLE model_episodes AS
WITH raw AS (
    SELECT e.la, e.year AS return_year, e.load_id, e.source_file, e.source_row,
           e.CHILD, e.DECOM, e.RNE, e.LS, e.CIN, e.PLACE, e.PLACE_PROVIDER, e.DEC, e.REC,
           e.REASON_PLACE_CHANGE, e.HOME_POST, e.PL_POST, e.URN
    FROM current_ssda903_episodes e
    WHERE e.CHILD IS NOT NULL AND e.DECOM IS NOT NULL
),
first_in_return AS (
    SELECT la, CHILD, return_year, min(DECOM) AS first_decom FROM raw GROUP BY ALL
),
superseded AS (
    SELECT DISTINCT r.la, r.CHILD, r.return_year, r.source_row
    FROM raw r JOIN first_in_return f
      ON f.la = r.la AND f.CHILD = r.CHILD AND f.return_year > r.return_year AND r.DECOM >= f.first_decom
),
kept AS (
    SELECT r.* FROM raw r
    ANTI JOIN superseded s USING (la, CHILD, return_year, source_row)
),
latest AS (
    SELECT la, max(return_year) AS latest_year FROM raw GROUP BY la
),
ordered AS (
    SELECT k.*, l.latest_year,
           lead(DECOM) OVER w AS next_decom,
           lead(RNE) OVER w AS next_rne,
           row_number() OVER w AS episode_seq
    FROM kept k JOIN latest l USING (la)
    -- a child's episodes in order (store/macros.sql), the return year before the place in the files
    WINDOW w AS (PARTITION BY k.la, k.CHILD ORDER BY k.DECOM, k.DEC NULLS LAST, k.return_year, k.source_file, k.source_row)
),
repaired AS (
    SELECT *,
        CASE
            WHEN DEC < DECOM THEN 'R5'
            WHEN DEC IS NULL AND next_decom IS NOT NULL AND coalesce(next_rne, '') <> 'S' THEN 'R1'
            WHEN DEC IS NULL AND next_decom IS NOT NULL THEN 'R1A'
            WHEN DEC IS NULL AND return_year < latest_year THEN 'R2'
            WHEN DEC IS NOT NULL AND next_decom IS NOT NULL AND DEC > next_decom THEN 'R4'
        END AS repair
    FROM ordered
)
SELECT la, CHILD, episode_seq, return_year, load_id, source_file, source_row,
       DECOM,
       CASE repair
           WHEN 'R1' THEN next_decom
           WHEN 'R1A' THEN least(make_date(return_year, 3, 31), next_decom - INTERVAL 1 DAY)::DATE
           WHEN 'R2' THEN make_date(return_year, 3, 31)
           WHEN 'R4' THEN next_decom
           WHEN 'R5' THEN DECOM
           ELSE DEC
       END AS DEC,
       CASE repair WHEN 'R1' THEN 'X1' WHEN 'R1A' THEN 'E99' WHEN 'R2' THEN 'E99' ELSE REC END AS REC,
       RNE, LS, CIN, PLACE, PLACE_PROVIDER, REASON_PLACE_CHANGE, HOME_POST, PL_POST, URN,
       coalesce(LS IN ('V3', 'V4'), false) AS short_break,
       postcode_key(HOME_POST) AS home_postcode,
       postcode_key(PL_POST) AS pl_postcode,
       repair,
       DEC AS dec_as_returned, REC AS rec_as_returned
FROM repaired;

CREATE OR REPLACE TABLE model_repairs AS
SELECT la, CHILD, DECOM, return_year, load_id, source_row, 'R3A' AS rule,
       'episode replaced by a later return' AS what
FROM (
    SELECT r.* FROM (
        SELECT e.la, e.year AS return_year, e.load_id, e.source_row, e.CHILD, e.DECOM
        FROM current_ssda903_episodes e
        WHERE e.CHILD IS NOT NULL AND e.DECOM IS NOT NULL
    ) r
    ANTI JOIN model_episodes m USING (la, CHILD, return_year, source_row)
)
UNION ALL
SELECT la, CHILD, DECOM, return_year, load_id, source_row, repair AS rule,
       CASE repair
           WHEN 'R1' THEN 'open episode closed when the next began (REC X1)'
           WHEN 'R1A' THEN 'open episode closed before re-entry (REC E99)'
           WHEN 'R2' THEN 'open episode closed on 31 March of its return year (REC E99)'
           WHEN 'R4' THEN 'episode end moved back to the start of the next episode'
           WHEN 'R5' THEN 'episode ending before it starts taken to end the day it starts'
       END AS what
FROM model_episodes WHERE repair IS NOT NULL;
