"""CIN census rules on CIN plans, section 47 enquiries, conferences and child protection plans:
each flags what the DfE wording describes and passes the near miss beside it."""

from cin_harness import check, child, episode, in_episode


def cin_plan(cid="1", ep=1, start="2025-06-01", end=None, **cells):
    return in_episode(cid, ep, CINPlanStartDate=start, CINPlanEndDate=end, **cells)


def cpp(cid="1", ep=1, no=1, start="2025-06-01", end=None, **cells):
    base = {
        "PlanNo": str(no),
        "CPPstartDate": start,
        "CPPendDate": end,
        "InitialCategoryOfAbuse": "NEG",
        "LatestCategoryOfAbuse": "NEG",
        "NumberOfPreviousCPP": "0",
    }
    return in_episode(cid, ep, **{**base, **cells})


def s47(cid="1", ep=1, start="2025-05-05", icpc=None, not_required="0", **cells):
    return in_episode(cid, ep, S47ActualStartDate=start, DateOfInitialCPC=icpc, ICPCnotRequired=not_required, **cells)


def review(cid="1", ep=1, no=1, date="2025-08-01", **cells):
    return in_episode(cid, ep, PlanNo=str(no), CPPreviewDate=date, **cells)


# -- CIN plans -------------------------------------------------------------------------------


def test_4000_cin_plan_on_an_nfa_referral():
    check(
        "4000",
        {
            "Child": [child("1"), child("2")],
            "CINEpisode": [episode("1", ReferralNFA="1", _flag=True), episode("2")],
            "CINPlan": [cin_plan("1", _flag=True), cin_plan("2")],
        },
    )


def test_4001_open_cin_plan_and_open_cp_plan():
    check(
        "4001",
        {
            "Child": [child("1"), child("2")],
            "CINEpisode": [episode("1"), episode("2")],
            "CPPlan": [cpp("1", start="2025-07-01", _flag=True), cpp("2", start="2025-07-01")],
            "CINPlan": [cin_plan("1", _flag=True), cin_plan("2", end="2025-07-01")],
        },
    )


def test_4003_review_during_a_cin_plan():
    check(
        "4003",
        {
            "Child": [child("1"), child("2")],
            "CINEpisode": [episode("1"), episode("2")],
            "CPPlan": [
                cpp("1", start="2025-06-01", end="2025-09-01", _flag=True),
                cpp("2", start="2025-06-01", end="2025-09-01"),
            ],
            "CPPReview": [
                review("1", date="2025-10-01", _flag=True),
                review("1", date="2025-08-01"),
                review("2", date="2025-09-01"),
            ],  # the review that ended the plan
            "CINPlan": [cin_plan("1", start="2025-09-01", _flag=True), cin_plan("2", start="2025-09-01")],
        },
    )


def test_4004_two_open_cin_plans():
    check(
        "4004",
        {
            "Child": [child()],
            "CINEpisode": [episode(), episode(no=2)],
            "CINPlan": [
                cin_plan(_flag=True),
                cin_plan(start="2025-07-01", _flag=True),
                cin_plan(ep=2),
                cin_plan(ep=2, start="2025-04-01", end="2025-05-01"),
            ],
        },
    )


def test_4008_and_4009q_cin_plan_after_death():
    rows = {
        "Child": [child("1", PersonDeathDate="2025-08-01", _flag=True), child("2", PersonDeathDate="2025-08-01")],
        "CINEpisode": [episode("1"), episode("2")],
        "CINPlan": [cin_plan("1", start="2025-08-02", _flag=True), cin_plan("2", start="2025-08-01", end="2025-08-01")],
    }
    check("4008", rows)
    check(
        "4009Q",
        {
            **rows,
            "CINPlan": [
                cin_plan("1", start="2025-06-01", end="2025-08-02", _flag=True),
                cin_plan("2", start="2025-06-01", end="2025-08-01"),
            ],
        },
    )


def test_4010_cin_plan_start_missing_or_after_the_census():
    check(
        "4010",
        {
            "Child": [child()],
            "CINEpisode": [episode()],
            "CINPlan": [
                cin_plan(start="2026-03-31"),
                cin_plan(start="2026-04-01", _flag=True),
                cin_plan(start=None, _flag=True),
            ],
        },
    )


def test_4011_and_4012q_cin_plan_end_before_or_on_start():
    rows = [cin_plan(end="2025-06-02"), cin_plan(end="2025-05-31"), cin_plan(end="2025-06-01")]
    check(
        "4011",
        {"Child": [child()], "CINEpisode": [episode()], "CINPlan": [rows[0], {**rows[1], "_flag": True}, rows[2]]},
    )
    check(
        "4012Q",
        {"Child": [child()], "CINEpisode": [episode()], "CINPlan": [rows[0], rows[1], {**rows[2], "_flag": True}]},
    )


