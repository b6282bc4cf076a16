"""Tests for the deprivation of liberty order (DoLo) rules; the table exists from 2026-27 (year 2027)."""

from harness import _strip, check

from careboard.returns.reader import return_from_rows
from careboard.store.load import load_returns
from careboard.validate.engine import run_rules
from fresh_db import fresh_database

Y = 2027  # collection year 1 April 2026 - 31 March 2027


def dolo(child, start, end=None, **kw):
    return {"CHILD": child, "DOB": "01/01/2012", "DOLO_START": start, "DOLO_END": end, **kw}


def ep(child, decom, dec=None, rec=None, **kw):
    return {"CHILD": child, "DECOM": decom, "DEC": dec, "REC": rec, **kw}


def test_700_start_not_a_valid_date():
    check("700", {"DoLo": [
        dolo("1", "01/05/2026"),
        dolo("2", "31/04/2026", _flag=True),
        dolo("3", None, "01/06/2026", _flag=True),  # no start date at all
        dolo("4", "2026-05-01"),  # ISO date is read as a date
    ]}, year=Y)


def test_701_end_not_a_valid_date():
    check("701", {"DoLo": [
        dolo("1", "01/05/2026", "01/06/2026"),
        dolo("2", "01/05/2026", "32/06/2026", _flag=True),
        dolo("3", "01/05/2026"),  # open: blank end is fine
    ]}, year=Y)


def test_702_end_before_start():
    check("702", {"DoLo": [
        dolo("1", "01/05/2026", "30/04/2026", _flag=True),
        dolo("2", "01/05/2026", "01/05/2026"),  # same day is not before
        dolo("3", "01/05/2026", "02/05/2026"),
        dolo("4", "01/05/2026"),
        dolo("5", None, "02/05/2026"),
    ]}, year=Y)


def test_703_start_after_year_end():
    check("703", {"DoLo": [
        dolo("1", "31/03/2027"),
        dolo("2", "01/04/2027", _flag=True),
        dolo("3", "01/01/2020"),  # long before the year: not this rule
    ]}, year=Y)


def test_704_end_outside_year():
    check("704", {"DoLo": [
        dolo("1", "01/01/2026", "31/03/2026", _flag=True),
        dolo("2", "01/01/2026", "01/04/2026"),
        dolo("3", "01/01/2026", "31/03/2027"),
        dolo("4", "01/01/2026", "01/04/2027", _flag=True),
        dolo("5", "01/01/2026"),
    ]}, year=Y)


def test_705_start_while_previous_open():
    check("705", {"DoLo": [
        dolo("1", "01/05/2026"), dolo("1", "01/08/2026", _flag=True),  # previous never ended
        dolo("2", "01/05/2026", "01/07/2026"), dolo("2", "01/06/2026", _flag=True),  # starts before it ended
        dolo("3", "01/05/2026", "01/07/2026"), dolo("3", "01/07/2026"),  # starts the day it ended
        dolo("4", "01/05/2026", "01/07/2026"), dolo("4", "01/09/2026", "01/10/2026"),
        dolo("5", "01/09/2026"), dolo("5", "01/05/2026", "01/07/2026"),  # rows out of order
        dolo("6", "01/05/2026"),
    ]}, year=Y)


def test_706_open_order_last_year_carries_on():
    now = {
        "Header": [{"CHILD": str(i)} for i in range(1, 7)],
        "DoLo": [
            dolo("1", "01/02/2026"),  # same order carried on
            dolo("2", "01/03/2026", _flag=True),  # different start date
            dolo("4", "01/02/2026", "01/05/2026"),  # last year's order ended last year: nothing to carry
            dolo("5", "01/06/2026"),
            dolo("6", "01/01/2026", "01/06/2026"), dolo("6", "01/07/2026"),  # ended this year: fine
        ],
    }
    now["Header"][2]["_flag"] = True  # child 3 has no DoLO this year at all
    last = {
        "Header": [{"CHILD": str(i)} for i in range(1, 7)],
        "DoLo": [
            dolo("1", "01/02/2026"), dolo("2", "01/02/2026"), dolo("3", "01/02/2026"),
            dolo("4", "01/01/2026", "01/02/2026"), dolo("6", "01/01/2026"),
        ],
    }
    # The first return with a DoLo table is 2026-27, so a real previous return never has one yet: load
    # last year's rows as a second 2026-27 return to exercise the comparison.
    clean, expected = _strip(now)
    con = fresh_database()
    (this,) = load_returns(con, [return_from_rows("ssda903", "886", Y, clean, strict=False)])
    (prev,) = load_returns(con, [return_from_rows("ssda903", "887", Y, _strip(last)[0], strict=False)])
    result = run_rules(con, this.load_id, Y, "886", prev.load_id, only=["706"])
    assert "706" in result.rules_run
    got = {(r["tbl"], r["source_row"]) for r in result.findings.to_pylist()}
    con.close()
    assert got == expected


def test_706_last_year_without_dolo_table():
    # 2025-26 returns have no DoLo table: the rule reports nothing rather than failing.
    check("706", {"Header": [{"CHILD": "1"}], "DoLo": [dolo("1", "01/05/2026")]}, year=Y,
          last={"Header": [{"CHILD": "1"}], "Episodes": [ep("1", "01/05/2025")]})


