"""Time in care, reviews, social workers and adoption: how a child's time in care goes."""

from careboard.measures.measure import Measure

# Days in the current period of care on 31 March, for children looked after then.
_DAYS_IN_CARE = """
    SELECT c.la, c.year, c.CHILD, date_diff('day', c.period_start, make_date(c.year, 3, 31)) + 1 AS value
    FROM model_child_year c WHERE c.in_care_at_year_end
"""

# Periods of care that ended in the year: their length in days, and the child's age when they began.
_PERIODS_ENDED = """
    SELECT y.la, y.year, p.CHILD, date_diff('day', p.period_start, p.period_end) + 1 AS value,
           age_band(age_at(ch.dob, p.period_start)) AS entry_age_band
    FROM model_years y
    JOIN model_periods p ON p.la = y.la AND p.period_end BETWEEN y.year_start AND y.year_end
    JOIN model_children ch ON ch.la = p.la AND ch.CHILD = p.CHILD
"""

# Children looked after on 31 March whose current period began at least 20 working days earlier
# (so a first review was due): were all their reviews this year on time, with none overdue?
_REVIEWS_ON_TIME = """
    WITH cohort AS (
        SELECT c.la, c.year, c.CHILD, c.period_no
        FROM model_child_year c
        JOIN model_review_due d ON d.la = c.la AND d.CHILD = c.CHILD AND d.period_no = c.period_no
        JOIN ref_working_day w0 ON w0.day = d.period_start
        JOIN ref_working_day w1 ON w1.day = make_date(c.year, 3, 31)
        WHERE c.in_care_at_year_end AND w1.working_day_no - w0.working_day_no >= 20
    ),
    late AS (
        SELECT k.la, k.year, k.CHILD,
               bool_or(NOT r.on_time) AS any_late
        FROM cohort k
        JOIN model_reviews r ON r.la = k.la AND r.CHILD = k.CHILD AND r.period_no = k.period_no
         AND r.review_date BETWEEN make_date(k.year - 1, 4, 1) AND make_date(k.year, 3, 31)
        GROUP BY ALL
    )
    SELECT k.la, k.year, k.CHILD,
           (NOT coalesce(l.any_late, false) AND d.next_due > make_date(k.year, 3, 31))::INT AS num, 1 AS den
    FROM cohort k
    LEFT JOIN late l USING (la, year, CHILD)
    JOIN model_review_due d ON d.la = k.la AND d.CHILD = k.CHILD AND d.period_no = k.period_no
"""

_REVIEW_PARTICIPATION = """
    SELECT y.la, y.year, r.CHILD, (r.REVIEW_CODE <> 'PN7')::INT AS num, 1 AS den
    FROM model_years y
    JOIN current_ssda903_reviews r ON r.la = y.la AND r.year = y.year AND r.REVIEW BETWEEN y.year_start AND y.year_end
    WHERE r.REVIEW_CODE IN ('PN1', 'PN2', 'PN3', 'PN4', 'PN5', 'PN6', 'PN7')
"""

_SOCIAL_WORKERS = """
    SELECT c.la, c.year, c.CHILD, (count(DISTINCT s.SW_ID) >= 3)::INT AS num, 1 AS den
    FROM model_child_year c
    JOIN current_ssda903_swepisodes s ON s.la = c.la AND s.year = c.year AND s.CHILD = c.CHILD
     AND s.SW_DECOM <= make_date(c.year, 3, 31)
     AND coalesce(s.SW_DEC, make_date(c.year, 3, 31)) >= make_date(c.year - 1, 4, 1)
    WHERE c.in_care_at_year_end
    GROUP BY c.la, c.year, c.CHILD
"""

# Children adopted in the year (their period of care ended with REC E11 or E12), with the day they
# moved in with their adoptive family: the start of their first placement-for-adoption episode
# (A3-A6) in that period, or, when adopted by their foster carers (AD1 FOSTER_CARE = 1, or A3/A5
# with the same carers), the day they moved in with those carers (the DfE's A10 adjustment).
_ADOPTED = """
    WITH adopted AS (
        SELECT y.la, y.year, p.CHILD, p.period_no, p.period_start, p.period_end
        FROM model_years y
        JOIN model_periods p ON p.la = y.la AND p.period_end BETWEEN y.year_start AND y.year_end
        WHERE p.end_reason IN ('E11', 'E12')
    ),
    first_adoptive AS (
        SELECT c.la, c.CHILD, c.period_no, min(pl.placement_start) AS moved_in
        FROM model_care c
        JOIN model_placements pl USING (la, CHILD, period_no, placement_no)
        WHERE c.PLACE IN ('A3', 'A4', 'A5', 'A6')
        GROUP BY ALL
    ),
    order_date AS (
        SELECT la, CHILD, period_no, min(DECOM) AS placement_order
        FROM model_care WHERE LS IN ('E1', 'D1') GROUP BY ALL
    ),
    match AS (
        SELECT a.la, a.CHILD, max(a.DATE_MATCH) AS matched
        FROM current_ssda903_ad1 a
        GROUP BY ALL
    )
    SELECT a.*, f.moved_in, o.placement_order, m.matched
    FROM adopted a
    LEFT JOIN first_adoptive f USING (la, CHILD, period_no)
    LEFT JOIN order_date o USING (la, CHILD, period_no)
    LEFT JOIN match m ON m.la = a.la AND m.CHILD = a.CHILD
"""

