-- The independent reviewing officer (IRO) service, from the local extract iro_allocations.csv
-- (docs/extracts.md) and the care histories.  Named queries (oversight/sqlfile.py): each may read
-- the ones above it.  Every authority at once; service functions filter to one.
--
-- An IRO is allocated to a child from IRO_ALLOCATED (or, when that is blank, the first review they
-- chaired for the child) until the next allocation in the same period of care, or the end of the
-- period.  The extract has a row per review held (and may have a row with a blank REVIEW_DATE for an
-- allocation not yet followed by a review), so a change of IRO after a child's last review is seen
-- only when the new IRO's row arrives.

-- query: iro_rows
-- Each review once, and each allocation-only row once; when extracts loaded as at different years
-- both hold a row, the latest extract's row is used.
SELECT a.la, a.CHILD, a.REVIEW_DATE AS review_date, a.REVIEW_DUE AS review_due, trim(a.IRO_ID) AS iro,
       a.IRO_ALLOCATED AS allocated, a.IRO_BASE_POSTCODE AS base_postcode, a.IRO_FTE AS fte,
       a.year AS extract_year, a.source_row
FROM current_extract_iroallocations a
WHERE a.CHILD IS NOT NULL AND nullif(trim(a.IRO_ID), '') IS NOT NULL
  AND (a.REVIEW_DATE IS NOT NULL OR a.IRO_ALLOCATED IS NOT NULL)
QUALIFY row_number() OVER (
    PARTITION BY a.la, a.CHILD,
                 coalesce(a.REVIEW_DATE::VARCHAR, 'allocated ' || a.IRO_ID || ' ' || a.IRO_ALLOCATED::VARCHAR)
    ORDER BY a.year DESC, a.source_row) = 1

-- query: iro_officers
-- Each IRO once: the full-time equivalence and base from their latest row that gives one (1.0 and
-- no base when none does).
SELECT la, iro,
       coalesce(arg_max(fte, (extract_year, coalesce(review_date, allocated))) FILTER (WHERE fte > 0), 1.0) AS fte,
       arg_max(base_postcode, (extract_year, coalesce(review_date, allocated)))
           FILTER (WHERE base_postcode IS NOT NULL) AS base_postcode
FROM iro_rows
GROUP BY la, iro

-- query: iro_spells
-- Allocation spells: who was each child's IRO, from when to when, in which period of care; and
-- whether the spell changed the IRO (a new allocation of a different IRO in the same period).
WITH allocations AS (
    SELECT la, CHILD, iro, allocated, min(review_date) AS first_review
    FROM iro_rows GROUP BY la, CHILD, iro, allocated
),
in_period AS (
    SELECT a.la, a.CHILD, a.iro, a.allocated, a.first_review, p.period_no, p.period_start, p.period_end,
           greatest(least(coalesce(a.allocated, a.first_review), coalesce(a.first_review, a.allocated)),
                    p.period_start) AS spell_start
    FROM allocations a
    JOIN model_periods p ON p.la = a.la AND p.CHILD = a.CHILD
     AND coalesce(a.first_review, a.allocated) BETWEEN p.period_start AND coalesce(p.period_end, DATE '9999-12-31')
),
ordered AS (
    SELECT *,
           lead(spell_start) OVER w AS next_start,
           lag(iro) OVER w AS previous_iro,
           row_number() OVER w AS spell_no
    FROM in_period
    WINDOW w AS (PARTITION BY la, CHILD, period_no ORDER BY spell_start, allocated NULLS LAST, iro)
)
SELECT la, CHILD, period_no, period_start, period_end, spell_no, iro, allocated, spell_start,
       CASE WHEN next_start IS NOT NULL THEN greatest(next_start - 1, spell_start) ELSE period_end END AS spell_end,
       coalesce(previous_iro <> iro, false) AS changed_iro
FROM ordered

-- query: iro_reviews
-- Every review the extract records, with its IRO, whether it was on time (the statutory schedule
-- computed from the 903, model_reviews; the extract's REVIEW_DUE only for a review the 903 lacks),
-- the child's participation (903 REVIEW_CODE) and where the child lived that day (their placement
-- episode, short breaks aside), where reviews are assumed to be held.
WITH codes AS (
    SELECT r.la, r.CHILD, r.REVIEW AS review_date, arg_max(r.REVIEW_CODE, r.year) AS review_code
    FROM current_ssda903_reviews r
    WHERE r.CHILD IS NOT NULL AND r.REVIEW IS NOT NULL
    GROUP BY ALL
),
placed AS (
    SELECT r.la, r.CHILD, r.review_date, c.PLACE, c.PLACE_PROVIDER, c.PL_POST, c.HOME_POST, c.URN
    FROM iro_rows r
    JOIN model_care c ON c.la = r.la AND c.CHILD = r.CHILD
     AND c.DECOM <= r.review_date AND coalesce(c.DEC, DATE '9999-12-31') >= r.review_date
    WHERE r.review_date IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY r.la, r.CHILD, r.review_date ORDER BY c.DECOM DESC, c.episode_seq DESC) = 1
)
SELECT r.la, r.CHILD, r.review_date, r.iro, r.review_due,
       m.period_no, m.review_no, m.due_date,
       coalesce(m.on_time, r.review_date <= r.review_due) AS on_time,
       m.review_date IS NOT NULL AS in_903,
       k.review_code,
       CASE WHEN k.review_code IN ('PN1', 'PN2', 'PN3', 'PN4', 'PN5', 'PN6') THEN 1
            WHEN k.review_code = 'PN7' THEN 0 END AS participated,
       p.PLACE AS place, p.PLACE_PROVIDER AS provider, p.PL_POST AS pl_post, p.HOME_POST AS home_post, p.URN AS urn
