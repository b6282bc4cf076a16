"""Every LAIT code careboard can compute has a measure, worked out here on hand-built histories.

Year 2026 = 1 April 2025 to 31 March 2026.  Expected figures are worked out by hand from the DfE
definitions (placement categories on 31 March from the DfE's national table, reasons for ceasing from
the REC codes).
"""

from builders_core import child, database, ep, values

from careboard.benchmark.compare import scorecard
from careboard.measures import lait_coverage
from careboard.measures.compute import compute_all
from careboard.measures.measure import all_measures


def test_every_children_looked_after_lait_code_is_computed_or_says_why_not():
    rows = lait_coverage.coverage()
    assert len(rows) >= 70
    assert [code for code, _, _, measure, reason in rows if not measure and not reason] == []
    assert [code for code, _, _, measure, reason in rows if measure and reason] == []
    assert {"LAC_Foster_Placements", "LACStable_2016on", "LACDistance", "%_of LAC Adopted"} <= {
        code for code, _, _, measure, _ in rows if measure}
    # each LAIT code belongs to at most one measure
    codes = [m.lait_code for m in all_measures().values() if m.lait_code]
    assert len(codes) == len(set(codes))


def _placed(child_id: str, place: str, provider: str = "PR1") -> dict:
    return ep(child_id, "01/01/2025", place=place, provider=provider)


def test_placement_categories_on_31_march_follow_the_dfe_with_lait_codes():
    places = {"A": "U1", "B": "U4", "C": "U6", "D": "K2", "E": "K1", "F": "R1", "G": "P3", "H": "K3",
              "I": "P1", "J": "Z11", "K": "S1", "L": "A6"}
    header = [child(c, "01/01/2012") for c in places]
    con = database({2026: {"Header": header, "Episodes": [_placed(c, p) for c, p in places.items()]}})
    assert values(con, "placement_foster")[(2026, "All")] == (3, 12, 25.0)  # U1, U4, U6
    assert values(con, "placement_secure_and_childrens_homes")[(2026, "All")] == (2, 12, 16.7)  # K1, K2
    assert values(con, "placement_other_residential")[(2026, "All")] == (2, 12, 16.7)  # R1, P3
    assert values(con, "placement_mix_supported")[(2026, "All")] == (1, 12, 8.3)  # K3
    assert values(con, "placement_mix_with_parents")[(2026, "All")] == (1, 12, 8.3)  # P1
    assert values(con, "placement_other_placements")[(2026, "All")] == (1, 12, 8.3)  # Z11 (S1 is a school)


def test_foster_placements_has_a_headline_row_with_its_benchmark():
    header = [child(c, "01/01/2012") for c in "ABCD"]
    episodes = [_placed("A", "U1"), _placed("B", "U4"), _placed("C", "K2"), _placed("D", "U5")]
    con = database({2025: {"Header": header, "Episodes": episodes}})
    compute_all(con)
    row = next(r for r in scorecard(con, "886", 2025) if r["measure"] == "placement_foster" and r["breakdown"] == "all")
    assert (row["lait_code"], row["value"], row["benchmark_year"]) == ("LAC_Foster_Placements", 75.0, 2025)
    assert row["england"] == 67.0  # LAIT England 2025
    assert row["rank"] is not None and row["quartile_band"] in ("A", "B", "C", "D")


def test_why_children_left_care():
    # Eight children leave in the year, one of them twice (counted once, on the last occasion).
    rec = {"A": "E11", "B": "E12", "C": "E11", "D": "E4A", "E": "E4B", "F": "E41", "G": "E45", "H": "E47"}
    header = [child(c, "01/01/2015") for c in rec]
    episodes = [ep(c, "01/01/2024", "01/10/2025", r) for c, r in rec.items() if c != "D"]
    # D: goes home in June outside the plan (E4B), comes back, goes home as planned in February (E4A).
    episodes += [ep("D", "01/01/2024", "01/06/2025", "E4B"), ep("D", "01/08/2025", "01/02/2026", "E4A")]
    con = database({2026: {"Header": header, "Episodes": episodes}})

    def fig(measure):
        return values(con, measure)[(2026, "All")]

    assert fig("adopted")[2] == 3 and fig("adopted_unopposed")[2] == 2 and fig("adopted_consent_dispensed")[2] == 1
    assert fig("adopted_share") == (3, 8, 37.5)
    assert fig("adopted_unopposed_share") == (2, 3, 66.7)
    assert fig("adopted_consent_dispensed_share") == (1, 3, 33.3)
    assert fig("returned_home_care_plan") == (1, 8, 12.5)  # D's last leaving
    assert fig("returned_home_not_care_plan") == (1, 8, 12.5)  # E only
    assert fig("ceased_child_arrangements_order") == (1, 8, 12.5)
    assert fig("ceased_sgo")[2] == 2
    assert fig("ceased_sgo_share") == (2, 8, 25.0)
    assert fig("sgo_former_foster_carer_relative") == (1, 2, 50.0)
    assert fig("sgo_former_foster_carer_other") == (0, 2, 0.0)
    assert fig("sgo_other_carer_relative") == (1, 2, 50.0)


def test_uasc_numbers_and_share_of_starters_and_the_numbers_behind_stability():
    header = [child(c, "01/01/2009") for c in "ABCD"]
    uasc = [{"CHILD": "A", "SEX": "M", "DOB": "01/01/2009", "DUC": "01/01/2027"},
            {"CHILD": "B", "SEX": "M", "DOB": "01/01/2009", "DUC": "01/06/2025"}]
    episodes = [
        ep("A", "01/05/2025"),  # UASC starting in the year, UASC on 31 March
        ep("B", "01/05/2025"),  # UASC when he started; status ceased in June: not UASC on 31 March
        ep("C", "01/05/2025"),  # starts, not UASC
        # D: in care all year with three placements
        ep("D", "01/01/2025", "01/05/2025", "X1"), ep("D", "01/05/2025", "01/08/2025", "X1", rne="P"),
        ep("D", "01/08/2025", rne="P"),
    ]
    con = database({2026: {"Header": header, "Episodes": episodes, "UASC": uasc}})
    assert values(con, "uasc_31_march")[(2026, "All")][2] == 1
    assert values(con, "uasc_starts_share")[(2026, "All")] == (2, 3, 66.7)
    assert values(con, "placements_3_plus_number")[(2026, "All")][2] == 1
