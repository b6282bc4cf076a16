"""Issue 18: known openings, closures and carers leaving as a loadable extract (capacity_changes.csv), checked row
by row at load (file, line, field, value, expected; nothing loaded when any row is bad), and used by the plan's
matching over the horizon."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from test_plan import AREAS, NORTH, children, plan_for, row

from careboard.returns.issues import ReturnError
from careboard.returns.reader import read_returns
from careboard.store.db import connect
from careboard.store.load import load_returns
from careboard.sufficiency.stored import stored_capacity

HOUSEHOLDS = ("HOUSEHOLD_ID,URN,POSTCODE,IN_LA,APPROVED_PLACES,AGE_FROM,AGE_TO,SIBLINGS,DISABILITY,PARENT_AND_CHILD,"
              "TEENAGERS,UASC,OCCUPIED_AT_REFERENCE,REFERENCE_DATE\n"
              "FH1,,ME14 1XX,1,2,0,17,0,0,0,0,0,0,31/03/2026\n")
HOMES = ("PROVIDER_ID,URN,TYPE,PLACE_PROVIDER,POSTCODE,IN_LA,PLACES,AGE_FROM,AGE_TO,OCCUPIED_AT_REFERENCE,"
         "REFERENCE_DATE\n"
         "R1,SC1,K2,PR1,ME14 2XX,1,2,8,17,0,31/03/2026\n")
CHANGES = "CHANGE,DATE,ID,TYPE,POSTCODE,PLACES,AGE_FROM,AGE_TO\n"


def _folder(tmp_path: Path, changes: str) -> Path:
    folder = tmp_path / "886" / "extracts"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "foster_households.csv").write_text(HOUSEHOLDS)
    (folder / "placement_capacity.csv").write_text(HOMES)
    (folder / "capacity_changes.csv").write_text(CHANGES + changes)
    return folder


def test_bad_rows_name_file_line_field_value_and_expected_and_nothing_is_loaded(tmp_path: Path):
    good = _folder(tmp_path / "good", "close,01/06/2027,R1,,,,,\n")
    con = connect(":memory:")
    load_returns(con, read_returns([good], la="886", year=2026))
    before = con.execute("SELECT count(*) FROM current_extract_capacitychanges").fetchone()[0]
    assert before == 1
    bad = _folder(tmp_path / "bad", "close,01/06/2027,R1,,,,,\n"  # line 2: fine
                                    "shut,01/06/2027,R1,,,,,\n"  # line 3
                                    "open,01/06/2028,R2,K2,ME14 3XX,,8,17\n"  # line 4: no PLACES
                                    "leave,01/06/2027,R1,,,,,\n"  # line 5: a home is not a carer
                                    "close,01/06/2027,ZZ9,,,,,\n"  # line 6: not loaded
                                    "open,01/06/2028,R3,X9,ME14 3XX,2,12,8\n")  # line 7: TYPE, AGE_FROM > AGE_TO
    with pytest.raises(ReturnError) as exc:
        load_returns(con, read_returns([bad], la="886", year=2026))
    found = {(i.file, i.line, i.field, i.value, i.expected) for i in exc.value.errors}
    assert ("capacity_changes.csv", 3, "CHANGE", "SHUT", "OPEN, CLOSE or LEAVE") in found
    assert ("capacity_changes.csv", 4, "PLACES", None, "a value for every opening") in found
    assert ("capacity_changes.csv", 5, "ID", "R1", "a HOUSEHOLD_ID of foster_households.csv loaded for 886 as at "
            "2025-26, in the same load or already") in found
    assert ("capacity_changes.csv", 6, "ID", "ZZ9",
            "a HOUSEHOLD_ID of foster_households.csv or a PROVIDER_ID of placement_capacity.csv loaded for 886 as at "
            "2025-26, in the same load or already") in found
    assert ("capacity_changes.csv", 7, "TYPE", "X9", "FOSTER, K2, K1, SUPPORTED, K3, H5") in found
    assert ("capacity_changes.csv", 7, "AGE_FROM", "12", "an age no higher than AGE_TO") in found
    assert not any(i.line == 2 for i in exc.value.errors)
    # a cell that is not of its column's type is refused by the load's typing, named the same way
    undated = _folder(tmp_path / "undated", "open,31/02/2028,R4,K2,ME14 3XX,2,8,17\n")
    with pytest.raises(ReturnError) as exc:
        load_returns(con, read_returns([undated], la="886", year=2026))
    assert [(i.file, i.line, i.field, i.value) for i in exc.value.errors] == [
        ("capacity_changes.csv", 2, "DATE", "31/02/2028")]
    # refused whole: the database holds what it held
    assert con.execute("SELECT count(*) FROM current_extract_capacitychanges").fetchone()[0] == before
    assert con.execute("SELECT count(*) FROM current_loads WHERE kind = 'extract'").fetchone()[0] == 1
    con.close()


def test_a_home_closing_in_year_two_leaves_a_shortfall_in_year_two_only(tmp_path: Path):
    """Two children in a children's home in North, every year; the only home (R1, two places) closes in June
    2027 (year two) and a new one (R2, two places) opens in June 2028 (year three).  By hand: no shortfall
    today or in March 2027, two children short in March 2028, none in March 2029."""
    folder = _folder(tmp_path, "close,01/06/2027,R1,,,,,\nopen,01/06/2028,R2,K2,ME14 3XX,2,8,17\n")
    con = connect(":memory:")
    load_returns(con, read_returns([folder], la="886", year=2026))
    found = stored_capacity(con, "886", 2026)
    con.close()
    assert found is not None
    assert [(c.change, c.ident, c.date) for c in found.changes] == [("close", "R1", dt.date(2027, 6, 1)),
                                                                  ("open", "R2", dt.date(2028, 6, 1))]
    # both places are in North (the stored rows' postcodes are located by the forecast; here by hand)
    settings = found.settings.take(found.settings.kind == "childrens_home")
    settings.xy, settings.area = AREAS.xy[[NORTH]].copy(), np.array([NORTH], dtype=np.int16)
    opening = found.changes[1].setting
    opening.xy, opening.area = AREAS.xy[[NORTH]].copy(), np.array([NORTH], dtype=np.int16)
    sim = children([(0, "Children's homes", 9, NORTH, 0), (0, "Children's homes", 10, NORTH, 0)],
                   months=(0, 12, 24, 36))
    plan = plan_for(sim, settings, changes=found.changes)
    short = {m: row(plan.overview(), months_ahead=m, kind="Children's homes")["shortfall_median"]
             for m in (0, 12, 24, 36)}
    assert short == {0: 0, 12: 0, 24: 2, 36: 0}
    assert row(plan.overview(), months_ahead=24, kind="Children's homes")["places_median"] == 0


def test_a_carer_leaving_is_the_households_closure(tmp_path: Path):
    folder = _folder(tmp_path, "LEAVE,30/09/2026,FH1,,,,,\n")
    con = connect(":memory:")
    load_returns(con, read_returns([folder], la="886", year=2026))
    found = stored_capacity(con, "886", 2026)
    con.close()
    assert [(c.change, c.ident, c.date) for c in found.changes] == [("close", "FH1", dt.date(2026, 9, 30))]


def test_the_plan_uses_the_councils_loaded_unit_costs_and_says_which_are_examples(tmp_path: Path):
    """Issue 18: unit costs are example figures unless the council loaded its own (unit_costs.csv with the
    extracts); a placement type the file has no cost for takes the example figure, and the plan says so."""
    from careboard.model.build import build
    from careboard.publish.sufficiency_plan import costs_note
    from careboard.sufficiency.cost import example_costs, stored_costs
    from careboard.sufficiency.states import CAT_INDEX

    folder = _folder(tmp_path, "")
    (folder / "unit_costs.csv").write_text("PLACE,PROVIDER_GROUP,WEEKLY_COST_GBP,ILLUSTRATIVE\n"
                                           "U1,any,401,0\nU4,any,601,0\nIFA,agency,1001,0\nK2,any,7001,0\n"
                                           "K3,any,2501,0\nP1,any,201,0\nA3,any,301,0\n")
    con = connect(":memory:")
    assert stored_costs(con, "886", dt.date(2026, 3, 31)) is None  # nothing loaded: the examples are used
    load_returns(con, read_returns([folder], la="886", year=2026))
    build(con)  # as the refresh after the load: the costs are weighted by the children's placements
    costs = stored_costs(con, "886", dt.date(2026, 3, 31))
    assert stored_costs(con, "886", dt.date(2025, 3, 31)) is None  # loaded as at 2026 only
    con.close()
    assert costs is not None
    assert {c: costs.weekly[CAT_INDEX[c]] for c in ("Kinship fostering", "In-house fostering", "Agency fostering",
                                                    "Children's homes", "Supported accommodation")} == {
        "Kinship fostering": 401, "In-house fostering": 601, "Agency fostering": 1001, "Children's homes": 7001,
        "Supported accommodation": 2501}
    # no 903 PLACE code in the file stands for 'Other': the example figure, and the costs say so
    assert costs.weekly[CAT_INDEX["Other"]] == example_costs().weekly[CAT_INDEX["Other"]]
    assert costs.illustrative and "(example figures for Other)" in costs.source
    assert costs.source.endswith("the extra a week for a place out of area at the example figures")
    note = costs_note(costs.illustrative, costs.source)
    assert note.startswith("Costs are partly example figures (illustrative)") and "for Other" in note
    assert costs_note(False) == "Costs are the council's own weekly unit costs, loaded as unit_costs.csv."