FROM iro_rows r
LEFT JOIN model_reviews m ON m.la = r.la AND m.CHILD = r.CHILD AND m.review_date = r.review_date
LEFT JOIN codes k ON k.la = r.la AND k.CHILD = r.CHILD AND k.review_date = r.review_date
LEFT JOIN placed p ON p.la = r.la AND p.CHILD = r.CHILD AND p.review_date = r.review_date
WHERE r.review_date IS NOT NULL

-- query: iro_reviews_in_year
-- The reviews the extract records, in the collection year they were held (model_years), with whether the
-- child lived far away that day: outside the authority, or more than 20 miles from home (straight-line
-- miles between the postcodes' grid references, as the DfE works out PL_DISTANCE and model_child_year
-- does).  For the IRO annual report's figures members see (measures/catalogue/o1_iro.py).
SELECT y.la, y.year, r.CHILD, r.review_date, r.on_time, r.participated,
       coalesce(pp.la <> r.la, false)
         OR coalesce(hp.grid = pp.grid
                     AND round(sqrt(power(hp.east - pp.east, 2) + power(hp.north - pp.north, 2)) / 1000 / 1.6093, 1) > 20,
                     false) AS far
FROM iro_reviews r
JOIN model_years y ON y.la = r.la AND r.review_date BETWEEN y.year_start AND y.year_end
LEFT JOIN ref_postcode hp ON hp.pcd = postcode_key(r.home_post)
LEFT JOIN ref_postcode pp ON pp.pcd = postcode_key(r.pl_post)

-- query: iro_at_year_end
-- Each IRO's children on 31 March of every collection year, with the IRO's FTE: the caseload the IRO
-- Handbook's range is about.  The children are those looked after on 31 March (model_child_year: not a
-- child who left care that day) whose IRO allocation on record in their current period covers the day,
-- each counted once (with their latest allocation, should two start that day), so they are among the
-- children looked after on 31 March with an IRO on record (iro_child_year) exactly as
-- publish/cohorts.py declares.
WITH held AS (
    SELECT c.la, c.year, c.CHILD, arg_max(s.iro, (s.spell_start, s.spell_no)) AS iro
    FROM model_child_year c
    JOIN iro_spells s ON s.la = c.la AND s.CHILD = c.CHILD AND s.period_no = c.period_no
     AND s.spell_start <= c.last_day AND coalesce(s.spell_end, DATE '9999-12-31') >= c.last_day
    WHERE c.in_care_at_year_end
    GROUP BY c.la, c.year, c.CHILD
)
SELECT h.la, h.year, h.iro, count(*) AS children, any_value(o.fte) AS fte
FROM held h
JOIN iro_officers o ON o.la = h.la AND o.iro = h.iro
GROUP BY h.la, h.year, h.iro

-- query: iro_child_year
-- Each child looked after during each collection year who had an IRO allocation on record in their
-- latest period of the year: IROs in that period so far, and changes of IRO during the year.
SELECT c.la, c.year, c.CHILD, c.in_care_at_year_end,
       count(DISTINCT s.iro) FILTER (WHERE s.spell_start <= c.last_day) AS iros_in_period,
       count(*) FILTER (WHERE s.changed_iro AND s.spell_start BETWEEN make_date(c.year - 1, 4, 1) AND c.last_day)
           AS changes_in_year
FROM model_child_year c
JOIN iro_spells s ON s.la = c.la AND s.CHILD = c.CHILD AND s.period_no = c.period_no
GROUP BY c.la, c.year, c.CHILD, c.in_care_at_year_end

-- query: iro_unallocated_year_end
-- Children looked after on 31 March, in care for more than five working days (the IRO Handbook's
-- time for appointing an IRO), with no IRO allocation on record covering that day.
SELECT c.la, c.year, c.CHILD
FROM model_child_year c
JOIN ref_working_day w0 ON w0.day = c.period_start
JOIN ref_working_day w1 ON w1.day = c.last_day
WHERE c.in_care_at_year_end AND w1.working_day_no - w0.working_day_no > 5
  -- only where the extract covers the year: without it, every child would look unallocated
  AND EXISTS (SELECT 1 FROM iro_rows r WHERE r.la = c.la
              AND r.review_date BETWEEN make_date(c.year - 1, 4, 1) AND make_date(c.year, 3, 31))
  AND NOT EXISTS (
      SELECT 1 FROM iro_spells s
      WHERE s.la = c.la AND s.CHILD = c.CHILD AND s.spell_start <= c.last_day
        AND coalesce(s.spell_end, DATE '9999-12-31') >= c.last_day
  )
