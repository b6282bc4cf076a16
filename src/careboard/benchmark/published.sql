-- Published benchmarks as the comparison sees them (TEMP views over the vendored OGL data):
--   lait            every LAIT value: measure, year, la_number (3-digit; England 970, regions 980-990), value
--   lait_measures   LAIT's polarity ('High', 'Low', '-') and whether quartiles are shown
--   lait_precision  decimal places each measure is published to in each year (from the values)
--   neighbours      the DfE's 10 statistical neighbours of each authority (May 2025 groupings)
--   la_region       each authority's LAIT region row, found by code: the authority's ONS region code
--                   (la_lookup.csv) -> LAIT's region number (lait_regions.csv); names differ between
--                   files ("Inner London" / "London (Inner)"), codes do not
-- and round_half_up(x, dp), the DfE's rounding as LAIT displays figures (dfeR::round_five_up: halves
-- away from zero, with a tolerance of the square root of the machine epsilon, 1.49e-8).

CREATE OR REPLACE TEMP VIEW lait AS SELECT * FROM read_parquet('$lait_values');

CREATE OR REPLACE TEMP VIEW lait_measures AS
SELECT measure_short AS measure, polarity, no_quartile_flag, measure AS lait_title
FROM read_csv('$lait_measures', header = true, all_varchar = true);

CREATE OR REPLACE TEMP MACRO round_half_up(x, dp) AS
    sign(x) * trunc(abs(x) * power(10, dp) + 0.5 + 1.4901161193847656e-08) / power(10, dp);

-- The shortest decimal form of each published authority value (16.100000000000001 is 16.1): the most
-- decimal places any authority has that year is the measure's published precision.
CREATE OR REPLACE TEMP VIEW lait_precision AS
SELECT measure, year,
       max(CASE WHEN value = round(value) THEN 0 ELSE length(split_part(value::VARCHAR, '.', 2)) END) AS dp
FROM lait WHERE la_number < '970' AND value IS NOT NULL
GROUP BY measure, year;

CREATE OR REPLACE TEMP VIEW neighbours AS
SELECT lpad(old_la_code::VARCHAR, 3, '0') AS la, sn_rank::INTEGER AS sn_rank,
       lpad(sn_old_la_code::VARCHAR, 3, '0') AS neighbour, sn_la_name AS neighbour_name, closeness
FROM read_csv('$neighbours', header = true, all_varchar = true);

CREATE OR REPLACE TEMP VIEW la_region AS
SELECT lpad(a.old_la_code::VARCHAR, 3, '0') AS la, a.region_code, r.lait_number AS region_number,
       r.lait_name AS region_name,
       -- LAIT shows London's figure for an Inner or Outer London borough when the measure has no
       -- Inner/Outer London figures at all
       CASE WHEN a.region_code LIKE 'E13%' THEN '986' END AS region_fallback
FROM read_csv('$la_lookup', header = true, all_varchar = true) a
JOIN read_csv('$lait_regions', header = true, all_varchar = true) r USING (region_code);
