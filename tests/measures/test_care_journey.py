"""Time in care, reviews, social workers, adoption timeliness and re-referrals on hand-built data."""

from builders_core import child, database, ep, values

from careboard.measures.compute import compute_all
from careboard.returns.reader import return_from_rows
from careboard.store.load import load_returns
from fresh_db import fresh_database


def review(child_id, date, code="PN1"):
    return {"CHILD": child_id, "DOB": "01/01/2012", "REVIEW": date, "REVIEW_CODE": code}


def test_reviews_on_time_uses_working_days_and_the_3_then_6_month_schedule():
    # All start 01/04/2025. 20 working days later, skipping Good Friday (18/04) and Easter Monday (21/04),
    # is 01/05/2025: the first review is due by then; the second by first + 3 months; then + 6 months.
    header = [child(c, "01/01/2012") for c in "ABCDE"]
    episodes = [ep(c, "01/04/2025") for c in "ABCDE"]
    reviews = [
        review("A", "01/05/2025"),
        review("A", "01/08/2025"),
        review("A", "01/02/2026"),  # all on the due day
        review("B", "02/05/2025"),
        review("B", "01/08/2025"),
        review("B", "01/02/2026"),  # first one day late
        review("C", "01/05/2025"),
        review("C", "01/08/2025"),  # third due 01/02/2026, never held: overdue
        review("D", "30/04/2025", "PN7"),
        review("D", "29/07/2025", "PN0"),
        review("D", "28/01/2026"),
    ]  # E: no review at all, due 01/05/2025: not on time
    con = database({2026: {"Header": header, "Episodes": episodes, "Reviews": reviews}})
    assert values(con, "reviews_on_time")[(2026, "All")] == (2, 5, 40.0)  # A and D
    # Participation: PN0 (under 4) excluded; D's PN7 did not take part: 9 of 10 coded reviews.
    assert values(con, "review_participation")[(2026, "All")] == (9, 10, 90.0)


def test_child_in_care_less_than_20_working_days_is_not_yet_due_a_review():
    header = [child("A", "01/01/2012")]
    con = database({2026: {"Header": header, "Episodes": [ep("A", "20/03/2026")]}})
    assert (2026, "All") not in values(con, "reviews_on_time")


def test_time_in_care_median_by_age_at_entry():
    header = [child("A", "01/01/2015"), child("B", "01/01/2015"), child("C", "01/06/2007")]
    episodes = [ep("A", "01/04/2025"), ep("B", "31/03/2026"), ep("C", "01/04/2024")]
    con = database({2026: {"Header": header, "Episodes": episodes}})
    # A: 365 days (1 April 2025 to 31 March 2026 inclusive); B: 1 day; C: 730 days. Median 365.
    assert values(con, "days_in_care_median")[(2026, "All")] == (None, 3, 365.0)
    by_entry = values(con, "days_in_care_median", breakdown="entry_age_band")
    assert by_entry[(2026, "10 to 15")] == (None, 2, 183.0)  # A and B entered aged 10
    assert by_entry[(2026, "10 to 15")][2] == (365 + 1) / 2