MEASURES = [
    Measure(
        id="days_in_care_median",
        title="Time in care so far (median days)",
        sentence="Half the children in our care on 31 March had been in care for longer than this.",
        definition="Median number of days since the start of the current period of care, for children looked "
        "after on 31 March (careboard; the DfE publishes no local figure).",
        kind="median",
        unit="days",
        polarity=None,
        sql=_DAYS_IN_CARE,
        breakdowns=("entry_age_band", "age_band", "sex", "legal_group", "uasc", "placement_type", "local_area"),
        theme="Numbers and flow",
        notes="Counted from the first day of the current period of care to 31 March inclusive.",
    ),
    Measure(
        id="period_length_ended_median",
        title="Length of care for children who left (median days)",
        sentence="Half the children who left our care this year had been in care for longer than this.",
        definition="Median duration of the periods of care that ended during the year (the DfE publishes the "
        "England average duration of the last period of care: 864 days in 2024).",
        kind="median",
        unit="days",
        polarity=None,
        sql=_PERIODS_ENDED,
        breakdowns=("entry_age_band", "sex", "uasc", "local_area"),
        theme="Numbers and flow",
        notes="Each period of care that ended in the year counts once (a child who left twice counts twice).",
    ),
    Measure(
        id="reviews_on_time",
        title="Reviews on time",
        sentence="Of the children in our care on 31 March, the share whose reviews this year were all held on "
        "time, with none overdue.",
        definition="Children looked after on 31 March (looked after for at least 20 working days) whose "
        "looked-after reviews during the year were all held within the statutory timescales: first within 20 "
        "working days, second within 3 months, then every 6 months (Care Planning, Placement and Case Review "
        "(England) Regulations 2010, reg 33; the former national indicator NI 66).",
        kind="proportion",
        unit="%",
        polarity="high",
        sql=_REVIEWS_ON_TIME,
        theme="Reviews and timeliness",
        notes="Working days exclude weekends and England's bank holidays. A review is late if held after its "
        "due date, counted from the previous review (or the start of care); a child whose next review was due "
        "before 31 March and not held is counted as not on time. Only the current period of care is checked.",
    ),
    Measure(
        id="review_participation",
        title="Children taking part in their reviews",
        sentence="Of the reviews held this year for children aged 4 or over, the share where the child took part "
        "or had their views put across.",
        definition="Reviews held during the year with participation codes PN1-PN6, as a percentage of reviews "
        "coded PN1-PN7 (PN0, child under 4, excluded).",
        kind="proportion",
        unit="%",
        polarity="high",
        sql=_REVIEW_PARTICIPATION,
        theme="Reviews and timeliness",
    ),
    Measure(
        id="social_workers_3_plus",
        title="Three or more social workers in the year",
        sentence="Of the children in our care on 31 March, the share who had three or more different social "
        "workers during the year.",
        definition="Children looked after on 31 March with 3 or more unique social workers assigned between 1 "
        "April and 31 March (DfE Official Statistics, LAIT Stability_SocialWorker). Collected from 2023-24.",
        kind="proportion",
        unit="%",
        polarity="low",
        lait_code="Stability_SocialWorker",
        sql=_SOCIAL_WORKERS,
        theme="Stability",
        notes="Unique SW_ID values in the year's SWEpisodes table overlapping the year; children with no "
        "social-worker episodes are not in the denominator.",
    ),
    Measure(
        id="adoption_entry_to_placed_days",
        title="Entering care to moving in with adoptive family (average days)",
        sentence="For children adopted this year, the average number of days from coming into care to moving "
        "in with the family who adopted them.",
        definition="Average time in days between a child entering care and moving in with their adoptive "
        "family, for children adopted during the year, adjusted for foster carer adoptions (DfE adoption "
        "scorecard measures A1/A10).",
        kind="mean",
        unit="days",
        polarity="low",
        sql=f"SELECT la, year, CHILD, date_diff('day', period_start, moved_in) AS value FROM ({_ADOPTED}) "
        "WHERE moved_in IS NOT NULL",
        breakdowns=("entry_age_band", "sex"),
        theme="Reviews and timeliness",
        notes="One year's adoptions, not the DfE's three-year average. Entering care: the start of the period "
        "of care that ended in adoption. Moving in: the start of the placement in which the child was placed "
        "for adoption (A3-A6); for a child adopted by their foster carers that placement began when they moved "
        "in with those carers, since RNE 'T'/'U' do not start a new placement.",
    ),
    Measure(
        id="adoption_order_to_match_days",
        title="Placement order to match with adopters (average days)",
        sentence="For children adopted this year, the average number of days from the court's placement order to "
        "being matched with their adopters.",
        definition="Average time in days between the local authority receiving court authority to place a child "
        "(placement or freeing order) and deciding on a match with an adoptive family, for children adopted "
        "during the year; children matched before the order count as 0 (DfE adoption scorecard A2).",
        kind="mean",
        unit="days",
        polarity="low",
        sql=f"SELECT la, year, CHILD, greatest(date_diff('day', placement_order, matched), 0) AS value "
        f"FROM ({_ADOPTED}) WHERE placement_order IS NOT NULL AND matched IS NOT NULL",
        breakdowns=("entry_age_band", "sex"),
        theme="Reviews and timeliness",
        notes="Placement order: the first episode with legal status E1 or D1 in the period; match: AD1 DATE_MATCH.",
    ),
]
