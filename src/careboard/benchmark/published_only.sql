-- Published-only rows (measures/published_only.py): the council's own figure as the DfE published it in
-- LAIT, shaped like measure_values so that compare.sql benchmarks it exactly as a computed measure.
-- Input: published_only_units (id, lait_code), registered by compare.py, the lait views (published.sql)
-- and measure_values (which authorities and years the database holds).
--
--   year            every LAIT year and every year in measure_values, up to the authority's latest, so
--                   that the history of England and neighbour figures behind the trend chart is complete
--   value           the authority's published figure for the latest LAIT year up to `year` in which the
--                   DfE published the indicator (the same year compare.sql takes as benchmark_year), at
--                   its published precision; NULL where LAIT has '-' for the authority
--   numerator,      NULL: the DfE publishes the figure, not its counts, so there is nothing to add up,
--   denominator     control or suppress (docs/disclosure.md)

CREATE OR REPLACE TEMP TABLE published_only_values AS
WITH figures AS (  -- the LAIT rows of these indicators only: one scan of the vendored file
    SELECT measure, year, la_number, value FROM lait WHERE measure IN (SELECT lait_code FROM published_only_units)
),
precision AS (  -- as lait_precision (published.sql), for these indicators
    SELECT measure, year,
           max(CASE WHEN round(value, 6) = round(value) THEN 0
                    ELSE length(split_part(round(value, 6)::VARCHAR, '.', 2)) END) AS dp
    FROM figures WHERE la_number < '970' AND value IS NOT NULL
    GROUP BY measure, year
),
authorities AS (
    SELECT la, max(year) AS last_year FROM measure_values GROUP BY la
),
years AS (
    SELECT u.id, u.lait_code, a.la, y.year
    FROM published_only_units u
    CROSS JOIN authorities a
    CROSS JOIN (SELECT year FROM figures UNION SELECT year FROM measure_values) y
    WHERE y.year <= a.last_year
),
bench AS (
    SELECT y.id, y.lait_code, y.la, y.year, max(p.year) AS lait_year
    FROM years y JOIN (SELECT DISTINCT measure, year FROM figures WHERE value IS NOT NULL) p
      ON p.measure = y.lait_code AND p.year <= y.year
    GROUP BY ALL
)
SELECT b.id AS measure, b.la, b.year::SMALLINT AS year, 'all' AS breakdown, 'All' AS breakdown_value,
       NULL::DOUBLE AS numerator, NULL::DOUBLE AS denominator,
       round_half_up(l.value, coalesce(pr.dp, 1)) AS value
FROM bench b
LEFT JOIN figures l ON l.measure = b.lait_code AND l.year = b.lait_year AND l.la_number = b.la
LEFT JOIN precision pr ON pr.measure = b.lait_code AND pr.year = b.lait_year;
