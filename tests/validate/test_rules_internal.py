import pytest
from harness import check

HEADER = [
    {"CHILD": "1", "SEX": "M", "DOB": "01/01/2015"},
    {"CHILD": "2", "SEX": "F", "DOB": "02/02/2012"},
    {"CHILD": "3", "SEX": "U"},  # no DOB
]

# Each table's 'child not in Header' rule.
NOT_IN_HEADER = [
    ("INT01", "AD1"), ("INT02", "PlacedAdoption"), ("INT03", "Episodes"), ("INT04", "Missing"), ("INT05", "OC2"),
    ("INT06", "OC3"), ("INT07", "PrevPerm"), ("INT08", "Reviews"), ("INT09", "UASC"),
]


def test_int01_child_in_ad1_not_in_header():
    check("INT01", {"Header": HEADER, "AD1": [
        {"CHILD": "1"}, {"CHILD": "9", "_flag": True}, {"CHILD": "2"}, {"CHILD": None, "_flag": True},
    ]})


def test_int02_to_int09_child_not_in_header():
    check("INT02", {"Header": HEADER, "PlacedAdoption": [{"CHILD": "2"}, {"CHILD": "22", "_flag": True}]})
    check("INT03", {"Header": HEADER, "Episodes": [
        {"CHILD": "1", "DECOM": "01/05/2025"}, {"CHILD": "1", "DECOM": "01/06/2025"},
        {"CHILD": "01", "DECOM": "01/05/2025", "_flag": True},  # ids are compared as text
    ]})
    check("INT04", {"Header": HEADER, "Missing": [{"CHILD": "3"}, {"CHILD": "4", "_flag": True}]})
    check("INT05", {"Header": HEADER, "OC2": [{"CHILD": "1"}, {"CHILD": "4", "_flag": True}]})
    check("INT06", {"Header": HEADER, "OC3": [{"CHILD": "2"}, {"CHILD": "4", "_flag": True}]})
    check("INT07", {"Header": HEADER, "PrevPerm": [{"CHILD": "3"}, {"CHILD": "4", "_flag": True}]})
    check("INT08", {"Header": HEADER, "Reviews": [{"CHILD": "1"}, {"CHILD": "4", "_flag": True}]})
    check("INT09", {"Header": HEADER, "UASC": [{"CHILD": "2"}, {"CHILD": "4", "_flag": True}]})


@pytest.mark.parametrize("code, table", NOT_IN_HEADER)
def test_not_in_header_not_run_without_header(code, table):
    # no Header file at all: the file is missing, not every child
    check(code, {table: [{"CHILD": "1"}, {"CHILD": "2"}]})


def dob_rows(table):
    return {"Header": HEADER, table: [
        {"CHILD": "1", "DOB": "01/01/2015"},
        {"CHILD": "2", "DOB": "03/02/2012", "_flag": True},
        {"CHILD": "2", "DOB": "2012-02-02"},   # same date written differently
        {"CHILD": "1"},                         # blank DOB here
        {"CHILD": "3", "DOB": "01/01/2015"},   # blank DOB in Header
        {"CHILD": "4", "DOB": "01/01/2015"},   # not in Header (INT0x)
        {"CHILD": "1", "DOB": "31/02/2015"},   # unreadable date (its own rule)
    ]}


def test_int11_to_int18_dob_differs_from_header():
    check("INT11", dob_rows("AD1"))
    check("INT12", dob_rows("PlacedAdoption"))
    check("INT13", dob_rows("Missing"))
    check("INT14", dob_rows("OC2"))
    check("INT15", dob_rows("OC3"))
    check("INT16", dob_rows("PrevPerm"))
    check("INT17", dob_rows("Reviews"))
    check("INT18", dob_rows("UASC"))


def test_int21_sex_in_uasc_differs_from_header():
    check("INT21", {"Header": HEADER, "UASC": [
        {"CHILD": "1", "SEX": "M"},
        {"CHILD": "2", "SEX": "M", "_flag": True},
        {"CHILD": "3", "SEX": "u"},  # upper-cased on read
        {"CHILD": "1"},
        {"CHILD": "4", "SEX": "F"},
    ]})


def dup_rows(table):
    return {table: [
        {"CHILD": "1", "_flag": True}, {"CHILD": "2"}, {"CHILD": "1", "_flag": True},
        {"CHILD": None}, {"CHILD": None},  # blank ids are not one child
        {"CHILD": "01"},
    ]}


def test_int31_to_int36_child_more_than_once():
    check("INT31", dup_rows("AD1"))
    check("INT33", dup_rows("OC2"))
    check("INT34", dup_rows("OC3"))
    check("INT35", dup_rows("PrevPerm"))
    check("INT36", dup_rows("UASC"))
    check("INT32", {"Header": [
        {"CHILD": "1", "_flag": True}, {"CHILD": "2"}, {"CHILD": "1", "SEX": "F", "_flag": True},
        {"CHILD": "3"},
    ]})
