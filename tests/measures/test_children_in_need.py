"""Children-in-need and child-protection measures from hand-built censuses, expected values worked
out by hand (dates, working days and bank holidays counted in the comments)."""

from __future__ import annotations

from pathlib import Path

from careboard.measures.compute import compute_all
from careboard.returns.reader import read_returns, return_from_rows
from careboard.store.load import load_returns
from fresh_db import fresh_database

CIN_MEASURES = [
    "referrals", "referrals_rate", "rereferrals_12_months", "referrals_nfa", "referrals_not_in_need",
    "assessments_45_days", "cin_31_march", "cin_rate", "section47", "section47_rate", "icpc_15_days",
    "cpp_31_march", "cpp_rate", "cpp_started", "cpp_started_rate", "cpp_second_subsequent", "cpp_2_years_ceased",
    "cpp_2_years_active", "cpp_reviewed_on_time",
]


def kid(cid: str, dob: str | None = "2015-01-01", sex: str = "M", **cells) -> dict:
    return {"LAchildID": cid, "PersonBirthDate": dob, "Sex": sex, "Ethnicity": "WBRI", **cells}


def ref(cid: str, no: int, date: str, nfa: str = "0", closed: str | None = None, reason: str | None = None) -> dict:
    return {"LAchildID": cid, "EpisodeNo": str(no), "CINreferralDate": date, "ReferralSource": "6",
            "PrimaryNeedCode": "N1", "ReferralNFA": nfa, "CINclosureDate": closed, "ReasonForClosure": reason}


def plan(cid: str, no: int, start: str, end: str | None = None, initial: str = "NEG", latest: str = "NEG",
         previous: str = "0", ep: int = 1) -> dict:
    return {"LAchildID": cid, "EpisodeNo": str(ep), "PlanNo": str(no), "CPPstartDate": start, "CPPendDate": end,
            "InitialCategoryOfAbuse": initial, "LatestCategoryOfAbuse": latest, "NumberOfPreviousCPP": previous}


def review(cid: str, no: int, date: str, ep: int = 1) -> dict:
    return {"LAchildID": cid, "EpisodeNo": str(ep), "PlanNo": str(no), "CPPreviewDate": date}


def database(censuses: dict[int, dict[str, list[dict]]]):
    con = fresh_database()
    load_returns(con, [return_from_rows("cin", "886", year, tables) for year, tables in censuses.items()])
    return con


def values(con, measure: str, breakdown: str = "all") -> dict:
    compute_all(con, only=[measure])
    rows = con.execute(
        "SELECT year, breakdown_value, numerator, denominator, value FROM measure_values "
        "WHERE measure = ? AND breakdown = ?", [measure, breakdown]).fetchall()
    return {(y, bv): (n, d, v) for y, bv, n, d, v in rows}


def test_referrals_and_rereferrals_within_12_months_across_censuses():
    # A: 1 May 2024, then 20 April 2025: within 12 months.  B: 10 April 2024, then 11 April 2025:
    # one day more than 12 months.  C: 1 June and 1 September 2025: the second within.  D: 1 May
    # 2024, then 1 May 2025: exactly 12 months, which is within.
    census_2025 = {"Child": [kid("A"), kid("B"), kid("D")], "CINEpisode": [
        ref("A", 1, "2024-05-01", closed="2024-08-01", reason="RC7"),
        ref("B", 1, "2024-04-10", closed="2024-06-01", reason="RC7"),
        ref("D", 1, "2024-05-01", closed="2024-07-01", reason="RC7"),
    ]}
    census_2026 = {"Child": [kid("A"), kid("B"), kid("C"), kid("D")], "CINEpisode": [
        ref("A", 1, "2025-04-20"), ref("B", 1, "2025-04-11"),
        ref("C", 1, "2025-06-01", closed="2025-07-01", reason="RC7"), ref("C", 2, "2025-09-01"),
        ref("D", 1, "2025-05-01"),
    ]}
    con = database({2025: census_2025, 2026: census_2026})
    assert values(con, "referrals")[(2026, "All")][0] == 5
    assert values(con, "rereferrals_12_months")[(2026, "All")] == (3, 5, 60.0)
    # with last year's census missing, only C's second referral is seen to be a re-referral
    alone = database({2026: census_2026})
    assert values(alone, "rereferrals_12_months")[(2026, "All")] == (1, 5, 20.0)


