"""The matcher on small cases solvable by hand, and the capacity readers' error messages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from careboard.sufficiency.capacity import SKILLS, CapacityError, Settings, read_capacity, read_needs
from careboard.sufficiency.match import Units, match


def settings(rows: list[tuple]) -> Settings:
    """rows: (id, kind, places, age_from, age_to, skills set)."""
    return Settings(
        ident=np.array([r[0] for r in rows], dtype=object), kind=np.array([r[1] for r in rows], dtype=object),
        postcode=np.array([""] * len(rows), dtype=object), places=np.array([r[2] for r in rows]),
        occupied=np.zeros(len(rows), dtype=np.int64), age_from=np.array([r[3] for r in rows]),
        age_to=np.array([r[4] for r in rows]),
        skills=np.array([[s in r[5] for s in SKILLS] for r in rows], dtype=bool).reshape(len(rows), len(SKILLS)),
    )


def units(rows: list[tuple], xy: list | None = None) -> Units:
    """rows: (members, kind, ages, needs set, area)."""
    n = len(rows)
    return Units(
        members=[r[0] for r in rows], kind=np.array([r[1] for r in rows], dtype=object),
        age_min=np.array([min(r[2]) for r in rows]), age_max=np.array([max(r[2]) for r in rows]),
        needs=np.array([[s in r[3] for s in SKILLS] for r in rows], dtype=bool).reshape(n, len(SKILLS)),
        xy=np.array(xy if xy is not None else [[np.nan, np.nan]] * n, dtype=float).reshape(n, 2),
        area=np.array([r[4] for r in rows], dtype=object),
    )


def test_optimiser_beats_first_come_first_served():
    # A greedy fill would give the 0-17 household to the 3-year-old first and leave the 14-year-old
    # without a place; by hand, the only way to place both is 3 -> H1 (0-10), 14 -> H2 (0-17).
    st = settings([("H1", "fostering", 1, 0, 10, set()), ("H2", "fostering", 1, 0, 17, set())])
    un = units([(["A"], "fostering", [3], set(), "North"), (["B"], "fostering", [14], set(), "North")])
    m = match(un, st)
    assert m.setting_of_unit.tolist() == [0, 1]


def test_sibling_group_needs_room_and_the_skill():
    # H1: 2 places, sibling-approved; H2: 3 places, no sibling approval.  A pair of siblings (4, 6) and
    # two single children (8, 9).  Best by hand: siblings -> H1 (2), singles -> H2 (2): all 4 placed.
    st = settings([("H1", "fostering", 2, 0, 17, {"SIBLINGS"}), ("H2", "fostering", 3, 0, 17, set())])
    un = units([(["S1", "S2"], "fostering", [4, 6], {"SIBLINGS"}, "East"),
                (["C"], "fostering", [8], set(), "East"), (["D"], "fostering", [9], set(), "East")])
    m = match(un, st)
    assert m.setting_of_unit.tolist() == [0, 1, 1]
    assert m.placed.tolist() == [1, 1, 1]


def test_sibling_group_is_never_split_and_capacity_binds():
    # Three siblings, households of 2 and 1 places (both sibling-approved): they cannot live together.
    st = settings([("H1", "fostering", 2, 0, 17, {"SIBLINGS"}), ("H2", "fostering", 1, 0, 17, {"SIBLINGS"})])
    un = units([(["A", "B", "C"], "fostering", [2, 5, 7], {"SIBLINGS"}, "West"),
                (["D"], "fostering", [10], set(), "West")])
    m = match(un, st)
    assert m.setting_of_unit[0] == -1
    assert m.placed[0] == 0
    assert m.setting_of_unit[1] in (0, 1)


def test_a_household_takes_one_sibling_group_of_a_size():
    # Two pairs of siblings and one four-place sibling-approved household: one pair, not both.
    st = settings([("H1", "fostering", 4, 0, 17, {"SIBLINGS"})])
    un = units([(["A", "B"], "fostering", [3, 5], {"SIBLINGS"}, "X"),
                (["C", "D"], "fostering", [4, 6], {"SIBLINGS"}, "X")])
    assert sorted(match(un, st).placed.tolist()) == [0, 1]


def test_needs_age_kind_and_distance_rule_out_places():
    st = settings([("H1", "fostering", 1, 0, 17, set()), ("H2", "fostering", 1, 0, 17, {"DISABILITY"}),
                   ("R1", "childrens_home", 4, 8, 17, set(SKILLS))])
    # a disabled child takes H2; a UASC 16-year-old fits nowhere in fostering (no UASC skill) and is
    # not a children's-home case; a 6-year-old needing a children's home is below R1's age range;
    # a child 30 miles from H1 cannot use it with a 20-mile limit.
    un = units([(["A"], "fostering", [9], {"DISABILITY"}, "X"), (["B"], "fostering", [16], {"UASC"}, "X"),
                (["C"], "childrens_home", [6], set(), "X"), (["D"], "fostering", [12], set(), "Y")],
               xy=[[0, 0], [0, 0], [0, 0], [30 * 1609.344, 0]])
    sxy = np.array([[0, 0], [0, 0], [0, 0]], dtype=float)
    m = match(un, st, sxy, max_miles=20)
    assert m.setting_of_unit.tolist() == [1, -1, -1, -1]
    assert match(un, st, sxy, max_miles=40).setting_of_unit.tolist() == [1, -1, -1, 0]
    # only H2 can take any of these children: one usable foster place of two, no usable home place
    assert m.feasible.any(axis=0).tolist() == [False, True, False]


def test_nearer_place_preferred_when_numbers_tie():
    st = settings([("FAR", "fostering", 1, 0, 17, set()), ("NEAR", "fostering", 1, 0, 17, set())])
    un = units([(["A"], "fostering", [5], set(), "X")], xy=[[0, 0]])
    m = match(un, st, np.array([[15 * 1609.344, 0], [2 * 1609.344, 0]]))
    assert m.setting_of_unit.tolist() == [1]


def test_capacity_reader_names_file_line_and_field(tmp_path: Path):
    (tmp_path / "foster_households.csv").write_text(
        "HOUSEHOLD_ID,POSTCODE,APPROVED_PLACES,AGE_FROM,AGE_TO,SIBLINGS,DISABILITY,PARENT_AND_CHILD,TEENAGERS,UASC\n"
        "FH1,M33 1RN,2,0,17,0,0,0,0,0\n"
        "FH2,M33 1RN,two,0,17,0,0,0,0,0\n"
        "FH3,M33 1RN,1,12,5,0,0,0,0,2\n")
    with pytest.raises(CapacityError) as exc:
        read_capacity(tmp_path)
    probs = exc.value.problems
    assert f"{tmp_path / 'foster_households.csv'} line 3, APPROVED_PLACES: 'two' is not a whole number" in probs
    assert f"{tmp_path / 'foster_households.csv'} line 4, UASC: 2 is outside 0..1" in probs
    assert f"{tmp_path / 'foster_households.csv'} line 4, AGE_FROM: 12 is above AGE_TO 5" in probs


def test_capacity_reader_reads_households_and_providers(tmp_path: Path):
    (tmp_path / "foster_households.csv").write_text(
        "HOUSEHOLD_ID,POSTCODE,APPROVED_PLACES,AGE_FROM,AGE_TO,SIBLINGS,DISABILITY,PARENT_AND_CHILD,TEENAGERS,UASC,"
        "OCCUPIED_AT_REFERENCE\nFH1,M33 1RN,2,0,12,1,0,0,0,0,1\n")
    (tmp_path / "placement_capacity.csv").write_text(
        "PROVIDER_ID,TYPE,POSTCODE,PLACES,AGE_FROM,AGE_TO\nPV1,K2,B60 4HD,4,8,17\nPV2,SUPPORTED,B60 4HD,6,16,17\n")
    st = read_capacity(tmp_path)
    assert st.kind.tolist() == ["fostering", "childrens_home", "supported"]
    assert st.places.tolist() == [2, 4, 6]
    assert st.skills[0].tolist() == [True, False, False, False, False]
    (tmp_path / "child_needs.csv").write_text("CHILD,SIBLING_GROUP,DISABILITY\n1,G1,1\n2,G1,x\n")
    with pytest.raises(CapacityError, match="line 3, DISABILITY: 'x' is not a whole number"):
        read_needs(tmp_path / "child_needs.csv")
    with pytest.raises(CapacityError, match=r"neither foster_households\.csv nor placement_capacity\.csv"):
        read_capacity(tmp_path / "nothing")
