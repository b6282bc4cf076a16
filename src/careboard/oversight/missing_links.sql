-- Common themes of children who go missing: links between missing incidents that suggest a shared
-- cause, as a graph of children and places, and its connected components ("linked groups").
-- Reads the TEMP TABLE oversight_missing (one authority's incidents, missing.sql's missing_episodes,
-- made by missing.py) and model_care; parameters $la, $start, $end (the window, by incident start).
--
-- Two kinds of link, each kept only when chance is an unlikely explanation:
--
--  together   two children living in the same setting (same placement: Ofsted URN and postcode) or
--             with the same provider (same URN) who went missing within a day of each other (start
--             dates no more than one day apart), on at least 2 occasions.  Chance: if each of child
--             A's incidents there fell at random in the days both lived there, the share of them
--             within a day of one of B's is q = 1 - exp(-3 nB / D) (nB: B's incidents there, D: days
--             both lived there), so A's coincidences are about Poisson(nA q).
--  found_at   a child found on at least 2 occasions in the same postcode sector, neither their home's
--             nor the sector of the placement they went missing from.  Chance: each find falling in
--             any of the N sectors within 20 miles of the child's placement where the authority's
--             children were found (away from home and placement) in the window, equally likely:
--             Poisson(m / N) finds in one sector for a child found m times.
--
-- A link stands when its Poisson tail probability, times the number of comparisons of its kind made
-- in the window (pairs of children; children and sectors), is below 0.01: a link as strong would
-- arise by chance in fewer than 1 in 100 authority-windows with no shared cause.  Children found at
-- the same place are also judged together (shared_places): their links to it stand when their
-- combined chance, times the places tested, is below 0.01.  A linked group is a
-- connected component of the graph of children (linked together) and places (linked to children
-- found there) holding at least two children.

-- query: window_incidents
SELECT * FROM oversight_missing WHERE la = $la AND mis_start BETWEEN $start AND $end

-- query: stays
-- Where each child lived during the window: placement episodes (short breaks aside) at a setting
-- (URN and postcode) and with a provider (URN), clipped to the window.
WITH episodes AS (
    SELECT c.la, c.CHILD, nullif(nullif(trim(c.URN), ''), 'XXXXXXX') AS urn, c.PL_POST,
           greatest(c.DECOM, $start::DATE) AS stay_start, least(coalesce(c.DEC, $end::DATE), $end::DATE) AS stay_end
    FROM model_care c
    WHERE c.la = $la AND c.DECOM <= $end AND coalesce(c.DEC, DATE '9999-12-31') >= $start AND c.PL_POST IS NOT NULL
      AND c.CHILD IN (SELECT CHILD FROM window_incidents)  -- only children who went missing can be linked
)
SELECT la, CHILD, 'placement' AS level, coalesce(urn, '-') || ' ' || PL_POST AS key, stay_start, stay_end
FROM episodes
UNION ALL
SELECT la, CHILD, 'provider', urn, stay_start, stay_end FROM episodes WHERE urn IS NOT NULL

-- query: shared
-- Pairs of children (a < b) who lived at the same setting or provider at the same time: each
-- overlapping stretch.
SELECT a.la, a.level, a.key, a.CHILD AS child_a, b.CHILD AS child_b,
       greatest(a.stay_start, b.stay_start) AS from_day, least(a.stay_end, b.stay_end) AS to_day
FROM stays a JOIN stays b ON b.la = a.la AND b.level = a.level AND b.key = a.key AND b.CHILD > a.CHILD
WHERE greatest(a.stay_start, b.stay_start) <= least(a.stay_end, b.stay_end)

-- query: shared_incidents
-- Each child's incidents that began during a shared stretch (while both lived there).
SELECT s.la, s.level, s.key, s.child_a, s.child_b, i.CHILD, i.mis_start, i.kind
FROM shared s
JOIN window_incidents i ON i.la = s.la AND i.CHILD = s.child_a AND i.mis_start BETWEEN s.from_day AND s.to_day
UNION ALL
SELECT s.la, s.level, s.key, s.child_a, s.child_b, i.CHILD, i.mis_start, i.kind
FROM shared s
JOIN window_incidents i ON i.la = s.la AND i.CHILD = s.child_b AND i.mis_start BETWEEN s.from_day AND s.to_day

