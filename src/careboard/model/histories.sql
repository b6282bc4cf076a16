-- Care histories, step 2: periods of care and placements, from the stitched episodes.
--
-- Short breaks (V3/V4) are set aside, as in every DfE figure.  A period of care starts with a
-- child's first episode, an episode with RNE 'S', or any episode after one that did not end with
-- X1 (or after a gap); it runs through X1-linked episodes.  A placement (a child living with a
-- carer) starts with each period and with every change of carer (RNE 'P' or 'B'); RNE 'L'
-- (legal status only), 'T' and 'U' (same carer) continue the placement, so a foster child
-- adopted by the same carers (A3/A5 with RNE 'T' or 'U') has not moved.  Temporary placements
-- (T0-T4) count as placements, as the DfE counts "all placements of 24 hours or more".
--
-- A carer spell is the time with the same carers, for long-term stability ("living with the same
-- carer for at least 2 years"): there a temporary placement (hospital, holiday, respite while carers
-- are away) is an absence, not a move, and returning afterwards to the same placement (same type,
-- postcode and URN as before the temporary stay) continues the spell the child left.

CREATE OR REPLACE TABLE model_care AS
WITH eps AS (
    SELECT *,
           lag(REC) OVER w AS prev_rec,
           lag(DEC) OVER w AS prev_dec,
           lag(episode_seq) OVER w AS prev_seq,
           lag(PLACE) OVER w AS prev_place,
           lag(PLACE, 2) OVER w AS before_temporary_place,
           lag(PL_POST, 2) OVER w AS before_temporary_post,
           lag(URN, 2) OVER w AS before_temporary_urn
    FROM model_episodes
    WHERE NOT short_break
    WINDOW w AS (PARTITION BY la, CHILD ORDER BY episode_seq)
),
marked AS (
    SELECT *,
           (prev_seq IS NULL OR RNE = 'S' OR coalesce(prev_rec, '') <> 'X1' OR prev_dec < DECOM)
               AS starts_period,
           coalesce(PLACE IN ('T0', 'T1', 'T2', 'T3', 'T4'), false) AS temporary,
           coalesce(prev_place IN ('T0', 'T1', 'T2', 'T3', 'T4')
                    AND PLACE = before_temporary_place
                    AND PL_POST IS NOT DISTINCT FROM before_temporary_post
                    AND URN IS NOT DISTINCT FROM before_temporary_urn, false) AS back_from_temporary
    FROM eps
),
placed AS (
    SELECT * EXCLUDE (prev_rec, prev_dec, prev_seq, prev_place, before_temporary_place, before_temporary_post,
                      before_temporary_urn),
           starts_period OR coalesce(RNE IN ('P', 'B'), false) AS starts_placement,
           starts_period
           OR (coalesce(RNE IN ('P', 'B'), false) AND NOT temporary AND NOT back_from_temporary) AS starts_carer_spell
    FROM marked
)
SELECT *,
       sum(starts_period::INTEGER) OVER w AS period_no,
       sum(starts_placement::INTEGER) OVER w AS placement_no,
       sum(starts_carer_spell::INTEGER) OVER w AS carer_spell_no
FROM placed
WINDOW w AS (PARTITION BY la, CHILD ORDER BY episode_seq ROWS UNBOUNDED PRECEDING);

CREATE OR REPLACE TABLE model_periods AS
SELECT la, CHILD, period_no,
       min(DECOM) AS period_start,
       CASE WHEN bool_and(DEC IS NOT NULL) THEN max(DEC) END AS period_end,
       arg_max(REC, episode_seq) AS end_reason,
       arg_min(LS, episode_seq) AS first_ls,
       arg_min(PLACE, episode_seq) AS first_place,
       arg_min(CIN, episode_seq) AS need_code,
       count(*) AS episodes,
       count(DISTINCT placement_no) AS placements
FROM model_care
GROUP BY la, CHILD, period_no;

CREATE OR REPLACE TABLE model_placements AS
SELECT la, CHILD, period_no, placement_no,
       min(DECOM) AS placement_start,
       CASE WHEN bool_and(DEC IS NOT NULL) THEN max(DEC) END AS placement_end,
       arg_min(PLACE, episode_seq) AS first_place,
       arg_min(PLACE_PROVIDER, episode_seq) AS first_provider,
       arg_min(RNE, episode_seq) AS started_by,
       arg_min(REASON_PLACE_CHANGE, episode_seq) AS change_reason
FROM model_care
GROUP BY la, CHILD, period_no, placement_no;

CREATE OR REPLACE TABLE model_carer_spells AS
SELECT la, CHILD, period_no, carer_spell_no,
       min(DECOM) AS spell_start,
       arg_min(PLACE, episode_seq) FILTER (WHERE NOT temporary) AS first_place
FROM model_care
GROUP BY la, CHILD, period_no, carer_spell_no;

-- One row per child per authority: characteristics from the child's latest return.
CREATE OR REPLACE TABLE model_children AS
WITH h AS (
    SELECT h.la, h.CHILD, h.year, h.DOB,
           CASE h.SEX WHEN '1' THEN 'M' WHEN '2' THEN 'F' ELSE h.SEX END AS sex,
           h.ETHNIC
    FROM ssda903_header h JOIN loads l ON l.load_id = h.load_id AND l.status = 'current'
    WHERE h.CHILD IS NOT NULL
),
u AS (
    SELECT u.la, u.CHILD, max(u.DUC) AS duc
    FROM ssda903_uasc u JOIN loads l ON l.load_id = u.load_id AND l.status = 'current'
    GROUP BY ALL
)
SELECT h.la, h.CHILD,
       arg_max(h.DOB, h.year) AS dob,
       arg_max(h.sex, h.year) AS sex,
       arg_max(h.ETHNIC, h.year) AS ethnic,
       bool_or(u.CHILD IS NOT NULL) AS ever_uasc,
       max(u.duc) AS uasc_ceased
FROM h LEFT JOIN u USING (la, CHILD)
GROUP BY h.la, h.CHILD;
