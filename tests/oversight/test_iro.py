"""Issue 15 items 1 and 2: the IRO service on hand-built cases, every expected figure worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest
from builders_oversight import child, database, episode, iro_row, measure, review

from careboard.oversight import iro

A, B = "A1", "B1"
DOB_A, DOB_B = "01/01/2012", "01/01/2010"


@pytest.fixture(scope="module")
def change_mid_period():
    """2024-25: child A's IRO changes from IRO001 to IRO002 in January; B keeps IRO001 (half-time).  Made once
    for the module: its tests read it (and compute the measures they read, which replaces measure_values)."""
    returns = {2025: {
        "Header": [child(A, DOB_A), child(B, DOB_B)],
        "Episodes": [episode(A, "03/06/2024"), episode(B, "01/04/2023")],
        "Reviews": [review(A, DOB_A, "01/07/2024"), review(A, DOB_A, "30/09/2024"),
                    review(A, DOB_A, "20/03/2025", "PN7"),
                    review(B, DOB_B, "01/05/2024"), review(B, DOB_B, "01/11/2024")],
    }}
    extracts = {2025: {"IroAllocations": [
        iro_row(A, "03/06/2024", "01/07/2024", "IRO001", "05/06/2024", fte="0.5"),
        iro_row(A, "03/06/2024", "30/09/2024", "IRO001", "05/06/2024", fte="0.5"),
        iro_row(A, "03/06/2024", "20/03/2025", "IRO002", "10/01/2025"),
        iro_row(B, "01/04/2023", "01/05/2024", "IRO001", "05/04/2023", fte="0.5"),
        iro_row(B, "01/04/2023", "01/11/2024", "IRO001", "05/04/2023", fte="0.5"),
    ]}}
    return database(returns, extracts)


def test_caseloads_at_any_date_follow_a_change_of_iro(change_mid_period):
    con = change_mid_period
    before = iro.caseload_on(con, "886", date(2024, 12, 31))
    assert [(r["iro"], r["children"], r["fte"], r["per_fte"]) for r in before] == [("IRO001", 2, 0.5, 4.0)]
    after = iro.caseload_on(con, "886", date(2025, 3, 31))
    assert [(r["iro"], r["children"], r["per_fte"]) for r in after] == [("IRO001", 1, 2.0), ("IRO002", 1, 1.0)]
    # the day before the new allocation A is still IRO001's; on the day, IRO002's
    assert {r["iro"]: r["children"] for r in iro.caseload_on(con, "886", date(2025, 1, 9))} == {"IRO001": 2}
    assert {r["iro"]: r["children"] for r in iro.caseload_on(con, "886", date(2025, 1, 10))} == {
        "IRO001": 1, "IRO002": 1}


def test_continuity_counts_the_change_in_the_year(change_mid_period):
    rows = {r["CHILD"]: r for r in iro.continuity(change_mid_period, "886", 2025)}
    assert (rows[A]["iros_in_period"], rows[A]["changes_in_year"], rows[A]["iro_at_end"]) == (2, 1, "IRO002")
    assert (rows[B]["iros_in_period"], rows[B]["changes_in_year"], rows[B]["iro_at_end"]) == (1, 0, "IRO001")
    assert iro.continuity_summary(list(rows.values()))["changed_in_year"] == 1
    # as a measure: 1 of the 2 children looked after on 31 March 2025 had a change of IRO
    assert measure(change_mid_period, "iro_changed_in_year")[2025] == (1, 2, 50.0)
    assert measure(change_mid_period, "iro_three_or_more")[2025] == (0, 2, 0.0)


def test_year_by_iro_reviews_participation_and_caseload(change_mid_period):
    rows = {r["iro"]: r for r in iro.year_by_iro(change_mid_period, "886", 2025)}
    one, two = rows["IRO001"], rows["IRO002"]
    assert (one["reviews"], one["children_in_year"], one["children_at_year_end"]) == (4, 2, 1)
    assert (two["reviews"], two["children_in_year"], two["children_at_year_end"]) == (1, 1, 1)
    # A's review of 20 March 2025 was coded PN7 (did not take part); all others PN1
    assert (two["participation_counted"], two["participated"], two["participation_pct"]) == (1, 0, 0.0)
    assert (one["participated"], one["participation_pct"]) == (4, 100.0)
    assert one["per_fte_at_year_end"] == 2.0  # one child, half-time IRO
    # children on 31 March per full-time IRO: 2 children / (0.5 + 1.0) FTE
    assert measure(change_mid_period, "iro_caseload_per_fte")[2025] == (2, 1.5, 1.3)


def test_three_iros_in_one_period():
    """T's IRO changed twice in 2025-26 (IRO001, IRO002 from August, IRO003 from January): three IROs."""
    returns = {2026: {
        "Header": [child("T1", DOB_A)],
        "Episodes": [episode("T1", "01/04/2025")],
        "Reviews": [review("T1", DOB_A, day) for day in ("28/04/2025", "28/07/2025", "20/01/2026")],
    }}
    extracts = {2026: {"IroAllocations": [
        iro_row("T1", "01/04/2025", "28/04/2025", "IRO001", "03/04/2025"),
        iro_row("T1", "01/04/2025", "28/07/2025", "IRO001", "03/04/2025"),
        iro_row("T1", "01/04/2025", None, "IRO002", "15/08/2025"),
        iro_row("T1", "01/04/2025", "20/01/2026", "IRO003", "05/01/2026"),
    ]}}
    con = database(returns, extracts)
    (row,) = iro.continuity(con, "886", 2026)
    assert (row["iros_in_period"], row["changes_in_year"], row["iro_at_end"]) == (3, 2, "IRO003")
    assert measure(con, "iro_three_or_more")[2026] == (1, 1, 100.0)
    # between the allocation-only row and the next review, IRO002 held the case
    assert [r["iro"] for r in iro.caseload_on(con, "886", date(2025, 12, 1))] == ["IRO002"]


