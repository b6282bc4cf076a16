"""Needs proxied from a small hand-made 903 return (needs.sql), and the authority's own child_needs.csv.

Kent, 2025-26, forecast from 31 March 2026:
* 101 and 102 came into care on the same day from the same home and went to the same carers: a
  sibling pair placed together;
* 103 has category of need N2 (disability);
* 104, aged 14, is in a children's home: a teenager with high needs;
* 105 is a mother whose baby was born on 1 January 2026: a parent-and-child need;
* 106 has had three placements in the last year: high needs;
* 107 has no recorded need; 108 is UASC with no home postcode.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from builders import write_table
from careboard.sufficiency.areas import UNKNOWN, build_areas
from careboard.sufficiency.estimate import fit, load_spells
from careboard.sufficiency.states import (
    NEED_DISABILITY,
    NEED_HIGH,
    NEED_PARENT,
    NEED_UASC,
    group_size,
)

CUT = dt.date(2026, 3, 31)


def header(child: str, dob: str, sex: str = "M", **more: str) -> dict[str, str]:
    return {"CHILD": child, "SEX": sex, "DOB": dob, "ETHNIC": "WBRI", "UPN": f"A88612345{child}", **more}


def episode(child: str, decom: str, place: str = "U4", cin: str = "N1", rne: str = "S", home: str = "ME14 1AA",
            pl: str = "ME15 6YY", dec: str = "", rec: str = "", provider: str = "PR1") -> dict[str, str]:
    return {"CHILD": child, "DECOM": decom, "RNE": rne, "LS": "C2", "CIN": cin, "PLACE": place,
            "PLACE_PROVIDER": provider, "DEC": dec, "REC": rec, "REASON_PLACE_CHANGE": "CHANGE" if dec else "",
            "HOME_POST": home, "PL_POST": pl}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    from careboard.model.build import build
    from careboard.returns.reader import read_returns
    from careboard.store.db import connect
    from careboard.store.load import load_returns

    folder = tmp_path_factory.mktemp("needs") / "886" / "2025-26"
    folder.mkdir(parents=True)
    write_table(folder, "Header", [
        header("101", "01/05/2016"), header("102", "01/06/2018"), header("103", "01/02/2015"),
        header("104", "01/07/2011"), header("105", "01/03/2009", sex="F", MOTHER="1", MC_DOB="01/01/2026"),
        header("106", "01/04/2012"), header("107", "01/09/2017"), header("108", "01/01/2009")])
    write_table(folder, "Episodes", [
        episode("101", "01/06/2025"), episode("102", "01/06/2025"),
        episode("103", "15/06/2025", cin="N2", home="TN13 1AA", pl="TN13 2BB"),
        episode("104", "01/05/2025", place="K2", provider="PR4", home="CT1 2AA", pl="CT2 7BB"),
        episode("105", "01/08/2025", home="DA1 1AA", pl="DA1 2BB"),
        episode("106", "01/04/2025", dec="01/07/2025", rec="X1", pl="ME15 6YY"),
        episode("106", "01/07/2025", rne="P", dec="01/11/2025", rec="X1", pl="ME16 0AA"),
        episode("106", "01/11/2025", rne="P", pl="ME17 1AA"),
        episode("107", "01/09/2025", home="ME14 1AA", pl="ME20 7AA"),
        episode("108", "01/10/2025", cin="N8", home="", pl="ME15 6YY")])
    write_table(folder, "UASC", [{"CHILD": "108", "SEX": "M", "DOB": "01/01/2009", "DUC": "01/01/2027"}])
    path = folder.parents[1] / "c.duckdb"
    con = connect(path)
    load_returns(con, read_returns([folder], "886"))
    build(con)
    con.close()
    return path


def needs_by_child(path: Path, child_needs: dict | None = None) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    spells = load_spells(con, "886", CUT, child_needs)
    ids = [r[0] for r in con.execute("SELECT DISTINCT CHILD FROM model_care ORDER BY CHILD").fetchall()]
    con.close()
    out = {}
    for i, child in enumerate(ids, start=1):  # spells.child is the rank of CHILD
        out[child] = int(spells.need_now[spells.child == i][-1])
    return out


def test_needs_are_proxied_from_the_returns(db):
    need = needs_by_child(db)
    assert group_size(need["101"]) == group_size(need["102"]) == 2
    assert need["101"] & ~0x30 == 0  # no other need
    assert need["103"] == NEED_DISABILITY
    assert need["104"] == NEED_HIGH
    assert need["105"] == NEED_PARENT
    assert need["106"] == NEED_HIGH  # three placements since 1 April 2025
    assert need["107"] == 0 and group_size(need["107"]) == 1


def test_the_authoritys_own_needs_add_to_the_proxies(db):
    named = {"103": {"sibling_group": "G1", "disability": False, "parent_and_child": False},
             "107": {"sibling_group": "G1", "disability": True, "parent_and_child": False}}
    need = needs_by_child(db, named)
    assert group_size(need["103"]) == group_size(need["107"]) == 2
    assert need["107"] & NEED_DISABILITY


def test_the_forecast_starts_from_these_children_with_their_needs_and_areas(db):
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    spells = load_spells(con, "886", CUT)
    areas = build_areas(con, "886", spells.home_sector)
    spells.area = areas.index(spells.home_sector)
    con.close()
    rates = fit(spells, CUT, window_years=1)  # one year of returns: estimate from all of it
    named = dict(zip(rates.pop_area.tolist(), rates.pop_need.tolist(), strict=True))
    assert len(rates.pop_need) == 8
    # Kent's districts are its areas; the UASC child with no home postcode is in Unknown
    assert {areas.names[a] for a in rates.pop_area} == {"Maidstone", "Sevenoaks", "Canterbury", "Dartford",
                                                         UNKNOWN}
    assert named[areas.names.index(UNKNOWN)] & NEED_UASC
    assert (rates.entrants_need == spells.need_entry[spells.start == spells.period_start]
            | np.where(rates.entrants_uasc, NEED_UASC, 0)).all()
