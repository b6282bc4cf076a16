"""Issue 15 items 3-5: missing children in detail and their common themes, on hand-built cases and on a
synthetic authority with and without planted groups.  Expected figures are worked out by hand."""

from __future__ import annotations

import csv
import math
from datetime import date
from pathlib import Path

import pytest
from builders_oversight import child, database, detail, episode, measure, missing_row

from careboard.oversight import missing

H, J, K = "H1", "J1", "K1"
DOB_H, DOB_J, DOB_K = "01/01/2010", "01/01/2009", "01/01/2011"


@pytest.fixture
def incidents():
    """2025-26.  H (15, children's home in Maidstone, home in Canterbury about 24 miles away): three
    incidents; J (16, foster care): ten; K: one."""
    j_days = list(range(1, 21, 2))  # J: 1, 3, ... 19 May 2025, each back the next day
    returns = {2026: {
        "Header": [child(H, DOB_H, "F"), child(J, DOB_J), child(K, DOB_K)],
        "Episodes": [episode(H, "01/04/2024", place="K2", provider="PR4", pl="ME15 6YY", home="CT1 2AA",
                             urn="SC300001"),
                     episode(J, "01/04/2024"), episode(K, "01/04/2024")],
        "Missing": [
            missing_row(H, DOB_H, "01/06/2025", "02/06/2025"),  # a Sunday night, three and a half hours
            missing_row(H, DOB_H, "10/07/2025", "14/07/2025"),  # four days, no times recorded
            missing_row(H, DOB_H, "01/09/2025", "01/09/2025"),  # no detail row in the extract
            *[missing_row(J, DOB_J, f"{d:02d}/05/2025", f"{d + 1:02d}/05/2025") for d in j_days],
            missing_row(K, DOB_K, "03/03/2026", "03/03/2026"),
        ],
    }}
    extracts = {2026: {"MissingDetail": [
        detail(H, "01/06/2025", "02/06/2025", start_time="22:30", end_time="02:00", found_postcode="DA1 1AB",
               offered_date="04/06/2025", accepted="1"),
        detail(H, "10/07/2025", "14/07/2025", found="returned_self", offered_date="20/07/2025", cce="1"),
    ]}}
    return database(returns, extracts)


def test_breakdowns_by_every_dimension(incidents):
    by = missing.breakdowns(incidents, "886", 2026)
    assert by["total"] == [{"value": "All", "incidents": 14, "children": 3}]
    assert {r["value"]: (r["incidents"], r["children"]) for r in by["repeat_band"]} == {
        "Once": (1, 1), "3 to 9 times": (3, 1), "10 or more times": (10, 1)}
    durations = {r["value"]: r["incidents"] for r in by["duration_band"]}
    # H: 3.5 hours, 96 hours, same day; J: ten of one day each (24 hours by date); K: same day
    assert durations == {"Under 24 hours": 3, "1 to 3 days": 10, "3 to 7 days": 1}
    assert {r["value"]: r["incidents"] for r in by["time_of_day"]} == {"Evening (18:00-23:59)": 1, "Not recorded": 13}
    # 1 June 2025 (H) and 11 May (J) were Sundays; Mondays: 5 and 19 May (J), 1 September (H); ...
    assert [(r["value"], r["incidents"]) for r in by["day_of_week"]] == [
        ("Monday", 3), ("Tuesday", 2), ("Wednesday", 1), ("Thursday", 3), ("Friday", 1), ("Saturday", 2),
        ("Sunday", 2)]
    assert {r["value"]: r["incidents"] for r in by["where_found"]} == {
        "No detail recorded": 12, "police": 1, "returned_self": 1}
    assert {r["value"]: r["incidents"] for r in by["sex"]} == {"F": 3, "M": 11}
    assert {r["value"]: r["incidents"] for r in by["placement_type"]} == {
        "Children's homes": 3, "In-house fostering": 11}
    h_rows = [r for r in missing.episode_rows(incidents, "886", 2026) if r["CHILD"] == H]
    assert {r["placement_area"] for r in h_rows} == {"Maidstone"}
    assert {r["distance_band"] for r in h_rows} == {"Over 20 miles"}  # Maidstone to Canterbury, about 24 miles
    assert h_rows[0]["found_area"] == "Dartford" and h_rows[0]["hours"] == 3.5


