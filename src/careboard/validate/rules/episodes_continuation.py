"""DfE rule 388: an episode ceased "new episode begins" (X1) is followed the same day by the child's next
episode, and care that continues the same day is coded X1."""

from careboard.validate.rule import Rule
from careboard.validate.rules._shared import EPISODES_WITH_NEIGHBOURS

# Each episode with the start of the child's next episode (next_decom, next_row; episodes in
# NEIGHBOUR_ORDER).
_WITH_NEXT = EPISODES_WITH_NEIGHBOURS

RULES = [
    Rule(
        "388",
        sql=f"""
        SELECT 'Episodes' AS tbl, source_file, source_row, CHILD AS child
        FROM ({_WITH_NEXT})
        WHERE (next_row IS NOT NULL AND DEC IS NOT NULL AND (
                   (REC = 'X1' AND DEC <> next_decom)          -- X1 but the next starts another day
                OR (REC <> 'X1' AND DEC = next_decom)))        -- care continues, so REC must be X1
           OR (next_row IS NULL AND DEC IS NOT NULL AND REC = 'X1')  -- X1 on the last episode
        """,
        note="Three cases: X1 with no episode starting that day; an episode followed the same day "
        "by another but not coded X1; X1 on the child's last episode.",
    ),
]
