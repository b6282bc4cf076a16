-- Care leavers, derived once for the care-leaver measures: young people whose 17th to 21st
-- birthday falls in the year, one row per young person per year, as the DfE counts them.  The OC3 row
-- must report something (an all-blank row reports nothing: a young person still looked after on their
-- birthday).  Excluded, as in every DfE care leaver figure (DG23): died (IN_TOUCH DIED), returned home
-- to parents for 6 months or more (RHOM), care transferred to another authority (their last episode
-- ended REC E3), looked after only under short breaks (V3/V4); and anyone still looked after on that
-- birthday (DfE rule 1007), who is not yet a care leaver.

CREATE OR REPLACE TABLE model_care_leavers AS
WITH oc3 AS (
        SELECT o.la, o.year, o.CHILD, o.IN_TOUCH, o.ACTIV, o.ACCOM,
               coalesce(o.DOB, ch.dob) AS birth, ch.sex, ethnic_group(ch.ethnic) AS ethnic_group
        FROM current_ssda903_oc3 o
        LEFT JOIN model_children ch ON ch.la = o.la AND ch.CHILD = o.CHILD
        WHERE o.CHILD IS NOT NULL AND (o.IN_TOUCH IS NOT NULL OR o.ACTIV IS NOT NULL OR o.ACCOM IS NOT NULL)
        QUALIFY row_number() OVER (PARTITION BY o.la, o.year, o.CHILD
                                   ORDER BY o.source_file DESC, o.source_row DESC) = 1
    ),
    aged AS (
        SELECT *, age_at(birth, make_date(year, 3, 31)) AS age,
               (birth + to_years(age_at(birth, make_date(year, 3, 31))))::DATE AS birthday
        FROM oc3
    ),
    history AS (
        SELECT la, CHILD, bool_and(short_break) AS only_short_breaks,
               arg_max(REC, episode_seq) FILTER (WHERE NOT short_break) AS final_rec
        FROM model_episodes
        GROUP BY la, CHILD
    )
    SELECT a.la, a.year, a.CHILD, a.birth, a.age, a.IN_TOUCH, a.ACTIV, a.ACCOM,
           a.age::VARCHAR AS age_band, a.sex, a.ethnic_group
    FROM aged a
    LEFT JOIN history h ON h.la = a.la AND h.CHILD = a.CHILD
    WHERE a.age BETWEEN 17 AND 21
      AND a.IN_TOUCH IS DISTINCT FROM 'DIED' AND a.IN_TOUCH IS DISTINCT FROM 'RHOM'
      AND NOT coalesce(h.only_short_breaks, false)
      AND h.final_rec IS DISTINCT FROM 'E3'
      AND NOT EXISTS (
          SELECT 1 FROM model_care c
          WHERE c.la = a.la AND c.CHILD = a.CHILD AND c.DECOM <= a.birthday AND (c.DEC IS NULL OR c.DEC > a.birthday)
      );
