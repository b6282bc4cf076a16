-- Compare computed measures with the published figures, the way LAIT does, and with "the best".
-- Input: measure_values (careboard's own figures) and scorecard_measures (id, lait_code, polarity,
-- kind and benchmark_year_lag of each measure, registered by compare.py).  One row per measure,
-- authority, year, breakdown.
--
--   benchmark_year  the latest published year up to the measure's year (DfE publishes in autumn), in
--                   LAIT's numbering: a measure whose LAIT year lags careboard's (benchmark_year_lag, the
--                   workforce census) is compared with LAIT's year that many years before
--   ranked_value    careboard's figure rounded, half up, to the precision LAIT publishes that measure
--                   to (12.3 is ranked as the 12 it would be published as), from the exact fraction
--   england, region the published England figure and the authority's region's, the region found by
--                   code (la_region); an Inner/Outer London borough shows London's when the measure
--                   has no Inner/Outer London figures (LAIT's clean_ldn_region)
--   sn_mean/median  mean (as LAIT, rounded half up to the published precision) and median (as the DfE
--                   dashboard, 1 dp) of the 10 neighbours' published figures
--   best_sn         the best of the 10 neighbours by polarity, and who it is
--   best_quartile   the cut-off a council must pass to be in England's best quarter
--   quartile_band   LAIT's banding (fn_analysis.R calculate_quartile_band): quartiles of every
--                   English authority's figure (LA numbers below 970, R's default type-7 quantiles =
--                   quantile_cont); low is good: A up to and including the 25th percentile, B up to the
--                   median, C up to the 75th, D above; high is good: A above the 75th percentile, B
--                   above the median, C above the 25th, D up to and including it, so a figure equal to
--                   a cut-off takes the lower band
--   previous        careboard's figure for the year before, else LAIT's; for a published-only row
--                   (kind 'published') the authority's LAIT figure for the year before benchmark_year
--   rank, ranked_of 1 = best in England; ties share the best rank (R rank ties.method 'min'); of the
--                   authorities with a figure
-- The authority's own published figure is replaced by its ranked_value when ranking and banding, and
-- every published figure is taken at its published precision (the vendored data holds float noise
-- such as 13.700000000000001 for a published 13.7, which would otherwise rank below 13.7).
-- Per measure and year the authorities' figures are gathered into one list (peers), so the quantiles
-- and ranks of every authority and year come from list functions in one pass, not a join per pair.

