"""DfE rules on PlacedAdoption (decisions that a child should be placed for adoption)."""

from careboard.validate.rule import Rule
from careboard.validate.rules._shared import CHILD_DOB
from careboard.validate.rules.adoption_common import (
    AD1_FIELDS,
    ADOPTED,
    ADOPTION_PLACEMENT_STARTS,
    PLACED_FOR_ADOPTION,
    any_given,
    first_episode_where,
    flag_pairs,
)

# Each child's latest episode, with the date the child ceased to be looked after (DEC unless the
# episode ends X1, i.e. care continues).
_LAST_EPISODE = f"""
    SELECT *, CASE WHEN REC IS DISTINCT FROM 'X1' THEN DEC END AS left_care
    FROM ({first_episode_where("true", latest=True, children="SELECT CHILD FROM placedadoption")})
"""

# Children with a decision recorded as ceased on a date.
_CEASED_CHILDREN = "SELECT CHILD FROM placedadoption WHERE DATE_PLACED_CEASED IS NOT NULL"

# Each child's earliest decision date (NULL when no decision has a date).
_FIRST_DECISION = "SELECT CHILD, min(DATE_PLACED) AS first_decision FROM placedadoption GROUP BY CHILD"


def _ceased(alias: str) -> str:
    """SQL: the decision's reversal is recorded (date or reason ceased given)."""
    return f"({alias}.DATE_PLACED_CEASED IS NOT NULL OR {alias}.REASON_PLACED_CEASED IS NOT NULL)"


def _decision_after_order(ls: str) -> str:
    """Rules 554/556: the decision should be on or before the first episode under legal status ``ls``."""
    return flag_pairs(
        f"""
        SELECT o.CHILD, o.source_file AS e_file, o.source_row AS e_row, p.source_file AS p_file,
               p.source_row AS p_row
        FROM ({first_episode_where(f"LS = '{ls}'", children="SELECT CHILD FROM placedadoption")}) o
        JOIN ({_FIRST_DECISION}) f ON f.CHILD = o.CHILD
        JOIN placedadoption p ON p.CHILD = o.CHILD AND p.DATE_PLACED > o.DECOM
        WHERE f.first_decision > o.DECOM
        """,
        ("Episodes", "e"), ("PlacedAdoption", "p"),
    )


def _order_without_decision(ls: str) -> str:
    """Rules 553/555: an episode under legal status ``ls`` needs a dated decision; while such an episode
    is open, the decision must not be recorded as ceased."""
    return f"""
    SELECT 'Episodes' AS tbl, e.source_file, e.source_row, e.CHILD AS child FROM episodes e
    WHERE e.LS = '{ls}'
      AND NOT EXISTS (SELECT 1 FROM placedadoption p WHERE p.CHILD = e.CHILD AND p.DATE_PLACED IS NOT NULL)
    UNION ALL
    SELECT 'PlacedAdoption' AS tbl, p.source_file, p.source_row, p.CHILD AS child FROM placedadoption p
    WHERE {_ceased("p")}
      AND p.CHILD IN (SELECT CHILD FROM episodes WHERE LS = '{ls}' AND DEC IS NULL)
      AND NOT EXISTS (SELECT 1 FROM placedadoption q WHERE q.CHILD = p.CHILD AND q.DATE_PLACED IS NOT NULL
                      AND q.DATE_PLACED_CEASED IS NULL AND q.REASON_PLACED_CEASED IS NULL)
    """


def _order_note(order: str) -> str:
    return (
        f"Flags a {order} episode when the child has no dated decision, and a decision recorded as ceased "
        f"while a {order} episode is open and no other decision is open."
    )


def _after_order_note(order: str) -> str:
    return (
        f"Compares with the child's first {order} episode in the return; flagged only when no decision is on "
        "or before it (a later decision after a reversal is allowed). The decisions after it are flagged."
    )


