-- Needs that decide a placement, proxied from the 903 returns, one row per period of care begun by $cut.
-- Parameters: $la (authority), $cut (the day the history is known to).
--
-- Two readings of each need: at entry (what a new child like this one brings) and at $cut (what a
-- child looked after that day needs now).  Proxies and their limits are in docs/sufficiency.md:
--   disability        category of need N2 ("child's disability or illness") on an episode of the period;
--   high needs        a children's-home placement in the period, 3+ placements in the last 12 months,
--                     or category of need N6 ("socially unacceptable behaviour"); counted as a need
--                     of a *teenager* (13+) by the forecast, which knows the age on each day;
--   parent and child  the child is a mother (903 Header MOTHER = 1) whose baby (MC_DOB) is under one;
--   siblings          children who came into care on the same day from the same home postcode and
--                     went to the same first placement postcode: a sibling group placed together;
--                     at $cut, those of the group still placed at one postcode;
--   home area         the sector of the period's first recorded home postcode (HOME_POST).
-- The authority's own child_needs.csv (registered as suff_child_needs: CHILD, sibling_group, disability,
-- parent_and_child; empty when not given) adds to the "now" reading: its sibling groups replace the
-- proxy for the children it names.
WITH ep AS (
    SELECT c.CHILD, c.period_no, c.episode_seq, c.DECOM, c.DEC, c.CIN, c.HOME_POST,
           postcode_sector(c.HOME_POST) AS home_sector, c.PL_POST,
           c.starts_placement, placement_category(c.PLACE, c.PLACE_PROVIDER) = 'Children''s homes' AS home
    FROM model_care c
    WHERE c.la = $la AND c.DECOM <= $cut AND NOT c.short_break
),
periods AS (
    SELECT CHILD, period_no, min(DECOM) AS period_start,
           arg_min(home_sector, episode_seq) FILTER (WHERE home_sector IS NOT NULL) AS home_sector,
           arg_min(HOME_POST, episode_seq) AS home_post,
           arg_min(PL_POST, episode_seq) AS first_pl_post,
           arg_min(CIN, episode_seq) = 'N2' AS disabled_at_entry,
           arg_min(CIN, episode_seq) = 'N6' AS n6_at_entry,
           arg_min(home, episode_seq) AS home_at_entry,
           bool_or(CIN = 'N2') AS disabled_now,
           bool_or(CIN = 'N6') AS n6_now,
           bool_or(home) AS home_now,
           count(*) FILTER (WHERE starts_placement AND DECOM > $cut - INTERVAL 365 DAY) AS placements_last_year,
           arg_max(PL_POST, episode_seq) AS pl_post_now,
           bool_or(DEC IS NULL OR DEC > $cut) AS open_at_cut
    FROM ep GROUP BY CHILD, period_no
),
mothers AS (
    SELECT h.CHILD, max(h.MC_DOB) AS mc_dob
    FROM current_ssda903_header h
    WHERE h.la = $la AND h.MOTHER = '1' AND h.MC_DOB IS NOT NULL AND h.MC_DOB <= $cut
    GROUP BY h.CHILD
),
groups AS (
    SELECT *,
           count(*) OVER (PARTITION BY period_start, home_post, first_pl_post) AS group_at_entry,
           count(*) FILTER (WHERE open_at_cut)
               OVER (PARTITION BY period_start, home_post, first_pl_post, pl_post_now) AS group_now
    FROM periods
)
,
named AS (
    SELECT g.*, cn.sibling_group, coalesce(cn.disability, false) AS cn_disability,
           coalesce(cn.parent_and_child, false) AS cn_parent,
           count(*) FILTER (WHERE g.open_at_cut) OVER (PARTITION BY cn.sibling_group) AS named_group
    FROM groups g LEFT JOIN suff_child_needs cn ON cn.CHILD = g.CHILD
)
SELECT g.CHILD, g.period_no, g.home_sector,
       g.disabled_at_entry, g.n6_at_entry OR g.home_at_entry AS high_at_entry,
       coalesce(m.mc_dob > g.period_start - INTERVAL 365 DAY AND m.mc_dob <= g.period_start, false)
           AS parent_at_entry,
       CASE WHEN g.home_post IS NULL OR g.first_pl_post IS NULL THEN 1 ELSE g.group_at_entry END AS group_at_entry,
       g.disabled_now OR g.cn_disability AS disabled_now,
       g.n6_now OR g.home_now OR g.placements_last_year >= 3 AS high_now,
       coalesce(m.mc_dob > $cut - INTERVAL 365 DAY, false) OR g.cn_parent AS parent_now,
       CASE WHEN NOT g.open_at_cut THEN 1
            WHEN g.sibling_group IS NOT NULL THEN g.named_group
            WHEN g.home_post IS NULL OR g.first_pl_post IS NULL THEN 1
            ELSE g.group_now END AS group_now
FROM named g LEFT JOIN mothers m USING (CHILD)
