"""Shared SQL definitions and reference tables, installed into a connection before analysis.

``macros.sql`` holds each banding and grouping once (ages, ethnicity, legal status, placement
category, postcode sector) for validation, the model and the measures alike.  The reference tables
(postcode-sector centroids, district -> upper-tier authority) come from the vendored OGL data in
``careboard/reference/data``; ``ref_postcode`` (each full postcode's place, from the ONS Postcode
Directory package) starts empty and is filled on demand (``careboard.reference.postcodes.ensure``).

Building the reference tables takes a fifth of a second, too long to repeat for every web request
or validation run, so a writable database keeps them (``ref_*`` tables, rebuilt when the vendored
data or this code changes); a read-only or fresh connection that finds none builds TEMP copies.
The macros are TEMP (DuckDB macros are per connection) and cheap.
"""

from __future__ import annotations

import functools
import hashlib
from importlib import resources
from pathlib import Path

import duckdb
import pyarrow as pa

from careboard import authorities
from careboard import cache as disk_cache
from careboard.reference import districts, postcodes
from careboard.store.state import record_fingerprint, stored_fingerprint

# District codes re-issued after boundary changes in April 2023, newer than the DfE authority list.
ONS_SUCCESSORS = {
    "E08000038": "E08000016",  # Barnsley
    "E08000039": "E08000019",  # Sheffield
}


REFERENCE_TABLES = ("ref_sector", "ref_district_la", "ref_working_day", "ref_population", "ref_postcode")


@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    """Changes when the vendored data or the way it is built changes (read once per process)."""
    data = resources.files("careboard.reference") / "data"
    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update(postcodes.TABLE_SQL.encode() + postcodes.version().encode())
    for name in ("postcode_sector_centroids.csv", districts.LOOKUP_FILE, "la_lookup.csv", "population_0_17.csv"):
        h.update((data / name).read_bytes())
    return h.hexdigest()[:16]


# A TEMP marker table saying the macros are installed in this connection.  Asking duckdb_functions() instead
# lists every function DuckDB has (tens of milliseconds, on every validation run, model build and web request);
# duckdb_tables() answers in about a millisecond, and both the macros and the marker live and die with the
# connection.
_MACROS_MARKER = "reference_macros_installed"


def _tables(con: duckdb.DuckDBPyConnection) -> dict[str, bool]:
    """Reference tables present in ``con``: name -> is it TEMP."""
    rows = con.execute(
        "SELECT table_name, temporary FROM duckdb_tables() WHERE table_name IN "
        "('ref_sector', 'ref_district_la', 'ref_working_day', 'ref_population', 'ref_postcode', 'reference_state', "
        f"'{_MACROS_MARKER}')"
    ).fetchall()
    return dict(rows)


def persist(con: duckdb.DuckDBPyConnection) -> None:
    """Keep the reference tables in a writable database, rebuilding them when out of date."""
    present = _tables(con)
    if stored_fingerprint(con, "reference_state") == fingerprint() and all(t in present for t in REFERENCE_TABLES):
        return
    con.begin()
    try:
        _build(con, temp=False)
        record_fingerprint(con, "reference_state", fingerprint())
        con.commit()
    except BaseException:
        con.rollback()
        raise


def install(con: duckdb.DuckDBPyConnection) -> None:
    """Make the shared macros and reference tables available in ``con`` (cheap when already there)."""
    present = _tables(con)
    if not all(t in present for t in REFERENCE_TABLES):
        _build(con, temp=True)
    if not present.get(_MACROS_MARKER):
        con.execute((resources.files("careboard.store") / "macros.sql").read_text("utf-8"))
        con.execute(f"CREATE OR REPLACE TEMP TABLE {_MACROS_MARKER} AS SELECT true AS installed")


# The reference tables as this process first built them (all but ref_postcode, which starts empty and has
# its own constraints).  Building them parses the vendored CSVs and the bank holidays (about 0.1 s); a process
# that opens many databases (the web app's requests, the rule tests) copies them from here instead.
_BUILT: dict[str, dict[str, tuple[pa.Table, str]]] = {}  # fingerprint -> name -> (rows, SELECT with DuckDB types)
_CACHED = ("ref_sector", "ref_district_la", "ref_working_day", "ref_population")


def _build(con: duckdb.DuckDBPyConnection, temp: bool) -> None:
    kind = "TEMP TABLE" if temp else "TABLE"
    cached = _BUILT.get(fingerprint()) or _from_disk()
    if cached is not None:
        for name in _CACHED:
            rows, select = cached[name]
            con.register("reference_arrow", rows)
            con.execute(f"CREATE OR REPLACE {kind} {name} AS {select} FROM reference_arrow")
            con.unregister("reference_arrow")
        con.execute(postcodes.TABLE_SQL.format(kind=kind))
        return
    _build_from_files(con, kind)
    _BUILT.clear()
    _BUILT[fingerprint()] = {name: _keep(con, name) for name in _CACHED}
    _to_disk(_BUILT[fingerprint()])


# The same, kept in careboard's cache folder between processes (a command-line run on files opens a
# fresh database each time): the rows as Parquet, the SELECT in the file's metadata.
_SELECT_KEY = b"careboard.select"


