"""Issue 18: a capacity_changes.csv row that closes, or has a carer leave, a place the authority's capacity
extracts for that year do not hold is refused at load (file, line, field, value, what was expected), whether the
capacity files come in the same load or are loaded already, and nothing is loaded.  Before, the plan skipped
such a row without a word (sufficiency/stored.py reads closures of the places it knows only)."""

from __future__ import annotations

from pathlib import Path

import pytest

from careboard.returns.issues import ReturnError
from careboard.returns.reader import read_returns
from careboard.store.load import load_returns
from careboard.sufficiency.stored import stored_capacity
from fresh_db import fresh

HOUSEHOLDS = ("HOUSEHOLD_ID,URN,POSTCODE,IN_LA,APPROVED_PLACES,AGE_FROM,AGE_TO,SIBLINGS,DISABILITY,PARENT_AND_CHILD,"
              "TEENAGERS,UASC,OCCUPIED_AT_REFERENCE,REFERENCE_DATE\n")
HOUSEHOLD = "{},,ME14 1XX,1,2,0,17,0,0,0,0,0,0,31/03/2026\n"
HOMES = ("PROVIDER_ID,URN,TYPE,PLACE_PROVIDER,POSTCODE,IN_LA,PLACES,AGE_FROM,AGE_TO,OCCUPIED_AT_REFERENCE,"
         "REFERENCE_DATE\n"
         "R1,SC1,K2,PR1,ME14 2XX,1,2,8,17,0,31/03/2026\n")
CHANGES = "CHANGE,DATE,ID,TYPE,POSTCODE,PLACES,AGE_FROM,AGE_TO\n"
WHERE = ", in the same load or already"
ANY_PLACE = "a HOUSEHOLD_ID of foster_households.csv or a PROVIDER_ID of placement_capacity.csv loaded for 886 " \
            "as at 2025-26" + WHERE


def _folder(at: Path, households: tuple[str, ...] | None = ("FH1",), homes: bool = True,
            changes: str | None = None) -> Path:
    folder = at / "886" / "extracts"
    folder.mkdir(parents=True)
    if households is not None:
        (folder / "foster_households.csv").write_text(HOUSEHOLDS + "".join(HOUSEHOLD.format(h) for h in households))
    if homes:
        (folder / "placement_capacity.csv").write_text(HOMES)
    if changes is not None:
        (folder / "capacity_changes.csv").write_text(CHANGES + changes)
    return folder


def _load(con, folder: Path, replace: list[str] | None = None) -> None:
    load_returns(con, read_returns([folder], la="886", year=2026), replace_tables=replace)


def _state(con) -> tuple:
    return (con.execute("SELECT load_id, status FROM loads ORDER BY load_id").fetchall(),
            con.execute("SELECT count(*) FROM extract_capacitychanges").fetchone()[0],
            con.execute("SELECT count(*) FROM extract_fosterhouseholds").fetchone()[0])


def _found(exc: pytest.ExceptionInfo) -> set[tuple]:
    return {(i.file, i.line, i.field, i.value, i.message, i.expected) for i in exc.value.errors}