def test_repeat_missing_and_return_home_interviews(incidents):
    assert missing.repeat_missing(incidents, "886", 2026) == {
        "children": 3, "once": 1, "twice": 0, "three_or_more": 2, "ten_or_more": 1, "incidents": 14,
        "incidents_of_three_or_more": 13}
    rhi = missing.return_interviews(incidents, "886", 2026)
    # Of the two incidents the extract holds: both offered; the first within 72 hours of the 2 June
    # return (4 June), the second not (20 July after a 14 July return); the first taken up.
    assert (rhi["ended"], rhi["with_detail"], rhi["offered"], rhi["offered_within_72h"], rhi["taken_up"]) == (
        14, 2, 2, 1, 1)
    assert measure(incidents, "return_interviews_within_72h")[2026] == (1, 2, 50.0)
    assert measure(incidents, "missing_three_or_more")[2026][0] == 2
    assert measure(incidents, "missing_ten_or_more")[2026][0] == 1
    assert measure(incidents, "missing_repeat_share")[2026] == (2, 3, 66.7)
    # 24 hours or more: H's four-day incident and J's ten one-day incidents, of 14
    assert measure(incidents, "missing_over_24_hours")[2026] == (11, 14, 78.6)
    assert measure(incidents, "missing_exploitation_concern")[2026][0] == 1


def test_an_extract_without_offer_dates_gives_no_72_hour_figure():
    """An extract in the earlier layout (no RHI_OFFERED_DATE) cannot show an offer within 72 hours:
    the measure has no figure rather than 0%."""
    returns = {2026: {"Header": [child(K, DOB_K)], "Episodes": [episode(K, "01/04/2024")],
                      "Missing": [missing_row(K, DOB_K, "03/06/2025", "04/06/2025")]}}
    con = database(returns, {2026: {"MissingDetail": [detail(K, "03/06/2025", "04/06/2025")]}})
    assert 2026 not in measure(con, "return_interviews_within_72h")
    assert missing.return_interviews(con, "886", 2026)["offered_date_not_recorded"] == 1


def test_missing_by_provider(incidents):
    rows = {r["urn"]: r for r in missing.by_provider(incidents, "886", 2026)}
    # H's three incidents from the children's home (one with a criminal-exploitation concern); J's ten
    # and K's one from the in-house foster service
    assert (rows["SC300001"]["incidents"], rows["SC300001"]["children"],
            rows["SC300001"]["incidents_with_exploitation_concern"]) == (3, 1, 1)
    assert (rows["SC100001"]["incidents"], rows["SC100001"]["children"]) == (11, 2)
    assert rows["SC300001"]["placement_type"] == "Children's homes"


I1, J2 = "I1", "J2"
DOB_I = "01/01/2010"
HOME = dict(place="K2", provider="PR4", pl="ME15 6YY", urn="SC400001")


def _home_pair(i_days: list[str], j_days: list[str]):
    returns = {2026: {
        "Header": [child(I1, DOB_I), child(J2, DOB_I)],
        "Episodes": [episode(I1, "01/04/2025", **HOME), episode(J2, "01/04/2025", **HOME)],
        "Missing": [missing_row(I1, DOB_I, d, d) for d in i_days] + [missing_row(J2, DOB_I, d, d) for d in j_days],
    }}
    return database(returns)


def test_two_children_missing_from_one_home_on_consecutive_days_once_is_not_a_theme():
    con = _home_pair(["01/05/2025"], ["02/05/2025"])
    found = missing.missing_links(con, "886", date(2025, 4, 1), date(2026, 3, 31))
    assert found.links == [] and found.groups == []


