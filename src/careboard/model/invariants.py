"""What the care-history model promises its readers, declared once and checkable on any database.

Every measure, the sufficiency forecast and the oversight pages lean on these without re-checking
them: one row per child per year (or a child is counted twice), periods of care that do not overlap
(or a day in care is counted twice), placements inside their period (or stability measures count a
move that is not one).  Each invariant is a query returning the rows that break it, so an empty
result means it holds, and :func:`violations` runs them all in one statement.

They are checked every time the model is built (``model/build.py`` calls :func:`require` before it
commits), so a model that breaks one never replaces the previous one: the refresh stops with
:class:`ModelInvariantError`, naming each broken invariant, what it means and a few of the children
concerned, and every figure stays as it was.  ``careboard check-model`` runs them on demand.
``tests/model/test_invariants.py`` runs them on a synthetic authority and, for each, on a copy of it
broken by hand, so an invariant that could never fail is caught too.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from careboard import years
from careboard.store.db import StoreError

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


# How an offending row's key columns read in a message, in this order.
_KEY_WORDS = (("episode_seq", "episode {}"), ("period_no", "period of care {}"), ("placement_no", "placement {}"),
              ("review_no", "review {}"))
# The returns a child's rows came from, for keys without a year: narrowed to the episode or period named.
_RETURN_YEARS = """
    SELECT coalesce(string_agg(DISTINCT return_year::VARCHAR, ',' ORDER BY return_year::VARCHAR), '')
    FROM (SELECT la, CHILD, return_year, episode_seq, NULL AS period_no FROM model_episodes WHERE $period IS NULL
          UNION ALL
          SELECT la, CHILD, return_year, episode_seq, period_no FROM model_care WHERE $period IS NOT NULL)
    WHERE la = $la AND CHILD = $child
      AND ($period IS NULL OR period_no = $period) AND ($episode IS NULL OR episode_seq = $episode)
"""


@dataclass(frozen=True)
class Broken:
    """An invariant the model breaks: how many rows break it, and the first few, in words."""

    invariant: Invariant
    rows: int
    examples: tuple[str, ...]

    def render(self) -> str:
        more = f" (first {len(self.examples)} shown)" if self.rows > len(self.examples) else ""
        rows = f"{self.rows:,} row{'s' if self.rows != 1 else ''}"
        lines = [f"{self.invariant.name}: {self.invariant.promise} Broken by {rows}{more}:"]
        return "\n".join(lines + [f"  - {e}" for e in self.examples])


class ModelInvariantError(StoreError):
    """The care histories built from the loaded returns break the model's invariants (nothing was replaced)."""

    def __init__(self, broken: list[Broken]) -> None:
        self.broken = broken
        head = (f"the care histories built from the loaded returns break {len(broken)} of the model's "
                f"{len(INVARIANTS)} invariants, so they were not saved: the previous care histories and every "
                "figure made from them are kept.")
        tail = ("Correct these children's records (`careboard validate` lists the DfE's checks of each return) "
                "and load the corrected return; `careboard check-model` checks the model again.")
        super().__init__("\n".join([head, *(b.render() for b in broken), tail]))


def check(con: duckdb.DuckDBPyConnection, examples: int = 3) -> list[Broken]:
    """Every invariant the model's tables break, each with its first ``examples`` offending rows in words."""
    counts = violations(con)
    return [Broken(i, counts[i.name], tuple(_examples(con, i, examples))) for i in INVARIANTS if counts[i.name]]


def require(con: duckdb.DuckDBPyConnection) -> None:
    """Raise :class:`ModelInvariantError` if the model breaks any invariant."""
    broken = check(con)
    if broken:
        raise ModelInvariantError(broken)


def _examples(con: duckdb.DuckDBPyConnection, invariant: Invariant, limit: int) -> list[str]:
    """The first offending rows (in key order), as "authority 358, child 1001, period of care 2, from the 2019-20
    return"."""
    cur = con.execute(f"SELECT * FROM ({invariant.sql}) ORDER BY ALL LIMIT {int(limit)}")
    names = [d[0] for d in cur.description]
    out = []
    for values in cur.fetchall():
        row = dict(zip(names, values, strict=True))
        words = [f"authority {row['la']}"]
        if row.get("year") is not None:
            words.append(f"year {years.label(int(row['year']))}")
        words.append(f"child {row['CHILD']}")
        words += [form.format(row[key]) for key, form in _KEY_WORDS if row.get(key) is not None]
        if row.get("year") is None:
            found = con.execute(_RETURN_YEARS, {"la": row["la"], "child": row["CHILD"], "period": row.get("period_no"),
                                                "episode": row.get("episode_seq")}).fetchall()[0][0]
            if found:
                returns = ", ".join(years.label(int(y)) for y in found.split(","))
                words.append(f"from the {returns} return{'s' if ',' in found else ''}")
        if row.get("n") is not None:
            words.append(f"{row['n']} rows")
        out.append(", ".join(words))
    return out
