-- The children and family social work workforce, from the CSWW census (csww_vacancies, csww_worker)
-- and, for the social workers of children looked after, from the SSDA903 SWEpisodes table.  Named
-- queries (oversight/sqlfile.py); every authority at once.
--
-- careboard's year Y holds the census as at 30 September Y-1 (the year its census date falls in);
-- "the year" of starters, leavers and absence is the census year, 1 October Y-2 to 30 September Y-1.
-- Definitions follow the DfE's (LAIT's methodology notes for the Children's Services Workforce topic):
-- a social worker is an employee of the authority (AgencyWorker 0) in post at the census date (started
-- by then, not left by then); their FTE at the census date is FTE30 where given, else FTE.

-- query: census
-- Each loaded census: its date, the start of its year, and the working days in that year (LAIT: 253,
-- 254 in a year with 29 February).
SELECT l.la, l.year, make_date(l.year - 1, 9, 30) AS census_date, make_date(l.year - 2, 10, 1) AS year_from,
       253 + (date_diff('day', make_date(l.year - 2, 10, 1), make_date(l.year - 1, 9, 30)) = 365)::INTEGER
           AS working_days
FROM current_loads l WHERE l.kind = 'csww'

-- query: workers
-- Every worker record with what the measures need to know about it.
SELECT w.la, w.year, c.census_date, w.SWENo, w.AgencyWorker = '1' AS agency,
       coalesce(w.FTE30, w.FTE, 0) AS fte_at_census, coalesce(w.FTE, w.FTE30, 0) AS fte,
       w.Cases30 AS cases, w.OrgRole AS role, w.RoleStartDate AS started, w.RoleEndDate AS ended,
       coalesce(w.WorkingDaysLost, 0) AS days_lost,
       (w.RoleStartDate IS NULL OR w.RoleStartDate <= c.census_date)
           AND (w.RoleEndDate IS NULL OR w.RoleEndDate > c.census_date) AS in_post,
       w.RoleStartDate BETWEEN c.year_from AND c.census_date AS started_in_year,
       w.RoleEndDate BETWEEN c.year_from AND c.census_date AS left_in_year,
       date_diff('day', w.RoleStartDate, c.census_date) / 365.25 AS years_in_role
FROM current_csww_worker w
JOIN census c ON c.la = w.la AND c.year = w.year

-- query: workforce_year
-- One row per authority and year: the figures every workforce measure divides.
WITH vacancies AS (
    SELECT v.la, v.year, sum(v.NumberOfVacancies) AS vacancies, sum(v.NoAgencyFTE) AS agency_covering
    FROM current_csww_vacancies v
    GROUP BY ALL
)
SELECT c.la, c.year, c.census_date, c.working_days,
       coalesce(sum(w.fte_at_census) FILTER (WHERE NOT w.agency AND w.in_post), 0) AS social_worker_fte,
       count(*) FILTER (WHERE NOT w.agency AND w.in_post) AS social_workers,
       coalesce(sum(w.fte_at_census) FILTER (WHERE w.agency AND w.in_post), 0) AS agency_fte,
       count(*) FILTER (WHERE w.agency AND w.in_post) AS agency_workers,
       any_value(v.vacancies) AS vacancies, any_value(v.agency_covering) AS agency_covering,
       coalesce(sum(w.fte) FILTER (WHERE NOT w.agency AND w.left_in_year AND NOT coalesce(w.started_in_year, false)), 0)
           AS leavers_fte,
       coalesce(sum(w.fte_at_census) FILTER (WHERE NOT w.agency AND w.started_in_year AND w.in_post), 0)
           AS starters_fte,
       coalesce(sum(w.days_lost) FILTER (WHERE NOT w.agency AND w.in_post), 0) AS days_lost,
       coalesce(sum(w.cases) FILTER (WHERE w.in_post AND w.cases > 0 AND w.fte_at_census > 0), 0) AS cases,
       coalesce(sum(w.fte_at_census) FILTER (WHERE w.in_post AND w.cases > 0 AND w.fte_at_census > 0), 0)
           AS case_holding_fte,
       coalesce(sum(w.fte_at_census) FILTER (WHERE NOT w.agency AND w.in_post AND w.role = '5'), 0) AS caseholder_fte,
       count(*) FILTER (WHERE NOT w.agency AND w.in_post AND w.years_in_role IS NOT NULL) AS with_start_date,
       count(*) FILTER (WHERE NOT w.agency AND w.in_post AND w.years_in_role < 2) AS under_2_years,
       count(*) FILTER (WHERE NOT w.agency AND w.in_post AND w.years_in_role >= 5) AS five_years_or_more
FROM census c
LEFT JOIN workers w ON w.la = c.la AND w.year = c.year
LEFT JOIN vacancies v ON v.la = c.la AND v.year = c.year
GROUP BY c.la, c.year, c.census_date, c.working_days

-- query: sw_child_year
-- From the 903: each child looked after on 31 March with social-worker episodes in the year (the
-- children social_workers_3_plus counts, so the two measures share a denominator): how many different
-- social workers they had in the year, and who was their social worker on 31 March.
SELECT c.la, c.year, c.CHILD,
       count(DISTINCT s.SW_ID) AS workers_in_year,
       arg_max(s.SW_ID, s.SW_DECOM) FILTER (WHERE s.SW_ID IS NOT NULL AND s.SW_DECOM <= make_date(c.year, 3, 31)
                                        AND coalesce(s.SW_DEC, DATE '9999-12-31') >= make_date(c.year, 3, 31))
           AS worker_at_year_end
FROM model_child_year c
JOIN current_ssda903_swepisodes s ON s.la = c.la AND s.year = c.year AND s.CHILD = c.CHILD
 AND s.SW_DECOM <= make_date(c.year, 3, 31)
 AND coalesce(s.SW_DEC, make_date(c.year, 3, 31)) >= make_date(c.year - 1, 4, 1)
WHERE c.in_care_at_year_end
GROUP BY c.la, c.year, c.CHILD
