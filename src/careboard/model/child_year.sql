-- Care histories, step 3: one row per child per collection year in which they were looked after
-- (short breaks aside), with the characteristics every measure can be broken down by.  Each is
-- taken on the child's last day looked after in the year (31 March for children still in care),
-- so a child who left in June is described as they were when they left.

CREATE OR REPLACE TABLE model_years AS
SELECT DISTINCT la, year,
       make_date(year - 1, 4, 1) AS year_start,
       make_date(year, 3, 31) AS year_end
FROM current_loads WHERE kind = 'ssda903';

CREATE OR REPLACE TABLE model_child_year AS
WITH in_year AS (
    SELECT y.la, y.year, y.year_start, y.year_end, c.*,
           least(coalesce(c.DEC, y.year_end), y.year_end) AS last_day
    FROM model_years y
    JOIN model_care c ON c.la = y.la
     AND c.DECOM <= y.year_end AND coalesce(c.DEC, y.year_end) >= y.year_start
),
latest AS (
    SELECT la, year, CHILD,
           max(last_day) AS last_day,
           arg_max(LS, (last_day, episode_seq)) AS legal_status,
           arg_max(PLACE, (last_day, episode_seq)) AS place,
           arg_max(PLACE_PROVIDER, (last_day, episode_seq)) AS provider,
           arg_max(home_postcode, (last_day, episode_seq)) AS home_postcode,
           arg_max(pl_postcode, (last_day, episode_seq)) AS pl_postcode,
           arg_max(placement_no, (last_day, episode_seq)) AS placement_no,
           arg_max(carer_spell_no, (last_day, episode_seq)) AS carer_spell_no,
           arg_max(period_no, (last_day, episode_seq)) AS period_no,
           bool_or(DEC IS NULL OR DEC > year_end) AS in_care_at_year_end
    FROM in_year
    GROUP BY la, year, CHILD
)
SELECT l.la, l.year, l.CHILD, l.in_care_at_year_end, l.last_day, l.legal_status, l.place, l.provider,
       l.period_no, p.period_start, ch.dob, ch.sex,
       age_at(ch.dob, l.last_day) AS age,
       age_band(age_at(ch.dob, l.last_day)) AS age_band,
       age_band(age_at(ch.dob, p.period_start)) AS entry_age_band,
       ethnic_group(ch.ethnic) AS ethnic_group,
       legal_status_group(l.legal_status) AS legal_group,
       placement_category(l.place, l.provider) AS placement_type,
       CASE WHEN ch.ever_uasc AND (ch.uasc_ceased IS NULL OR ch.uasc_ceased > l.last_day)
            THEN 'UASC' ELSE 'Not UASC' END AS uasc,
       -- The home's local area is decided after this table (model/local_areas.py) from where the home is:
       -- its postcode sector, district and upper-tier authority.
       'Unknown' AS local_area,
       postcode_sector(l.home_postcode) AS home_sector, hp.district AS home_district, hp.la AS home_la,
       l.placement_no, pl.placement_start, l.carer_spell_no, cs.spell_start AS with_carer_since,
       -- Straight-line miles between the home and placement postcodes' grid references, as the DfE
       -- works out PL_DISTANCE (metres / 1000 / 1.6093, to one decimal place); none across grids.
       CASE WHEN hp.grid = pp.grid
            THEN round(sqrt(power(hp.east - pp.east, 2) + power(hp.north - pp.north, 2)) / 1000 / 1.6093, 1)
       END AS pl_distance,
       pp.la AS pl_la,
       CASE WHEN pp.la IS NULL THEN NULL ELSE pp.la <> l.la END AS placed_outside,
       -- 'postcode', or 'sector' where a postcode is not in the directory and its sector stood in
       CASE WHEN hp.source = 'sector' OR pp.source = 'sector' THEN 'sector'
            WHEN hp.source = 'postcode' OR pp.source = 'postcode' THEN 'postcode' END AS location_source
FROM latest l
JOIN model_children ch USING (la, CHILD)
LEFT JOIN model_periods p USING (la, CHILD, period_no)
LEFT JOIN model_placements pl USING (la, CHILD, period_no, placement_no)
LEFT JOIN model_carer_spells cs USING (la, CHILD, period_no, carer_spell_no)
LEFT JOIN ref_postcode hp ON hp.pcd = l.home_postcode
LEFT JOIN ref_postcode pp ON pp.pcd = l.pl_postcode;

-- How each authority's postcodes were placed: from the directory, or (flagged) from their sector.
CREATE OR REPLACE TABLE model_postcodes AS
SELECT u.la, count(*) AS postcodes,
       count(*) FILTER (WHERE r.source = 'postcode') AS in_directory,
       count(*) FILTER (WHERE r.source = 'sector') AS sector_fallback,
       count(*) FILTER (WHERE r.source IS NULL) AS not_found
FROM (SELECT DISTINCT la, unnest([home_postcode, pl_postcode]) AS pcd FROM model_episodes) u
LEFT JOIN ref_postcode r USING (pcd)
WHERE u.pcd IS NOT NULL
GROUP BY u.la;
