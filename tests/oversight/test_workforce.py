"""Issue 15 item 7: workforce measures with their LAIT codes and benchmarks, on a hand-built census
(including an agency worker covering a vacancy) and hand-built 903 social-worker episodes."""

from __future__ import annotations

import pytest
from builders_oversight import child, episode

from careboard.benchmark.compare import scorecard
from careboard.measures.compute import compute_all
from careboard.oversight import workforce
from careboard.returns.reader import read_returns, return_from_rows
from careboard.store.load import load_returns
from fresh_db import fresh_database

ORDER = ("AgencyWorker", "SWENo", "FTE", "QualInst", "OrgRole", "RoleStartDate", "RoleEndDate", "ReasonLeave",
         "FTE30", "Cases30", "WorkingDaysLost")


def _worker(**fields: str) -> str:
    fields.setdefault("QualInst", "University of Kent")
    return "<CSWWWorker>" + "".join(f"<{k}>{fields[k]}</{k}>" for k in ORDER if k in fields) + "</CSWWWorker>"


CENSUS = (
    "<Message><Header><CollectionDetails><Collection>CSWW</Collection><Year>2025</Year>"
    "<ReferenceDate>2025-09-30</ReferenceDate></CollectionDetails><Source><SourceLevel>L</SourceLevel>"
    "<LEA>886</LEA></Source></Header>"
    "<LALevelVacancies><NumberOfVacancies>2.00</NumberOfVacancies><NoAgencyFTE>1.00</NoAgencyFTE>"
    "<NoAgencyHeadcount>1</NoAgencyHeadcount></LALevelVacancies>"
    # in post on 30 September 2025: a case holder of ten years, a senior practitioner of 20 months and a
    # half-time manager who started in January (a starter)
    + _worker(AgencyWorker="0", SWENo="SW0000000001", FTE="1", OrgRole="5", RoleStartDate="2015-01-01",
              FTE30="1", Cases30="15", WorkingDaysLost="5.00")
    + _worker(AgencyWorker="0", SWENo="SW0000000002", FTE="1", OrgRole="4", RoleStartDate="2024-02-01",
              FTE30="1", Cases30="10", WorkingDaysLost="10.00")
    + _worker(AgencyWorker="0", SWENo="SW0000000003", FTE="0.5", OrgRole="3", RoleStartDate="2025-01-15",
              FTE30="0.5", Cases30="0")
    # left in March 2025 (a leaver); and one who started in November 2024 and left in June 2025 (neither)
    + _worker(AgencyWorker="0", SWENo="SW0000000004", FTE="1", OrgRole="5", RoleStartDate="2019-05-01",
              RoleEndDate="2025-03-31", ReasonLeave="1")
    + _worker(AgencyWorker="0", SWENo="SW0000000005", FTE="1", OrgRole="5", RoleStartDate="2024-11-01",
              RoleEndDate="2025-06-30", ReasonLeave="1")
    # the agency worker, covering one of the two vacant posts (NoAgencyFTE 1.00)
    + _worker(AgencyWorker="1", SWENo="SW0000000006", FTE="1", OrgRole="5", RoleStartDate="2025-06-01",
              FTE30="1", Cases30="12")
    + "</Message>"
)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    """The hand-built census and 903 return loaded and measured once for the module (the tests only read it)."""
    path = tmp_path_factory.mktemp("csww") / "csww_886_2025-26.xml"
    path.write_text(CENSUS, encoding="utf-8")
    con = fresh_database()
    dob = "01/01/2012"
    sw = [
        {"CHILD": "P1", "DOB": dob, "SW_ID": "SW1", "SW_DECOM": "01/05/2024", "SW_DEC": "30/09/2025",
         "SW_REASON": "LEFTRL"},
        {"CHILD": "P1", "DOB": dob, "SW_ID": "SW2", "SW_DECOM": "01/10/2025", "SW_REASON": "FCONTA"},
        {"CHILD": "Q1", "DOB": dob, "SW_ID": "SW2", "SW_DECOM": "01/01/2025", "SW_REASON": "FCONTA"},
    ]
    ssda903 = return_from_rows("ssda903", "886", 2026, {
        "Header": [child("P1", dob), child("Q1", dob)],
        "Episodes": [episode("P1", "01/04/2024"), episode("Q1", "01/04/2024")],
        "SWEpisodes": sw,
    })
    load_returns(con, [*read_returns([path]), ssda903])
    compute_all(con)
    yield con
    con.close()


def _values(con) -> dict:
    rows = con.execute("SELECT measure, numerator, denominator, value FROM measure_values "
                       "WHERE la = '886' AND year = 2026 AND breakdown = 'all'").fetchall()
    return {m: (n, d, v) for m, n, d, v in rows}


