"""What the care-history model promises its readers, declared once and checkable on any database.

Every measure, the sufficiency forecast and the oversight pages lean on these without re-checking
them: one row per child per year (or a child is counted twice), periods of care that do not overlap
(or a day in care is counted twice), placements inside their period (or stability measures count a
move that is not one).  Each invariant is a query returning the rows that break it, so an empty
result means it holds, and :func:`violations` runs them all in one statement.
``tests/model/test_invariants.py`` runs them on a synthetic authority and, for each, on a copy of it
broken by hand, so an invariant that could never fail is caught too.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

_FOREVER = "DATE '9999-12-31'"


@dataclass(frozen=True)
class Invariant:
    name: str
    promise: str  # what readers may rely on, in words
    sql: str  # the rows that break it (any columns)


def _unique(table: str, key: str) -> str:
    return f"SELECT {key}, count(*) AS n FROM {table} GROUP BY {key} HAVING count(*) > 1"


INVARIANTS: tuple[Invariant, ...] = (
    Invariant(
        "child_year_unique",
        "model_child_year has one row per authority, year and child.",
        _unique("model_child_year", "la, year, CHILD"),
    ),
    Invariant(
        "children_unique",
        "model_children has one row per authority and child.",
        _unique("model_children", "la, CHILD"),
    ),
    Invariant(
        "episode_order_unique",
        "A child's episodes are numbered 1, 2, 3 ... in one order (episode_seq), each number once.",
        """SELECT la, CHILD, episode_seq FROM model_episodes
            QUALIFY episode_seq <> row_number() OVER (PARTITION BY la, CHILD ORDER BY episode_seq)""",
    ),
    Invariant(
        "episodes_do_not_overlap",
        "After the repairs, each of a child's episodes ends on or before the day the next one starts.",
        f"""SELECT la, CHILD, episode_seq FROM model_episodes
            QUALIFY coalesce(DEC, {_FOREVER}) > lead(DECOM) OVER (PARTITION BY la, CHILD ORDER BY episode_seq)""",
    ),
    Invariant(
        "period_dates_in_order",
        "A period of care does not end before it starts.",
        "SELECT la, CHILD, period_no FROM model_periods WHERE period_end < period_start",
    ),
    Invariant(
        "periods_do_not_overlap",
        "A child's periods of care do not overlap: each ends (and is not open) on or before the next starts.",
        f"""SELECT la, CHILD, period_no FROM model_periods
            QUALIFY coalesce(period_end, {_FOREVER})
                    > lead(period_start) OVER (PARTITION BY la, CHILD ORDER BY period_no)""",
    ),
    Invariant(
        "placement_inside_its_period",
        "Every placement lies within its period of care, and every period has its placements.",
        f"""SELECT pl.la, pl.CHILD, pl.period_no, pl.placement_no
            FROM model_placements pl
            LEFT JOIN model_periods p USING (la, CHILD, period_no)
            WHERE p.CHILD IS NULL OR pl.placement_start < p.period_start
               OR coalesce(pl.placement_end, {_FOREVER}) > coalesce(p.period_end, {_FOREVER})""",
    ),
    Invariant(
        "placements_do_not_overlap",
        "A child's placements follow one another without overlapping.",
        f"""SELECT la, CHILD, period_no, placement_no FROM model_placements
            QUALIFY coalesce(placement_end, {_FOREVER})
                    > lead(placement_start) OVER (PARTITION BY la, CHILD ORDER BY placement_no)""",
    ),
    Invariant(
        "child_year_looked_after_in_year",
        "A child has a row for a year only if looked after (short breaks aside) on some day of it, and their "
        "last day looked after in the year lies in the year.",
        """SELECT c.la, c.year, c.CHILD FROM model_child_year c
           JOIN model_years y USING (la, year)
           WHERE c.last_day NOT BETWEEN y.year_start AND y.year_end
              OR NOT EXISTS (SELECT 1 FROM model_periods p WHERE p.la = c.la AND p.CHILD = c.CHILD
                             AND p.period_no = c.period_no AND p.period_start <= y.year_end)""",
    ),
    Invariant(
        "review_inside_its_period",
        "Every review counted against the statutory schedule was held within its period of care.",
        f"""SELECT r.la, r.CHILD, r.period_no, r.review_no FROM model_reviews r
            JOIN model_periods p USING (la, CHILD, period_no)
            WHERE r.review_date NOT BETWEEN p.period_start AND coalesce(p.period_end, {_FOREVER})""",
    ),
)


def violations(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """How many rows break each invariant (0 when it holds), in one statement."""
    parts = [f"SELECT '{i.name}' AS name, (SELECT count(*) FROM ({i.sql})) AS n" for i in INVARIANTS]
    return dict(con.execute(" UNION ALL ".join(parts)).fetchall())
