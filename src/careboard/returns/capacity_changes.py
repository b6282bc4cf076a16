"""Checks on ``capacity_changes.csv`` rows that the column types alone cannot make, at load time.

conform types each cell (a date, a whole number, a 0/1 flag).  A change also has to make sense as a
whole row: CHANGE is OPEN, CLOSE or LEAVE; an opening describes the new place in full (TYPE, PLACES,
AGE_FROM, AGE_TO); a carer leaving is an in-house foster household; a closure or a leaving names a
household or provider of the capacity extracts it changes: ``foster_households.csv`` and
``placement_capacity.csv`` loaded for the same authority and year (the plan reads the changes with
that extract, sufficiency/stored.py, and would otherwise skip the row without a word).  Those may come
in the same load or be loaded already (a load of ``capacity_changes.csv`` alone with
``--replace-tables CapacityChanges``, or of the capacity files alone with the changes kept), so the
identifiers are checked twice: here, against the files of the same load (:func:`problems`, with every
other problem of the file), and by the store against what will be current once the load is made
(:func:`identifier_problems`, store/load.py).  Every problem is reported with the file, line, field,
value and what was expected, all at once, and the load is refused whole (so the database stays as it
was).  The checks are set-based over the (small) table's columns.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from careboard import years
from careboard.returns.issues import Issue

TABLE = "CapacityChanges"
CHANGES = ("OPEN", "CLOSE", "LEAVE")
OPEN_TYPES = ("FOSTER", "K2", "K1", "SUPPORTED", "K3", "H5")
# What an opening must say about the new place.
OPENING_NEEDS = ("TYPE", "PLACES", "AGE_FROM", "AGE_TO")
MAX_AGE = 25


def problems(tables: dict[str, pa.Table], positions: pa.Table, file_names: list[str], about: str = "") -> list[Issue]:
    """Every row of ``tables[TABLE]`` that cannot be used, as Issues naming file, line, field and value.

    ``positions`` maps each (source_file, source_row) to its line; ``file_names`` the return's files;
    ``about`` names the authority and year ("886 as at 2025-26", :func:`about`) for the messages.  The households and
    providers a closure may name are checked here against ``FosterHouseholds`` and ``PlacementCapacity`` in
    the same load, when the load holds them (otherwise the store checks them against those loaded already).
    """
    t = tables.get(TABLE)
    if t is None or t.num_rows == 0:
        return []
    lines = lines_of(positions)
    found: list[Issue] = []
    flag = _flagger(t, lines, file_names, found)

    change = t["CHANGE"]
    flag(pc.invert(pc.fill_null(pc.is_in(change, pa.array(CHANGES)), False)), "CHANGE",
         "not a kind of capacity change", "OPEN, CLOSE or LEAVE")
    flag(pc.is_null(t["DATE"]), "DATE", "no date for the change", "the date the change takes effect (dd/mm/yyyy)")
    flag(pc.is_null(t["ID"]), "ID", "no identifier", "the HOUSEHOLD_ID or PROVIDER_ID the change is about")
    opening = pc.fill_null(pc.equal(change, "OPEN"), False)
    for field in OPENING_NEEDS:
        flag(pc.and_(opening, pc.is_null(t[field])), field, "an opening must describe the new place",
             "a value for every opening" + (f" ({', '.join(OPEN_TYPES)})" if field == "TYPE" else ""))
    flag(pc.and_(opening, pc.invert(pc.fill_null(pc.is_in(t["TYPE"], pa.array(OPEN_TYPES)), True))), "TYPE",
         "not a kind of place", ", ".join(OPEN_TYPES))
    flag(pc.and_(opening, pc.less(t["PLACES"], 1)), "PLACES", "an opening must add places", "1 or more")
    for field in ("AGE_FROM", "AGE_TO"):
        flag(pc.or_(pc.less(t[field], 0), pc.greater(t[field], MAX_AGE)), field, "not an age",
             f"0 to {MAX_AGE}")
    flag(pc.greater(t["AGE_FROM"], t["AGE_TO"]), "AGE_FROM", "above AGE_TO", "an age no higher than AGE_TO")
    households = _ids(tables.get("FosterHouseholds"), "HOUSEHOLD_ID")
    providers = _ids(tables.get("PlacementCapacity"), "PROVIDER_ID")
    if households is not None or providers is not None:
        found += identifier_problems(t, lines, file_names, households, providers, about)
    return sorted(found, key=lambda i: (i.file, i.row or 0, i.field or ""))


def identifier_problems(t: pa.Table, lines: dict[tuple[int, int], int], file_names: list[str],
                        households: pa.Array | None, providers: pa.Array | None, about: str = "",
                        first_loaded: str = "") -> list[Issue]:
    """The rows of the changes ``t`` whose ID is not a place they can change: a closure or a carer leaving of a
    household or provider the capacity extracts do not hold (``households``, ``providers``: their identifiers,
    None when that file is not loaded), an opening of one they do.  ``about`` names the authority and year;
    ``first_loaded`` is added to the message of rows loaded before (their file is not among those given)."""
    found: list[Issue] = []
    if t.num_rows == 0:
        return found
    flag = _flagger(t, lines, file_names, found)
    at = f" loaded for {about}" if about else " loaded with it"
    where = f"{at}, in the same load or already" if about else at
    change = t["CHANGE"]
    leaving = pc.fill_null(pc.equal(change, "LEAVE"), False)
    closing = pc.fill_null(pc.equal(change, "CLOSE"), False)
    opening = pc.fill_null(pc.equal(change, "OPEN"), False)
    ids = pc.cast(t["ID"], pa.string())
    if households is None and providers is None:
        none = f"no foster_households.csv or placement_capacity.csv is{at}{first_loaded}"
        flag(leaving, "ID", f"a carer leaving, but {none}", f"a HOUSEHOLD_ID of foster_households.csv{where}")
        flag(closing, "ID", f"closes a place, but {none}",
             f"a HOUSEHOLD_ID of foster_households.csv or a PROVIDER_ID of placement_capacity.csv{where}")
        # the plan adds an opening to the places loaded for the same year: with none, it would be left out unseen
        flag(opening, "CHANGE", f"opens a place, but {none}, so the plan would leave this opening out",
             f"capacity_changes.csv loaded with the foster_households.csv or placement_capacity.csv{at}")
        return found
    known_households = households if households is not None else pa.array([], pa.string())
    flag(pc.and_(leaving, pc.invert(pc.is_in(ids, known_households))), "ID",
         f"a carer leaving must be an in-house foster household{first_loaded}",
         f"a HOUSEHOLD_ID of foster_households.csv{where}")
    known = pa.concat_arrays([a for a in (households, providers) if a is not None])
    flag(pc.and_(closing, pc.invert(pc.is_in(ids, known))), "ID", f"closes a place that is not loaded{first_loaded}",
         f"a HOUSEHOLD_ID of foster_households.csv or a PROVIDER_ID of placement_capacity.csv{where}")
    flag(pc.and_(opening, pc.is_in(ids, known)), "ID", f"opens a place that is already open{first_loaded}",
         "a new identifier")
    return sorted(found, key=lambda i: (i.file, i.row or 0))


def _flagger(t: pa.Table, lines: dict[tuple[int, int], int], file_names: list[str], found: list[Issue]):
    """``flag(mask, field, message, expected)``: an Issue for every row of ``t`` where ``mask`` holds."""

    def flag(mask: pa.Array, field: str, message: str, expected: str) -> None:
        for i in pc.indices_nonzero(pc.fill_null(mask, False)).to_pylist():
            f, r = t["source_file"][i].as_py(), t["source_row"][i].as_py()
            value = t[field][i].as_py()
            found.append(Issue(file_names[f] if 0 <= f < len(file_names) else "capacity_changes.csv", message,
                               row=r, line=lines.get((f, r)), table=TABLE, field=field,
                               value=None if value is None else str(value), expected=expected))

    return flag


def about(la: str, year: int) -> str:
    """The authority and year a change's places must be loaded for, as the messages say it: "886 as at 2025-26"."""
    return f"{la} as at {years.label(year)}"


def _ids(table: pa.Table | None, column: str) -> pa.Array | None:
    if table is None or table.num_rows == 0:
        return None
    return pc.cast(pc.drop_null(table[column].combine_chunks()), pa.string())


def lines_of(positions: pa.Table) -> dict[tuple[int, int], int]:
    rows = positions.filter(pc.equal(positions["table_name"].cast(pa.string()), TABLE)) if positions.num_rows \
        else positions
    return {(f, r): line for f, r, line in zip(rows["source_file"].to_pylist(), rows["source_row"].to_pylist(),
                                                rows["line"].to_pylist(), strict=True)}