def test_4013_cin_plan_end_in_the_census_year():
    check(
        "4013",
        {
            "Child": [child()],
            "CINEpisode": [episode(CINreferralDate="2025-01-01")],
            "CINPlan": [
                cin_plan(start="2025-02-01", end="2025-04-01"),
                cin_plan(start="2025-02-01", end="2025-03-31", _flag=True),
            ],
        },
    )


def test_4014_overlapping_cin_plans():
    check(
        "4014",
        {
            "Child": [child("1"), child("2")],
            "CINEpisode": [episode("1"), episode("2")],
            "CINPlan": [
                cin_plan("1", start="2025-06-01", end="2025-08-01", _flag=True),
                cin_plan("1", start="2025-08-01", _flag=True),
                cin_plan("2", start="2025-06-01", end="2025-08-01"),
                cin_plan("2", start="2025-08-02"),
            ],
        },
    )


def test_4015_cin_plan_before_referral():
    check(
        "4015",
        {
            "Child": [child("1"), child("2")],
            "CINEpisode": [episode("1", _flag=True), episode("2")],
            "CINPlan": [cin_plan("1", start="2025-04-30", _flag=True), cin_plan("2", start="2025-05-01")],
        },
    )


def test_4016_cin_plan_starting_during_a_cp_plan():
    check(
        "4016",
        {
            "Child": [child("1"), child("2")],
            "CINEpisode": [episode("1"), episode("2")],
            "CPPlan": [
                cpp("1", start="2025-06-01", end="2025-09-01", _flag=True),
                cpp("2", start="2025-06-01", end="2025-09-01"),
            ],
            "CINPlan": [cin_plan("1", start="2025-08-31", _flag=True), cin_plan("2", start="2025-09-01")],
        },
    )


def test_4017_cp_plan_starting_during_a_cin_plan():
    check(
        "4017",
        {
            "Child": [child("1"), child("2")],
            "CINEpisode": [episode("1"), episode("2")],
            "CINPlan": [
                cin_plan("1", start="2025-06-01", _flag=True),
                cin_plan("2", start="2025-06-01", end="2025-07-01"),
            ],
            "CPPlan": [cpp("1", start="2025-08-01", _flag=True), cpp("2", start="2025-07-01")],
        },
    )


# -- section 47 enquiries and initial conferences ------------------------------------------------


def test_1104_conference_before_referral():
    check(
        "1104",
        {
            "Child": [child("1"), child("2")],
            "CINEpisode": [episode("1", _flag=True), episode("2")],
            "Section47": [
                s47("1", start="2025-04-20", icpc="2025-04-30", _flag=True),
                s47("2", start="2025-05-01", icpc="2025-05-01"),
            ],
        },
    )


def test_2883_more_plans_than_conferences():
    rows = {
        "Child": [child("1"), child("2")],
        "CINEpisode": [episode("1"), episode("2", DateOfInitialCPC="2025-06-02")],
        "Section47": [s47("1", icpc="2025-06-02")],
        "CPPlan": [cpp("1", start="2025-06-02"), cpp("2", start="2025-06-02")],
    }
    check("2883", rows)
    check("2883", {**rows, "CINEpisode": [episode("1"), episode("2")]}, whole_return=True)


def test_2884_conference_recorded_twice():
    check(
        "2884",
        {
            "Child": [child("1"), child("2")],
            "CINEpisode": [
                episode("1", DateOfInitialCPC="2025-06-02", _flag=True),
                episode("2", DateOfInitialCPC="2025-06-02"),
            ],
            "Section47": [s47("1", icpc="2025-06-02", _flag=True), s47("2", icpc="2025-06-16")],
        },
    )


def test_2885_plan_starting_on_no_conference_day():
    check(
        "2885",
        {
            "Child": [child(str(i)) for i in range(1, 5)],
            "CINEpisode": [
                episode("1"),
                episode("2"),
                episode("3", DateOfInitialCPC="2025-06-02"),
                episode("4", _flag=True),
            ],
            "Section47": [s47("1", icpc="2025-06-02"), s47("2", icpc="2025-06-02", _flag=True)],
            "CPPlan": [
                cpp("1", start="2025-06-02"),
                cpp("2", start="2025-06-03", _flag=True),
                cpp("3", start="2025-06-02"),
                cpp("4", start="2025-06-02", _flag=True),
            ],
        },
    )