def test_changes_loaded_on_their_own_are_checked_against_the_capacity_already_loaded(tmp_path: Path):
    with fresh() as con:
        _load(con, _folder(tmp_path / "capacity"))  # FH1 and R1, as at 2025-26
        before = _state(con)
        bad = _folder(tmp_path / "bad", households=None, homes=False,
                      changes="close,01/06/2027,R1,,,,,\n"  # line 2: fine
                             "close,01/06/2027,ZZ9,,,,,\n"  # line 3: no such place
                             "leave,01/06/2027,R1,,,,,\n"  # line 4: a home, not a foster household
                             "open,01/06/2028,FH1,K2,ME14 3XX,2,8,17\n")  # line 5: already open
        with pytest.raises(ReturnError) as exc:
            _load(con, bad, replace=["CapacityChanges"])
        assert _found(exc) == {
            ("capacity_changes.csv", 3, "ID", "ZZ9", "closes a place that is not loaded", ANY_PLACE),
            ("capacity_changes.csv", 4, "ID", "R1", "a carer leaving must be an in-house foster household",
             "a HOUSEHOLD_ID of foster_households.csv loaded for 886 as at 2025-26" + WHERE),
            ("capacity_changes.csv", 5, "ID", "FH1", "opens a place that is already open", "a new identifier"),
        }
        assert "capacity_changes.csv, row 2 (line 3), field ID" in str(exc.value.errors[0].where())
        assert _state(con) == before  # refused whole: nothing loaded
        # the good rows alone load, keep the capacity files, and the plan reads them
        good = _folder(tmp_path / "good", households=None, homes=False,
                       changes="close,01/06/2027,R1,,,,,\nleave,30/09/2026,FH1,,,,,\n")
        _load(con, good, replace=["CapacityChanges"])
        found = stored_capacity(con, "886", 2026)
    assert found is not None
    assert sorted((c.change, c.ident) for c in found.changes) == [("close", "FH1"), ("close", "R1")]


def test_changes_in_the_same_load_are_checked_against_its_capacity_files(tmp_path: Path):
    with fresh() as con:
        with pytest.raises(ReturnError) as exc:
            _load(con, _folder(tmp_path / "bad", changes="close,01/06/2027,FH2,,,,,\n"))
        assert _found(exc) == {("capacity_changes.csv", 2, "ID", "FH2", "closes a place that is not loaded",
                                ANY_PLACE)}
        assert _state(con) == ([], 0, 0)


def test_changes_with_no_capacity_loaded_for_the_year_are_refused(tmp_path: Path):
    with fresh() as con:
        with pytest.raises(ReturnError) as exc:
            _load(con, _folder(tmp_path / "bad", households=None, homes=False,
                               changes="close,01/06/2027,R1,,,,,\nleave,01/06/2027,FH1,,,,,\n"
                                       "open,01/06/2028,R2,K2,ME14 3XX,2,8,17\n"))
        none = "no foster_households.csv or placement_capacity.csv is loaded for 886 as at 2025-26"
        assert _found(exc) == {
            ("capacity_changes.csv", 2, "ID", "R1", f"closes a place, but {none}", ANY_PLACE),
            ("capacity_changes.csv", 3, "ID", "FH1", f"a carer leaving, but {none}",
             "a HOUSEHOLD_ID of foster_households.csv loaded for 886 as at 2025-26" + WHERE),
            # an opening too: the plan adds it to the places loaded for its year, and there are none
            ("capacity_changes.csv", 4, "CHANGE", "OPEN", f"opens a place, but {none}, so the plan would leave this "
             "opening out", "capacity_changes.csv loaded with the foster_households.csv or placement_capacity.csv "
             "loaded for 886 as at 2025-26"),
        }
        assert _state(con) == ([], 0, 0)


def test_replacing_the_households_cannot_orphan_a_change_already_loaded(tmp_path: Path):
    with fresh() as con:
        _load(con, _folder(tmp_path / "first", households=("FH1", "FH2"), changes="leave,30/09/2026,FH2,,,,,\n"))
        before = _state(con)
        (load_id,) = before[0][0][:1]
        with pytest.raises(ReturnError) as exc:  # FH2 has gone from the new foster_households.csv
            _load(con, _folder(tmp_path / "second", households=("FH1",), homes=False), replace=["FosterHouseholds"])
        assert _found(exc) == {
            ("capacity_changes.csv", 2, "ID", "FH2", "a carer leaving must be an in-house foster household (this row "
             f"was loaded before, in load {load_id}, and is kept)",
             "a HOUSEHOLD_ID of foster_households.csv loaded for 886 as at 2025-26" + WHERE)}
        assert _state(con) == before