def test_handbook_range_bands():
    assert (iro.band(49.9), iro.band(50), iro.band(70), iro.band(70.1)) == (
        "below range", "within range", "within range", "over range")
    assert iro.HANDBOOK_RANGE == (50, 70) and "50 to 70" in iro.HANDBOOK_SOURCE


C, D, E, F, G = "C1", "D1", "E1", "F1", "G1"
DOB = "01/01/2011"


@pytest.fixture(scope="module")
def over_christmas():
    """Made once for the module, as its tests read it; the one that changes it takes its own."""
    con = _over_christmas()
    yield con
    con.close()


def _over_christmas():
    """2025-26: C, D and E came into care on Monday 15 December 2025.  Twenty working days later, with
    Christmas Day, Boxing Day and New Year's Day not counted, is Thursday 15 January 2026."""
    returns = {2026: {
        "Header": [child(c, DOB) for c in (C, D, E, F, G)],
        "Episodes": [episode(C, "15/12/2025", pl="SW1A 1AA", urn="SC200001", place="K2", provider="PR4"),
                     episode(D, "15/12/2025"), episode(E, "15/12/2025"),
                     episode(F, "02/03/2026"), episode(G, "27/03/2026")],
        "Reviews": [review(C, DOB, "15/01/2026"), review(D, DOB, "16/01/2026")],
    }}
    extracts = {2026: {"IroAllocations": [
        iro_row(C, "15/12/2025", "15/01/2026", "IRO003", "17/12/2025", base="ME14 1XX"),
        iro_row(D, "15/12/2025", "16/01/2026", "IRO003", "17/12/2025", base="ME14 1XX"),
        iro_row(E, "15/12/2025", None, "IRO003", "17/12/2025", base="ME14 1XX"),
    ]}}
    return database(returns, extracts)


def test_a_review_on_its_due_date_over_the_bank_holidays_is_on_time(over_christmas):
    (row,) = iro.year_by_iro(over_christmas, "886", 2026)
    assert (row["iro"], row["reviews"], row["on_time"], row["on_time_pct"]) == ("IRO003", 2, 1, 50.0)
    by_child = {r["CHILD"]: r for r in iro.review_travel(over_christmas, "886", 2026)}
    assert by_child[C]["on_time"] is True and by_child[D]["on_time"] is False


def test_overdue_reviews_start_the_day_after_the_due_date(over_christmas):
    on_due = iro.overdue_reviews(over_christmas, "886", date(2026, 1, 15))
    assert on_due == []  # D's and E's first review falls due that day: not yet overdue
    day_after = {r["CHILD"]: r for r in iro.overdue_reviews(over_christmas, "886", date(2026, 1, 16))}
    assert set(day_after) == {E}  # D's review was held on the 16th; C's on the 15th
    assert (day_after[E]["next_due"], day_after[E]["days_overdue"], day_after[E]["iro"]) == (
        date(2026, 1, 15), 1, "IRO003")


def test_children_without_an_allocated_iro(over_christmas):
    # F: in care since Monday 2 March, 21 working days by 31 March, no IRO on record; G: since Friday 27
    # March, 2 working days (an IRO is due within five); E has an allocation-only row.
    rows = iro.unallocated(over_christmas, "886", date(2026, 3, 31))
    assert [(r["CHILD"], r["working_days_in_care"]) for r in rows] == [(F, 21)]
    assert measure(over_christmas, "iro_unallocated")[2026] == (1, None, 1)