def test_2889_section_47_before_referral():
    check(
        "2889",
        {
            "Child": [child("1"), child("2")],
            "CINEpisode": [episode("1", _flag=True), episode("2")],
            "Section47": [s47("1", start="2025-04-30", _flag=True), s47("2", start="2025-05-01")],
        },
    )


def test_8615_conference_before_the_enquiry_started():
    check(
        "8615",
        {
            "Child": [child()],
            "CINEpisode": [episode()],
            "Section47": [
                s47(start="2025-05-05", icpc="2025-05-05"),
                s47(start="2025-05-06", icpc="2025-05-05", _flag=True),
                s47(start=None, icpc="2025-05-05", _flag=True),
                s47(start=None),
            ],
        },
    )


def test_8675q_no_conference_after_15_working_days_over_easter():
    # 31 March 2024 was Easter Sunday and 29 March Good Friday: 15 working days before is 8 March
    check(
        "8675Q",
        {
            "Child": [child()],
            "CINEpisode": [episode(CINreferralDate="2024-03-01")],
            "Section47": [
                s47(start="2024-03-08"),
                s47(start="2024-03-07", _flag=True),
                s47(start="2024-03-07", not_required="1"),
                s47(start="2024-03-07", icpc="2024-03-20"),
            ],
        },
        year=2024,
    )


def test_8715_conference_in_the_census_year():
    check(
        "8715",
        {
            "Child": [child()],
            "CINEpisode": [
                episode(CINreferralDate="2025-03-01"),
                episode(no=2, DateOfInitialCPC="2026-04-01", _flag=True),
            ],
            "Section47": [
                s47(start="2025-03-02", icpc="2025-03-31", _flag=True),
                s47(start="2025-03-02", icpc="2025-04-01"),
            ],
        },
    )


def test_8740_unconferenced_enquiry_started_in_the_year():
    check(
        "8740",
        {
            "Child": [child()],
            "CINEpisode": [episode(CINreferralDate="2025-03-01")],
            "Section47": [
                s47(start="2025-03-31", _flag=True),
                s47(start="2025-04-01"),
                s47(start="2025-03-31", not_required="1"),
                s47(start="2025-03-31", icpc="2025-04-10"),
            ],
        },
    )


def test_8839_two_enquiries_waiting_for_a_conference():
    check(
        "8839",
        {
            "Child": [child()],
            "CINEpisode": [episode(), episode(no=2)],
            "Section47": [
                s47(_flag=True),
                s47(start="2025-06-01", _flag=True),
                s47(ep=2),
                s47(ep=2, start="2025-06-01", not_required="1"),
            ],
        },
    )


def test_8868_closed_episode_with_an_unfinished_enquiry():
    closed = {"CINclosureDate": "2025-08-01", "ReasonForClosure": "RC7"}
    check(
        "8868",
        {
            "Child": [child()],
            "CINEpisode": [episode(_flag=True, **closed), episode(no=2, **closed)],
            "Section47": [s47(_flag=True), s47(ep=2, not_required="1"), s47(ep=2, icpc="2025-05-20")],
        },
    )


def test_8870q_conference_target_at_the_weekend():
    check(
        "8870Q",
        {
            "Child": [child()],
            "CINEpisode": [episode()],
            "Section47": [
                s47(InitialCPCtarget="2025-05-23"),
                s47(InitialCPCtarget="2025-05-24", _flag=True),
                s47(InitialCPCtarget="2025-05-25", _flag=True),
            ],
        },
    )


def test_8875_conference_at_the_weekend():
    check(
        "8875",
        {
            "Child": [child()],
            "CINEpisode": [episode(DateOfInitialCPC="2025-05-31", _flag=True), episode(no=2)],
            "Section47": [s47(icpc="2025-05-30"), s47(ep=2, icpc="2025-06-01", _flag=True)],
        },
    )


def test_8890_enquiry_while_another_is_ongoing():
    check(
        "8890",
        {
            "Child": [child()],
            "CINEpisode": [episode(), episode(no=2)],
            "Section47": [
                s47(start="2025-05-05", icpc="2025-05-20", _flag=True),
                s47(start="2025-05-20", _flag=True),
                s47(ep=2, start="2025-05-05", icpc="2025-05-20"),
                s47(ep=2, start="2025-05-21"),
            ],
        },
    )


# -- child protection plans --------------------------------------------------------------------


def test_1105_plan_before_referral():
    check(
        "1105",
        {
            "Child": [child("1"), child("2")],
            "CINEpisode": [episode("1", _flag=True), episode("2")],
            "CPPlan": [cpp("1", start="2025-04-30", _flag=True), cpp("2", start="2025-05-01")],
        },
    )


