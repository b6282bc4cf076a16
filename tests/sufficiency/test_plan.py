"""The plan on cases solvable by hand: forecast children matched to the places expected each year.

Two home areas 25 miles apart (North at 0, South at 25 miles east); children are given directly as
the simulation's kept rows (future, category, age, area, needs), so every figure can be worked out
on paper.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from careboard.sufficiency.areas import Areas
from careboard.sufficiency.capacity import SKILLS, CapacityError, Change, Settings, read_capacity, read_changes
from careboard.sufficiency.cost import example_costs
from careboard.sufficiency.plan import WEEKS_A_YEAR, PlanInputs, build_plan
from careboard.sufficiency.simulate import Simulation
from careboard.sufficiency.states import CAT_INDEX, N_BAND, N_CAT, NEED_HIGH, add_months, group_bits
from careboard.sufficiency.supply import Capacity, Recruit, SupplyPlan, settings_on

START = dt.date(2026, 3, 31)
MILE = 1609.344
NORTH, SOUTH = 2, 3
AREAS = Areas("886", ["Unknown", "Outside the authority", "North", "South"],
              np.array([[np.nan, np.nan], [np.nan, np.nan], [0.0, 0.0], [25 * MILE, 0.0]]), {}, {})


def children(rows: list[tuple[int, str, int, int, int]], months: tuple[int, ...] = (0, 12), futures: int = 1
             ) -> Simulation:
    """rows: (future, category, age, area, need bits), the same children at every kept month end."""
    dates = [add_months(START, k) for k in range(max(months) + 1)]
    detail = {m: {"future": np.array([r[0] for r in rows], dtype=np.int32),
                  "cat": np.array([CAT_INDEX[r[1]] for r in rows], dtype=np.int8),
                  "age": np.array([r[2] for r in rows], dtype=np.int8),
                  "area": np.array([r[3] for r in rows], dtype=np.int16),
                  "need": np.array([r[4] for r in rows], dtype=np.uint8)} for m in months}
    return Simulation(dates, np.zeros((futures, len(dates), N_CAT, N_BAND), dtype=np.int32), detail)


def households(rows: list[tuple[str, str, int, int, int, set[str], int]]) -> Settings:
    """rows: (id, kind, places, age_from, age_to, skills, area)."""
    n = len(rows)
    return Settings(
        ident=np.array([r[0] for r in rows], dtype=object), kind=np.array([r[1] for r in rows], dtype=object),
        postcode=np.array([""] * n, dtype=object), places=np.array([r[2] for r in rows]),
        occupied=np.zeros(n, dtype=np.int64), age_from=np.array([r[3] for r in rows]),
        age_to=np.array([r[4] for r in rows]),
        skills=np.array([[s in r[5] for s in SKILLS] for r in rows], dtype=bool).reshape(n, len(SKILLS)),
        xy=AREAS.xy[[r[6] for r in rows]].copy(), area=np.array([r[6] for r in rows], dtype=np.int16))


def costs():
    uc = example_costs()
    uc.weekly = np.full(N_CAT, 100.0)
    uc.weekly[CAT_INDEX["In-house fostering"]] = 500.0
    uc.weekly[CAT_INDEX["Agency fostering"]] = 900.0
    uc.weekly[CAT_INDEX["Children's homes"]] = 5000.0
    uc.out_of_area_extra = np.zeros(N_CAT)
    uc.out_of_area_extra[CAT_INDEX["Children's homes"]] = 1000.0
    return uc


def plan_for(sim: Simulation, settings: Settings, supply: SupplyPlan | None = None, max_miles: float = 20.0,
             changes: list[Change] | None = None):
    inputs = PlanInputs(Capacity(settings, changes or []), AREAS, costs(), supply or SupplyPlan(), max_miles,
                        match_futures=sim.counts.shape[0])
    return build_plan(sim, inputs)


def row(table: list[dict], **match: object) -> dict:
    found = [r for r in table if all(r[k] == v for k, v in match.items())]
    assert len(found) == 1, (match, table)
    return found[0]


def test_a_sibling_pair_needs_one_household_with_room_for_both():
    # Two foster places in North, each in a one-place household (sibling-approved, but with no room for a
    # pair): "2 places for 2 children", yet the pair cannot be placed together, so both go to agency carers.
    pair = group_bits(np.array([2]))[0]
    sim = children([(0, "Agency fostering", 6, NORTH, pair), (0, "Agency fostering", 8, NORTH, pair)])
    settings = households([("H1", "fostering", 1, 0, 17, {"SIBLINGS"}, NORTH),
                           ("H2", "fostering", 1, 0, 17, {"SIBLINGS"}, NORTH)])
    plan = plan_for(sim, settings)
    over = row(plan.overview(), months_ahead=12, kind="Foster care")
    assert (over["places_median"], over["children_median"], over["matched_median"], over["shortfall_median"]) == \
        (2, 2, 0, 2)
    assert over["places_minus_children_median"] == 0
    short = row(plan.shortfall(), months_ahead=12, kind="Foster care")
    assert (short["need"], short["home_area"], short["shortfall_median"], short["placed_instead_with"]) == \
        ("Sibling group", "North", 2, "agency foster carers")
    cost = row(plan.cost(), months_ahead=12, kind="Foster care")
    assert cost["extra_cost_of_gap_median"] == round(2 * (900 - 500) * WEEKS_A_YEAR)
    # one household approved for siblings in North closes the gap; matching again with it says so
    target = row(plan.targets, home_area="North", approval="siblings")
    assert (target["households_50"], target["households_80"]) == (1, 1)
    check = row(plan.checks, level="80%")
    assert check["foster_shortfall_after_median"] == 0
    assert check["saving_a_year_median_gbp"] == round(2 * (900 - 500) * WEEKS_A_YEAR)


def test_a_teenager_25_miles_from_the_only_place():
    # A 15-year-old from North needs a children's home; the only one is in South, 25 miles away.
    sim = children([(0, "Children's homes", 15, NORTH, NEED_HIGH)])
    settings = households([("R1", "childrens_home", 3, 8, 17, set(SKILLS), SOUTH)])
    near = plan_for(sim, settings, max_miles=20)
    over = row(near.overview(), months_ahead=12, kind="Children's homes")
    assert (over["places_median"], over["usable_places_median"], over["shortfall_median"]) == (3, 0, 1)
    short = row(near.shortfall(), months_ahead=12)
    assert (short["home_area"], short["age_band"], short["placed_instead_with"]) == \
        ("North", "10 to 15", "a children's home out of area")
    assert row(near.cost(), months_ahead=12, kind="Children's homes")["extra_cost_of_gap_median"] == \
        round(1000 * WEEKS_A_YEAR)
    far = plan_for(sim, settings, max_miles=30)
    assert row(far.overview(), months_ahead=12, kind="Children's homes")["shortfall_median"] == 0


def test_teenagers_with_high_needs_need_carers_approved_for_teenagers():
    sim = children([(0, "In-house fostering", 14, NORTH, NEED_HIGH), (0, "In-house fostering", 14, NORTH, 0)])
    settings = households([("H1", "fostering", 1, 0, 17, set(), NORTH),
                           ("H2", "fostering", 1, 0, 17, set(), NORTH)])
    plan = plan_for(sim, settings)
    short = row(plan.shortfall(), months_ahead=12)
    assert (short["need"], short["shortfall_median"]) == ("Teenager with high needs", 1)
    assert row(plan.targets, home_area="North")["approval"] == "teenagers"


def test_places_over_the_horizon_closures_openings_recruitment_and_carers_leaving():
    base = households([("H1", "fostering", 2, 0, 17, set(), NORTH), ("H2", "fostering", 1, 0, 17, set(), SOUTH)])
    opening = households([("NEW", "fostering", 3, 0, 17, set(), SOUTH)])
    changes = [Change(dt.date(2026, 9, 1), "close", "H1"), Change(dt.date(2027, 6, 1), "open", "NEW", opening)]
    supply = SupplyPlan(recruit=[Recruit("North", 12, dt.date(2028, 3, 31), "teenagers")])
    cap = Capacity(base, changes)
    on = {d: settings_on(cap, supply, AREAS, START, d)[0] for d in (START, dt.date(2027, 3, 31), dt.date(2028, 3, 31))}
    assert (on[START].places * on[START].count).sum() == 3
    # a year on: H1 closed, NEW not yet open, half of the 12 recruits (ramped from the start to 2028)
    d1 = on[dt.date(2027, 3, 31)]
    assert sorted(d1.ident.tolist()) == ["H2", "new:teenagers:North"]
    assert d1.count[d1.ident == "new:teenagers:North"].tolist() == [6]
    d2 = on[dt.date(2028, 3, 31)]
    assert d2.count[d2.ident == "new:teenagers:North"].tolist() == [12]
    assert "NEW" in d2.ident.tolist()
    # every in-house household leaves within the year in every future: the year-end places are the recruits
    sim = children([(f, "In-house fostering", 9, NORTH, 0) for f in range(5)], futures=5)
    plan = plan_for(sim, base, SupplyPlan(carers_leaving=1.0))
    assert row(plan.overview(), months_ahead=12, kind="Foster care")["places_median"] == 0
    assert row(plan.overview(), months_ahead=0, kind="Foster care")["places_median"] == 3


def test_shortfall_has_an_interval_over_futures():
    # Futures 0-9 hold 0..9 children in South with 4 places there: shortfall max(0, n - 4) in future n.
    rows = [(f, "Agency fostering", 8, SOUTH, 0) for f in range(10) for _ in range(f)]
    sim = children(rows, futures=10)
    plan = plan_for(sim, households([("H", "fostering", 4, 0, 17, set(), SOUTH)]))
    over = row(plan.overview(), months_ahead=12, kind="Foster care")
    expected = np.maximum(np.arange(10) - 4, 0)
    assert over["shortfall_median"] == pytest.approx(np.percentile(expected, 50))
    assert over["shortfall_p90"] == pytest.approx(np.percentile(expected, 90))
    assert over["chance_of_shortfall"] == pytest.approx(0.5)
    # two places a household: households to close it in half / four in five futures
    target = row(plan.targets, home_area="South")
    assert (target["households_50"], target["households_80"]) == (1, 2)


def test_capacity_changes_file_is_checked(tmp_path: Path):
    (tmp_path / "foster_households.csv").write_text(
        "HOUSEHOLD_ID,POSTCODE,APPROVED_PLACES,AGE_FROM,AGE_TO,SIBLINGS,DISABILITY,PARENT_AND_CHILD,TEENAGERS,UASC\n"
        "FH1,ME14 1XX,2,0,17,0,0,0,0,0\n")
    known = read_capacity(tmp_path)
    path = tmp_path / "capacity_changes.csv"
    path.write_text("CHANGE,DATE,ID,TYPE,POSTCODE,PLACES,AGE_FROM,AGE_TO\n"
                    "close,01/09/2026,FH1,,,,,\n"
                    "open,01/04/2027,PV9,K2,ME15 6YY,4,8,17\n"
                    "close,31/02/2027,FH1,,,,,\n"
                    "shut,01/04/2027,FH2,,,,,\n"
                    "close,01/04/2027,FH7,,,,,\n"
                    "open,01/04/2027,PV8,X9,ME15 6YY,4,8,17\n")
    with pytest.raises(CapacityError) as exc:
        read_changes(path, known)
    probs = exc.value.problems
    assert f"{path} line 4, DATE: '31/02/2027' is not a date (dd/mm/yyyy)" in probs
    assert f"{path} line 5, CHANGE: 'shut' is not open, close or leave" in probs
    assert f"{path} line 6, ID: FH7 is in neither foster_households.csv nor placement_capacity.csv" in probs
    assert any(p.startswith(f"{path} line 7, TYPE: 'X9'") for p in probs)
    path.write_text("CHANGE,DATE,ID,TYPE,POSTCODE,PLACES,AGE_FROM,AGE_TO\n"
                    "open,01/04/2027,PV9,K2,ME15 6YY,4,8,17\nclose,01/09/2026,FH1,,,,,\n")
    ok = read_changes(path, known)
    assert [(c.change, c.ident, c.date) for c in ok] == [("close", "FH1", dt.date(2026, 9, 1)),
                                                        ("open", "PV9", dt.date(2027, 4, 1))]
    assert ok[1].setting.kind.tolist() == ["childrens_home"] and ok[1].setting.places.tolist() == [4]


def test_a_teenager_can_step_down_from_a_childrens_home_to_teenager_approved_carers():
    # Two 15-year-olds in a children's home in North; one in-house household approved for teenagers there.
    # With step_down 1.0 both could be fostered; the one household takes one, the other stays in the home.
    sim = children([(0, "Children's homes", 15, NORTH, NEED_HIGH), (0, "Children's homes", 15, NORTH, NEED_HIGH)])
    settings = households([("H1", "fostering", 1, 11, 17, {"TEENAGERS"}, NORTH),
                           ("R1", "childrens_home", 4, 8, 17, set(SKILLS), NORTH)])
    plan = plan_for(sim, settings, SupplyPlan(step_down=1.0))
    foster = row(plan.overview(), months_ahead=12, kind="Foster care")
    home = row(plan.overview(), months_ahead=12, kind="Children's homes")
    assert (foster["children_median"], foster["matched_median"], foster["step_down_fostered_median"]) == (1, 1, 1)
    assert (home["children_median"], home["matched_median"], home["shortfall_median"]) == (1, 1, 0)
    # fostered instead of a children's home: 5,000 - 500 a week saved
    assert row(plan.cost(), months_ahead=12, kind="Foster care")["extra_cost_of_gap_median"] == \
        round(-(5000 - 500) * WEEKS_A_YEAR)
    # today nobody steps down (the scenario is about the future)
    assert row(plan.overview(), months_ahead=0, kind="Children's homes")["children_median"] == 2


def test_a_recruitment_scenario_reads_as_a_plan():
    from careboard.sufficiency.scenarios import from_dict

    sc = from_dict({"name": "West Kent", "carers_leaving": 0.1, "step_down": 0.2,
                    "recruit": [{"area": "West Kent", "households": 12, "by": 2028, "approval": "teenagers"},
                                {"area": "Ashford", "households": 3, "by": dt.date(2027, 9, 30), "places": 1}]},
                   "wk.yaml")
    assert (sc.name, sc.supply.carers_leaving, sc.supply.step_down) == ("West Kent", 0.1, 0.2)
    a, b = sc.supply.recruit
    assert (a.area, a.households, a.by, a.approval) == ("West Kent", 12, dt.date(2028, 3, 31), "teenagers")
    assert a.template() == {"places": 2, "age_from": 11, "age_to": 17, "skills": ("TEENAGERS",)}
    assert (b.approval, b.template()["places"], b.by) == ("general", 1, dt.date(2027, 9, 30))


def test_careboard_load_skips_the_areas_planning_input_and_loads_capacity_changes(tmp_path: Path):
    """areas.csv may sit beside the loadable extracts: a folder load skips it, saying what it is, and still loads
    the rest, capacity_changes.csv included (issue 18: a loadable input); named on its own it is refused with the
    same words."""
    from careboard.returns.issues import ReturnError
    from careboard.returns.reader import read_returns

    folder = tmp_path / "886" / "extracts"
    folder.mkdir(parents=True)
    (folder / "unit_costs.csv").write_text("PLACE,PROVIDER_GROUP,WEEKLY_COST_GBP,ILLUSTRATIVE\nU1,any,350,1\n")
    (folder / "capacity_changes.csv").write_text(
        "CHANGE,DATE,ID,TYPE,POSTCODE,PLACES,AGE_FROM,AGE_TO,SIBLINGS,DISABILITY,PARENT_AND_CHILD,TEENAGERS,UASC,"
        "PLACE_PROVIDER,IN_LA\nopen,01/04/2027,NEW1,FOSTER,ME14 1XX,2,11,17,0,0,0,1,0,,1\n")
    (folder / "areas.csv").write_text("KEY,AREA\nSevenoaks,West Kent\n")
    skipped = []
    (ret,) = read_returns([folder], la="886", year=2026, skipped=skipped)
    assert ret.kind == "extract" and ret.tables["UnitCosts"].num_rows == 1
    changes = ret.tables["CapacityChanges"]
    assert changes.num_rows == 1 and changes["CHANGE"].to_pylist() == ["OPEN"]
    assert changes["DATE"].to_pylist() == [dt.date(2027, 4, 1)] and changes["PLACES"].to_pylist() == [2]
    assert sorted(i.render() for i in skipped) == [
        "areas.csv, line 1: skipped: a forecast planning input (areas.csv, docs/extracts.md), read by careboard "
        "forecast --capacity FOLDER, not loaded"]
    with pytest.raises(ReturnError, match=r"areas.csv, line 1: a forecast planning input"):
        read_returns([folder / "areas.csv"], la="886", year=2026)
