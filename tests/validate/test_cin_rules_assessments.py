"""CIN census rules on assessments and their factors: each flags what the DfE wording describes
and passes the near miss beside it."""

from cin_harness import check, child, episode, in_episode


def assessment(cid="1", ep=1, no=1, start="2025-05-02", done=None, **cells):
    return in_episode(
        cid, ep, AssessmentNo=str(no), AssessmentActualStartDate=start, AssessmentAuthorisationDate=done, **cells
    )


def factor(cid="1", ep=1, no=1, code="1A"):
    return in_episode(cid, ep, AssessmentNo=str(no), AssessmentFactors=code)


def test_1103_assessment_before_referral():
    check(
        "1103",
        {
            "Child": [child("1"), child("2")],
            "CINEpisode": [episode("1", _flag=True), episode("2")],
            "Assessment": [assessment("1", start="2025-04-30", _flag=True), assessment("2", start="2025-05-01")],
        },
    )


def test_8608_authorised_before_start():
    check(
        "8608",
        {
            "Child": [child()],
            "CINEpisode": [episode()],
            "Assessment": [
                assessment(done="2025-05-02"),
                assessment(no=2, start="2025-06-02", done="2025-06-01", _flag=True),
            ],
        },
    )


def test_8614_factors_without_authorisation():
    check(
        "8614",
        {
            "Child": [child()],
            "CINEpisode": [episode()],
            "Assessment": [assessment(done="2025-06-01"), assessment(no=2, _flag=True), assessment(no=3)],
            "AssessmentFactor": [factor(), factor(no=2)],
        },
    )


def test_8670q_open_assessment_older_than_45_working_days():
    # 31 March 2026 less 45 working days (Good Friday 3 April and Easter Monday are after it;
    # no bank holiday between 26 January and 31 March 2026) is Tuesday 27 January 2026
    check(
        "8670Q",
        {
            "Child": [child()],
            "CINEpisode": [episode()],
            "Assessment": [
                assessment(start="2026-01-27"),
                assessment(no=2, start="2026-01-26", _flag=True),
                assessment(no=3, start="2025-05-01", done="2025-06-30"),
            ],
        },
    )


def test_8696_authorisation_within_the_census_year():
    check(
        "8696",
        {
            "Child": [child()],
            "CINEpisode": [episode(CINreferralDate="2025-03-01")],
            "Assessment": [
                assessment(start="2025-03-02", done="2025-04-01"),
                assessment(no=2, start="2025-03-02", done="2025-03-31", _flag=True),
            ],
        },
    )


def test_8736_unfinished_assessment_started_in_the_year():
    check(
        "8736",
        {
            "Child": [child()],
            "CINEpisode": [episode(CINreferralDate="2025-03-01")],
            "Assessment": [
                assessment(start="2025-04-01"),
                assessment(no=2, start="2025-03-31", _flag=True),
                assessment(no=3, start="2025-03-31", done="2025-04-20"),
            ],
        },
    )


def test_8863q_assessment_while_another_is_ongoing():
    check(
        "8863Q",
        {
            "Child": [child()],
            "CINEpisode": [episode(), episode(no=2)],
            "Assessment": [
                assessment(start="2025-05-02", done="2025-06-01", _flag=True),
                assessment(no=2, start="2025-06-01", _flag=True),
                assessment(ep=2, start="2025-05-02", done="2025-06-01"),
                assessment(ep=2, no=2, start="2025-06-02"),
            ],
        },
    )


def test_8867_closed_episode_with_an_unfinished_assessment():
    closed = {"CINclosureDate": "2025-08-01", "ReasonForClosure": "RC7"}
    check(
        "8867",
        {
            "Child": [child()],
            "CINEpisode": [episode(_flag=True, **closed), episode(no=2, **closed), episode(no=3)],
            "Assessment": [assessment(_flag=True), assessment(ep=2, done="2025-06-01"), assessment(ep=3)],
        },
    )


def test_8869_no_factors_with_other_factors():
    check(
        "8869",
        {
            "Child": [child()],
            "CINEpisode": [episode()],
            "Assessment": [assessment(done="2025-06-01", _flag=True), assessment(no=2, done="2025-06-01")],
            "AssessmentFactor": [factor(code="21"), factor(code="1A"), factor(no=2, code="21")],
        },
    )


def test_8873q_no_factors_but_not_closed_after_assessment():
    closed = {"CINclosureDate": "2025-08-01"}
    check(
        "8873Q",
        {
            "Child": [child()],
            "CINEpisode": [
                episode(_flag=True, ReasonForClosure="RC7", **closed),
                episode(no=2, ReasonForClosure="RC8", **closed),
                episode(no=3, ReasonForClosure="RC7", **closed),
                episode(no=4),
            ],
            "Assessment": [
                assessment(done="2025-06-01", _flag=True),
                assessment(ep=2, done="2025-06-01"),
                assessment(ep=3, done="2025-06-01"),
                assessment(ep=3, no=2, start="2025-06-05", done="2025-07-01"),
                assessment(ep=4, done="2025-06-01"),
            ],
            "AssessmentFactor": [
                factor(code="21"),
                factor(ep=2, code="21"),
                factor(ep=3, code="21"),
                factor(ep=4, code="21"),
            ],
        },
    )


def test_8896_two_unfinished_assessments_in_one_episode():
    check(
        "8896",
        {
            "Child": [child()],
            "CINEpisode": [episode(), episode(no=2)],
            "Assessment": [
                assessment(_flag=True),
                assessment(no=2, start="2025-06-01", _flag=True),
                assessment(ep=2),
                assessment(ep=2, no=2, done="2025-06-01"),
            ],
        },
    )


def test_8897q_completed_assessment_without_factors():
    check(
        "8897Q",
        {
            "Child": [child()],
            "CINEpisode": [episode(CINreferralDate="2025-03-01")],
            "Assessment": [
                assessment(done="2025-06-01"),
                assessment(no=2, done="2025-06-01", _flag=True),
                assessment(no=3, done="2025-06-01", _flag=True),
                assessment(no=4, start="2025-03-02", done="2025-03-31"),
            ],
            "AssessmentFactor": [factor(), factor(no=3, code="99")],
        },
    )


def test_8898_factor_twice_in_one_assessment():
    check(
        "8898",
        {
            "Child": [child()],
            "CINEpisode": [episode()],
            "Assessment": [assessment(done="2025-06-01", _flag=True), assessment(no=2, done="2025-06-01")],
            "AssessmentFactor": [
                factor(code="1A"),
                factor(code="1A"),
                factor(no=2, code="1A"),
                factor(no=2, code="1B"),
            ],
        },
    )


def test_8945q_and_8950q_retired_abuse_factors():
    rows = {
        "Child": [child()],
        "CINEpisode": [episode()],
        "Assessment": [
            assessment(done="2025-06-01"),
            assessment(no=2, done="2025-06-01"),
            assessment(no=3, done="2025-06-01"),
        ],
        "AssessmentFactor": [factor(code="18A"), factor(no=2, code="19A"), factor(no=3, code="18B")],
    }
    rows["Assessment"][0]["_flag"] = True
    check("8945Q", rows)
    rows["Assessment"][0]["_flag"] = False
    rows["Assessment"][1]["_flag"] = True
    check("8950Q", rows)