def test_8720_plan_start_missing_or_after_the_census():
    check(
        "8720",
        {
            "Child": [child()],
            "CINEpisode": [episode()],
            "CPPlan": [
                cpp(start="2026-03-31"),
                cpp(no=2, start="2026-04-01", _flag=True),
                cpp(no=3, start=None, _flag=True),
            ],
        },
    )


def test_8730_previous_plans_missing():
    check(
        "8730",
        {
            "Child": [child()],
            "CINEpisode": [episode()],
            "CPPlan": [
                cpp(),
                cpp(no=2, NumberOfPreviousCPP=None, _flag=True),
                cpp(no=3, NumberOfPreviousCPP="-1", _flag=True),
            ],
        },
    )


def test_8840_plan_starting_and_ending_the_same_day():
    check(
        "8840",
        {
            "Child": [child()],
            "CINEpisode": [episode()],
            "CPPlan": [cpp(end="2025-06-02"), cpp(no=2, end="2025-06-01", _flag=True)],
        },
    )


def test_8841_review_on_or_before_the_plan_start():
    check(
        "8841",
        {
            "Child": [child()],
            "CINEpisode": [episode()],
            "CPPlan": [cpp(_flag=True), cpp(no=2)],
            "CPPReview": [review(date="2025-06-01", _flag=True), review(date="2025-06-02"), review(no=2)],
        },
    )


def test_8842q_review_without_a_date():
    check(
        "8842Q",
        {
            "Child": [child()],
            "CINEpisode": [episode()],
            "CPPlan": [cpp()],
            "CPPReview": [review(), review(date=None, _flag=True)],
        },
    )


def test_8905_and_8910_category_of_abuse():
    check(
        "8905",
        {
            "Child": [child()],
            "CINEpisode": [episode()],
            "CPPlan": [
                cpp(),
                cpp(no=2, InitialCategoryOfAbuse="NEGL", _flag=True),
                cpp(no=3, InitialCategoryOfAbuse=None, _flag=True),
            ],
        },
    )
    check(
        "8910",
        {
            "Child": [child()],
            "CINEpisode": [episode()],
            "CPPlan": [cpp(LatestCategoryOfAbuse="MUL"), cpp(no=2, LatestCategoryOfAbuse=None, _flag=True)],
        },
    )


def test_8915_and_8920_plan_after_death():
    rows = {
        "Child": [child("1", PersonDeathDate="2025-08-01", _flag=True), child("2", PersonDeathDate="2025-08-01")],
        "CINEpisode": [episode("1"), episode("2")],
    }
    check("8915", {**rows, "CPPlan": [cpp("1", start="2025-08-02", _flag=True), cpp("2", start="2025-08-01")]})
    check("8920", {**rows, "CPPlan": [cpp("1", end="2025-08-02", _flag=True), cpp("2", end="2025-08-01")]})


def test_8925_plan_ending_before_it_starts():
    check(
        "8925",
        {
            "Child": [child()],
            "CINEpisode": [episode()],
            "CPPlan": [cpp(end="2025-06-01"), cpp(no=2, end="2025-05-31", _flag=True)],
        },
    )


def test_8930_plan_end_in_the_census_year():
    check(
        "8930",
        {
            "Child": [child()],
            "CINEpisode": [episode(CINreferralDate="2025-01-01")],
            "CPPlan": [
                cpp(start="2025-02-01", end="2025-04-01"),
                cpp(no=2, start="2025-02-01", end="2025-03-31", _flag=True),
            ],
        },
    )


def test_8935_two_open_plans():
    check(
        "8935",
        {
            "Child": [child("1"), child("2")],
            "CINEpisode": [episode("1"), episode("1", 2), episode("2")],
            "CPPlan": [
                cpp("1", _flag=True),
                cpp("1", 2, start="2025-07-01", _flag=True),
                cpp("2", end="2025-07-01"),
                cpp("2", 2, start="2025-07-02"),
            ],
        },
    )


def test_8940_overlapping_plans():
    check(
        "8940",
        {
            "Child": [child("1"), child("2")],
            "CINEpisode": [episode("1"), episode("2")],
            "CPPlan": [
                cpp("1", start="2025-06-01", end="2025-08-01", _flag=True),
                cpp("1", 2, start="2025-07-01", _flag=True),
                cpp("2", start="2025-06-01", end="2025-08-01"),
                cpp("2", 2, start="2025-08-02"),
            ],
        },
    )
