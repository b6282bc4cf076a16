"""CIN census rules on CIN episodes (<CINdetails>): each flags what the DfE wording describes and
passes the near miss beside it."""

from cin_harness import check, child, episode, in_episode


def test_2990_activity_on_a_case_closed_after_assessment():
    closed = {"CINclosureDate": "2025-06-01", "ReasonForClosure": "RC8"}
    check(
        "2990",
        {
            "Child": [child("1"), child("2"), child("3")],
            "CINEpisode": [
                episode("1", _flag=True, **closed),
                episode("2", **closed),
                episode(
                    "3", _flag=True, DateOfInitialCPC="2025-05-20", CINclosureDate="2025-06-01", ReasonForClosure="RC9"
                ),
            ],
            "Section47": [in_episode("1", S47ActualStartDate="2025-05-02", _flag=True)],
            "CINPlan": [in_episode("1", CINPlanStartDate="2025-05-10", _flag=True)],
            "Assessment": [in_episode("2", AssessmentActualStartDate="2025-05-02")],
        },
    )


def test_2991q_section_47_without_an_assessment():
    check(
        "2991Q",
        {
            "Child": [child("1"), child("2")],
            "CINEpisode": [episode("1"), episode("2")],
            "Section47": [
                in_episode("1", S47ActualStartDate="2025-05-02", _flag=True),
                in_episode("2", S47ActualStartDate="2025-05-02"),
            ],
            "Assessment": [in_episode("2", AssessmentActualStartDate="2025-05-02")],
        },
    )


def test_8555q_referred_after_death():
    check(
        "8555Q",
        {
            "Child": [child("1", PersonDeathDate="2025-06-01", _flag=True), child("2", PersonDeathDate="2025-06-01")],
            "CINEpisode": [
                episode("1", CINreferralDate="2025-06-02", _flag=True),
                episode("2", CINreferralDate="2025-06-01"),
            ],
        },
    )


def test_8565_activity_after_closure():
    closed = {"CINclosureDate": "2025-09-30", "ReasonForClosure": "RC7"}
    check(
        "8565",
        {
            "Child": [child("1"), child("2")],
            "CINEpisode": [episode("1", _flag=True, **closed), episode("2", **closed)],
            "Assessment": [
                in_episode(
                    "1", AssessmentActualStartDate="2025-05-01", AssessmentAuthorisationDate="2025-10-01", _flag=True
                ),
                in_episode("2", AssessmentActualStartDate="2025-05-01", AssessmentAuthorisationDate="2025-09-30"),
            ],
            "CPPlan": [
                in_episode("1", CPPstartDate="2025-06-01", CPPendDate="2025-10-02", _flag=True),
                in_episode("2", CPPstartDate="2025-06-01", CPPendDate="2025-09-30"),
            ],
            "CINPlan": [in_episode("2", CINPlanStartDate="2025-05-01", CINPlanEndDate="2025-09-30")],
        },
    )


def test_8568_nfa_flag_missing_or_invalid():
    check(
        "8568",
        {
            "Child": [child()],
            "CINEpisode": [
                episode(ReferralNFA="1"),
                episode(no=2, ReferralNFA="0"),
                episode(no=3, ReferralNFA=None, _flag=True),
                episode(no=4, ReferralNFA="X", _flag=True),
                episode(no=5, ReferralNFA="true"),
            ],
        },
    )


def test_8569q_old_referral_marked_nfa():
    # 1 April 2025 is a Tuesday: the working day before is Monday 31 March
    check(
        "8569Q",
        {
            "Child": [child()],
            "CINEpisode": [
                episode(CINreferralDate="2025-03-31", ReferralNFA="1"),
                episode(no=2, CINreferralDate="2025-03-28", ReferralNFA="1", _flag=True),
                episode(no=3, CINreferralDate="2025-03-28", ReferralNFA="0"),
            ],
        },
    )


def test_8585q_closed_as_died_without_a_death_date():
    died = {"CINclosureDate": "2025-06-01", "ReasonForClosure": "RC2"}
    check(
        "8585Q",
        {
            "Child": [child("1", _flag=True), child("2", PersonDeathDate="2025-06-01")],
            "CINEpisode": [episode("1", _flag=True, **died), episode("2", **died)],
        },
    )


def test_8600_referral_date_missing_or_after_the_census():
    check(
        "8600",
        {
            "Child": [child()],
            "CINEpisode": [
                episode(),
                episode(no=2, CINreferralDate="2026-04-01", _flag=True),
                episode(no=3, CINreferralDate=None, _flag=True),
                episode(no=4, CINreferralDate="2026-03-31"),
            ],
        },
    )


def test_8606_referral_more_than_40_weeks_before_birth():
    check(
        "8606",
        {
            "Child": [
                child("1", PersonBirthDate="2025-12-31", _flag=True),
                child("2", PersonBirthDate="2025-12-31"),
                child("3", PersonBirthDate=None, ExpectedPersonBirthDate="2026-06-01"),
            ],
            "CINEpisode": [
                episode("1", CINreferralDate="2025-03-25", _flag=True),  # 281 days before
                episode("2", CINreferralDate="2025-03-26"),  # 280 days before
                episode("3", CINreferralDate="2025-08-25"),
            ],
        },
    )


def test_8610_primary_need_for_further_action():
    check(
        "8610",
        {
            "Child": [child()],
            "CINEpisode": [
                episode(),
                episode(no=2, PrimaryNeedCode=None, _flag=True),
                episode(no=3, PrimaryNeedCode=None, ReferralNFA="1"),
            ],
        },
    )


