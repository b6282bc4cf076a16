"""Cohort SQL shared by several measures (not measures themselves)."""

# Children looked after on 31 March of each year (short breaks aside), one row per child.
LOOKED_AFTER_AT_31_MARCH = """
    SELECT la, year, CHILD FROM model_child_year WHERE in_care_at_year_end
"""