def test_the_same_pair_three_times_is_a_linked_group():
    con = _home_pair(["01/05/2025", "10/06/2025", "20/08/2025"], ["02/05/2025", "11/06/2025", "20/08/2025"])
    found = missing.missing_links(con, "886", date(2025, 4, 1), date(2026, 3, 31))
    (group,) = found.groups
    assert sorted(group["children"]) == [I1, J2]
    assert group["settings"] == ["SC400001 ME15 6YY"] and group["providers"] == ["SC400001"]
    (link,) = found.links
    # each had 3 incidents over the 365 days they both lived there: a random incident of I1's has a
    # chance 1 - exp(-3 x 3 / 365) of falling within a day of one of J2's, so about 0.073 coincidences
    q = 1 - math.exp(-9 / 365)
    assert (link["link"], link["occasions"]) == ("together", 3) and link["expected"] == pytest.approx(3 * q, abs=1e-3)
    summary = missing.linked_group_summary(con, "886", 2026)
    assert (summary["groups"], summary["children"]) == (1, 2)
    assert summary["providers"] == [{"provider": "SC400001", "groups": 1, "children": 2}]
    assert [a["area"] for a in summary["areas"]] == ["Maidstone"]


SPREAD = ["ME14 2AA", "ME14 3AA", "ME14 4AA", "ME14 9AA", "ME15 0AA", "ME15 7AA", "ME15 8AA", "ME15 9AA",
          "ME16 0AA", "ME16 9AA", "ME17 1AA", "ME17 2AA"]


def _found_at_one_place(finds: int):
    """L and M live in different homes in Maidstone; each is found ``finds`` times in Sittingbourne
    (ME10 3), away from home and placement.  Twelve other children were each found once, in twelve
    other sectors near Maidstone, so finds near L's and M's placements span 13 sectors."""
    others = [f"S{i:02d}" for i in range(12)]
    l_days = ["05/05/2025", "05/06/2025", "05/07/2025", "05/08/2025"][:finds]
    m_days = ["20/05/2025", "20/06/2025", "20/07/2025", "20/08/2025"][:finds]
    returns = {2026: {
        "Header": [child(c, DOB_I) for c in ["L1", "M1", *others]],
        "Episodes": [episode("L1", "01/04/2025", place="K2", provider="PR4", pl="ME15 6YY", urn="SC500001"),
                     episode("M1", "01/04/2025", place="U4", provider="PR4", pl="ME16 8AA", urn="SC600001"),
                     *[episode(c, "01/04/2025", pl="ME15 6YY", urn="SC700001") for c in others]],
        "Missing": [missing_row("L1", DOB_I, d, d) for d in l_days] + [missing_row("M1", DOB_I, d, d) for d in m_days]
        + [missing_row(c, DOB_I, f"{10 + i:02d}/11/2025", f"{10 + i:02d}/11/2025") for i, c in enumerate(others)],
    }}
    details = [detail("L1", d, d, found_postcode="ME10 3AB", cse="1") for d in l_days]
    details += [detail("M1", d, d, found_postcode="ME10 3AB") for d in m_days]
    details += [detail(c, f"{10 + i:02d}/11/2025", f"{10 + i:02d}/11/2025", found_postcode=SPREAD[i])
                for i, c in enumerate(others)]
    con = database(returns, {2026: {"MissingDetail": details}})
    return missing.missing_links(con, "886", date(2025, 4, 1), date(2026, 3, 31))


def _tail(lam: float, k: int) -> float:
    """P(X >= k) for X ~ Poisson(lam), by hand."""
    return 1 - math.exp(-lam) * sum(lam**i / math.factorial(i) for i in range(k))


def test_children_from_different_homes_repeatedly_found_at_one_place():
    found = _found_at_one_place(4)
    (group,) = found.groups
    assert sorted(group["children"]) == ["L1", "M1"] and group["places"] == ["ME10 3"]
    assert group["found_areas"] == ["Swale"] and group["incidents_with_exploitation_concern"] == 4
    for link in found.links:
        # 4 finds each, 13 sectors near the placement: Poisson(4/13); 14 child-and-sector pairs compared
        tail = _tail(4 / 13, 4)
        assert (link["link"], link["place"], link["occasions"], link["comparisons"]) == ("found_at", "ME10 3", 4, 14)
        assert link["chance"] == pytest.approx(tail, rel=1e-6)
        assert tail * 14 < 0.01  # each link would stand alone
    nodes = {(n["kind"], n["id"]) for n in found.nodes}
    assert nodes == {("child", "L1"), ("child", "M1"), ("place", "ME10 3")}


