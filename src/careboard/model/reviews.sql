-- Care histories, step 4: looked-after reviews against the statutory schedule (Care Planning,
-- Placement and Case Review (England) Regulations 2010, reg 33): the first review within 20 working
-- days of the child becoming looked after, the second within three months of the first, then at
-- intervals of not more than six months.  Working days exclude weekends and England's bank holidays.
-- Reviews are taken from every current return, each review date once.

CREATE OR REPLACE TABLE model_reviews AS
WITH reviews AS (
    SELECT DISTINCT r.la, r.CHILD, r.REVIEW AS review_date
    FROM current_ssda903_reviews r
    WHERE r.CHILD IS NOT NULL AND r.REVIEW IS NOT NULL
),
in_period AS (
    SELECT p.la, p.CHILD, p.period_no, p.period_start, p.period_end, r.review_date,
           row_number() OVER (PARTITION BY p.la, p.CHILD, p.period_no ORDER BY r.review_date) AS review_no
    FROM model_periods p
    JOIN reviews r ON r.la = p.la AND r.CHILD = p.CHILD
     AND r.review_date >= p.period_start AND r.review_date <= coalesce(p.period_end, DATE '9999-12-31')
),
with_previous AS (
    SELECT *, lag(review_date) OVER (PARTITION BY la, CHILD, period_no ORDER BY review_no) AS previous_review
    FROM in_period
),
first_due AS (  -- 20 working days after the period began, for every period
    SELECT p.la, p.CHILD, p.period_no, w2.day AS due
    FROM model_periods p
    JOIN ref_working_day w1 ON w1.day = p.period_start
    JOIN ref_working_day w2 ON w2.working_day_no = w1.working_day_no + 20 AND w2.is_working_day
)
SELECT r.la, r.CHILD, r.period_no, r.review_no, r.review_date,
       CASE WHEN r.review_no = 1 THEN f.due
            WHEN r.review_no = 2 THEN (r.previous_review + INTERVAL 3 MONTH)::DATE
            ELSE (r.previous_review + INTERVAL 6 MONTH)::DATE END AS due_date,
       r.review_date <= CASE WHEN r.review_no = 1 THEN f.due
                             WHEN r.review_no = 2 THEN (r.previous_review + INTERVAL 3 MONTH)::DATE
                             ELSE (r.previous_review + INTERVAL 6 MONTH)::DATE END AS on_time
FROM with_previous r
JOIN first_due f USING (la, CHILD, period_no);

-- The next review each period was waiting for: after its last review (or its start), when it fell
-- due.  A period whose next due date passed while the child was still looked after is overdue.
CREATE OR REPLACE TABLE model_review_due AS
WITH last_review AS (
    SELECT la, CHILD, period_no, max(review_no) AS reviews, max(review_date) AS last_review
    FROM model_reviews GROUP BY ALL
)
SELECT p.la, p.CHILD, p.period_no, p.period_start, p.period_end, coalesce(l.reviews, 0) AS reviews, l.last_review,
       CASE WHEN l.reviews IS NULL THEN f.day
            WHEN l.reviews = 1 THEN (l.last_review + INTERVAL 3 MONTH)::DATE
            ELSE (l.last_review + INTERVAL 6 MONTH)::DATE END AS next_due
FROM model_periods p
LEFT JOIN last_review l USING (la, CHILD, period_no)
JOIN ref_working_day w1 ON w1.day = p.period_start
JOIN ref_working_day f ON f.working_day_no = w1.working_day_no + 20 AND f.is_working_day;