def test_workforce_measures_on_a_hand_built_census(loaded):
    v = _values(loaded)
    # employed FTE in post 1 + 1 + 0.5 = 2.5; agency 1.0; vacancies 2.0, 1.0 of them covered by agency
    assert v["workforce_fte"][2] == 2.5
    assert v["workforce_agency_rate"] == (1.0, 3.5, 28.6)
    assert v["workforce_vacancy_rate"] == (2.0, 4.5, 44.4)
    assert v["workforce_agency_covering_vacancies"] == (1.0, 1.0, 100.0)
    assert v["workforce_vacancies_covered"] == (1.0, 2.0, 50.0)
    # one leaver (not the one who started and left in the same year) of 2.5 FTE
    assert v["workforce_turnover"] == (1.0, 2.5, 40.0)
    assert v["workforce_starters"][2] == 0.5 and v["workforce_leavers"][2] == 1.0
    # 15 days lost / (2.5 FTE x 253 working days from 1 October 2024 to 30 September 2025)
    assert v["workforce_absence_rate"] == (15.0, 2.5 * 253, 2.4)
    # 37 cases (15 + 10 + the agency worker's 12) / 3.0 FTE holding cases
    assert v["workforce_caseload"] == (37.0, 3.0, 12.3)
    assert v["workforce_cases_held"][2] == 37 and v["workforce_caseholders"] == (1.0, 2.5, 40.0)
    assert v["workforce_under_2_years"] == (2, 3, 66.7) and v["workforce_5_years_plus"] == (1, 3, 33.3)


def test_social_workers_of_children_looked_after(loaded):
    v = _values(loaded)
    # P had two social workers in 2025-26, Q one; on 31 March SW2 had both
    assert v["social_worker_changed"] == (1, 2, 50.0)
    assert v["social_worker_looked_after_caseload"] == (2, 1, 2.0)
    assert v["social_workers_3_plus"] == (0, 2, 0.0)
    summary = workforce.summary(loaded, "886", 2026)
    assert (summary["looked_after_per_social_worker"], summary["social_worker_changed_pct"]) == (2.0, 50.0)
    assert (summary["agency_covering_vacancies_pct"], summary["absence_pct"]) == (100.0, 2.4)


def test_benchmarked_against_lait_for_the_same_census(loaded):
    rows = {r["measure"]: r for r in scorecard(loaded, "886", 2026) if r["breakdown"] == "all"}
    agency = rows["workforce_agency_rate"]
    # careboard's 2025-26 holds the census of 30 September 2025, which LAIT publishes as 2025: England 13%,
    # and the trend compares with Kent's published September 2024 figure (14%)
    assert agency["lait_code"] == "Work_Force_Agecy_Rate" and agency["benchmark_year"] == 2025
    assert agency["england"] == pytest.approx(13.0)
    assert (agency["previous"], agency["previous_source"]) == (pytest.approx(14.0), "published")
    assert rows["workforce_caseload"]["england"] == pytest.approx(15.2)
    assert rows["workforce_vacancy_rate"]["england"] == pytest.approx(14.2)


def test_synthetic_census_is_roughly_england(tmp_path):
    """careboard synth's census lands near England's September 2025 figures (LAIT): agency 13%,
    vacancies 14%, turnover 12%, absence 3.5%, 15.2 cases per FTE; loosely, as one authority varies."""
    from careboard.synth import generate

    result = generate(tmp_path, "886", 500, [2026], seed=4, linked_groups=0)
    con = fresh_database()
    load_returns(con, read_returns([result.root / "ssda903", result.root / "csww"]))
    s = workforce.summary(con, "886", 2026)
    assert 150 <= s["social_worker_fte"] <= 250  # about 0.4 FTE per child looked after
    assert 8 <= s["agency_rate_pct"] <= 22 and 10 <= s["vacancy_rate_pct"] <= 22
    assert 70 <= s["agency_covering_vacancies_pct"] <= 90 and 60 <= s["vacancies_covered_by_agency_pct"] <= 85
    assert 7 <= s["turnover_pct"] <= 20 and 1.5 <= s["absence_pct"] <= 6
    assert 11 <= s["caseload_per_fte"] <= 20


def test_a_child_whose_social_worker_is_not_named_is_in_both_denominators():
    """social_worker_changed and social_workers_3_plus count the same children (publish/cohorts.py declares
    one denominator for both): every child looked after on 31 March with a social-worker episode in the
    year, named or not.  R's only episode gives no SW_ID: R is in both denominators, with no worker."""
    con = fresh_database()
    dob = "01/01/2012"
    ssda903 = return_from_rows("ssda903", "886", 2026, {
        "Header": [child("P1", dob), child("R1", dob)],
        "Episodes": [episode("P1", "01/04/2024"), episode("R1", "01/04/2024")],
        "SWEpisodes": [
            {"CHILD": "P1", "DOB": dob, "SW_ID": "SW1", "SW_DECOM": "01/05/2024", "SW_DEC": "30/09/2025",
             "SW_REASON": "LEFTRL"},
            {"CHILD": "P1", "DOB": dob, "SW_ID": "SW2", "SW_DECOM": "01/10/2025", "SW_REASON": "FCONTA"},
            {"CHILD": "R1", "DOB": dob, "SW_ID": None, "SW_DECOM": "01/01/2025", "SW_REASON": "FCONTA"},
        ],
    })
    load_returns(con, [ssda903])
    compute_all(con)
    v = _values(con)
    assert v["social_worker_changed"] == (1, 2, 50.0)
    assert v["social_workers_3_plus"] == (0, 2, 0.0)
    assert v["social_worker_looked_after_caseload"] == (1, 1, 1.0)  # R has no named worker on 31 March