def test_adoption_timeliness_with_foster_carer_adoption():
    header = [child("A", "01/01/2022"), child("B", "01/01/2022")]
    episodes = [
        # A: care 01/01/2024, placement order 01/06/2024, moved to adopters 01/01/2025, adopted 01/09/2025.
        ep("A", "01/01/2024", "01/06/2024", "X1", ls="C1"),
        ep("A", "01/06/2024", "01/01/2025", "X1", rne="L", ls="E1"),
        ep("A", "01/01/2025", "01/09/2025", "E11", rne="P", ls="E1", place="A6"),
        # B: fostered by the carers who adopt: moved in 01/03/2024 (care start); placed for adoption with
        # them (same carers, RNE T) later; adopted 01/10/2025: 0 days to moving in with the adoptive family.
        ep("B", "01/03/2024", "01/02/2025", "X1", ls="C2"),
        ep("B", "01/02/2025", "01/10/2025", "E12", rne="U", ls="E1", place="A5"),
    ]
    ad1 = [
        {
            "CHILD": "A",
            "DOB": "01/01/2022",
            "DATE_INT": "01/03/2024",
            "DATE_MATCH": "01/11/2024",
            "FOSTER_CARE": "0",
            "NB_ADOPTR": "2",
            "SEX_ADOPTR": "MF",
            "LS_ADOPTR": "L11",
        },
        {
            "CHILD": "B",
            "DOB": "01/01/2022",
            "DATE_INT": "01/06/2024",
            "DATE_MATCH": "01/01/2025",
            "FOSTER_CARE": "1",
            "NB_ADOPTR": "2",
            "SEX_ADOPTR": "MF",
            "LS_ADOPTR": "L11",
        },
    ]
    con = database({2026: {"Header": header, "Episodes": episodes, "AD1": ad1}})
    # A: 01/01/2024 -> 01/01/2025 = 366 days (2024 is a leap year); B: 0. Mean 183.
    assert values(con, "adoption_entry_to_placed_days")[(2026, "All")] == (None, 2, 183.0)
    # A: order 01/06/2024 -> match 01/11/2024 = 153 days; B: order 01/02/2025, matched before: 0. Mean 76.5.
    assert values(con, "adoption_order_to_match_days")[(2026, "All")] == (None, 2, 76.5)


def test_three_or_more_social_workers():
    header = [child(c, "01/01/2012") for c in "ABC"]
    episodes = [ep(c, "01/01/2024") for c in "ABC"]

    def sw(c, sw_id, start, end=None):
        return {
            "CHILD": c,
            "DOB": "01/01/2012",
            "SW_ID": sw_id,
            "SW_DECOM": start,
            "SW_DEC": end,
            "SW_REASON": "MANAGE",
        }

    swe = [
        sw("A", "SW1", "01/01/2024", "01/06/2025"),
        sw("A", "SW2", "01/06/2025", "01/09/2025"),
        sw("A", "SW3", "01/09/2025"),
        # B: back to the first worker: 2 unique workers.
        sw("B", "SW1", "01/01/2024", "01/06/2025"),
        sw("B", "SW2", "01/06/2025", "01/09/2025"),
        sw("B", "SW1", "01/09/2025"),
        # C: three workers but one ended before 1 April: 2 in the year.
        sw("C", "SW7", "01/01/2024", "01/03/2025"),
        sw("C", "SW8", "01/03/2025", "01/09/2025"),
        sw("C", "SW9", "01/09/2025"),
    ]
    con = database({2026: {"Header": header, "Episodes": episodes, "SWEpisodes": swe}})
    assert values(con, "social_workers_3_plus")[(2026, "All")] == (1, 3, 33.3)


def test_rereferrals_within_12_months_across_censuses():
    con = fresh_database()

    def cin(year, rows):
        children = [{"LAchildID": c} for c in sorted({r[0] for r in rows})]
        episodes = [{"LAchildID": c, "EpisodeNo": str(i + 1), "CINreferralDate": d} for i, (c, d) in enumerate(rows)]
        return return_from_rows("cin", "886", year, {"Child": children, "CINEpisode": episodes})

    load_returns(
        con,
        [
            cin(2025, [("A", "2024-06-01"), ("B", "2024-05-01")]),
            cin(2026, [("A", "2025-05-31"), ("B", "2025-05-02"), ("C", "2025-07-01"), ("C", "2025-09-01")]),
        ],
    )
    compute_all(con, only=["rereferrals_12_months"])
    got = con.execute(
        "SELECT numerator, denominator FROM measure_values WHERE year = 2026 AND breakdown = 'all'"
    ).fetchall()
    # 2026 referrals: A (within 12 months of 01/06/2024), B (a year and a day later: not), C first (no), C second (yes).
    assert got == [(2, 4)]
