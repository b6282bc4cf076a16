"""SQL fragments the adoption rule modules (adoption_ad1, adoption_placed, adoption_prevperm) share.

This module declares no rules.
"""

from careboard.validate.rules._shared import EPISODES_WITH_NEIGHBOURS

AD1_FIELDS = ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")
OC3_FIELDS = ("IN_TOUCH", "ACTIV", "ACCOM")
PLACED_FOR_ADOPTION = "('A3', 'A4', 'A5', 'A6')"
ADOPTED = "('E11', 'E12')"


def any_given(fields: tuple[str, ...], alias: str = "") -> str:
    """SQL: at least one of ``fields`` is filled in."""
    return "(" + " OR ".join(f"{alias}{f} IS NOT NULL" for f in fields) + ")"


def all_given(fields: tuple[str, ...], alias: str = "") -> str:
    """SQL: every one of ``fields`` is filled in."""
    return "(" + " AND ".join(f"{alias}{f} IS NOT NULL" for f in fields) + ")"


def flag_pairs(pairs: str, *tables: tuple[str, str]) -> str:
    """Flag rows named by a query of matched rows.

    ``pairs`` returns CHILD and, for each (table, prefix) in ``tables``, columns ``<prefix>_file`` and
    ``<prefix>_row`` (NULL when no row of that table is to be flagged for the match).
    """
    parts = [
        f"SELECT '{table}' AS tbl, {p}_file AS source_file, {p}_row AS source_row, CHILD AS child "
        f"FROM pairs WHERE {p}_row IS NOT NULL"
        for table, p in tables
    ]
    return f"WITH pairs AS ({pairs})\n" + "\nUNION ALL\n".join(parts)


# Episodes that start a placement for adoption (PLACE A3-A6): the first A3-A6 episode, or one not
# continuing the same day from an A3-A6 episode (a change of legal status within the placement
# is not a new placement).  The previous episode is in NEIGHBOUR_ORDER (the run's episode_sequence).
ADOPTION_PLACEMENT_STARTS = f"""
    SELECT * FROM ({EPISODES_WITH_NEIGHBOURS})
    WHERE PLACE IN {PLACED_FOR_ADOPTION}
      AND NOT coalesce(prev_place IN {PLACED_FOR_ADOPTION} AND prev_dec = DECOM, false)
"""


# Children with an episode ending in adoption (REC E11/E12) during the collection year.
ADOPTED_IN_YEAR = f"""
    SELECT * FROM episodes
    WHERE REC IN {ADOPTED} AND DEC BETWEEN collection_start() AND collection_end()
"""


def first_episode_where(condition: str, latest: bool = False, children: str | None = None) -> str:
    """Each child's earliest (or latest) episode meeting ``condition`` (by start date, then file row).

    ``children``: a query of CHILD to limit the search to (saves windowing every child).
    """
    order = "DECOM DESC, source_row DESC" if latest else "DECOM, source_row"
    among = f" AND CHILD IN ({children})" if children else ""
    return f"""
    SELECT * FROM (
        SELECT *, row_number() OVER (PARTITION BY CHILD ORDER BY {order}) AS rn
        FROM episodes WHERE DECOM IS NOT NULL AND ({condition}){among}
    ) WHERE rn = 1
    """
