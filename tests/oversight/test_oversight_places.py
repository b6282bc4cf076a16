"""oversight/places.py: full postcodes placed exactly from the postcode directory, sectors as a flagged
fallback, no distance across the Irish and British grids."""

from __future__ import annotations

from careboard.oversight import places
from fresh_db import fresh_database

POSTCODES = "SELECT * FROM (VALUES ('me14 1xx'), ('ME14  1'), ('BT1 5GS'), ('ZZ99 9ZZ'), ('SW1A 1AA'), (NULL)) t(p)"


def _located():
    con = fresh_database()
    places.locate(con, POSTCODES, "located")
    cols = ("postcode", "sector", "east", "north", "la", "district_name", "source", "grid")
    rows = con.execute(f"SELECT {', '.join(cols)} FROM located ORDER BY postcode").fetchall()
    return con, {r[0]: dict(zip(cols, r, strict=True)) for r in rows}


def test_full_postcodes_have_their_own_grid_reference_and_a_sector_its_centroid():
    _, rows = _located()
    assert set(rows) == {"BT1 5GS", "ME14 1", "ME14 1XX", "SW1A 1AA", "ZZ99 9ZZ"}
    # ONS Postcode Directory: ME14 1XX is at 575937 E, 156314 N in Maidstone (Kent, 886)
    me14 = rows["ME14 1XX"]
    assert (me14["east"], me14["north"], me14["la"], me14["district_name"], me14["source"]) == (
        575937.0, 156314.0, "886", "Maidstone", "postcode")
    sector = rows["ME14 1"]  # a found location recorded as a bare sector: its centroid, flagged
    assert (sector["source"], sector["la"]) == ("sector", "886") and sector["east"] != me14["east"]
    assert rows["ZZ99 9ZZ"]["source"] is None and rows["ZZ99 9ZZ"]["east"] is None
    assert (rows["BT1 5GS"]["grid"], rows["BT1 5GS"]["la"]) == ("IE", "NIR")


def test_miles_between_full_postcodes_and_none_across_grids():
    con, _ = _located()
    miles = places.miles_sql("a", "b")

    def between(x: str, y: str):
        return con.execute(f"SELECT {miles} FROM located a, located b WHERE a.postcode = ? AND b.postcode = ?",
                           [x, y]).fetchone()[0]

    # sqrt((575937 - 529090)^2 + (156314 - 179645)^2) / 1609.3 = 32.52... miles
    assert between("ME14 1XX", "SW1A 1AA") == 32.5
    assert between("BT1 5GS", "SW1A 1AA") is None