def test_nfa_and_not_in_need_shares_of_referrals():
    con = database({2026: {
        "Child": [kid("E"), kid("F"), kid("G"), kid("H")],
        "CINEpisode": [
            ref("E", 1, "2025-05-01", nfa="1", closed="2025-05-01", reason="RC7"),
            ref("F", 1, "2025-05-01", closed="2025-06-20", reason="RC8"),  # assessed, not in need
            ref("G", 1, "2025-05-01", closed="2025-05-02", reason="RC8"),  # RC8 without an assessment
            ref("H", 1, "2025-05-01"),  # in need, still open
        ],
        "Assessment": [{"LAchildID": "F", "EpisodeNo": "1", "AssessmentNo": "1",
                        "AssessmentActualStartDate": "2025-05-02", "AssessmentAuthorisationDate": "2025-06-20"}],
    }})
    assert values(con, "referrals_nfa")[(2026, "All")] == (1, 4, 25.0)
    assert values(con, "referrals_not_in_need")[(2026, "All")] == (1, 4, 25.0)


def test_assessments_within_45_working_days():
    # Started Tuesday 1 April 2025: Good Friday 18 April, Easter Monday 21 April and the May bank
    # holidays (5 and 26 May) are not working days, so the 45th working day after is 9 June 2025.
    def a(no, done):
        return {"LAchildID": "A", "EpisodeNo": "1", "AssessmentNo": str(no), "AssessmentActualStartDate": "2025-04-01",
                "AssessmentAuthorisationDate": done}
    con = database({2026: {"Child": [kid("A")], "CINEpisode": [ref("A", 1, "2025-04-01")],
                           "Assessment": [a(1, "2025-06-09"), a(2, "2025-06-10"), a(3, "2025-04-01")]}})
    assert values(con, "assessments_45_days")[(2026, "All")] == (2, 3, 66.7)


def test_children_in_need_on_31_march_once_each_and_not_nfa():
    con = database({2026: {
        "Child": [kid("A"), kid("B"), kid("C", dob=None, sex="U", ExpectedPersonBirthDate="2026-06-01"), kid("D")],
        "CINEpisode": [
            ref("A", 1, "2025-05-01"), ref("A", 2, "2025-06-01"),  # two open: counted once
            ref("B", 1, "2026-03-31", nfa="1"),  # an open NFA referral is not an episode of need
            ref("C", 1, "2026-01-10"),  # unborn
            ref("D", 1, "2025-05-01", closed="2025-12-01", reason="RC7"),
        ],
        "Disability": [{"LAchildID": "A", "Disability": "AUT"}, {"LAchildID": "D", "Disability": "NONE"}],
    }})
    assert values(con, "cin_31_march")[(2026, "All")][0] == 2
    by_age = values(con, "cin_31_march", "age_band")
    assert by_age[(2026, "Unborn")][0] == 1 and by_age[(2026, "10 to 15")][0] == 1
    assert values(con, "cin_31_march", "disability")[(2026, "Disabled")][0] == 1


def test_conference_on_the_15th_working_day_over_a_bank_holiday():
    # Enquiry started Thursday 10 April 2025.  Working days after it: 11, 14, 15, 16, 17 April (5);
    # Good Friday 18 and Easter Monday 21 April are bank holidays; 22-25, 28-30 April, 1-2 May (14);
    # Monday 5 May is a bank holiday; Tuesday 6 May is the 15th working day, Wednesday 7 May the 16th.
    def s47(cid, icpc):
        return {"LAchildID": cid, "EpisodeNo": "1", "S47ActualStartDate": "2025-04-10", "DateOfInitialCPC": icpc,
                "ICPCnotRequired": "0"}
    con = database({2026: {"Child": [kid("A"), kid("B")], "CINEpisode": [ref("A", 1, "2025-04-09"),
                                                                         ref("B", 1, "2025-04-09")],
                           "Section47": [s47("A", "2025-05-06"), s47("B", "2025-05-07")]}})
    assert values(con, "icpc_15_days")[(2026, "All")] == (1, 2, 50.0)
    assert values(con, "section47")[(2026, "All")][0] == 2


