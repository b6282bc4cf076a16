"""Child protection (CIN census): initial conferences, child protection plans and their reviews."""

from careboard.measures.catalogue.cin_cohorts import ATTRIBUTES, BREAKDOWNS, CENSUS, CHILDREN, age_band_on
from careboard.measures.measure import Measure

THEME = "Children in need and child protection"
_WITH_CATEGORY = ("abuse_category", *BREAKDOWNS)

# Initial conferences held in the year after a section 47 enquiry, with working days from the
# start of the enquiry (the strategy discussion) to the conference.
_CONFERENCES = f"""
    SELECT s.la, s.year, (wc.working_day_no - ws.working_day_no <= 15)::INT AS num, 1 AS den,
           {age_band_on("s.DateOfInitialCPC")} AS age_band, {ATTRIBUTES}
    FROM current_cin_section47 s
    JOIN ref_working_day ws ON ws.day = s.S47ActualStartDate
    JOIN ref_working_day wc ON wc.day = s.DateOfInitialCPC
    JOIN ({CHILDREN}) ch ON ch.la = s.la AND ch.year = s.year AND ch.LAchildID = s.LAchildID
    WHERE s.DateOfInitialCPC BETWEEN make_date(s.year - 1, 4, 1) AND make_date(s.year, 3, 31)
"""

# Every plan in each census, with its census year and the child's attributes.
_PLANS = f"""
    SELECT p.la, p.year, p.LAchildID, p.CPPstartDate, p.CPPendDate, p.InitialCategoryOfAbuse,
           p.LatestCategoryOfAbuse, p.NumberOfPreviousCPP, ch.dob, ch.expected_dob,
           {ATTRIBUTES}
    FROM current_cin_cpplan p
    JOIN ({CHILDREN}) ch ON ch.la = p.la AND ch.year = p.year AND ch.LAchildID = p.LAchildID
"""

_STARTED = f"""
    SELECT la, year, 1 AS num, (NumberOfPreviousCPP > 0)::INT AS again, InitialCategoryOfAbuse AS abuse_category,
           {age_band_on("ch.CPPstartDate")} AS age_band, sex, ethnic_group, disability, local_area
    FROM ({_PLANS}) ch
    WHERE CPPstartDate BETWEEN make_date(year - 1, 4, 1) AND make_date(year, 3, 31)
"""

# Children subject to a plan on 31 March (an open plan), each once, with the plan's latest category.
_OPEN = f"""
    SELECT la, year, LAchildID, 1 AS num, CPPstartDate,
           (make_date(year, 3, 31) - CPPstartDate + 1 >= 730)::INT AS two_years,
           LatestCategoryOfAbuse AS abuse_category, {age_band_on("make_date(ch.year, 3, 31)")} AS age_band,
           sex, ethnic_group, disability, local_area
    FROM ({_PLANS}) ch
    WHERE CPPendDate IS NULL AND CPPstartDate <= make_date(year, 3, 31)
    QUALIFY row_number() OVER (PARTITION BY la, year, LAchildID ORDER BY CPPstartDate DESC) = 1
"""

_CEASED = f"""
    SELECT la, year, (CPPendDate - CPPstartDate + 1 >= 730)::INT AS num, 1 AS den,
           LatestCategoryOfAbuse AS abuse_category, {age_band_on("ch.CPPendDate")} AS age_band,
           sex, ethnic_group, disability, local_area
    FROM ({_PLANS}) ch
    WHERE CPPendDate BETWEEN make_date(year - 1, 4, 1) AND make_date(year, 3, 31)
"""

# Reviews of each plan from every loaded census (a plan open across years is reviewed in several),
# keyed by the plan's child and start date, and the first day of the earliest census loaded.
_REVIEWS = """
    SELECT DISTINCT p.la, p.LAchildID, p.CPPstartDate, r.CPPreviewDate AS held
    FROM current_cin_cppreview r
    JOIN current_cin_cpplan p ON p.load_id = r.load_id AND p.LAchildID = r.LAchildID AND p.EpisodeNo = r.EpisodeNo
     AND p.PlanNo = r.PlanNo
    WHERE r.CPPreviewDate IS NOT NULL
"""

