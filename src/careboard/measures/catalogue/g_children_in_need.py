"""Children in need (CIN census): re-referrals within 12 months."""

from careboard.measures.measure import Measure

# Every referral once, from all current CIN census loads (a referral open across years appears in
# several censuses), with the child's previous referral.
_REFERRALS = """
    WITH referrals AS (
        SELECT DISTINCT e.la, e.LAchildID, e.CINreferralDate AS referred
        FROM cin_cinepisode e JOIN loads l ON l.load_id = e.load_id AND l.status = 'current'
        WHERE e.LAchildID IS NOT NULL AND e.CINreferralDate IS NOT NULL
    ),
    ordered AS (
        SELECT *, lag(referred) OVER (PARTITION BY la, LAchildID ORDER BY referred) AS previous
        FROM referrals
    )
    SELECT y.la, y.year, o.LAchildID AS referral_child,
           (o.previous IS NOT NULL AND o.referred <= (o.previous + INTERVAL 12 MONTH)::DATE)::INT AS num,
           1 AS den
    FROM ordered o
    JOIN (SELECT DISTINCT la, year FROM loads WHERE kind = 'cin' AND status = 'current') y
      ON y.la = o.la AND o.referred BETWEEN make_date(y.year - 1, 4, 1) AND make_date(y.year, 3, 31)
"""

MEASURES = [
    Measure(
        id="rereferrals_12_months",
        title="Re-referrals within 12 months",
        sentence="Of the referrals to children's social care this year, the share about a child referred in the "
        "12 months before.",
        definition="Referrals in the year (1 April to 31 March) that occurred within 12 months of a previous "
        "referral of the same child, as a percentage of all referrals in the year; each referral counts "
        "(DfE, Characteristics of children in need; LAIT ReReferral).",
        kind="proportion",
        unit="%",
        polarity="low",
        lait_code="ReReferral",
        sql=_REFERRALS,
        breakdowns=(),
        theme="Children in need and child protection",
        notes="Within 12 months: on or before the same calendar date a year after the previous referral. "
        "Referrals are gathered from every loaded census, so a previous referral from an earlier year counts "
        "when that year's census is loaded; load at least the previous year's census too.",
    ),
]
