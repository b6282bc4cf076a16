-- Care histories, step 2: periods of care and placements, from the stitched episodes.
--
-- Short breaks (V3/V4) are set aside, as in every DfE figure.  A period of care starts with a
-- child's first episode, an episode with RNE 'S', or any episode after one that did not end with
-- X1 (or after a gap); it runs through X1-linked episodes.  A placement (a child living with a
-- carer) starts with each period and with every change of carer (RNE 'P' or 'B'); RNE 'L'
-- (legal status only), 'T' and 'U' (same carer) continue the placement, so a foster child
-- adopted by the same carers (A3/A5 with RNE 'T' or 'U') has not moved.
--
-- Temporary placements (T0-T4: hospital, holiday, respite while the carers are away, ...) are not
-- placement changes, for any measure.  The DfE designed them for short moves away from a child's
-- normal placement to which the child returns (rule 383), which can neither start nor end a period
-- of care (rules 380/381) and which need no reason for a change of placement (rule 226).  So the
-- temporary stay starts no placement, and neither does the return to the same placement (same
-- type, postcode and URN as the last placement that was not temporary): U6 -> T4 -> the same U6 is
-- one placement.  A move after the stay to somewhere else is a change of placement as usual.
-- A carer spell (long-term stability's "same carer") is the same thing as a placement; both
-- names are kept because the two measures are worded differently.
--
-- The period of care, the change of carer and the temporary placement are the shared definitions
-- of store/macros.sql (continues_period_of_care, changes_carer, temporary_placement), which the DfE
-- rules use too.  The model reads them in one way of its own, on purpose: an episode with RNE 'S'
-- ("started to be looked after") starts a period even after an X1, since histories must be built
-- from returns that contradict themselves (the rules report the contradiction).

CREATE OR REPLACE TABLE model_care AS
WITH eps AS (
    SELECT *,
           temporary_placement(PLACE) AS temporary
    FROM model_episodes
    WHERE NOT short_break
),
before AS (
    SELECT *,
           lag(REC) OVER w AS prev_rec,
           lag(DEC) OVER w AS prev_dec,
           lag(episode_seq) OVER w AS prev_seq,
           lag(temporary) OVER w AS prev_temporary,
           -- the last placement before this episode that was not temporary
           last_value(CASE WHEN NOT temporary THEN PLACE END IGNORE NULLS) OVER earlier AS normal_place,
           last_value(CASE WHEN NOT temporary THEN coalesce(PL_POST, '') END IGNORE NULLS) OVER earlier AS normal_post,
           last_value(CASE WHEN NOT temporary THEN coalesce(URN, '') END IGNORE NULLS) OVER earlier AS normal_urn
    FROM eps
    WINDOW w AS (PARTITION BY la, CHILD ORDER BY episode_seq),
           earlier AS (PARTITION BY la, CHILD ORDER BY episode_seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
),
marked AS (
    SELECT *,
           (prev_seq IS NULL OR RNE = 'S' OR NOT continues_period_of_care(prev_rec, prev_dec, DECOM))
               AS starts_period,
           coalesce(prev_temporary AND NOT temporary
                    AND PLACE = normal_place
                    AND coalesce(PL_POST, '') = normal_post
                    AND coalesce(URN, '') = normal_urn, false) AS back_from_temporary
    FROM before
),
placed AS (
    SELECT * EXCLUDE (prev_rec, prev_dec, prev_seq, prev_temporary, normal_place, normal_post, normal_urn),
           starts_period
           OR (changes_carer(RNE) AND NOT temporary AND NOT back_from_temporary) AS starts_placement
    FROM marked
)
SELECT *,
       starts_placement AS starts_carer_spell,
       sum(starts_period::INTEGER) OVER w AS period_no,
       sum(starts_placement::INTEGER) OVER w AS placement_no,
       sum(starts_placement::INTEGER) OVER w AS carer_spell_no
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
    FROM current_ssda903_header h
    WHERE h.CHILD IS NOT NULL
),
u AS (
    SELECT u.la, u.CHILD, max(u.DUC) AS duc
    FROM current_ssda903_uasc u
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