# Children on a plan for at least 3 months on 31 March; on time when the first review came within 3
# months of the plan starting, each later one within 6 months of the one before, and the last is not
# overdue on 31 March.  Gaps that start before the earliest census loaded cannot be seen and are not
# judged.
_REVIEWED = f"""
    WITH cohort AS (
        SELECT * FROM ({_OPEN}) WHERE CPPstartDate <= (make_date(year, 3, 31) - INTERVAL 3 MONTH)::DATE
    ),
    seen AS (SELECT la, make_date(min(year) - 1, 4, 1) AS since FROM ({CENSUS}) GROUP BY la),
    chain AS (
        SELECT c.la, c.year, c.LAchildID, c.CPPstartDate AS held, true AS is_start FROM cohort c
        UNION ALL
        SELECT c.la, c.year, c.LAchildID, r.held, false FROM cohort c
        JOIN ({_REVIEWS}) r ON r.la = c.la AND r.LAchildID = c.LAchildID AND r.CPPstartDate = c.CPPstartDate
         AND r.held <= make_date(c.year, 3, 31)
    ),
    gaps AS (
        SELECT ch.*, s.since,
               lag(held) OVER w AS prev, lag(is_start) OVER w AS prev_is_start,
               row_number() OVER w = count(*) OVER (PARTITION BY ch.la, ch.year, ch.LAchildID) AS is_last
        FROM chain ch JOIN seen s USING (la)
        WINDOW w AS (PARTITION BY ch.la, ch.year, ch.LAchildID ORDER BY held, NOT is_start)
    ),
    judged AS (
        SELECT la, year, LAchildID,
               bool_and(prev IS NULL OR prev < since
                        OR held <= (prev + CASE WHEN prev_is_start THEN INTERVAL 3 MONTH
                                                ELSE INTERVAL 6 MONTH END)::DATE)
               AND bool_or(is_last AND make_date(year, 3, 31)
                           <= (held + CASE WHEN is_start THEN INTERVAL 3 MONTH ELSE INTERVAL 6 MONTH END)::DATE)
                   AS on_time
        FROM gaps GROUP BY la, year, LAchildID
    )
    SELECT c.la, c.year, j.on_time::INT AS num, 1 AS den, c.abuse_category, c.age_band, c.sex, c.ethnic_group,
           c.disability, c.local_area
    FROM cohort c JOIN judged j USING (la, year, LAchildID)
"""

_RATE = "per 10,000 children aged under 18 (ONS mid-year estimate of the year before)"