def test_plans_spanning_census_years():
    # P: 15 March 2023 to 1 July 2025 (840 days, counted whole from the start the 2026 census gives).
    # Q: 1 September 2024 to 1 October 2025 (396 days).  R: open since 20 March 2024: on 31 March 2026
    # that is 742 days counting 31 March, two years or more.  S: open since 1 April 2025, second plan.
    census_2025 = {"Child": [kid("P"), kid("Q"), kid("R")],
                   "CINEpisode": [ref("P", 1, "2023-03-01"), ref("Q", 1, "2024-08-01"), ref("R", 1, "2024-03-01")],
                   "CPPlan": [plan("P", 1, "2023-03-15"), plan("Q", 1, "2024-09-01"), plan("R", 1, "2024-03-20")]}
    census_2026 = {"Child": [kid("P"), kid("Q"), kid("R"), kid("S")],
                   "CINEpisode": [ref("P", 1, "2023-03-01"), ref("Q", 1, "2024-08-01"), ref("R", 1, "2024-03-01"),
                                  ref("S", 1, "2025-03-20")],
                   "CPPlan": [plan("P", 1, "2023-03-15", "2025-07-01", latest="EMO"),
                              plan("Q", 1, "2024-09-01", "2025-10-01"), plan("R", 1, "2024-03-20", latest="PHY"),
                              plan("S", 1, "2025-04-01", initial="SAB", latest="SAB", previous="1")]}
    con = database({2025: census_2025, 2026: census_2026})
    assert values(con, "cpp_2_years_ceased")[(2026, "All")] == (1, 2, 50.0)
    assert values(con, "cpp_2_years_active")[(2026, "All")] == (1, 2, 50.0)
    # on 31 March 2025 P had been on a plan 748 days, Q 212, R 377
    assert values(con, "cpp_2_years_active")[(2025, "All")] == (1, 3, 33.3)
    assert values(con, "cpp_31_march")[(2026, "All")][0] == 2
    assert values(con, "cpp_31_march", "abuse_category") == {(2026, "PHY"): (1, None, 1), (2026, "SAB"): (1, None, 1),
                                                            (2025, "NEG"): (3, None, 3)}
    assert values(con, "cpp_started")[(2026, "All")][0] == 1  # S only: the others started earlier
    assert values(con, "cpp_started", "abuse_category")[(2026, "SAB")][0] == 1
    assert values(con, "cpp_second_subsequent")[(2026, "All")] == (1, 1, 100.0)


def test_plans_reviewed_on_time_with_reviews_from_two_censuses():
    # T: since 1 October 2024; reviews 20 December 2024 (within 3 months), 10 June 2025 and 1 December
    # 2025 (each within 6 months of the last), not overdue on 31 March 2026: on time.
    # U: since 1 October 2024; reviews 20 December 2024, then 1 July 2025 (more than 6 months): late.
    # V: since 1 June 2025; first review 15 September 2025 (more than 3 months): late.
    # W: since 15 January 2026, under 3 months on a plan on 31 March: not counted.
    census_2025 = {"Child": [kid("T"), kid("U")], "CINEpisode": [ref("T", 1, "2024-09-01"), ref("U", 1, "2024-09-01")],
                   "CPPlan": [plan("T", 1, "2024-10-01"), plan("U", 1, "2024-10-01")],
                   "CPPReview": [review("T", 1, "2024-12-20"), review("U", 1, "2024-12-20")]}
    census_2026 = {"Child": [kid(c) for c in "TUVW"],
                   "CINEpisode": [ref(c, 1, "2024-09-01") for c in "TU"] + [ref("V", 1, "2025-05-01"),
                                                                            ref("W", 1, "2026-01-01")],
                   "CPPlan": [plan("T", 1, "2024-10-01"), plan("U", 1, "2024-10-01"), plan("V", 1, "2025-06-01"),
                              plan("W", 1, "2026-01-15")],
                   "CPPReview": [review("T", 1, "2025-06-10"), review("T", 1, "2025-12-01"),
                                 review("U", 1, "2025-07-01"), review("U", 1, "2025-12-20"),
                                 review("V", 1, "2025-09-15"), review("V", 1, "2026-03-01")]}
    con = database({2025: census_2025, 2026: census_2026})
    assert values(con, "cpp_reviewed_on_time")[(2026, "All")] == (1, 3, 33.3)


def test_local_area_from_the_cin_addresses_extract(tmp_path: Path):
    census = return_from_rows("cin", "886", 2026, {"Child": [kid("A"), kid("B")], "CINEpisode": [
        ref("A", 1, "2025-05-01"), ref("B", 1, "2025-05-01")]})
    # in a folder named by the authority, as careboard synth writes it (a bare pytest folder such as
    # pytest-305 would be read as Bromley's code)
    extract = tmp_path / "886" / "cin_addresses.csv"
    extract.parent.mkdir()
    extract.write_text("CHILD,POSTCODE\nA,ME14 1XX\n")  # Maidstone
    con = fresh_database()
    load_returns(con, [census, *read_returns([extract], "886", 2026)])
    got = values(con, "referrals", "local_area")
    assert got == {(2026, "E07000110"): (1, None, 1), (2026, "Unknown"): (1, None, 1)}


def test_every_cin_measure_has_a_lait_code_or_says_why_not():
    from careboard.measures.measure import all_measures

    found = all_measures()
    assert set(CIN_MEASURES) <= set(found)
    for mid in CIN_MEASURES:
        m = found[mid]
        assert m.theme == "Children in need and child protection"
        if m.lait_code is None:
            assert m.kind == "count", mid  # the LAIT publishes the rate, not the count
