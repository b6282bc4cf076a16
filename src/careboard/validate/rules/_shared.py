"""SQL fragments several rule modules share (names say what each holds).

Each is a query over the rule views of ``validate/context.sql``; use it as a sub-query or CTE.
"""

# A child's episodes in order (the one definition, store/macros.sql): by start date, then end date (an
# open episode last), then place in the files; an episode with no start date sorts last.  Every episode
# of the run carries its place in this order, worked out once, in the TEMP table episode_sequence
# (validate/context.sql: episode_no, prev_*, prev2_*, next_row); a rule reads that rather than
# windowing the episodes again.  The order is kept here as text for a rule's own window over a subset
# (PARTITION BY CHILD, period ...).
EPISODE_ORDER = "DECOM NULLS LAST, DEC NULLS LAST, source_file, source_row"

# The order the neighbour rules (a child's previous and next episode: gaps, overlaps, adoption
# placements, episodes against the header) were written and tested against: an episode with no start
# date first, and two starting the same day in file order.  It differs from EPISODE_ORDER only there;
# named so that the difference is one deliberate choice in one place rather than retyped.  Worked out
# in the same table (its ``nb_`` columns).
NEIGHBOUR_ORDER = "DECOM NULLS FIRST, source_row"

# Episodes with the child's previous and next episode, in NEIGHBOUR_ORDER: episode_sequence's ``nb_``
# columns under the names these rules use (the EPISODE_ORDER columns left out, so that neither order
# can be read by mistake).
EPISODES_WITH_NEIGHBOURS = """
    SELECT * EXCLUDE (episode_no, dated_episodes_of_child, prev_row, prev_decom, prev_dec, prev_rec, prev_ls,
                      prev_cin, prev_place, prev_pl_post, prev_urn, prev_provider, prev_reason, prev2_row,
                      prev2_place, prev2_pl_post, next_row, first_by_start,
                      nb_prev_decom, nb_prev_dec, nb_prev_rec, nb_prev_ls, nb_prev_place, nb_prev_row,
                      nb_next_decom, nb_next_rne, nb_next_ls, nb_next_place, nb_next_row, nb_episode_no),
           nb_prev_decom AS prev_decom, nb_prev_dec AS prev_dec, nb_prev_rec AS prev_rec, nb_prev_ls AS prev_ls,
           nb_prev_place AS prev_place, nb_prev_row AS prev_row,
           nb_next_decom AS next_decom, nb_next_rne AS next_rne, nb_next_ls AS next_ls,
           nb_next_place AS next_place, nb_next_row AS next_row,
           nb_episode_no AS episode_no
    FROM episode_sequence
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