def _from_disk() -> dict[str, tuple[pa.Table, str]] | None:
    found = {}
    for name in _CACHED:
        where = disk_cache.path(f"reference-{fingerprint()}", f"{name}.parquet")
        rows = disk_cache.read_table(where) if where is not None and where.exists() else None
        select = (rows.schema.metadata or {}).get(_SELECT_KEY) if rows is not None else None
        if select is None:
            return None
        found[name] = (rows.replace_schema_metadata(None), select.decode("utf-8"))
    _BUILT.clear()
    _BUILT[fingerprint()] = found
    return found


def _to_disk(built: dict[str, tuple[pa.Table, str]]) -> None:
    for name, (rows, select) in built.items():
        where = disk_cache.path(f"reference-{fingerprint()}", f"{name}.parquet")
        if where is not None:
            disk_cache.write_table(rows.replace_schema_metadata({_SELECT_KEY: select.encode("utf-8")}), where)


def _keep(con: duckdb.DuckDBPyConnection, name: str) -> tuple[pa.Table, str]:
    """A built table's rows and the SELECT that gives them their DuckDB types back (Arrow has no HUGEINT)."""
    columns = con.execute(f"DESCRIBE {name}").fetchall()
    select = "SELECT " + ", ".join(f'"{c[0]}"::{c[1]} AS "{c[0]}"' for c in columns)
    return con.sql(f"SELECT * FROM {name}").to_arrow_table(), select


def _build_from_files(con: duckdb.DuckDBPyConnection, kind: str) -> None:
    data = resources.files("careboard.reference") / "data"
    con.execute(
        f"CREATE OR REPLACE {kind} ref_sector AS SELECT pcd_sector AS sector, oseast1m_mean AS east, "
        "osnrth1m_mean AS north, lad25cd_mode AS district FROM read_csv(?, header = true)",
        [str(data / "postcode_sector_centroids.csv")],
    )
    by_ons = {a.ons_code: a.code for a in authorities.all_authorities().values()}
    by_ons.update({new: by_ons[old] for new, old in ONS_SUCCESSORS.items()})
    lookup = districts.district_rows()
    district_la = {ltla: by_ons.get(utla) for ltla, utla, _ in lookup}
    names = {ltla: name for ltla, _, name in lookup}
    # Districts in the sector file but not in the 2023 lookup: upper-tier codes map to themselves.
    for (district,) in con.execute("SELECT DISTINCT district FROM ref_sector").fetchall():
        if district_la.get(district) is None:
            district_la[district] = by_ons.get(district) or _outside_england(district)
    table = pa.table(
        {
            "district": list(district_la),
            "la": list(district_la.values()),
            "district_name": [names.get(d) for d in district_la],
        }
    )
    con.register("district_la_arrow", table)
    con.execute(f"CREATE OR REPLACE {kind} ref_district_la AS SELECT * FROM district_la_arrow")
    con.unregister("district_la_arrow")
    _working_days(con, kind)
    con.execute(postcodes.TABLE_SQL.format(kind=kind))
    # ONS mid-year estimates of children aged 0-17, keyed by the collection year whose rates they serve
    # (the rate for the year ending 31 March Y uses the mid-(Y-1) estimate, as the DfE's does).
    con.execute(
        f"CREATE OR REPLACE {kind} ref_population AS SELECT lpad(old_la_code::VARCHAR, 3, '0') AS la, "
        "mid_year + 1 AS year, TRY_CAST(population AS DOUBLE) AS population "
        "FROM read_csv(?, header = true, all_varchar = false) WHERE geographic_level = 'Local authority'",
        [str(data / "population_0_17.csv")],
    )


def _working_days(con: duckdb.DuckDBPyConnection, kind: str) -> None:
    """ref_working_day(day, working_day_no): every day 2000-2040 numbered by England working days.

    Weekends and England's bank holidays (from the ``holidays`` package) do not advance the number,
    so "20 working days after d" is the first day whose number is 20 more than d's.
    """
    import holidays

    bank = holidays.country_holidays("GB", subdiv="ENG", years=range(2000, 2041))
    con.register("bank_holidays_arrow", pa.table({"day": pa.array(sorted(bank), pa.date32())}))
    con.execute(
        f"""
        CREATE OR REPLACE {kind} ref_working_day AS
        WITH days AS (
            SELECT d::DATE AS day FROM range(DATE '2000-01-01', DATE '2041-01-01', INTERVAL 1 DAY) t(d)
        )
        SELECT day,
               (isodow(day) <= 5 AND day NOT IN (SELECT day FROM bank_holidays_arrow)) AS is_working_day,
               sum((isodow(day) <= 5 AND day NOT IN (SELECT day FROM bank_holidays_arrow))::INTEGER)
                   OVER (ORDER BY day) AS working_day_no
        FROM days
        """
    )
    con.unregister("bank_holidays_arrow")


def _outside_england(district: str | None) -> str | None:
    if not district:
        return None
    return {"W": "WAL", "S": "SCO", "N": "NIR"}.get(district[0])