def test_travel_out_of_area_and_distance_from_base():
    con = _over_christmas()  # its own: it removes the IROs' base postcodes below
    (row,) = iro.year_by_iro(con, "886", 2026)
    # C lives in Westminster (out of Kent) at SW1A 1AA (OS grid 529090, 179645), 32.5 miles from home and
    # from the base at ME14 1XX (575937, 156314); D at ME15 6YY (575944, 153900), 1.5 miles from it.  Each
    # distance is the straight line between the full postcodes' grid references to 0.1 mile, as the DfE
    # works out PL_DISTANCE.  There and back: 2 x (32.5 + 1.5) = 68.0 miles.
    assert (row["reviews_out_of_area"], row["reviews_over_20_miles"], row["reviews_far"]) == (1, 1, 1)
    assert row["travel_miles"] == pytest.approx(68.0, abs=1e-9)
    assert row["travel_unknown"] == 0
    # without a base in the extract, the office postcode given is used; with none, travel is unknown
    con.execute("UPDATE extract_iroallocations SET IRO_BASE_POSTCODE = NULL")
    assert iro.year_by_iro(con, "886", 2026)[0]["travel_unknown"] == 2
    # from an office at SW1A 1AA: C's review is there (0 miles), D's 33.2 miles away
    assert iro.year_by_iro(con, "886", 2026, base_postcode="SW1A 1AA")[0]["travel_miles"] == pytest.approx(
        2 * 33.2, abs=1e-9)


def test_manager_view_and_trend(over_christmas):
    view = iro.manager_view(over_christmas, "886", date(2026, 1, 31))
    assert [(r["iro"], r["children"]) for r in view["caseloads"]] == [("IRO003", 3)]
    assert view["over_range"] == [] and view["distribution"]["iros"] == 1
    assert [r["CHILD"] for r in view["overdue"]] == [E]
    # month ends from January 2025: IRO003 appears from December 2025 (allocated 17 December)
    assert [(r["month_end"], r["children"]) for r in view["trend"]] == [(date(2025, 12, 31), 3),
                                                                         (date(2026, 1, 31), 3)]


def test_annual_report_names_no_iro_and_no_child(over_christmas):
    report = iro.annual_report(over_christmas, "886", 2026)
    text = repr(report)
    assert not any(name in text for name in ("IRO003", C, D, E, F, G))
    assert (report["reviews"], report["reviews_on_time"], report["reviews_out_of_area"]) == (2, 1, 1)
    assert report["caseloads_at_year_end"]["children"] == 3 and report["unallocated_at_year_end"] == 1


def test_a_child_who_left_care_on_31_march_is_in_no_caseload_on_31_march():
    """Issue 15.1 (the demo's disclosure warning): L left care on 31 March 2025, so is not looked after that
    day (the DfE's rule: DEC on 31 March), yet their IRO's spell ran to their period's end.  Counted in the
    caseload, L was a child "allocated an IRO on 31 March" outside the children looked after on 31 March with
    an IRO on record, so disclosure control found publish/cohorts.py contradicted and fell back."""
    from careboard.measures.compute import compute_all
    from careboard.measures.measure import all_measures
    from careboard.publish.release import decide, read_values

    returns = {2025: {
        "Header": [child(A, DOB_A), child("L1", DOB_B)],
        "Episodes": [episode(A, "03/06/2024"), episode("L1", "01/04/2024", dec="31/03/2025", rec="E4A")],
        "Reviews": [review(A, DOB_A, "01/07/2024"), review("L1", DOB_B, "29/04/2024")],
    }}
    extracts = {2025: {"IroAllocations": [
        iro_row(A, "03/06/2024", "01/07/2024", "IRO001", "05/06/2024"),
        iro_row("L1", "01/04/2024", "29/04/2024", "IRO002", "03/04/2024"),
    ]}}
    con = database(returns, extracts)
    ids = ["cla_31_march", "iro_caseload_per_fte", "iro_changed_in_year", "iro_three_or_more", "iro_unallocated"]
    compute_all(con, only=ids)  # measure() computes one measure alone
    measures = {k: m for k, m in all_measures().items() if k in ids}
    _, _, _, fallbacks = decide(read_values(con, "886", 2025), measures)
    assert fallbacks == set()
    # one child looked after on 31 March, with an IRO on record and allocated that day: one IRO's caseload
    assert measure(con, "iro_caseload_per_fte")[2025][:2] == (1, 1.0)
    assert measure(con, "iro_changed_in_year")[2025] == (0, 1, 0.0)
    assert [(r["iro"], r["children"]) for r in iro.caseload_on(con, "886", date(2025, 3, 31))] == [("IRO001", 1)]


