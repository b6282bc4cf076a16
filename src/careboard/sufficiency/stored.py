"""The capacity and needs extracts as ``careboard load`` stored them, for the web page and the pack.

``careboard forecast --capacity FOLDER`` reads the CSV files themselves (capacity.py).  The members'
page and pack have no folder: they work from what the last load stored, the current
``foster_households.csv``, ``placement_capacity.csv`` and ``child_needs.csv`` extracts of the
authority (the staging views ``current_extract_fosterhouseholds``, ``current_extract_placementcapacity``,
``current_extract_childneeds``).
The extract used is the one loaded as at the forecast's collection year, or else the latest before it:
a capacity extract describes the places on its reference date, so a later one is never used for an
earlier start.  The known openings, closures and carers leaving of ``capacity_changes.csv``
(``current_extract_capacitychanges``) loaded with that extract are the plan's changes over the horizon
(a carer leaving is the household's closure).  ``areas.csv`` is a planning input a load skips
(returns/reader.py), so the stored plan uses the default areas.
"""

from __future__ import annotations

from typing import NamedTuple

import duckdb

from .capacity import KINDS, SKILLS, Change, Settings, _settings

# The extract year to use: the latest current extract load of the authority at or before ``year`` that
# holds capacity rows.
EXTRACT_YEAR_SQL = """
SELECT max(l.year) FROM current_loads l
WHERE l.kind = 'extract' AND l.la = $la AND l.year <= $year
  AND (EXISTS (SELECT 1 FROM current_extract_fosterhouseholds f WHERE f.load_id = l.load_id)
       OR EXISTS (SELECT 1 FROM current_extract_placementcapacity p WHERE p.load_id = l.load_id))
"""

HOUSEHOLDS_SQL = f"""
SELECT f.HOUSEHOLD_ID, f.POSTCODE, coalesce(f.APPROVED_PLACES, 0), coalesce(f.OCCUPIED_AT_REFERENCE, 0),
       coalesce(f.AGE_FROM, 0), coalesce(f.AGE_TO, 17), coalesce(f.IN_LA, '1') = '1',
       {", ".join(f"coalesce(f.{s}, '0') = '1'" for s in SKILLS)}
FROM current_extract_fosterhouseholds f JOIN current_loads l ON l.load_id = f.load_id
WHERE l.kind = 'extract' AND l.la = $la AND l.year = $year
ORDER BY f.source_file, f.source_row
"""

PROVIDERS_SQL = """
SELECT p.PROVIDER_ID, upper(p.TYPE), p.POSTCODE, coalesce(p.PLACES, 0), coalesce(p.OCCUPIED_AT_REFERENCE, 0),
       coalesce(p.AGE_FROM, 0), coalesce(p.AGE_TO, 25), coalesce(p.IN_LA, '1') = '1',
       upper(coalesce(p.PLACE_PROVIDER, ''))
FROM current_extract_placementcapacity p JOIN current_loads l ON l.load_id = p.load_id
WHERE l.kind = 'extract' AND l.la = $la AND l.year = $year
ORDER BY p.source_file, p.source_row
"""

NEEDS_SQL = """
SELECT n.CHILD, n.SIBLING_GROUP, coalesce(n.DISABILITY, '0') = '1', coalesce(n.PARENT_AND_CHILD, '0') = '1'
FROM current_extract_childneeds n JOIN current_loads l ON l.load_id = n.load_id
WHERE l.kind = 'extract' AND l.la = $la AND l.year = $year AND n.CHILD IS NOT NULL
"""