def test_707_open_order_after_care_ended():
    check("707", {
        "Episodes": [
            ep("1", "01/05/2026", "01/09/2026", "E4A"),
            ep("2", "01/05/2026", "01/09/2026", "X1"), ep("2", "01/09/2026"),  # still looked after
            ep("3", "01/05/2026", "01/09/2026", "E4A"),
            ep("4", "01/05/2026", "01/06/2026", "E4A"), ep("4", "01/10/2026"),  # came back; order later
            ep("5", "01/05/2026", "01/09/2026", "E4A"), ep("5", "01/12/2026"),  # left with the order open
        ],
        "DoLo": [
            dolo("1", "01/06/2026", _flag=True),
            dolo("2", "01/06/2026"),
            dolo("3", "01/06/2026", "01/08/2026"),  # ended: fine
            dolo("4", "01/11/2026"),
            dolo("5", "01/06/2026", _flag=True),
            dolo("6", "01/06/2026"),  # no episodes: cannot tell
        ],
    }, year=Y)


def test_708_start_before_birth():
    check("708", {
        "Header": [{"CHILD": "4", "DOB": "01/01/2020"}],
        "DoLo": [
            dolo("1", "01/05/2026"),
            dolo("2", "31/12/2011", _flag=True),
            dolo("3", "01/01/2012"),  # on the date of birth: not before
            dolo("4", "31/12/2019", DOB=None, _flag=True),  # DOB from Header
        ],
    }, year=Y)


def test_709_unexpected_placement_during_order():
    check("709", {
        "Episodes": [
            ep("1", "01/05/2026", PLACE="K2"),
            ep("2", "01/05/2026", "30/06/2026", "X1", PLACE="U4"),  # ends the day before the order starts
            ep("2", "30/06/2026", PLACE="Z12"),
            ep("3", "01/05/2026", "01/08/2026", "X1", PLACE="K2"),
            ep("3", "01/08/2026", PLACE="U6", _flag=True),
            ep("4", "01/05/2026", PLACE="R1", _flag=True),
            ep("5", "01/05/2026", "02/09/2026", "X1", PLACE="Z13"),
            ep("5", "02/09/2026", PLACE="U4"),  # starts the day after the order ended
            ep("6", "01/05/2026", PLACE="K1", _flag=True),
            ep("7", "01/05/2026", PLACE="U4"),  # the order has no end date: not checked
        ],
        "DoLo": [
            dolo("1", "01/06/2026", "01/09/2026"),
            dolo("2", "01/07/2026", "01/08/2026"),
            dolo("3", "01/06/2026", "01/09/2026", _flag=True),
            dolo("4", "01/06/2026", "01/07/2026", _flag=True),
            dolo("5", "01/06/2026", "01/09/2026"),
            dolo("6", "01/06/2026", "01/07/2026", _flag=True),
            dolo("7", "01/06/2026"),
        ],
    }, year=Y)


def test_709_710_follow_the_dfe_logic():
    """DfE: "If <DOLO_START> and <DOLO_END> are present then <PLACEMENT> for any episode where <DECOM> and
    <DEC> overlap the DOLO should be 'K2', 'Z12', or 'Z13'" (710: must not be 'K1', 'P1', 'R5', 'K3')."""
    rows = {
        "Episodes": [
            ep("1", "01/05/2026", "01/06/2026", "X1", PLACE="K1", _flag=True),  # ends the day the order starts
            ep("1", "01/06/2026", PLACE="K2"),
            ep("2", "01/05/2026", PLACE="K1"),  # order with no end date: not checked
            ep("3", "01/05/2026", "01/07/2026", "X1", PLACE="K2"),
            ep("3", "01/07/2026", PLACE="P1", _flag=True),  # starts the day the order ends
            ep("4", "01/05/2026", "31/05/2026", "X1", PLACE="R5"),  # ended the day before
            ep("4", "31/05/2026", PLACE="Z12"),
        ],
        "DoLo": [
            dolo("1", "01/06/2026", "01/09/2026", _flag=True),
            dolo("2", "01/06/2026"),
            dolo("3", "01/06/2026", "01/07/2026", _flag=True),
            dolo("4", "01/06/2026", "01/09/2026"),
        ],
    }
    check("709", rows, year=Y)
    check("710", rows, year=Y)


def test_710_prohibited_placement_during_order():
    check("710", {
        "Episodes": [
            ep("1", "01/05/2026", PLACE="K1", _flag=True),
            ep("2", "01/05/2026", "31/05/2026", "X1", PLACE="P1"),  # ended the day before the order started
            ep("2", "31/05/2026", PLACE="K2"),
            ep("3", "01/05/2026", PLACE="R5", _flag=True),
            ep("4", "01/05/2026", PLACE="K3", _flag=True),
            ep("5", "01/05/2026", PLACE="U4"),  # unexpected (709), not prohibited
            ep("6", "02/08/2026", PLACE="K1"),  # placed the day after the order ended
            ep("7", "01/05/2026", PLACE="K1"),  # the order has no end date: not checked
        ],
        "DoLo": [
            dolo("1", "01/06/2026", "01/09/2026", _flag=True),
            dolo("2", "01/06/2026", "01/09/2026"),
            dolo("3", "01/06/2026", "01/07/2026", _flag=True),
            dolo("4", "01/02/2027", "01/03/2027", _flag=True),
            dolo("5", "01/06/2026", "01/09/2026"),
            dolo("6", "01/06/2026", "01/08/2026"),
            dolo("7", "01/06/2026"),
        ],
    }, year=Y)