CREATE OR REPLACE TEMP TABLE scorecard_rows AS
WITH ours AS (  -- careboard's figures, and the published-only rows (published_only.sql), benchmarked alike
    SELECT v.*, m.lait_code, m.polarity, m.kind, m.benchmark_year_lag AS lag
    FROM (SELECT * FROM measure_values UNION ALL BY NAME SELECT * FROM published_only_values) v
    JOIN scorecard_measures m ON m.id = v.measure
),
published_years AS (
    SELECT DISTINCT measure, year FROM lait WHERE value IS NOT NULL
),
bench_year AS (  -- the same for every authority: per measure and year
    SELECT o.measure, o.year, max(py.year) AS benchmark_year
    FROM (SELECT DISTINCT measure, lait_code, year, lag FROM ours) o
    JOIN published_years py ON py.measure = o.lait_code AND py.year <= o.year - o.lag
    GROUP BY ALL
),
headline AS (
    SELECT o.*, b.benchmark_year, p.dp,
           -- the exact figure (not careboard's displayed 1 dp) rounded as LAIT publishes it
           round_half_up(CASE o.kind WHEN 'proportion' THEN 100.0 * o.numerator / nullif(o.denominator, 0)
                                     WHEN 'rate' THEN o.numerator / nullif(o.denominator, 0) * 10000
                                     WHEN 'ratio' THEN o.numerator / nullif(o.denominator, 0)
                                     ELSE o.value END, coalesce(p.dp, 1)) AS ranked_value
    FROM ours o
    LEFT JOIN bench_year b USING (measure, year)
    LEFT JOIN lait_precision p ON p.measure = o.lait_code AND p.year = b.benchmark_year
    WHERE o.breakdown = 'all'
),
peers AS (  -- every English authority's published figure (LA numbers below 970), per measure and year
    SELECT l.measure AS lait_code, l.year, any_value(pr.dp) AS dp,
           -- published figures at their published precision (the data holds 13.700000000000001 for 13.7)
           list({'la': l.la_number, 'value': round_half_up(l.value, coalesce(pr.dp, 1))}) AS figures
    FROM lait l
    LEFT JOIN lait_precision pr ON pr.measure = l.measure AND pr.year = l.year
    WHERE l.la_number < '970' AND l.value IS NOT NULL
      AND (l.measure, l.year) IN (SELECT lait_code, benchmark_year FROM headline)
    GROUP BY ALL
),
field AS (  -- the figures an authority is ranked among: every other authority's, and its own ranked_value
    SELECT h.measure, h.la, h.year, h.polarity, h.ranked_value,
           list_transform(list_filter(p.figures, lambda f: f.la <> h.la), lambda f: f.value) AS others
    FROM headline h JOIN peers p ON p.lait_code = h.lait_code AND p.year = h.benchmark_year
),
spread AS (
    SELECT measure, la, year,
           list_aggregate(everyone, 'quantile_cont', 0.25) AS q1,
           list_aggregate(everyone, 'quantile_cont', 0.5) AS q2,
           list_aggregate(everyone, 'quantile_cont', 0.75) AS q3,
           len(everyone) AS n_las
    FROM (SELECT *, CASE WHEN ranked_value IS NULL THEN others ELSE list_append(others, ranked_value) END AS everyone
          FROM field)
),
ranked AS (
    SELECT measure, la, year,
           1 + CASE polarity WHEN 'high' THEN len(list_filter(others, lambda v: v > ranked_value))
                             WHEN 'low' THEN len(list_filter(others, lambda v: v < ranked_value)) END AS rank
    FROM field
    WHERE polarity IS NOT NULL AND ranked_value IS NOT NULL
),
sn AS (
    SELECT h.measure, h.la, h.year,
           round_half_up(avg(l.value), coalesce(any_value(h.dp), 1)) AS sn_mean,
           round(median(l.value), 1) AS sn_median,
           count(l.value) AS sn_count,
           CASE h.polarity WHEN 'high' THEN max(l.value) WHEN 'low' THEN min(l.value) END AS best_sn,
           CASE h.polarity WHEN 'high' THEN arg_max(n.neighbour_name, l.value)
                           WHEN 'low' THEN arg_min(n.neighbour_name, l.value) END AS best_sn_name
    FROM headline h
    JOIN neighbours n ON n.la = h.la
    LEFT JOIN lait l ON l.measure = h.lait_code AND l.year = h.benchmark_year AND l.la_number = n.neighbour
     AND l.value IS NOT NULL
    GROUP BY h.measure, h.la, h.year, h.polarity
),
region_has_figures AS (  -- does a region row have any figure at all for the measure (any year)?
    SELECT measure, la_number FROM lait WHERE la_number >= '980' AND value IS NOT NULL GROUP BY ALL
),
geo AS (
    SELECT h.measure, h.la, h.year, r.region_name,
           max(CASE WHEN l.la_number = '970' THEN l.value END) AS england,
           max(CASE WHEN l.la_number = CASE WHEN f.la_number IS NULL THEN coalesce(r.region_fallback, r.region_number)
                                            ELSE r.region_number END
                    THEN l.value END) AS region
    FROM headline h
    LEFT JOIN la_region r ON r.la = h.la
    LEFT JOIN region_has_figures f ON f.measure = h.lait_code AND f.la_number = r.region_number
    JOIN lait l ON l.measure = h.lait_code AND l.year = h.benchmark_year AND l.la_number >= '970'
    GROUP BY ALL
),
previous AS (
    SELECT h.measure, h.la, h.year,
           coalesce(p.value, CASE WHEN h.kind = 'published' THEN round_half_up(l.value, coalesce(h.dp, 1))
                                  ELSE l.value END) AS previous,
           CASE WHEN p.value IS NOT NULL THEN 'careboard' WHEN l.value IS NOT NULL THEN 'published' END AS previous_source
    FROM headline h
    LEFT JOIN measure_values p ON p.measure = h.measure AND p.la = h.la AND p.year = h.year - 1 AND p.breakdown = 'all'
    -- a published-only row's previous figure is the DfE's for the year before the one it shows
    LEFT JOIN lait l ON l.measure = h.lait_code AND l.la_number = h.la
     AND l.year = CASE WHEN h.kind = 'published' THEN h.benchmark_year - 1 ELSE h.year - 1 - h.lag END
)
SELECT o.measure, o.lait_code, o.la, o.year, o.breakdown, o.breakdown_value,
       o.numerator, o.denominator, o.value,
       hb.benchmark_year, g.england, g.region, g.region_name, s.sn_mean, s.sn_median, s.best_sn, s.best_sn_name,
       CASE WHEN o.breakdown = 'all' THEN CASE o.polarity WHEN 'high' THEN sp.q3 WHEN 'low' THEN sp.q1 END END
           AS best_quartile,
       CASE WHEN o.breakdown <> 'all' OR o.polarity IS NULL OR sp.q1 IS NULL OR hb.ranked_value IS NULL THEN NULL
            WHEN o.polarity = 'low' THEN
                CASE WHEN hb.ranked_value <= sp.q1 THEN 'A' WHEN hb.ranked_value <= sp.q2 THEN 'B'
                     WHEN hb.ranked_value <= sp.q3 THEN 'C' ELSE 'D' END
            ELSE
                CASE WHEN hb.ranked_value > sp.q3 THEN 'A' WHEN hb.ranked_value > sp.q2 THEN 'B'
                     WHEN hb.ranked_value > sp.q1 THEN 'C' ELSE 'D' END
       END AS quartile_band,
       CASE WHEN o.breakdown = 'all' AND hb.benchmark_year IS NOT NULL THEN hb.ranked_value END AS ranked_value,
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