CHANGES_SQL = f"""
SELECT c.CHANGE, c.DATE, c.ID, upper(coalesce(c.TYPE, '')), coalesce(c.POSTCODE, ''), coalesce(c.PLACES, 0),
       coalesce(c.AGE_FROM, 0), coalesce(c.AGE_TO, 17), coalesce(c.IN_LA, '1') = '1',
       upper(coalesce(c.PLACE_PROVIDER, '')),
       {", ".join(f"coalesce(c.{s}, '0') = '1'" for s in SKILLS)}
FROM current_extract_capacitychanges c JOIN current_loads l ON l.load_id = c.load_id
WHERE l.kind = 'extract' AND l.la = $la AND l.year = $year
ORDER BY c.DATE, c.source_file, c.source_row
"""

PROVIDER_KINDS = {"K2": "childrens_home", "K1": "childrens_home", "SUPPORTED": "supported", "K3": "supported",
                  "H5": "supported"}


def stored_extract_year(con: duckdb.DuckDBPyConnection, la: str, year: int) -> int | None:
    """The collection year of the capacity extract to use for a forecast from 31 March ``year``, or None."""
    found = con.execute(EXTRACT_YEAR_SQL, {"la": la, "year": year}).fetchone()
    return None if found is None or found[0] is None else int(found[0])


class StoredCapacity(NamedTuple):
    """The places as loaded, the authority's own record of needs (or None), the extract's year and the
    known changes over the horizon."""

    settings: Settings
    needs: dict[str, dict[str, object]] | None
    year: int
    changes: list[Change]


def stored_capacity(con: duckdb.DuckDBPyConnection, la: str, year: int) -> StoredCapacity | None:
    """The capacity as loaded for ``la`` at or before ``year``; None when no capacity extract is loaded.
    The load checked the columns' types and the changes' rows (returns/capacity_changes.py); rows a load
    let through with a blank number count as no places."""
    at = stored_extract_year(con, la, year)
    if at is None:
        return None
    params = {"la": la, "year": at}
    rows: list[tuple] = []
    for ident, postcode, places, occ, lo, hi, in_la, *skills in con.execute(HOUSEHOLDS_SQL, params).fetchall():
        rows.append((ident or "", "fostering", postcode or "", places, min(occ, places), lo, max(lo, hi),
                     tuple(skills), "PR1", in_la))
    for ident, kind, postcode, places, occ, lo, hi, in_la, provider in con.execute(PROVIDERS_SQL, params).fetchall():
        if kind not in PROVIDER_KINDS:
            continue  # the load's code list admits K2 and SUPPORTED only
        rows.append((ident or "", PROVIDER_KINDS[kind], postcode or "", places, min(occ, places), lo, max(lo, hi),
                     (True,) * len(SKILLS), provider, in_la))
    needs = {child: {"sibling_group": group or None, "disability": bool(dis), "parent_and_child": bool(pc)}
             for child, group, dis, pc in con.execute(NEEDS_SQL, params).fetchall()}
    settings = _settings(rows)
    return StoredCapacity(settings, needs or None, at, _changes(con, params, settings))


def _changes(con: duckdb.DuckDBPyConnection, params: dict[str, object], known: Settings) -> list[Change]:
    """The loaded capacity changes as the plan reads them: an opening is a new setting from its date; a
    closure, or a carer leaving, removes the household or provider from its date."""
    out = []
    ids = set(known.ident.tolist())
    for change, when, ident, kind, postcode, places, lo, hi, in_la, provider, *skills in con.execute(
            CHANGES_SQL, params).fetchall():
        if change in ("CLOSE", "LEAVE"):
            # the load refuses a closure of a place the extract loaded for the year does not hold (store/load.py,
            # returns/capacity_changes.py); only a database loaded before that check can hold one
            if ident in ids:
                out.append(Change(when, "close", ident))
            continue
        setting = KINDS.get(kind)
        if change != "OPEN" or setting is None:
            continue  # the load refuses both
        row = (ident, setting, postcode, places, 0, lo, max(lo, hi),
               tuple(skills) if setting == "fostering" else (True,) * len(SKILLS),
               "PR1" if setting == "fostering" else provider, in_la)
        out.append(Change(when, "open", ident, _settings([row])))
    return out
