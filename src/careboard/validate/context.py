"""Set up the views, macros and reference tables one validation run needs (see context.sql)."""

from __future__ import annotations

from importlib import resources
from string import Template

import duckdb
import pyarrow as pa

from careboard import authorities, years
from careboard.reference import postcodes
from careboard.returns.spec import ssda903
from careboard.store.reference import install


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
    install(con)
    _code_table(con, year)
    code = authorities.resolve(la).code
    values = {
        "load": int(load_id),
        "last": int(last_load_id) if last_load_id is not None else -1,
        "start": years.year_start(year).isoformat(),
        "end": years.year_end(year).isoformat(),
        "la": code,
    }
    # Place this return's and last year's postcodes from the ONS Postcode Directory (once per database).
    loads = f"{values['load']}, {values['last']}"
    postcodes.ensure(con, f"SELECT unnest([HOME_POST, PL_POST]) FROM ssda903_episodes WHERE load_id IN ({loads})")
    sql = Template((resources.files("careboard.validate") / "context.sql").read_text("utf-8"))
    con.execute(sql.substitute(values))