MEASURES = [
    Measure(
        id="icpc_15_days",
        title="Initial child protection conferences within 15 working days",
        sentence="Of the initial child protection conferences held this year, the share held within 15 working "
        "days of the strategy discussion that started the section 47 enquiry.",
        definition="Initial child protection conferences in the year held within 15 working days of the start "
        "of the section 47 enquiry, as a percentage of initial conferences (DfE, Characteristics of children "
        "in need; LAIT CP_conf_15days).",
        kind="proportion",
        unit="%",
        polarity="high",
        lait_code="CP_conf_15days",
        sql=_CONFERENCES,
        breakdowns=BREAKDOWNS,
        theme=THEME,
        notes="Working days exclude weekends and England's bank holidays; the start day is not counted and the "
        "conference day is, so a conference on the 15th working day is within 15.  Conferences recorded on "
        "the episode rather than a section 47 enquiry (transfers in) have no start to count from and are left "
        "out.",
    ),
    Measure(
        id="cpp_31_march",
        title="Children on a child protection plan on 31 March",
        sentence="Children subject to a child protection plan on 31 March.",
        definition="Children who were the subject of a child protection plan at 31 March (DfE, Characteristics "
        "of children in need; LAIT CPP_Num).",
        kind="count",
        unit="number",
        polarity=None,
        lait_code="CPP_Num",
        sql=_OPEN,
        breakdowns=_WITH_CATEGORY,
        theme=THEME,
        notes="A plan with no end date in the census.  Category of abuse: the plan's latest category.",
    ),
    Measure(
        id="cpp_rate",
        title="Children on a child protection plan per 10,000 children",
        sentence="For every 10,000 children living in the area, this many were on a child protection plan on 31 March.",
        definition=f"Children who were the subject of a child protection plan at 31 March {_RATE} (DfE; LAIT "
        "CPP_rate).",
        kind="rate",
        unit="per 10,000",
        polarity=None,
        lait_code="CPP_rate",
        sql=_OPEN,
        breakdowns=(),
        theme=THEME,
    ),
    Measure(
        id="cpp_started",
        title="Child protection plans started",
        sentence="Child protection plans that started during the year.",
        definition="Child protection plans starting in the year; a child with two plans in the year counts twice "
        "(DfE; LAIT CPP_Abuse).",
        kind="count",
        unit="number",
        polarity=None,
        lait_code="CPP_Abuse",
        sql=_STARTED,
        breakdowns=_WITH_CATEGORY,
        theme=THEME,
        notes="Category of abuse: the plan's initial category.",
    ),
    Measure(
        id="cpp_started_rate",
        title="Child protection plans started per 10,000 children",
        sentence="For every 10,000 children living in the area, this many child protection plans started.",
        definition=f"Child protection plans starting in the year {_RATE} (DfE; LAIT CPP_Abuse_Rate).",
        kind="rate",
        unit="per 10,000",
        polarity="low",
        lait_code="CPP_Abuse_Rate",
        sql=_STARTED,
        breakdowns=(),
        theme=THEME,
    ),
    Measure(
        id="cpp_second_subsequent",
        title="Child protection plans for a second or subsequent time",
        sentence="Of the child protection plans that started this year, the share for a child who had been on a "
        "plan before.",
        definition="Child protection plans starting in the year for a child who had previously been the subject "
        "of a plan, however long ago, as a percentage of plans starting in the year (DfE; LAIT PrevRegCPR).",
        kind="proportion",
        unit="%",
        polarity="low",
        lait_code="PrevRegCPR",
        sql=f"SELECT la, year, again AS num, 1 AS den, abuse_category, age_band, sex, ethnic_group, disability, "
        f"local_area FROM ({_STARTED})",
        breakdowns=_WITH_CATEGORY,
        theme=THEME,
        notes="A previous plan: NumberOfPreviousCPP above 0, as the census records it.",
    ),
    Measure(
        id="cpp_2_years_ceased",
        title="Child protection plans ending after 2 years or more",
        sentence="Of the child protection plans that ended this year, the share that had lasted two years or more.",
        definition="Child protection plans ceasing in the year that had lasted two years or more (more than 729 "
        "calendar days, counting the day the plan ended), as a percentage of plans ceasing (DfE; LAIT "
        "CPPlans2yrs).",
        kind="proportion",
        unit="%",
        polarity="low",
        lait_code="CPPlans2yrs",
        sql=_CEASED,
        breakdowns=_WITH_CATEGORY,
        theme=THEME,
        notes="Length from the plan's start date as the census of the year it ended gives it, so plans spanning "
        "census years are measured whole.",
    ),
    Measure(
        id="cpp_2_years_active",
        title="Child protection plans open for 2 years or more on 31 March",
        sentence="Of the children on a child protection plan on 31 March, the share whose plan had lasted two "
        "years or more.",
        definition="Children subject to a child protection plan at 31 March whose plan had lasted two years or "
        "more (more than 729 days counting 31 March), as a percentage of children subject to a plan at 31 March "
        "(DfE; LAIT CPPlans2yrsActive).",
        kind="proportion",
        unit="%",
        polarity="low",
        lait_code="CPPlans2yrsActive",
        sql=f"SELECT la, year, two_years AS num, 1 AS den, abuse_category, age_band, sex, ethnic_group, disability, "
        f"local_area FROM ({_OPEN})",
        breakdowns=_WITH_CATEGORY,
        theme=THEME,
        notes="The LAIT description gives the children on a plan during the year as the denominator; careboard "
        "uses the children on a plan on 31 March, the population the numerator is drawn from.",
    ),
    Measure(
        id="cpp_reviewed_on_time",
        title="Child protection plans reviewed on time",
        sentence="Of the children on a child protection plan for at least three months on 31 March, the share "
        "whose plan had been reviewed on time.",
        definition="Children subject to a plan at 31 March for at least three months whose plan was reviewed "
        "within the required timescales (first review within three months of the plan starting, then at "
        "intervals of no more than six months), as a percentage of those children (DfE; LAIT RevCP).",
        kind="proportion",
        unit="%",
        polarity="high",
        lait_code="RevCP",
        sql=_REVIEWED,
        breakdowns=_WITH_CATEGORY,
        theme=THEME,
        notes="Reviews come from every loaded census (a plan open for two years is reviewed in three).  The "
        "last review must also not be overdue on 31 March.  A gap that begins before the earliest census "
        "loaded cannot be seen and is not held against the plan.",
    ),
]
