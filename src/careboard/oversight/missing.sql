-- Missing children in detail: every missing or away incident of the SSDA903 Missing table, with what
-- the local extract missing_detail.csv adds (times, where found, return home interviews, risk flags;
-- docs/extracts.md) and what the care histories say about the child then (age, sex, placement).
-- Named queries (oversight/sqlfile.py); every authority at once.

-- query: missing_incidents
-- Each incident once (child, kind, start), from every current return: an incident open on 31 March
-- appears again next year, and the copy with an end (else the latest return's) stands.  Only
-- incidents that began while the child was looked after (short breaks aside) count, as in the
-- scorecard's missing measures.
SELECT m.la, m.CHILD, m.MISSING AS kind, m.MIS_START AS mis_start, m.MIS_END AS mis_end
FROM current_ssda903_missing m
WHERE m.CHILD IS NOT NULL AND m.MIS_START IS NOT NULL AND m.MISSING IN ('M', 'A')
  AND EXISTS (
      SELECT 1 FROM model_care e
      WHERE e.la = m.la AND e.CHILD = m.CHILD AND e.DECOM <= m.MIS_START
        AND coalesce(e.DEC, DATE '9999-12-31') >= m.MIS_START
  )
QUALIFY row_number() OVER (PARTITION BY m.la, m.CHILD, m.MISSING, m.MIS_START
                           ORDER BY m.MIS_END IS NULL, m.year DESC, m.source_row) = 1

-- query: missing_detail
-- The extract's row for each incident (the latest extract's, when extracts as at several years hold it).
SELECT d.la, d.CHILD, d.MISSING AS kind, d.MIS_START AS mis_start, d.MIS_START_TIME AS start_time,
       d.MIS_END_TIME AS end_time, d.WHERE_FOUND AS where_found, d.FOUND_POSTCODE AS found_postcode,
       d.RHI_OFFERED AS rhi_offered, d.RHI_ACCEPTED AS rhi_accepted, d.RHI_OFFERED_DATE AS rhi_offered_date,
       d.RISK_CSE AS risk_cse, d.RISK_CCE AS risk_cce, d.RISK_TRAFFICKING AS risk_trafficking
FROM current_extract_missingdetail d
WHERE d.CHILD IS NOT NULL AND d.MIS_START IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY d.la, d.CHILD, d.MISSING, d.MIS_START ORDER BY d.year DESC, d.source_row) = 1

-- query: missing_episodes
-- Every incident with the child, their placement when it began, and the extract's detail.
--   year             the collection year the incident began in
--   hours            length in hours when both times are recorded, else whole days x 24 (NULL while open),
--                    so without times an incident ending the next day counts as 24 hours
--   duration_band    Under 24 hours / 1 to 3 days / 3 to 7 days / 7 days or more / Not yet returned
--   time_of_day      Night 00:00-05:59 / Morning 06:00-11:59 / Afternoon 12:00-17:59 / Evening 18:00-23:59
--   setting          the placement the child went missing from: Ofsted URN (where one identifies a
--                    setting) and placement postcode; provider: the URN
--   rhi_within_72h   a return home interview was offered within 72 hours of the return: on or before
--                    the third day after the day the child came back (the offer's time is not recorded)
WITH placed AS (
    SELECT i.*, c.PLACE AS place, c.PLACE_PROVIDER AS place_provider, c.PL_POST AS pl_post,
           c.HOME_POST AS home_post, nullif(nullif(trim(c.URN), ''), 'XXXXXXX') AS urn,
           postcode_sector(c.PL_POST) AS pl_sector, postcode_sector(c.HOME_POST) AS home_sector, c.period_no
    FROM missing_incidents i
    JOIN model_care c ON c.la = i.la AND c.CHILD = i.CHILD AND c.DECOM <= i.mis_start
     AND coalesce(c.DEC, DATE '9999-12-31') >= i.mis_start
    QUALIFY row_number() OVER (PARTITION BY i.la, i.CHILD, i.kind, i.mis_start ORDER BY c.DECOM DESC, c.episode_seq DESC) = 1
),
timed AS (
    SELECT p.*, d.start_time, d.end_time, d.where_found, d.found_postcode, d.rhi_offered, d.rhi_accepted,
           d.rhi_offered_date, d.risk_cse, d.risk_cce, d.risk_trafficking, d.CHILD IS NOT NULL AS has_detail,
           ch.dob, ch.sex,
           CASE WHEN p.mis_end IS NULL THEN NULL
                WHEN d.start_time IS NOT NULL AND d.end_time IS NOT NULL
                    THEN date_diff('minute', p.mis_start + d.start_time, p.mis_end + d.end_time) / 60.0
                ELSE 24.0 * date_diff('day', p.mis_start, p.mis_end) END AS hours
    FROM placed p
    LEFT JOIN missing_detail d ON d.la = p.la AND d.CHILD = p.CHILD AND d.kind = p.kind AND d.mis_start = p.mis_start
    JOIN model_children ch ON ch.la = p.la AND ch.CHILD = p.CHILD
)
SELECT la, CHILD, kind, mis_start, mis_end,
       year(mis_start) + (month(mis_start) >= 4)::INTEGER AS year,
       age_at(dob, mis_start) AS age, age_band(age_at(dob, mis_start)) AS age_band,
       coalesce(sex, 'Unknown') AS sex,
       place, place_provider, placement_category(place, place_provider) AS placement_type,
       pl_post, home_post, pl_sector, home_sector, urn,
       coalesce(urn, '-') || ' ' || coalesce(pl_post, '-') AS setting,
       start_time, end_time, round(hours, 1) AS hours,
       CASE WHEN mis_end IS NULL THEN 'Not yet returned'
            WHEN hours < 0 THEN 'Unknown'
            WHEN hours < 24 THEN 'Under 24 hours'
            WHEN hours < 72 THEN '1 to 3 days'
            WHEN hours < 168 THEN '3 to 7 days'
            ELSE '7 days or more' END AS duration_band,
       CASE WHEN start_time IS NULL THEN 'Not recorded'
            WHEN hour(start_time) < 6 THEN 'Night (00:00-05:59)'
            WHEN hour(start_time) < 12 THEN 'Morning (06:00-11:59)'
            WHEN hour(start_time) < 18 THEN 'Afternoon (12:00-17:59)'
            ELSE 'Evening (18:00-23:59)' END AS time_of_day,
       dayname(mis_start) AS day_of_week, isodow(mis_start) AS day_number,
       CASE WHEN NOT has_detail THEN 'No detail recorded'
            ELSE coalesce(nullif(trim(where_found), ''), 'Not recorded') END AS where_found,
       found_postcode,
       coalesce(postcode_sector(found_postcode),
                CASE WHEN regexp_full_match(upper(trim(found_postcode)), '[A-Z]{1,2}[0-9][A-Z0-9]? [0-9]')
                     THEN upper(trim(found_postcode)) END) AS found_sector,
       has_detail,
       rhi_offered = '1' AS rhi_offered,
       rhi_accepted = '1' AS rhi_accepted,
       rhi_offered_date,
       CASE WHEN mis_end IS NULL OR NOT has_detail THEN NULL
            ELSE coalesce(rhi_offered = '1' AND rhi_offered_date <= mis_end + 3, false) END AS rhi_within_72h,
       risk_cse = '1' AS risk_cse, risk_cce = '1' AS risk_cce, risk_trafficking = '1' AS risk_trafficking,
       coalesce(risk_cse = '1' OR risk_cce = '1' OR risk_trafficking = '1', false) AS exploitation_concern
FROM timed
