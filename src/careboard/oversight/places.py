"""Where a postcode is, for distances and areas: grid reference (metres), district and authority.

Distances follow the DfE's convention for placements: the straight line between two grid references,
in miles (metres / 1609.3, to one decimal place), as the model works out PL_DISTANCE.  Full postcodes
are placed by careboard's postcode directory (``careboard.reference.postcodes``: each postcode's own
grid reference and district from the ONS Postcode Directory, looked up on demand and kept in
``ref_postcode``), which itself falls back, flagged, to the sector's centroid for a postcode it does
not know.  A found location may be recorded as a bare postcode sector ('ME14 1'): that is placed at
the sector's centroid.  Each row says which (``source``: 'postcode' or 'sector'), because a sector
centroid is only accurate to about a mile.  No distance is worked out between Northern Ireland's
Irish Grid and Great Britain's National Grid (``grid``).
"""

from __future__ import annotations

import duckdb

from careboard.reference import postcodes

METRES_PER_MILE = 1609.3

# A postcode sector written on its own ('ME14 1'), as a found location may be.
SECTOR_PATTERN = "^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9]$"

_WANTED_SQL = """
SELECT DISTINCT regexp_replace(upper(trim(p)), '\\s+', ' ', 'g') AS postcode
FROM ({source}) t(p) WHERE p IS NOT NULL AND trim(p) <> ''
"""

_LOCATE_SQL = """
CREATE OR REPLACE TEMP TABLE {name} AS
WITH keyed AS (
    SELECT postcode, postcode_key(postcode) AS pcd,
           coalesce(postcode_sector(postcode),
                    CASE WHEN regexp_full_match(postcode, '{sector}') THEN postcode END) AS sector
    FROM ({wanted})
)
SELECT k.postcode, k.sector,
       coalesce(r.east, s.east) AS east, coalesce(r.north, s.north) AS north,
       coalesce(r.district, s.district) AS district, coalesce(d.la, r.la) AS la, d.district_name,
       CASE WHEN r.source IS NOT NULL THEN r.source WHEN s.sector IS NOT NULL THEN 'sector' END AS source,
       CASE WHEN r.source IS NOT NULL THEN r.grid
            WHEN s.sector IS NOT NULL THEN CASE WHEN left(s.district, 1) = 'N' THEN 'IE' ELSE 'GB' END END AS grid
FROM keyed k
LEFT JOIN ref_postcode r ON r.pcd = k.pcd AND r.source IS NOT NULL
LEFT JOIN ref_sector s ON r.pcd IS NULL AND s.sector = k.sector
LEFT JOIN ref_district_la d ON d.district = coalesce(r.district, s.district)
"""


def locate(con: duckdb.DuckDBPyConnection, source_sql: str, name: str) -> None:
    """TEMP TABLE ``name`` (postcode, sector, east, north, district, la, district_name, source, grid).

    One row for every distinct postcode (upper case, single-spaced) that ``source_sql`` (one column)
    returns; east/north NULL where neither the directory nor the sector file knows it.
    """
    wanted = _WANTED_SQL.format(source=source_sql)
    postcodes.ensure(con, wanted)  # installs the reference tables too
    con.execute(_LOCATE_SQL.format(name=name, wanted=wanted, sector=SECTOR_PATTERN))


def miles_sql(a: str, b: str) -> str:
    """SQL for the straight-line miles between two located rows aliased ``a`` and ``b`` (same grid only)."""
    return (f"CASE WHEN {a}.grid = {b}.grid THEN round(sqrt(power({a}.east - {b}.east, 2) "
            f"+ power({a}.north - {b}.north, 2)) / {METRES_PER_MILE}, 1) END")


def normalise_sql(column: str) -> str:
    """SQL normalising a postcode column the way ``locate`` keys its rows."""
    return f"regexp_replace(upper(trim({column})), '\\s+', ' ', 'g')"