def test_children_found_at_one_place_are_judged_together():
    """Three finds each: neither child's link would stand alone, but two children drawn to one place
    is stronger evidence than either, and their combined chance stands."""
    found = _found_at_one_place(3)
    p = _tail(3 / 13, 3)
    assert p * 14 > 0.01  # alone, not enough
    # Fisher: x = -2 (ln p + ln p), chi-squared with 4 degrees of freedom: P = exp(-x/2) (1 + x/2); one
    # place had a child found there twice or more
    x = -4 * math.log(p)
    combined = math.exp(-x / 2) * (1 + x / 2)
    assert combined < 0.01
    (group,) = found.groups
    assert sorted(group["children"]) == ["L1", "M1"]
    assert [link["place_chance"] for link in found.links] == [pytest.approx(combined, rel=1e-6)] * 2


# -- a synthetic authority with and without planted groups -------------------------------------


@pytest.fixture(scope="module")
def authorities(tmp_path_factory) -> dict[int, tuple]:
    """The same synthetic Kent (seed 11) generated without and with two planted groups."""
    from careboard.returns.reader import read_returns
    from careboard.store.load import load_returns
    from careboard.synth import generate
    from fresh_db import fresh_database

    out = {}
    for groups in (0, 2):
        folder = tmp_path_factory.mktemp(f"linked{groups}")
        result = generate(folder, "886", 400, [2025, 2026], seed=11, linked_groups=groups)
        con = fresh_database()
        load_returns(con, read_returns([result.root / "ssda903", result.root / "extracts"]))
        out[groups] = (con, result)
    return out


def _found(con) -> list[set[str]]:
    groups = []
    for year in (2025, 2026):
        groups += [set(g["children"]) for g in missing.missing_links(
            con, "886", date(year - 1, 4, 1), date(year, 3, 31)).groups]
    return groups


def test_linking_finds_nothing_in_a_synthetic_authority_without_planted_groups(authorities):
    con, result = authorities[0]
    assert result.linked_groups == [] and not (result.root / "missing_groups_manifest.csv").exists()
    for year in (2025, 2026):
        found = missing.missing_links(con, "886", date(year - 1, 4, 1), date(year, 3, 31))
        assert found.links == [] and found.groups == []


def test_linking_finds_exactly_the_planted_groups(authorities):
    con, result = authorities[2]
    with (result.root / "missing_groups_manifest.csv").open(encoding="utf-8") as f:
        manifest = list(csv.DictReader(f))
    planted: dict[str, set[str]] = {}
    for row in manifest:
        planted.setdefault(row["GROUP"], set()).add(row["CHILD"])
    assert len(planted) == 2 and {r["PATTERN"] for r in manifest} == {"together", "found_at"}
    assert sorted(map(sorted, _found(con))) == sorted(map(sorted, planted.values()))


def test_synthetic_missing_detail_has_the_new_columns(authorities):
    con, result = authorities[2]
    path: Path = result.root / "extracts" / "missing_detail.csv"
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {"MIS_START_TIME", "FOUND_POSTCODE", "RHI_OFFERED_DATE", "RISK_CSE", "RISK_CCE"} <= set(rows[0])
    police = [r for r in rows if r["WHERE_FOUND"] == "police" and r["MIS_END"]]
    assert police and all(r["FOUND_POSTCODE"] for r in police)
    assert all(not r["FOUND_POSTCODE"] for r in rows if r["WHERE_FOUND"] == "returned_self")
    # the planted episodes are in the 903 Missing table too, not only in the extract
    planted = {r["CHILD"] for r in csv.DictReader((result.root / "missing_groups_manifest.csv").open())}
    in_903 = {c for (c,) in con.execute("SELECT DISTINCT CHILD FROM ssda903_missing").fetchall()}
    assert planted <= in_903