RULES = [
    Rule("115", invalid=("PlacedAdoption", "DATE_PLACED")),
    Rule("116", invalid=("PlacedAdoption", "DATE_PLACED_CEASED")),
    Rule(
        "119",
        table="PlacedAdoption",
        where="(DATE_PLACED_CEASED IS NULL) <> (REASON_PLACED_CEASED IS NULL)",
        note="A date the reader could not read counts as blank here (it is reported by 116).",
    ),
    Rule(
        "120",
        table="PlacedAdoption",
        where="REASON_PLACED_CEASED IS NOT NULL AND NOT valid_code('REASON_PLACED_CEASED', REASON_PLACED_CEASED)",
    ),
    Rule("522", table="PlacedAdoption", where="DATE_PLACED_CEASED < DATE_PLACED"),
    Rule(
        "563",
        table="PlacedAdoption",
        where="REASON_PLACED_CEASED IS NOT NULL AND DATE_PLACED_CEASED IS NOT NULL AND DATE_PLACED IS NULL",
    ),
    Rule(
        "184",
        sql=f"""
        SELECT 'PlacedAdoption' AS tbl, p.source_file, p.source_row, p.CHILD AS child
        FROM placedadoption p JOIN ({CHILD_DOB}) h ON h.CHILD = p.CHILD
        WHERE p.DATE_PLACED < h.DOB
        """,
    ),
    Rule(
        "117",
        sql=flag_pairs(
            f"""
            SELECT p.CHILD, p.source_file AS p_file, p.source_row AS p_row,
                   CASE WHEN p.DATE_PLACED > l.left_care OR p.DATE_PLACED_CEASED > l.left_care
                        THEN l.source_file END AS e_file,
                   CASE WHEN p.DATE_PLACED > l.left_care OR p.DATE_PLACED_CEASED > l.left_care
                        THEN l.source_row END AS e_row
            FROM placedadoption p LEFT JOIN ({_LAST_EPISODE}) l ON l.CHILD = p.CHILD
            WHERE p.DATE_PLACED > collection_end() OR p.DATE_PLACED_CEASED > collection_end()
               OR p.DATE_PLACED > l.left_care OR p.DATE_PLACED_CEASED > l.left_care
            """,
            ("PlacedAdoption", "p"), ("Episodes", "e"),
        ),
        note="Ceased to be looked after = DEC of the child's latest episode, unless it ends X1. The episode "
        "is flagged only when the date is after it.",
    ),
    Rule(
        "118",
        sql=flag_pairs(
            f"""
            SELECT p.CHILD, p.source_file AS p_file, p.source_row AS p_row,
                   CASE WHEN p.DATE_PLACED_CEASED < f.DECOM THEN f.source_file END AS e_file,
                   CASE WHEN p.DATE_PLACED_CEASED < f.DECOM THEN f.source_row END AS e_row
            FROM placedadoption p
            LEFT JOIN ({first_episode_where("LS IS NULL OR LS NOT IN ('V3', 'V4')", children=_CEASED_CHILDREN)}) f
                ON f.CHILD = p.CHILD
            WHERE p.DATE_PLACED_CEASED < collection_start() OR p.DATE_PLACED_CEASED < f.DECOM
            """,
            ("PlacedAdoption", "p"), ("Episodes", "e"),
        ),
        note="Started to be looked after = the child's earliest episode in the return other than a "
        "short-break (V3/V4) one.",
    ),
    Rule(
        "1003",
        sql=flag_pairs(
            f"""
            SELECT p.CHILD, p.source_file AS p_file, p.source_row AS p_row, s.source_file AS e_file,
                   s.source_row AS e_row
            FROM placedadoption p
            JOIN ({first_episode_where("RNE = 'S'", children="SELECT CHILD FROM placedadoption")}) s
                ON s.CHILD = p.CHILD
            WHERE p.DATE_PLACED < s.DECOM
            """,
            ("PlacedAdoption", "p"), ("Episodes", "e"),
        ),
        note="Started to be looked after = the child's first episode with RNE S in the return.",
    ),
    Rule(
        "523",
        sql=flag_pairs(
            """
            SELECT a.CHILD, a.source_file AS a_file, a.source_row AS a_row, p.source_file AS p_file,
                   p.source_row AS p_row
            FROM ad1 a JOIN placedadoption p ON p.CHILD = a.CHILD
            WHERE a.DATE_INT <> p.DATE_PLACED
            """,
            ("AD1", "a"), ("PlacedAdoption", "p"),
        ),
    ),
    Rule(
        "525",
        sql=flag_pairs(
            f"""
            SELECT p.CHILD, p.source_file AS p_file, p.source_row AS p_row, a.source_file AS a_file,
                   a.source_row AS a_row
            FROM placedadoption p JOIN ad1 a ON a.CHILD = p.CHILD
            WHERE p.DATE_PLACED_CEASED IS NOT NULL AND {any_given(AD1_FIELDS, "a.")}
            """,
            ("PlacedAdoption", "p"), ("AD1", "a"),
        ),
    ),
    Rule(
        "551",
        sql=f"""
        SELECT 'Episodes' AS tbl, e.source_file, e.source_row, e.CHILD AS child FROM episodes e
        WHERE e.PLACE IN {PLACED_FOR_ADOPTION}
          AND NOT EXISTS (SELECT 1 FROM placedadoption p WHERE p.CHILD = e.CHILD AND p.DATE_PLACED IS NOT NULL)
        """,
    ),
    Rule(
        "552",
        sql=flag_pairs(
            f"""
            SELECT s.CHILD, s.source_file AS e_file, s.source_row AS e_row, p.source_file AS p_file,
                   p.source_row AS p_row
            FROM ({ADOPTION_PLACEMENT_STARTS}) s
            JOIN ({_FIRST_DECISION}) f ON f.CHILD = s.CHILD
            JOIN placedadoption p ON p.CHILD = s.CHILD AND p.DATE_PLACED > s.DECOM
            WHERE f.first_decision > s.DECOM
            """,
            ("Episodes", "e"), ("PlacedAdoption", "p"),
        ),
        note="Each start of an A3-A6 placement needs a decision on or before it; flags the placement and "
        "the decisions dated after it.",
    ),
    Rule("553", sql=_order_without_decision("E1"), note=_order_note("placement order (E1)")),
    Rule("554", sql=_decision_after_order("E1"), note=_after_order_note("placement order (E1)")),
    Rule("555", sql=_order_without_decision("D1"), note=_order_note("freeing order (D1)")),
    Rule("556", sql=_decision_after_order("D1"), note=_after_order_note("freeing order (D1)")),
    Rule(
        "557",
        sql=flag_pairs(
            f"""
            SELECT e.CHILD, e.source_file AS e_file, e.source_row AS e_row, p.source_file AS p_file,
                   p.source_row AS p_row
            FROM episodes e LEFT JOIN placedadoption p ON p.CHILD = e.CHILD
            WHERE (e.PLACE IN {PLACED_FOR_ADOPTION} OR e.LS = 'E1'
                   OR (e.LS = 'D1' AND year(collection_end()) <= 2024))
              AND e.REC IS NOT NULL AND e.REC NOT IN ('E11', 'E12', 'X1')
              AND (p.CHILD IS NULL OR p.DATE_PLACED_CEASED IS NULL OR p.REASON_PLACED_CEASED IS NULL)
            """,
            ("Episodes", "e"), ("PlacedAdoption", "p"),
        ),
        note="Left care from an A3-A6 placement or under a placement order (or, to 2023-24, a freeing "
        "order) other than by adoption or X1; flags the episode and each decision not fully ceased.",
    ),
    Rule(
        "558",
        sql=flag_pairs(
            f"""
            SELECT e.CHILD, e.source_file AS e_file, e.source_row AS e_row, d.source_file AS p_file,
                   d.source_row AS p_row
            FROM episodes e JOIN (
                SELECT * FROM (
                    SELECT *, row_number() OVER (PARTITION BY CHILD ORDER BY DATE_PLACED DESC NULLS LAST,
                                                 source_row DESC) AS rn
                    FROM placedadoption) WHERE rn = 1
            ) d ON d.CHILD = e.CHILD
            WHERE e.REC IN {ADOPTED} AND d.DATE_PLACED_CEASED IS NOT NULL
            """,
            ("Episodes", "e"), ("PlacedAdoption", "p"),
        ),
        note="An adopted child's latest decision (latest DATE_PLACED) must not be ceased; an earlier "
        "reversed decision is allowed.",
    ),
    Rule(
        "579",
        sql="""
        SELECT 'PlacedAdoption' AS tbl, source_file, source_row, CHILD AS child FROM (
            SELECT *, bool_or(DATE_PLACED_CEASED IS NULL) OVER w AS earlier_open,
                   max(DATE_PLACED_CEASED) OVER w AS earlier_ceased
            FROM placedadoption WHERE DATE_PLACED IS NOT NULL
            WINDOW w AS (PARTITION BY CHILD ORDER BY DATE_PLACED, source_row
                         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
        ) WHERE earlier_open OR DATE_PLACED < earlier_ceased
        """,
        note="Flags the later decision when any earlier one is still open or ceased after it was made.",
    ),
    Rule(
        "583",
        sql="""
        SELECT 'PlacedAdoption' AS tbl, source_file, source_row, CHILD AS child FROM (
            SELECT *, row_number() OVER (PARTITION BY CHILD ORDER BY DATE_PLACED DESC, source_row DESC) AS rn
            FROM placedadoption WHERE DATE_PLACED IS NOT NULL
        ) WHERE rn > 1 AND DATE_PLACED_CEASED IS NULL
        """,
        note="Flags every decision but the latest that has no date ceased.",
    ),
    Rule(
        "559",
        sql="""
        SELECT 'PlacedAdoption' AS tbl, p.source_file, p.source_row, p.CHILD AS child FROM placedadoption p
        WHERE p.DATE_PLACED < collection_start()
          AND NOT EXISTS (SELECT 1 FROM placedadoption_last l WHERE l.CHILD = p.CHILD AND l.DATE_PLACED IS NOT NULL)
        """,
        note="Flagged when last year's return has no dated decision for the child (or no row at all).",
    ),
    Rule(
        "560",
        sql="""
        SELECT 'PlacedAdoption' AS tbl, p.source_file, p.source_row, p.CHILD AS child
        FROM placedadoption p JOIN placedadoption_last l ON l.CHILD = p.CHILD
        WHERE l.DATE_PLACED IS NOT NULL AND l.DATE_PLACED_CEASED IS NULL
          AND p.DATE_PLACED IS DISTINCT FROM l.DATE_PLACED
          AND NOT EXISTS (SELECT 1 FROM placedadoption q WHERE q.CHILD = l.CHILD AND q.DATE_PLACED = l.DATE_PLACED)
        """,
        note="Only when last year's open decision appears in no row this year (a new decision alongside "
        "it is allowed).",
    ),
    Rule(
        "561",
        sql=f"""
        SELECT 'PlacedAdoption' AS tbl, p.source_file, p.source_row, p.CHILD AS child
        FROM placedadoption p JOIN placedadoption_last l ON l.CHILD = p.CHILD
        WHERE p.DATE_PLACED = l.DATE_PLACED AND {_ceased("l")}
        """,
    ),
    Rule(
        "584",
        sql=f"""
        SELECT 'PlacedAdoption' AS tbl, p.source_file, p.source_row, p.CHILD AS child
        FROM placedadoption p JOIN placedadoption_last l ON l.CHILD = p.CHILD
        WHERE l.DATE_PLACED IS NOT NULL AND {_ceased("l")}
          AND (p.DATE_PLACED IS NULL OR p.DATE_PLACED < l.DATE_PLACED)
        """,
        note="A decision ceased last year: this year's decision dates must be later than it (the same "
        "date is rule 561).",
    ),
]
