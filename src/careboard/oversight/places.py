"""Where a postcode is, for distances and areas: grid reference (metres), district and authority.

Distances follow the DfE's convention for placements: the straight line between two grid references,
in miles.  careboard's postcode directory (``careboard.reference.postcodes``: each full postcode's own
grid reference from the ONS Postcode Directory, looked up on demand) is used when this build has it;
otherwise, and for a postcode the directory does not know or a bare postcode sector ('ME14 1', as a
found location may be recorded), the sector's centroid from the vendored sector file.  Each row says
which (``source``: 'postcode' or 'sector'), because a sector centroid is only accurate to about a mile.
"""

from __future__ import annotations

import importlib

import duckdb

from careboard.store.reference import install

METRES_PER_MILE = 1609.3

# A postcode sector written on its own ('ME14 1'), as a found location may be.
SECTOR_PATTERN = "^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9]$"

_SECTOR_SQL = """
CREATE OR REPLACE TEMP TABLE {name} AS
WITH wanted AS (
    SELECT DISTINCT regexp_replace(upper(trim(p)), '\\s+', ' ', 'g') AS postcode
    FROM ({source}) t(p) WHERE p IS NOT NULL AND trim(p) <> ''
),
keyed AS (
    SELECT postcode,
           coalesce(postcode_sector(postcode),
                    CASE WHEN regexp_full_match(postcode, '{sector}') THEN postcode END) AS sector
    FROM wanted
)
SELECT k.postcode, k.sector, {point_east} AS east, {point_north} AS north,
       coalesce({point_district}, s.district) AS district, d.la, d.district_name,
       CASE WHEN {point_found} THEN 'postcode' WHEN s.sector IS NOT NULL THEN 'sector' END AS source
FROM keyed k
{directory_join}
LEFT JOIN ref_sector s ON s.sector = k.sector
LEFT JOIN ref_district_la d ON d.district = coalesce({point_district}, s.district)
"""


def _directory():
    """careboard's full-postcode directory module, when this build has it (else sectors only)."""
    try:
        module = importlib.import_module("careboard.reference.postcodes")
    except ImportError:
        return None
    return module if hasattr(module, "ensure") else None


def locate(con: duckdb.DuckDBPyConnection, source_sql: str, name: str) -> None:
    """TEMP TABLE ``name`` (postcode, sector, east, north, district, la, district_name, source).

    One row for every distinct postcode (upper case, single-spaced) that ``source_sql`` (one column)
    returns; east/north NULL where neither the directory nor the sector file knows it.
    """
    install(con)
    directory = _directory()
    if directory is not None:
        directory.ensure(con, source_sql)
        parts = {
            "directory_join": "LEFT JOIN ref_postcode r ON r.pcd = replace(k.postcode, ' ', '') "
            "AND r.source = 'postcode'",
            "point_east": "coalesce(r.east, s.east)",
            "point_north": "coalesce(r.north, s.north)",
            "point_district": "r.district",
            "point_found": "r.pcd IS NOT NULL",
        }
    else:
        parts = {"directory_join": "", "point_east": "s.east", "point_north": "s.north",
                 "point_district": "NULL::VARCHAR", "point_found": "false"}
    con.execute(_SECTOR_SQL.format(name=name, source=source_sql, sector=SECTOR_PATTERN, **parts))


def miles_sql(a: str, b: str) -> str:
    """SQL for the straight-line miles between two located rows aliased ``a`` and ``b``."""
    return (f"round(sqrt(power({a}.east - {b}.east, 2) + power({a}.north - {b}.north, 2)) "
            f"/ {METRES_PER_MILE}, 1)")


def normalise_sql(column: str) -> str:
    """SQL normalising a postcode column the way ``locate`` keys its rows."""
    return f"regexp_replace(upper(trim({column})), '\\s+', ' ', 'g')"