def test_the_annual_reports_review_figures_as_measures(over_christmas):
    """The reviews IROs chaired in 2025-26: C's on its due date over the bank holidays (on time), placed in
    Westminster (out of Kent: far); D's a day late, 1.5 miles from home (near)."""
    from careboard.measures.compute import compute_all

    ids = ["iro_reviews_on_time", "iro_reviews_far"]
    compute_all(over_christmas, only=ids)
    got = {m: (n, d, v) for m, n, d, v in over_christmas.execute(
        "SELECT measure, numerator, denominator, value FROM measure_values WHERE year = 2026 AND breakdown = 'all'"
    ).fetchall()}
    assert got == {"iro_reviews_on_time": (1, 2, 50.0), "iro_reviews_far": (1, 2, 50.0)}


def _section(caseloads: list[tuple[str, int]]):
    """The members' IRO section for 2025-26 where each (IRO, n) has n children on 31 March 2026, every review on
    28 April 2025 at ME15 6YY, 1.5 miles from the IROs' base ME14 1XX."""
    from careboard.measures.compute import compute_all
    from careboard.publish.briefing import build_briefing
    from careboard.publish.iro import build_iro_section

    kids = [(f"K{n:03d}", iro_id) for n, iro_id in enumerate(i for i, count in caseloads for _ in range(count))]
    returns = {2026: {
        "Header": [child(k, DOB) for k, _ in kids],
        "Episodes": [episode(k, "01/04/2025") for k, _ in kids],
        "Reviews": [review(k, DOB, "28/04/2025") for k, _ in kids],
    }}
    extracts = {2026: {"IroAllocations": [iro_row(k, "01/04/2025", "28/04/2025", i, "02/04/2025", base="ME14 1XX")
                                          for k, i in kids]}}
    con = database(returns, extracts)
    compute_all(con, only=["iro_caseload_per_fte"])
    b = build_briefing(con, "886", 2026)
    return b, build_iro_section(con, b)


def test_the_members_iro_section_hides_the_spread_over_fewer_than_six_iros():
    """publish/iro.py: on 31 March 2026 IRO001 has 7 children, IRO002 8 and IRO003 2.  Only two IROs have more than
    five children, so the spread (lowest, middle, highest) would each be one officer's caseload: shown as c, with
    the reason in words; the IROs' FTE and the travel (rounded to ten miles) are still given (issue 15)."""
    b, section = _section([("IRO001", 7), ("IRO002", 8), ("IRO003", 2)])
    assert b.measure("iro_caseload_per_fte").cells["value"] == "6"  # 17 children / 3.0 FTE, to a whole number
    assert (section.fte, section.spread) == ("3.0", {"lowest": "c", "median": "c", "highest": "c"})
    assert section.spread_words.startswith("The spread of caseloads across IROs is not shown (c): fewer than 6 IROs")
    words = section.spread_words
    for said in ("fewer than 6 IROs", "more than 5 children", "31 March"):
        words = words.replace(said, "")
    assert not any(ch.isdigit() for ch in words), section.spread_words  # no caseload given away
    # every review at ME15 6YY, 1.5 miles from the base: 17 x 2 x 1.5 = 51 miles over 3.0 FTE, to the nearest 10
    assert section.travel_per_fte == "20"
    assert "IRO00" not in repr({k: v for k, v in vars(section).items() if k != "theme"})


def test_the_members_iro_section_spreads_caseloads_of_more_than_five_over_six_iros_or_more():
    """Six IROs with 6, 7, 8, 10, 11 and 12 children and one with 2 (a count of 1-5, so left out of the spread,
    and said so): from 6 to 12 per full-time IRO, the middle (8 + 10) / 2 = 9."""
    b, section = _section([(f"IRO00{n}", count) for n, count in enumerate((6, 7, 8, 10, 11, 12, 2), start=1)])
    assert b.measure("iro_caseload_per_fte").cells["value"] == "8"  # 56 children / 7.0 FTE
    assert section.fte == "7.0"
    assert section.spread == {"lowest": "6", "median": "9", "highest": "12"}
    assert "ranged from 6 to 12 children per full-time IRO (the middle IRO had 9)" in section.spread_words
    assert "below the range" in section.spread_words
    assert section.notes[0].startswith("IROs with five or fewer")
    assert "IRO00" not in repr({k: v for k, v in vars(section).items() if k != "theme"})
