"""Cohort SQL shared by several measures (not measures themselves)."""

# Children looked after on 31 March of each year (short breaks aside), one row per child.
LOOKED_AFTER_AT_31_MARCH = """
    SELECT la, year, CHILD FROM model_child_year WHERE in_care_at_year_end
"""

# Children who ceased to be looked after in each year, once each (the last occasion, as the DfE counts
# them), with the reason the period of care ended (REC of its last episode).
CEASED_LAST_OCCASION = """
    SELECT y.la, y.year, p.CHILD, p.end_reason AS rec
    FROM model_years y
    JOIN model_periods p ON p.la = y.la AND p.period_end BETWEEN y.year_start AND y.year_end
    QUALIFY row_number() OVER (PARTITION BY y.la, y.year, p.CHILD ORDER BY p.period_end DESC) = 1
"""