-- query: pair_counts
-- For each pair and setting: days together, each child's incidents there, and A's incidents within a
-- day of one of B's (the coincidences).
WITH days AS (
    SELECT la, level, key, child_a, child_b, sum(date_diff('day', from_day, to_day) + 1) AS days_together
    FROM shared GROUP BY ALL
),
counts AS (
    SELECT la, level, key, child_a, child_b,
           count(DISTINCT mis_start) FILTER (WHERE CHILD = child_a) AS n_a,
           count(DISTINCT mis_start) FILTER (WHERE CHILD = child_b) AS n_b
    FROM shared_incidents GROUP BY ALL
),
together AS (
    SELECT a.la, a.level, a.key, a.child_a, a.child_b,
           count(DISTINCT a.mis_start) AS occasions, min(a.mis_start) AS first_day, max(a.mis_start) AS last_day
    FROM shared_incidents a
    JOIN shared_incidents b ON b.la = a.la AND b.level = a.level AND b.key = a.key
     AND b.child_a = a.child_a AND b.child_b = a.child_b AND b.CHILD = a.child_b
     AND abs(date_diff('day', a.mis_start, b.mis_start)) <= 1
    WHERE a.CHILD = a.child_a
    GROUP BY ALL
)
SELECT c.*, d.days_together, coalesce(t.occasions, 0) AS occasions, t.first_day, t.last_day,
       c.n_a * (1 - exp(-3.0 * c.n_b / greatest(d.days_together, 1))) AS expected
FROM counts c
JOIN days d USING (la, level, key, child_a, child_b)
LEFT JOIN together t USING (la, level, key, child_a, child_b)
WHERE c.n_a > 0 AND c.n_b > 0

-- query: pair_tests
-- The chance of so many coincidences, and how many pairs were compared at each level.
-- P(X >= k) for X ~ Poisson(expected): the upper tail summed directly (200 terms is ample for the
-- small expectations met here), so tiny chances keep their precision.
WITH tails AS (
    SELECT p.la, p.level, p.key, p.child_a, p.child_b,
           sum(exp(-p.expected + r.i * ln(greatest(p.expected, 1e-300)) - lgamma(r.i + 1))) AS tail
    FROM pair_counts p JOIN range(0, 1000) r(i) ON r.i >= p.occasions AND r.i < p.occasions + 200
    WHERE p.occasions > 0
    GROUP BY ALL
)
SELECT p.*, count(*) OVER (PARTITION BY p.la, p.level) AS comparisons,
       CASE WHEN p.occasions = 0 THEN 1.0 WHEN p.expected <= 0 THEN 0.0 ELSE least(t.tail, 1.0) END AS chance
FROM pair_counts p LEFT JOIN tails t USING (la, level, key, child_a, child_b)

-- query: finds
-- Each incident's find away from the child's home and placement sectors, with the placement's and the
-- find's grid references (metres).
SELECT la, CHILD, found_sector, mis_start, urn, setting, pl_east, pl_north, found_east, found_north
FROM window_incidents
WHERE found_sector IS NOT NULL AND found_sector IS DISTINCT FROM home_sector AND found_sector IS DISTINCT FROM pl_sector

-- query: place_tests
-- For each child and sector: finds there, the child's finds anywhere (away from home and placement),
-- the sectors near the child's placements where the window's finds fell, and the chance of so many
-- finds in one sector.
WITH per_place AS (
    SELECT la, CHILD, found_sector, count(*) AS occasions, min(mis_start) AS first_day, max(mis_start) AS last_day
    FROM finds GROUP BY ALL
),
per_child AS (SELECT la, CHILD, count(*) AS finds FROM finds GROUP BY ALL),
sectors AS (
    SELECT la, found_sector, avg(found_east) AS east, avg(found_north) AS north
    FROM finds WHERE found_east IS NOT NULL GROUP BY ALL
),
local AS (  -- sectors found within 20 miles (32,186 m) of any placement the child went missing from
    SELECT p.la, p.CHILD, count(DISTINCT s.found_sector) AS sectors
    FROM (SELECT DISTINCT la, CHILD, pl_east, pl_north FROM finds WHERE pl_east IS NOT NULL) p
    JOIN sectors s ON s.la = p.la
     AND (s.east - p.pl_east) * (s.east - p.pl_east) + (s.north - p.pl_north) * (s.north - p.pl_north)
         <= 32186.0 * 32186.0
    GROUP BY ALL
),
everywhere AS (SELECT la, count(DISTINCT found_sector) AS sectors FROM finds GROUP BY la),
tested AS (
    SELECT p.*, c.finds, coalesce(l.sectors, e.sectors) AS sectors,
           c.finds / greatest(coalesce(l.sectors, e.sectors), 1) AS expected,
           count(*) OVER (PARTITION BY p.la) AS comparisons
    FROM per_place p JOIN per_child c USING (la, CHILD) JOIN everywhere e USING (la)
    LEFT JOIN local l USING (la, CHILD)
)
SELECT t.*, least(sum(exp(-t.expected + r.i * ln(greatest(t.expected, 1e-300)) - lgamma(r.i + 1))), 1.0) AS chance
FROM tested t JOIN range(0, 1000) r(i) ON r.i >= t.occasions AND r.i < t.occasions + 200
GROUP BY ALL

