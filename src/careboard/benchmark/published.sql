-- Published benchmarks as the comparison sees them (TEMP views over the vendored OGL data):
--   lait            every LAIT value: measure, year, la_number (3-digit; England 970, regions 9xx), value
--   lait_measures   LAIT's polarity ('High', 'Low', '-') and whether quartiles are shown
--   neighbours      the DfE's 10 statistical neighbours of each authority (May 2025 groupings)
--   la_region       each authority's LAIT region name, to find its region's row in lait

CREATE OR REPLACE TEMP VIEW lait AS SELECT * FROM read_parquet('$lait_values');

CREATE OR REPLACE TEMP VIEW lait_measures AS
SELECT measure_short AS measure, polarity, no_quartile_flag, measure AS lait_title
FROM read_csv('$lait_measures', header = true, all_varchar = true);

CREATE OR REPLACE TEMP VIEW neighbours AS
SELECT lpad(old_la_code::VARCHAR, 3, '0') AS la, sn_rank::INTEGER AS sn_rank,
       lpad(sn_old_la_code::VARCHAR, 3, '0') AS neighbour, sn_la_name AS neighbour_name, closeness
FROM read_csv('$neighbours', header = true, all_varchar = true);

CREATE OR REPLACE TEMP VIEW la_region AS
SELECT la_number AS la, any_value(region) AS region_name FROM lait
WHERE la_number < '900' AND region IS NOT NULL GROUP BY la_number;
