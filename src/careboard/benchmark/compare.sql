-- Compare computed measures with the published figures, the way LAIT does, and with "the best".
-- Input: measure_values (careboard's own figures) and scorecard_measures (id, lait_code, polarity
-- of each measure, registered by compare.py).  One row per measure, authority, year, breakdown.
--
--   benchmark_year  the latest published year up to the measure's year (DfE publishes in autumn), in
--                   LAIT's numbering: a measure whose LAIT year lags careboard's (benchmark_year_lag, the
--                   workforce census) is compared with LAIT's year that many years before
--   england, region the published England and region figures for that year
--   sn_mean/median  mean (as LAIT) and median (as the DfE dashboard) of the 10 neighbours
--   best_sn         the best of the 10 neighbours by polarity, and who it is
--   best_quartile   the value a council must reach to be in England's best quarter
--   quartile_band   A (best quarter) to D (worst), LAIT's banding; rank: 1 = best in England
-- The authority's own published figure is replaced by careboard's figure when ranking.

CREATE OR REPLACE TEMP TABLE scorecard_rows AS
WITH ours AS (
    SELECT v.*, m.lait_code, m.polarity, m.benchmark_year_lag AS lag
    FROM measure_values v JOIN scorecard_measures m ON m.id = v.measure
),
bench_year AS (
    SELECT o.measure, o.la, o.year, max(l.year) AS benchmark_year
    FROM (SELECT DISTINCT measure, lait_code, la, year, lag FROM ours) o
    JOIN lait l ON l.measure = o.lait_code AND l.year <= o.year - o.lag AND l.value IS NOT NULL
    GROUP BY ALL
),
headline AS (
    SELECT o.*, b.benchmark_year FROM ours o
    LEFT JOIN bench_year b USING (measure, la, year)
    WHERE o.breakdown = 'all'
),
published AS (
    SELECT h.measure, h.la, h.year, l.la_number, l.value
    FROM headline h JOIN lait l ON l.measure = h.lait_code AND l.year = h.benchmark_year
    WHERE l.value IS NOT NULL
),
all_las AS (  -- every authority's figure, ours in place of our published one
    SELECT measure, la, year, la_number, value FROM published WHERE la_number < '900' AND la_number <> la
    UNION ALL
    SELECT measure, la, year, la, value FROM headline WHERE value IS NOT NULL AND benchmark_year IS NOT NULL
),
spread AS (
    SELECT measure, la, year,
           quantile_cont(value, 0.25) AS q1, quantile_cont(value, 0.5) AS q2, quantile_cont(value, 0.75) AS q3,
           count(*) AS n_las
    FROM all_las GROUP BY ALL
),
ranked AS (
    SELECT h.measure, h.la, h.year,
           1 + count(*) FILTER (WHERE (h.polarity = 'high' AND a.value > h.value)
                               OR (h.polarity = 'low' AND a.value < h.value)) AS rank
    FROM headline h JOIN all_las a USING (measure, la, year)
    WHERE h.polarity IS NOT NULL AND a.la_number <> h.la
    GROUP BY ALL
),
sn AS (
    SELECT h.measure, h.la, h.year,
           round(avg(p.value), 1) AS sn_mean,
           round(median(p.value), 1) AS sn_median,
           count(p.value) AS sn_count,
           CASE h.polarity WHEN 'high' THEN max(p.value) WHEN 'low' THEN min(p.value) END AS best_sn,
           CASE h.polarity WHEN 'high' THEN arg_max(n.neighbour_name, p.value)
                           WHEN 'low' THEN arg_min(n.neighbour_name, p.value) END AS best_sn_name
    FROM headline h
    JOIN neighbours n ON n.la = h.la
    LEFT JOIN published p ON p.measure = h.measure AND p.la = h.la AND p.year = h.year AND p.la_number = n.neighbour
    GROUP BY h.measure, h.la, h.year, h.polarity
),
geo AS (
    SELECT h.measure, h.la, h.year,
           max(CASE WHEN l.la_number = '970' THEN l.value END) AS england,
           max(CASE WHEN l.name = r.region_name AND l.la_number >= '900' THEN l.value END) AS region
    FROM headline h
    LEFT JOIN la_region r ON r.la = h.la
    JOIN lait l ON l.measure = h.lait_code AND l.year = h.benchmark_year
    GROUP BY ALL
),
previous AS (
    SELECT h.measure, h.la, h.year,
           coalesce(p.value, l.value) AS previous,
           CASE WHEN p.value IS NOT NULL THEN 'careboard' WHEN l.value IS NOT NULL THEN 'published' END AS previous_source
    FROM headline h
    LEFT JOIN measure_values p ON p.measure = h.measure AND p.la = h.la AND p.year = h.year - 1 AND p.breakdown = 'all'
    LEFT JOIN lait l ON l.measure = h.lait_code AND l.la_number = h.la AND l.year = h.year - 1 - h.lag
)
SELECT o.measure, o.lait_code, o.la, o.year, o.breakdown, o.breakdown_value,
       o.numerator, o.denominator, o.value,
       hb.benchmark_year, g.england, g.region, s.sn_mean, s.sn_median, s.best_sn, s.best_sn_name,
       CASE WHEN o.breakdown = 'all' THEN CASE o.polarity WHEN 'high' THEN sp.q3 WHEN 'low' THEN sp.q1 END END
           AS best_quartile,
       CASE WHEN o.breakdown <> 'all' OR o.polarity IS NULL OR sp.q1 IS NULL OR o.value IS NULL THEN NULL
            WHEN o.polarity = 'low' THEN
                CASE WHEN o.value <= sp.q1 THEN 'A' WHEN o.value <= sp.q2 THEN 'B' WHEN o.value <= sp.q3 THEN 'C' ELSE 'D' END
            ELSE
                CASE WHEN o.value >= sp.q3 THEN 'A' WHEN o.value >= sp.q2 THEN 'B' WHEN o.value >= sp.q1 THEN 'C' ELSE 'D' END
       END AS quartile_band,
       CASE WHEN o.breakdown = 'all' THEN rk.rank END AS rank,
       CASE WHEN o.breakdown = 'all' THEN sp.n_las END AS ranked_of,
       CASE WHEN o.breakdown = 'all' THEN pv.previous END AS previous,
       CASE WHEN o.breakdown = 'all' THEN pv.previous_source END AS previous_source,
       CASE WHEN o.breakdown <> 'all' OR pv.previous IS NULL OR o.value IS NULL THEN NULL
            WHEN o.value = pv.previous THEN 'no change'
            WHEN o.polarity IS NULL THEN CASE WHEN o.value > pv.previous THEN 'up' ELSE 'down' END
            WHEN (o.polarity = 'high') = (o.value > pv.previous) THEN 'improving'
            ELSE 'worsening' END AS trend
FROM ours o
LEFT JOIN headline hb ON hb.measure = o.measure AND hb.la = o.la AND hb.year = o.year
LEFT JOIN geo g ON g.measure = o.measure AND g.la = o.la AND g.year = o.year AND o.breakdown = 'all'
LEFT JOIN sn s ON s.measure = o.measure AND s.la = o.la AND s.year = o.year AND o.breakdown = 'all'
LEFT JOIN spread sp ON sp.measure = o.measure AND sp.la = o.la AND sp.year = o.year
LEFT JOIN ranked rk ON rk.measure = o.measure AND rk.la = o.la AND rk.year = o.year
LEFT JOIN previous pv ON pv.measure = o.measure AND pv.la = o.la AND pv.year = o.year;
