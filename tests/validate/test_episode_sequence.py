"""One order of a child's episodes per validation run (issue 17 item 2).

The rule context works out every episode's place in the child's sequence once (``episode_sequence``)
and the first episode of the year beside last year's final one (``first_and_last_year``); the rules
read those instead of each windowing the episodes in an order of its own.  Expected positions are
worked out by hand from the rows below.
"""

from careboard.returns.reader import return_from_rows
from careboard.store.load import load_returns
from careboard.validate.context import prepare
from careboard.validate.rules._shared import EPISODE_ORDER, NEIGHBOUR_ORDER
from careboard.validate.ruleset import SSDA903
from fresh_db import fresh


def ep(child, decom, dec=None, rec=None, place="U4"):
    return {"CHILD": child, "DECOM": decom, "DEC": dec, "REC": rec, "RNE": "S", "LS": "C2", "CIN": "N1",
            "PLACE": place}


THIS_YEAR = [
    ep("A", "01/06/2025", "01/07/2025", "X1", "U1"),  # row 1
    ep("A", "01/05/2025", "01/06/2025", "X1", "U2"),  # row 2: first by start
    ep("A", None, None, None, "U3"),                  # row 3: no start date
    ep("A", "01/06/2025", None, None, "U5"),          # row 4: same day as row 1, open
    ep("B", "01/05/2025", None, None, "U4"),          # row 5: same day as row 6, open
    ep("B", "01/05/2025", "02/05/2025", "X1", "U6"),  # row 6: same day, closed
]
LAST_YEAR = [
    ep("A", "01/01/2025", None, None, "U2"),          # row 1: last year's final episode of A
    ep("A", "01/10/2024", "01/01/2025", "X1", "U1"),  # row 2
    ep("B", "01/02/2025", None, None, "U4"),          # row 3: B's, tied with row 4 on the start date
    ep("B", "01/02/2025", "05/02/2025", "X1", "U5"),  # row 4
]


def _sequence() -> tuple[list[tuple], list[tuple]]:
    with fresh() as con:
        header = [{"CHILD": c, "SEX": "F", "DOB": "01/01/2012", "ETHNIC": "WBRI"} for c in ("A", "B")]
        (now,) = load_returns(con, [return_from_rows("ssda903", "886", 2026, {"Header": header, "Episodes": THIS_YEAR},
                                                     strict=False)])
        (last,) = load_returns(con, [return_from_rows("ssda903", "886", 2025, {"Header": header, "Episodes": LAST_YEAR},
                                                      strict=False)])
        prepare(con, now.load_id, last.load_id, 2026, "886")
        sequence = con.execute(
            "SELECT source_row, episode_no, episodes_of_child, dated_episodes_of_child, prev_row, prev_place, "
            "prev2_row, next_row, nb_episode_no, nb_prev_row, nb_next_row, first_by_start "
            "FROM episode_sequence ORDER BY source_row"
        ).fetchall()
        pairs = con.execute(
            "SELECT CHILD, source_row, PLACE, p_place, p_dec FROM first_and_last_year ORDER BY CHILD"
        ).fetchall()
    return sequence, pairs


def test_each_episode_has_its_place_in_both_orders_worked_out_once():
    sequence, _ = _sequence()
    # EPISODE_ORDER: by start, then end (open last), then file place; undated last.
    #   A: row 2 (1 May), row 1 (1 Jun, closed), row 4 (1 Jun, open), row 3 (undated)
    #   B: row 6 (closed), row 5 (open)
    # NEIGHBOUR_ORDER: undated first, then by start, then file row.
    #   A: row 3, row 2, row 1, row 4;  B: row 5, row 6
    assert sequence == [
        # row, no, of child, dated, prev, prev place, prev2, next, nb no, nb prev, nb next, first by start
        (1, 2, 4, 3, 2, "U2", None, 4, 3, 2, 4, False),
        (2, 1, 4, 3, None, None, None, 1, 2, 3, 1, True),
        (3, 4, 4, 3, 4, "U5", 1, None, 1, None, 2, False),
        (4, 3, 4, 3, 1, "U1", 2, 3, 4, 1, None, False),
        (5, 2, 2, 2, 6, "U6", None, None, 1, None, 6, True),
        (6, 1, 2, 2, None, None, None, 5, 2, 5, None, False),
    ]


def test_first_episode_of_the_year_beside_last_years_final_one():
    _, pairs = _sequence()
    # A: first by start is row 2 (U2); last year's final by start is row 1 (open, U2).
    # B: first by start, ties in file order, is row 5 (U4); last year's final, ties in file order,
    #    is row 3 (open, U4).
    assert pairs == [("A", 2, "U2", "U2", None), ("B", 5, "U4", "U4", None)]


def test_no_rule_windows_the_episodes_in_an_order_of_its_own():
    # The orders are worked out once, in the run's episode_sequence; a rule that retyped either would
    # bring back the second definition issue 17 removed.
    retyped = sorted(
        code for code, rule in SSDA903.rules().items()
        if rule.sql is not None and (EPISODE_ORDER in rule.sql or NEIGHBOUR_ORDER in rule.sql)
    )
    assert retyped == []
