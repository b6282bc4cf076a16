"""Set up the views, macros and reference tables one validation run needs (see context.sql)."""

from __future__ import annotations

from importlib import resources
from string import Template

import duckdb
import pyarrow as pa

from careboard import authorities, years
from careboard.returns.spec import ssda903


def _reference_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Postcode-sector centroids and district -> authority, as TEMP tables (once per connection)."""
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'ref_sector' AND temporary"
    ).fetchone()[0]
    if exists:
        return
    data = resources.files("careboard.reference") / "data"
    con.execute(
        "CREATE TEMP TABLE ref_sector AS SELECT pcd_sector AS sector, oseast1m_mean AS east, "
        "osnrth1m_mean AS north, lad25cd_mode AS district FROM read_csv(?, header = true)",
        [str(data / "postcode_sector_centroids.csv")],
    )
    by_ons = {a.ons_code: a.code for a in authorities.all_authorities().values()}
    lookup = con.execute(
        "SELECT LTLA23CD, UTLA23CD FROM read_csv(?, header = true)", [str(data / "ltla_utla_apr23.csv")]
    ).fetchall()
    district_la = {ltla: by_ons.get(utla) for ltla, utla in lookup}
    # Districts in the sector file but not the 2023 lookup: upper-tier codes map to themselves.
    for (district,) in con.execute("SELECT DISTINCT district FROM ref_sector").fetchall():
        if district not in district_la or district_la[district] is None:
            district_la[district] = by_ons.get(district) or _outside_england(district)
    con.register(
        "district_la_arrow",
        pa.table({"district": list(district_la), "la": list(district_la.values())}),
    )
    con.execute("CREATE TEMP TABLE ref_district_la AS SELECT * FROM district_la_arrow")
    con.unregister("district_la_arrow")


def _outside_england(district: str | None) -> str | None:
    if not district:
        return None
    return {"W": "WAL", "S": "SCO", "N": "NIR"}.get(district[0])


def _code_table(con: duckdb.DuckDBPyConnection, year: int) -> None:
    spec = ssda903()
    lists, codes = [], []
    for name in spec.code_lists:
        for code in spec.codes(name, year):
            lists.append(name)
            codes.append(code)
    con.register("codes_arrow", pa.table({"list": lists, "code": codes}))
    con.execute("CREATE OR REPLACE TEMP TABLE rule_codes AS SELECT * FROM codes_arrow")
    con.unregister("codes_arrow")


def prepare(
    con: duckdb.DuckDBPyConnection, load_id: int, last_load_id: int | None, year: int, la: str
) -> None:
    """Point the rule views at one return (and last year's, if any) of authority ``la``."""
    _reference_tables(con)
    _code_table(con, year)
    code = authorities.resolve(la).code
    values = {
        "load": int(load_id),
        "last": int(last_load_id) if last_load_id is not None else -1,
        "start": years.year_start(year).isoformat(),
        "end": years.year_end(year).isoformat(),
        "la": code,
    }
    sql = Template((resources.files("careboard.validate") / "context.sql").read_text("utf-8"))
    con.execute(sql.substitute(values))
