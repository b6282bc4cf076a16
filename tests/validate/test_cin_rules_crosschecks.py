"""careboard's own CIN checks, against last year's census and against the SSDA903 of the same year:
each flags what it says and passes the near miss beside it."""

import pytest
from cin_harness import check, child, episode, flagged, in_episode

LAST_CHILDREN = [child("1"), child("2"), child("3")]


def test_cb_ly_open_episode_missing_this_year():
    last = {
        "Child": LAST_CHILDREN,
        "CINEpisode": [
            episode("1", CINreferralDate="2024-11-01", _flag=True),  # open at 31 March 2025, not carried over
            episode("2", CINreferralDate="2024-11-01"),  # carried over
            episode("3", CINreferralDate="2024-11-01", CINclosureDate="2025-02-01", ReasonForClosure="RC7"),
            episode("3", 2, CINreferralDate="2025-03-31", ReferralNFA="1"),  # an open NFA referral need not continue
        ],
    }
    this = {"Child": [child("2")], "CINEpisode": [episode("2", CINreferralDate="2024-11-01")]}
    check("CB-LY-OPEN", this, last=last)


def test_cb_ly_cpp_open_plan_missing_this_year():
    last = {
        "Child": LAST_CHILDREN,
        "CINEpisode": [episode("1"), episode("2")],
        "CPPlan": [
            in_episode("1", PlanNo="1", CPPstartDate="2024-12-01", _flag=True),
            in_episode("2", PlanNo="1", CPPstartDate="2024-12-01"),
            in_episode("2", PlanNo="2", CPPstartDate="2024-06-01", CPPendDate="2024-10-01"),
        ],
    }
    this = {
        "Child": [child("1"), child("2")],
        "CINEpisode": [episode("1"), episode("2")],
        "CPPlan": [
            in_episode("1", PlanNo="1", CPPstartDate="2024-12-02"),
            in_episode("2", PlanNo="1", CPPstartDate="2024-12-01"),
        ],
    }
    check("CB-LY-CPP", this, last=last)


def test_cb_ly_dob_and_sex_changed_since_last_year():
    last = {"Child": [child("1"), child("2"), child("3", Sex="1"), child("4", PersonBirthDate=None)]}
    this = {
        "Child": [child("1", PersonBirthDate="2015-01-02", _flag=True), child("2"), child("3", Sex="M"), child("4")]
    }
    check("CB-LY-DOB", this, last=last)
    # 2024-25 moved from GenderCurrent 1/2 to Sex M/F: 1 and M are the same; U compared with nothing
    last = {"Child": [child("1", Sex="1"), child("2", Sex="1"), child("3", Sex="9")]}
    this = {"Child": [child("1", Sex="M"), child("2", Sex="F", _flag=True), child("3", Sex="F")]}
    check("CB-LY-SEX", this, year=2025, last=last)


def test_last_year_checks_are_not_run_without_last_year():
    with pytest.raises(AssertionError, match="needs last year's return"):
        flagged("CB-LY-OPEN", {"Child": [child()]})


SSDA903_HEADER = [
    {"CHILD": "1", "SEX": "M", "DOB": "01/01/2015", "ETHNIC": "WBRI", "UPN": "P207000016049"},
    {"CHILD": "2", "SEX": "F", "DOB": "01/01/2012", "ETHNIC": "WBRI", "UPN": "UN2"},
    {"CHILD": "3", "SEX": "M", "DOB": "01/01/2010", "ETHNIC": "WBRI"},
]
SSDA903_EPISODES = [
    {"CHILD": "1", "DECOM": "01/06/2025", "RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": "U4"},
    {"CHILD": "2", "DECOM": "01/06/2023", "RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": "U4"},
    {
        "CHILD": "3",
        "DECOM": "01/06/2023",
        "RNE": "S",
        "LS": "C2",
        "CIN": "N1",
        "PLACE": "U4",
        "DEC": "01/03/2025",
        "REC": "E13",
    },
]
SSDA903 = {"Header": SSDA903_HEADER, "Episodes": SSDA903_EPISODES}


def test_cb_903_dob_sex_upn_differ():
    this = {
        "Child": [
            child("1", UPN="P207000016049"),
            child("2", PersonBirthDate="2012-01-02", _flag=True),
            child("3", PersonBirthDate="2010-01-01"),
        ]
    }
    check("CB-903-DOB", this, ssda903=SSDA903)
    this = {"Child": [child("1"), child("2", Sex="M", _flag=True), child("3", Sex="U")]}
    check("CB-903-SEX", this, ssda903=SSDA903)
    this = {"Child": [child("1", UPN="Q207000016049", _flag=True), child("2", UPN="P207000016049"), child("3")]}
    check("CB-903-UPN", this, ssda903=SSDA903)


def test_cb_903_cin_looked_after_child_missing_from_the_census():
    header = [dict(h) for h in SSDA903_HEADER]
    header[1]["_flag"] = True  # child 2 is looked after all year but has no CIN record
    # child 3 left care before the year began, so need not be in this census
    check("CB-903-CIN", {"Child": [child("1")]}, ssda903={"Header": header, "Episodes": SSDA903_EPISODES})


def test_crosschecks_are_not_run_without_the_ssda903():
    with pytest.raises(AssertionError, match="needs the SSDA903 return"):
        flagged("CB-903-DOB", {"Child": [child()]})
