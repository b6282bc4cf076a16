-- Local areas, step 1: the area every home inside an authority falls in before small areas are grouped
-- (model/local_areas.py then groups them and names them).  A place is a postcode sector in a district:
-- the authority's own sectors from the reference data, and the sector and district of every child's home.
-- Its area is the authority's own locality when its lookup (local_area_lookup, from areas.csv) names the
-- sector, the postcode district, the district's code or the district's name, the most specific first;
-- otherwise the district, in an authority of several districts (a county), or the postcode district in a
-- single-district authority (a unitary or metropolitan borough).

CREATE OR REPLACE TEMP TABLE area_places AS
SELECT d.la, s.sector, s.district, d.district_name
FROM ref_sector s JOIN ref_district_la d USING (district)
WHERE d.la IN (SELECT DISTINCT la FROM model_years)
UNION
SELECT c.la, c.home_sector, c.home_district, d.district_name
FROM model_child_year c JOIN ref_district_la d ON d.district = c.home_district
WHERE c.home_la = c.la AND c.home_sector IS NOT NULL;

CREATE OR REPLACE TEMP TABLE area_base AS
WITH districts AS (SELECT la, count(*) AS n FROM ref_district_la GROUP BY la),
named AS (
    SELECT p.*, split_part(p.sector, ' ', 1) AS outward,
           coalesce(ls.area, lo.area, ld.area, ln.area) AS locality, dn.n AS districts
    FROM area_places p
    JOIN districts dn ON dn.la = p.la
    LEFT JOIN local_area_lookup ls ON ls.la = p.la AND ls.key = p.sector
    LEFT JOIN local_area_lookup lo ON lo.la = p.la AND lo.key = split_part(p.sector, ' ', 1)
    LEFT JOIN local_area_lookup ld ON ld.la = p.la AND ld.key = p.district
    LEFT JOIN local_area_lookup ln ON ln.la = p.la AND ln.key = upper(p.district_name)
)
SELECT la, sector, district,
       CASE WHEN locality IS NOT NULL THEN 'locality' WHEN districts > 1 THEN 'district'
            ELSE 'postcode district' END AS kind,
       CASE WHEN locality IS NOT NULL THEN 'L_' || trim(lower(regexp_replace(locality, '[^A-Za-z0-9]+', '_', 'g')), '_')
            WHEN districts > 1 THEN district ELSE outward END AS code,
       CASE WHEN locality IS NOT NULL THEN locality WHEN districts > 1 THEN coalesce(district_name, district)
            ELSE outward END AS name
FROM named;

-- Children looked after on 31 March whose home is in each area, by year: what decides which areas are grouped.
CREATE OR REPLACE TEMP TABLE area_counts AS
SELECT y.la, b.code, y.year, count(c.CHILD) AS children
FROM model_years y
JOIN (SELECT DISTINCT la, code FROM area_base) b ON b.la = y.la
LEFT JOIN area_base p ON p.la = b.la AND p.code = b.code
LEFT JOIN model_child_year c
  ON c.la = y.la AND c.year = y.year AND c.in_care_at_year_end AND c.home_la = c.la
 AND c.home_sector = p.sector AND c.home_district = p.district
GROUP BY ALL;

-- Each area's centre (the mean of its sectors' centroids) and name: where its nearest neighbour is.
CREATE OR REPLACE TEMP TABLE area_centres AS
SELECT b.la, b.code, any_value(b.name) AS name, any_value(b.kind) AS kind, avg(s.east) AS east, avg(s.north) AS north,
       count(DISTINCT b.sector) AS sectors
FROM area_base b LEFT JOIN ref_sector s USING (sector)
GROUP BY b.la, b.code;
