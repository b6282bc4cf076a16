"""SQL fragments several rule modules share (names say what each holds).

Each is a query over the rule views of ``validate/context.sql``; use it as a sub-query or CTE.
"""

# A child's episodes in order (the one definition, store/macros.sql): by start date, then end date (an
# open episode last), then place in the files; an episode with no start date sorts last.  Use it as a
# window's ORDER BY.
EPISODE_ORDER = "DECOM NULLS LAST, DEC NULLS LAST, source_file, source_row"

# The order the neighbour rules (a child's previous and next episode: gaps, overlaps, adoption
# placements, episodes against the header) were written and tested against: an episode with no start
# date first, and two starting the same day in file order.  It differs from EPISODE_ORDER only there;
# named so that the difference is one deliberate choice in one place rather than retyped.
NEIGHBOUR_ORDER = "DECOM NULLS FIRST, source_row"

# Episodes with the child's previous and next episode, in NEIGHBOUR_ORDER.
EPISODES_WITH_NEIGHBOURS = f"""
    SELECT *,
           lag(DECOM) OVER w AS prev_decom, lag(DEC) OVER w AS prev_dec, lag(REC) OVER w AS prev_rec,
           lag(LS) OVER w AS prev_ls, lag(PLACE) OVER w AS prev_place, lag(source_row) OVER w AS prev_row,
           lead(DECOM) OVER w AS next_decom, lead(RNE) OVER w AS next_rne, lead(LS) OVER w AS next_ls,
           lead(PLACE) OVER w AS next_place, lead(source_row) OVER w AS next_row,
           row_number() OVER w AS episode_no, count(*) OVER (PARTITION BY CHILD) AS episodes_of_child
    FROM episodes
    WINDOW w AS (PARTITION BY CHILD ORDER BY {NEIGHBOUR_ORDER})
"""

# Children looked after continuously for 12 months at 31 March (the OC2 cohort), built once per run
# as the TEMP table cla_12_months by context.sql.
CONTINUOUSLY_LOOKED_AFTER = """
    SELECT CHILD FROM cla_12_months
"""

# Each child's date of birth from Header (one row per child; the first row if duplicated).
CHILD_DOB = """
    SELECT CHILD, arg_min(DOB, source_row) AS DOB FROM header GROUP BY CHILD
"""