-- query: shared_places
-- A place where two or more children were each found more often than chance suggests (each child's
-- own chance below 0.05): the children's chances combined (Fisher's method: -2 x the sum of their
-- logarithms is chi-squared with 2n degrees of freedom, whose tail has a closed form), times the
-- number of places tested (sectors where some child was found at least twice).  Several children
-- drawn to one place is stronger evidence than any one of them, so a group can stand where no child's
-- link would alone.
WITH suggestive AS (
    SELECT la, found_sector, count(*) AS children, -2 * sum(ln(greatest(chance, 1e-300))) AS x
    FROM place_tests WHERE occasions >= 2 AND chance < 0.05
    GROUP BY la, found_sector HAVING count(*) >= 2
),
tested AS (
    SELECT la, count(DISTINCT found_sector) AS places FROM place_tests WHERE occasions >= 2 GROUP BY la
)
SELECT s.la, s.found_sector, s.children, t.places,
       least(exp(-s.x / 2) * sum(exp(r.i * ln(s.x / 2) - lgamma(r.i + 1))), 1.0) AS combined_chance
FROM suggestive s JOIN tested t USING (la) JOIN range(0, 1000) r(i) ON r.i < s.children
GROUP BY s.la, s.found_sector, s.children, t.places, s.x

-- query: links
-- The links that stand, one row each: child to child (the strongest level), child to place (alone, or
-- with other children found at the same place: shared_places).
WITH together AS (
    SELECT la, 'together' AS link, level, key AS setting, child_a, child_b, NULL::VARCHAR AS place,
           occasions, round(expected, 3) AS expected, chance, comparisons, NULL::DOUBLE AS place_chance,
           first_day, last_day
    FROM pair_tests
    WHERE occasions >= 2 AND chance * comparisons < 0.01
    QUALIFY row_number() OVER (PARTITION BY la, child_a, child_b ORDER BY chance * comparisons, level) = 1
),
found_at AS (
    SELECT t.la, 'found_at' AS link, 'sector' AS level, NULL::VARCHAR AS setting, t.CHILD AS child_a,
           NULL::VARCHAR AS child_b, t.found_sector AS place, t.occasions, round(t.expected, 3) AS expected,
           t.chance, t.comparisons, s.combined_chance * s.places AS place_chance, t.first_day, t.last_day
    FROM place_tests t
    LEFT JOIN shared_places s ON s.la = t.la AND s.found_sector = t.found_sector
    WHERE t.occasions >= 2
      AND (t.chance * t.comparisons < 0.01 OR (t.chance < 0.05 AND s.combined_chance * s.places < 0.01))
)
SELECT * FROM together UNION ALL SELECT * FROM found_at

-- query: edges
-- The graph, both directions: nodes are 'child <id>' and 'place <sector>'.
SELECT 'child ' || child_a AS a, coalesce('child ' || child_b, 'place ' || place) AS b FROM links
UNION
SELECT coalesce('child ' || child_b, 'place ' || place), 'child ' || child_a FROM links

-- query: components
-- Connected components: every node reachable from each node; a component is named by its least node.
WITH RECURSIVE reach(node, root) AS (
    SELECT DISTINCT a, a FROM edges
    UNION
    SELECT e.b, r.root FROM reach r JOIN edges e ON e.a = r.node
)
SELECT node, min(root) AS component FROM reach GROUP BY node
