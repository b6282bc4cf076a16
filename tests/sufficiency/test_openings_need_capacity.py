"""Issue 18: an opening loaded where no capacity extract is loaded for the year is refused, not lost.

The plan adds a known opening (capacity_changes.csv) to the places loaded for the same collection year.  With
no foster_households.csv or placement_capacity.csv loaded for that year, the plan would leave the opening out
without a word, so the load refuses the row, naming file, line, field, value and what was expected, and
changes nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from careboard.returns.issues import ReturnError
from careboard.returns.reader import read_returns
from careboard.store.db import connect
from careboard.store.load import load_returns

HEAD = "CHANGE,DATE,ID,TYPE,POSTCODE,PLACES,AGE_FROM,AGE_TO\n"
OPENING = "open,01/06/2027,R9,K2,ME14 3XX,3,8,17\n"
HOMES = ("PROVIDER_ID,URN,TYPE,PLACE_PROVIDER,POSTCODE,IN_LA,PLACES,AGE_FROM,AGE_TO,OCCUPIED_AT_REFERENCE,"
         "REFERENCE_DATE\nR1,SC1,K2,PR1,ME14 2XX,1,2,8,17,0,31/03/2026\n")


def _folder(root: Path, files: dict[str, str]) -> Path:
    folder = root / "886" / "extracts"
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def test_an_opening_with_no_capacity_loaded_for_its_year_is_refused_and_nothing_changes(tmp_path: Path):
    con = connect(":memory:")
    alone = _folder(tmp_path / "alone", {"capacity_changes.csv": HEAD + OPENING})
    with pytest.raises(ReturnError) as exc:
        load_returns(con, read_returns([alone], la="886", year=2026))
    assert [(i.file, i.line, i.field, i.value, i.expected) for i in exc.value.errors] == [
        ("capacity_changes.csv", 2, "CHANGE", "OPEN",
         "capacity_changes.csv loaded with the foster_households.csv or placement_capacity.csv loaded for 886 as "
         "at 2025-26")]
    assert "the plan would leave this opening out" in exc.value.errors[0].message
    assert con.execute("SELECT count(*) FROM loads").fetchone()[0] == 0
    # the same opening loaded with the homes it adds to is taken
    with_homes = _folder(tmp_path / "with", {"capacity_changes.csv": HEAD + OPENING, "placement_capacity.csv": HOMES})
    load_returns(con, read_returns([with_homes], la="886", year=2026))
    assert con.execute("SELECT count(*) FROM current_extract_capacitychanges").fetchone()[0] == 1
    con.close()