def test_8620_closure_within_the_census_year():
    rc = {"ReasonForClosure": "RC7"}
    check(
        "8620",
        {
            "Child": [child()],
            "CINEpisode": [
                episode(CINclosureDate="2025-04-01", **rc),
                episode(no=2, CINclosureDate="2026-04-01", _flag=True, **rc),
                episode(no=3, CINclosureDate="2025-03-31", _flag=True, **rc),
                episode(no=4, CINclosureDate="2026-03-31", **rc),
            ],
        },
    )


def test_8630_closure_before_referral():
    check(
        "8630",
        {
            "Child": [child()],
            "CINEpisode": [
                episode(CINclosureDate="2025-05-01"),
                episode(no=2, CINclosureDate="2025-04-30", _flag=True),
            ],
        },
    )


def test_8640_reason_for_closure_code():
    check(
        "8640",
        {
            "Child": [child()],
            "CINEpisode": [
                episode(ReasonForClosure="RC9"),
                episode(no=2, ReasonForClosure="RC10", _flag=True),
                episode(no=3),
            ],
        },
    )
    check(
        "8640",
        {"Child": [child()], "CINEpisode": [episode(ReasonForClosure="RC9", CINreferralDate="2021-05-01", _flag=True)]},
        year=2022,
    )


def test_8650_primary_need_code():
    check(
        "8650",
        {
            "Child": [child()],
            "CINEpisode": [
                episode(PrimaryNeedCode="N0"),
                episode(no=2, PrimaryNeedCode="N10", _flag=True),
                episode(no=3, PrimaryNeedCode=None),
            ],
        },
    )


def test_8805_closure_date_without_reason():
    check(
        "8805",
        {
            "Child": [child()],
            "CINEpisode": [
                episode(CINclosureDate="2025-06-01", ReasonForClosure="RC7"),
                episode(no=2, CINclosureDate="2025-06-01", _flag=True),
            ],
        },
    )


def test_8810_reason_without_closure_date():
    check(
        "8810",
        {
            "Child": [child()],
            "CINEpisode": [
                episode(CINclosureDate="2025-06-01", ReasonForClosure="RC7"),
                episode(no=2, ReasonForClosure="RC7", _flag=True),
            ],
        },
    )


def test_8815_two_open_episodes_with_further_action():
    check(
        "8815",
        {
            "Child": [child("1"), child("2")],
            "CINEpisode": [
                episode("1", _flag=True),
                episode("1", 2, CINreferralDate="2025-07-01", _flag=True),
                episode("2", ReferralNFA="1"),
                episode("2", 2, CINreferralDate="2025-07-01"),
            ],
        },
    )


def test_8816_open_episode_not_the_latest():
    check(
        "8816",
        {
            "Child": [child("1"), child("2")],
            "CINEpisode": [
                episode("1", _flag=True),
                episode(
                    "1",
                    2,
                    CINreferralDate="2025-07-01",
                    CINclosureDate="2025-08-01",
                    ReasonForClosure="RC7",
                    _flag=True,
                ),
                episode("2", CINreferralDate="2025-04-05", CINclosureDate="2025-04-20", ReasonForClosure="RC7"),
                episode("2", 2, CINreferralDate="2025-07-01"),
            ],
        },
    )


def test_8820_overlapping_episodes():
    rc = {"ReasonForClosure": "RC7"}
    check(
        "8820",
        {
            "Child": [child("1"), child("2")],
            "CINEpisode": [
                episode("1", CINclosureDate="2025-06-01", _flag=True, **rc),
                episode("1", 2, CINreferralDate="2025-05-31", CINclosureDate="2025-07-01", _flag=True, **rc),
                episode("2", CINclosureDate="2025-06-01", **rc),
                episode("2", 2, CINreferralDate="2025-06-01", **rc),  # starting the day the last one closed is allowed
            ],
        },
    )


def test_8825q_closed_after_assessment_without_assessment():
    rc8 = {"CINclosureDate": "2025-06-01", "ReasonForClosure": "RC8"}
    check(
        "8825Q",
        {
            "Child": [child()],
            "CINEpisode": [episode(_flag=True, **rc8), episode(no=2, **rc8)],
            "Assessment": [in_episode("1", 2, AssessmentActualStartDate="2025-05-02")],
        },
    )


def test_8831_activity_on_an_nfa_referral():
    check(
        "8831",
        {
            "Child": [child("1"), child("2"), child("3")],
            "CINEpisode": [
                episode("1", ReferralNFA="1", _flag=True),
                episode("2", ReferralNFA="1"),
                episode("3", ReferralNFA="1", DateOfInitialCPC="2025-05-20", _flag=True),
            ],
            "Assessment": [in_episode("1", AssessmentActualStartDate="2025-05-02", _flag=True)],
            "Section47": [in_episode("2")],
        },
    )


def test_8832_child_protection_on_an_nfa_referral():
    check(
        "8832",
        {
            "Child": [child("1"), child("2")],
            "CINEpisode": [episode("1", ReferralNFA="1", _flag=True), episode("2")],
            "CPPlan": [
                in_episode("1", CPPstartDate="2025-05-20", _flag=True),
                in_episode("2", CPPstartDate="2025-05-20"),
            ],
        },
    )


def test_8866_referral_source():
    check(
        "8866",
        {
            "Child": [child()],
            "CINEpisode": [
                episode(),
                episode(no=2, ReferralSource=None, _flag=True),
                episode(no=3, ReferralSource="5E", _flag=True),
                episode(no=4, ReferralSource=None, CINreferralDate="2013-03-31"),
            ],
        },
    )
    # 5D (early help) is a code from 2022-23 only
    check(
        "8866",
        {"Child": [child()], "CINEpisode": [episode(ReferralSource="5D", CINreferralDate="2021-05-01", _flag=True)]},
        year=2022,
    )
