"""The capacity and needs extracts as ``careboard load`` stored them, for the web page and the pack.

``careboard forecast --capacity FOLDER`` reads the CSV files themselves (capacity.py).  The members'
page and pack have no folder: they work from what the last load stored, the current
``foster_households.csv``, ``placement_capacity.csv`` and ``child_needs.csv`` extracts of the
authority (the staging views ``current_extract_fosterhouseholds``, ``current_extract_placementcapacity``,
``current_extract_childneeds``).
The extract used is the one loaded as at the forecast's collection year, or else the latest before it:
a capacity extract describes the places on its reference date, so a later one is never used for an
earlier start.  ``capacity_changes.csv`` and ``areas.csv`` are planning inputs a load skips
(returns/reader.py), so the stored plan has no known openings or closures and uses the default areas.
"""

from __future__ import annotations

import duckdb

from .capacity import SKILLS, Settings, _settings

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

PROVIDER_KINDS = {"K2": "childrens_home", "K1": "childrens_home", "SUPPORTED": "supported", "K3": "supported",
                  "H5": "supported"}


def stored_extract_year(con: duckdb.DuckDBPyConnection, la: str, year: int) -> int | None:
    """The collection year of the capacity extract to use for a forecast from 31 March ``year``, or None."""
    found = con.execute(EXTRACT_YEAR_SQL, {"la": la, "year": year}).fetchone()
    return None if found is None or found[0] is None else int(found[0])


def stored_capacity(con: duckdb.DuckDBPyConnection, la: str, year: int
                    ) -> tuple[Settings, dict[str, dict[str, object]] | None, int] | None:
    """(places, the authority's own record of needs or None, the extract's year) as loaded for ``la``
    at or before ``year``; None when no capacity extract is loaded.  The load checked the columns'
    types; rows a load let through with a blank number count as no places."""
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
    return _settings(rows), needs or None, at
