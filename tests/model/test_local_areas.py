"""Local areas mean something for every kind of authority, and hold enough children to show figures.

Issue 13: a unitary authority had one "district" (itself), so its local-areas page showed "Trafford"
beside "Trafford overall".  Now: a county's districts; a single-district authority's postcode districts,
or its own localities from areas.csv; small areas grouped with their nearest neighbour.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from careboard.model.local_areas import MIN_AREA_CHILDREN, _Area, group
from careboard.returns.areas import AreaFileError, read_area_file


def areas(db: Path, la: str) -> dict[str, tuple[str, str, bool]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {a: (n, k, i) for a, n, k, i in con.execute(
            "SELECT area, name, kind, inside FROM model_local_areas WHERE la = ?", [la]).fetchall()}
    finally:
        con.close()


def children_by_area(db: Path, la: str) -> dict[tuple[str, int], int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {(a, y): n for a, y, n in con.execute(
            "SELECT local_area, year, count(*) FILTER (WHERE in_care_at_year_end) FROM model_child_year "
            "WHERE la = ? GROUP BY ALL", [la]).fetchall()}
    finally:
        con.close()


def test_a_unitary_gets_postcode_districts_big_enough_to_show(unitary):
    found = areas(unitary, "358")
    own = {a: v for a, v in found.items() if v[2]}
    assert len(own) >= 3  # not one area that is the council itself
    assert "E08000009" not in found
    assert {k for _, k, _ in own.values()} == {"postcode district"}
    assert all(n.startswith(("M", "WA")) for n, _, _ in own.values())  # Trafford's M and WA postcode districts
    counts = children_by_area(unitary, "358")
    for area in own:
        for year in (2025, 2026):
            assert counts.get((area, year), 0) >= MIN_AREA_CHILDREN, (area, year)
    # Every child-year is in a named area (or outside the council, or not recorded): nothing falls through.
    assert {a for a, _ in counts} <= set(found)
    assert found["Unknown"][0] == "Home area not recorded" and found["Outside"][0] == "Outside the council"


def test_a_county_gets_its_districts_grouped_by_neighbour(county):
    found = areas(county, "886")
    own = {a: v for a, v in found.items() if v[2]}
    assert len(own) >= 3 and {k for _, k, _ in own.values()} == {"district"}
    kent = {"Ashford", "Canterbury", "Dartford", "Dover", "Folkestone and Hythe", "Gravesham", "Maidstone",
            "Sevenoaks", "Swale", "Thanet", "Tonbridge and Malling", "Tunbridge Wells"}
    named = " and ".join(n for n, _, _ in own.values())
    assert sum(d in named for d in kent) == len(kent)  # every district is in exactly one area
    counts = children_by_area(county, "886")
    assert all(counts.get((a, y), 0) >= MIN_AREA_CHILDREN for a in own for y in (2025, 2026))


def test_the_councils_own_localities_win(unitary, tmp_path):
    from careboard.cli import app

    db = tmp_path / "c.duckdb"
    db.write_bytes(unitary.read_bytes())
    lookup = tmp_path / "areas.csv"
    lookup.write_text("KEY,AREA\nM33,Sale\nM32,Stretford\nM41,Urmston\nM31,Urmston\nWA14,Altrincham\n"
                      "WA15,Altrincham\nWA13,Altrincham\n")
    res = CliRunner().invoke(app, ["areas", str(lookup), "--la", "358", "--db", str(db)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert "Kept 7 rows naming 4 localities for 358 from areas.csv" in res.output
    own = {n for n, k, i in areas(db, "358").values() if i}
    assert any(n.startswith("Altrincham") for n in own) and any(n.startswith("Sale") for n in own)
    assert all(not n.startswith("WA") for n in own)  # WA13-15 are all Altrincham now
    # Going back to the default: the postcode districts return.
    res = CliRunner().invoke(app, ["areas", "--clear", "--la", "358", "--db", str(db)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert {k for _, k, i in areas(db, "358").values() if i} == {"postcode district"}


def test_a_bad_lookup_changes_nothing(unitary, tmp_path):
    from careboard.cli import app

    db = tmp_path / "c.duckdb"
    db.write_bytes(unitary.read_bytes())
    before = areas(db, "358")
    lookup = tmp_path / "areas.csv"
    lookup.write_text("KEY,AREA\nM33,Sale\nM33,Stretford\n")
    res = CliRunner().invoke(app, ["areas", str(lookup), "--la", "358", "--db", str(db)])
    assert res.exit_code == 1
    assert "areas.csv line 3, KEY: M33 is already in 'Sale' (line 2)" in res.output
    assert "Traceback" not in res.output
    assert areas(db, "358") == before


@pytest.mark.parametrize(("text", "message"), [
    ("AREA\nSale\n", "areas.csv line 1: no column KEY"),
    ("KEY,AREA\n,Sale\n", "areas.csv line 2, KEY: blank"),
    ("KEY,AREA\nM33,\n", "areas.csv line 2, AREA: blank for M33"),
    ("KEY,AREA\nM33,Outside the council\n", "areas.csv line 2, AREA: 'Outside the council' is a name careboard uses"),
    ("KEY,AREA\n", "areas.csv: has a header but no rows"),
    ("KEY,AREA\nM33," + "a" * 81 + "\n", "areas.csv line 2, AREA: a name of 81 characters for M33"),
])
def test_area_file_problems_name_line_field_and_value(tmp_path, text, message):
    path = tmp_path / "areas.csv"
    path.write_text(text)
    with pytest.raises(AreaFileError) as err:
        read_area_file(path)
    assert str(err.value).startswith(message)


def test_area_file_keys_and_their_kinds(tmp_path):
    path = tmp_path / "areas.csv"
    path.write_text("key,area\n tn13  1 ,West Kent\nTN14,West Kent\nE07000111,West Kent\nsevenoaks,West Kent\n"
                    "TN13 1,West Kent\n")
    rows = read_area_file(path)
    assert [(r.key, r.kind) for r in rows] == [("TN13 1", "sector"), ("TN14", "postcode district"),
                                               ("E07000111", "district code"), ("SEVENOAKS", "district name")]


def area(code: str, east: float, counts: dict[int, int]) -> _Area:
    return _Area([code], [code], "postcode district", east, 0.0, counts)


def test_grouping_merges_the_smallest_into_its_nearest_neighbour():
    found = group([area("M31", 0, {2025: 10, 2026: 30}), area("M41", 1_000, {2025: 40, 2026: 40}),
                   area("WA14", 9_000, {2025: 50, 2026: 60}), area("WA15", 10_000, {2025: 26, 2026: 27})], 25)
    assert [(a.code, a.name, a.counts) for a in found] == [
        ("M31_M41", "M31 and M41", {2025: 50, 2026: 70}),  # M31 had 10 in one year: joined its neighbour
        ("WA14", "WA14", {2025: 50, 2026: 60}),
        ("WA15", "WA15", {2025: 26, 2026: 27}),
    ]


def test_grouping_stops_at_one_area_and_names_localities_first():
    found = group([area("M31", 0, {2025: 3}), area("M41", 1_000, {2025: 4})], 25)
    assert [a.name for a in found] == ["M31 and M41"]
    stretford = _Area(["L_stretford"], ["Stretford"], "locality", 0.0, 0.0, {2025: 40})
    found = group([stretford, area("M16", 10, {2025: 2}), area("M17", 20, {2025: 1})], 25)
    assert [a.name for a in found] == ["Stretford (with M16 and M17)"]
