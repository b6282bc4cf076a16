"""Set up the views, macros and reference tables one validation run needs (see context.sql and
context_cin.sql)."""

from __future__ import annotations

import re
from importlib import resources
from string import Template

import duckdb
import pyarrow as pa

from careboard import authorities, years
from careboard.reference import postcodes
from careboard.returns.spec import load_spec
from careboard.store.reference import install
from careboard.validate.ruleset import SSDA903, Ruleset
from careboard.validate.side_by_side import side_by_side

# A run that checks its rules' query in two halves on two connections of one database (``shared``)
# needs every table, view and macro the rules read visible to both: TEMP objects are per connection,
# so such a run (files checked in a private in-memory database, which nobody else opens) makes them
# ordinary objects of that database instead.
_TEMP = re.compile(r"\bCREATE OR REPLACE TEMP ")


def kind_sql(sql: str, shared: bool) -> str:
    """``sql`` as written (TEMP objects), or with its TEMP objects made ordinary ones when ``shared``."""
    return _TEMP.sub("CREATE OR REPLACE ", sql) if shared else sql


def _code_table(con: duckdb.DuckDBPyConnection, year: int, spec_name: str, shared: bool) -> None:
    spec = load_spec(spec_name)
    lists, codes = [], []
    for name in spec.code_lists:
        for code in spec.codes(name, year):
            lists.append(name)
            codes.append(code)
    con.register("codes_arrow", pa.table({"list": lists, "code": codes}))
    con.execute(kind_sql("CREATE OR REPLACE TEMP TABLE rule_codes AS SELECT * FROM codes_arrow", shared))
    con.unregister("codes_arrow")


# Every postcode of this return's and last year's episodes, each once as written (context.sql places
# them): the directory is asked about each once, not once per episode.
_RETURN_POSTCODES = """
CREATE OR REPLACE TEMP TABLE return_postcodes AS
SELECT DISTINCT unnest([HOME_POST, PL_POST]) AS postcode FROM ssda903_episodes WHERE load_id IN ({load}, {last})
"""


def prepare(
    con: duckdb.DuckDBPyConnection,
    load_id: int,
    last_load_id: int | None,
    year: int,
    la: str,
    ruleset: Ruleset = SSDA903,
    other_load_id: int | None = None,
    shared: bool = False,
) -> None:
    """Point the rule views at one return (and last year's, if any) of authority ``la``.

    ``other_load_id``: the SSDA903 return of the same authority and year, for a CIN census's
    cross-checks (-1 in the views when there is none).  ``shared``: make the run's tables, views and
    macros ordinary objects of the database, which other connections to it see (``kind_sql``); only
    for a private database that holds nothing else of the kind (a run on files).
    """
    install(con)
    if shared:
        con.execute(kind_sql((resources.files("careboard.store") / "macros.sql").read_text("utf-8"), True))
    _code_table(con, year, ruleset.spec, shared)
    code = authorities.resolve(la).code
    values = {
        "load": int(load_id),
        "last": int(last_load_id) if last_load_id is not None else -1,
        "other": int(other_load_id) if other_load_id is not None else -1,
        "year": int(year),
        "start": years.year_start(year).isoformat(),
        "end": years.year_end(year).isoformat(),
        "la": code,
    }
    if ruleset.kind == "ssda903":
        # Place this return's and last year's postcodes from the ONS Postcode Directory (once per
        # database); the CIN census holds no postcodes.
        con.execute(kind_sql(_RETURN_POSTCODES.format(load=values["load"], last=values["last"]), shared))
        if not shared:  # a shared run places them beside its other work (_side_by_side)
            postcodes.ensure(con, "SELECT postcode FROM return_postcodes")
    sql = Template((resources.files("careboard.validate") / ruleset.context).read_text("utf-8")).substitute(values)
    _clear_other_kind(con, sql)
    if shared and ruleset.kind == "ssda903":
        _side_by_side(con, kind_sql(sql, True))
    else:
        con.execute(kind_sql(sql, shared))


# What a run works out from the episodes (postcodes placed, each child's sequence): nothing else in
# context.sql reads it, so in a shared run (``prepare``) it is worked out on a second connection while
# the first makes the header and the other tables, side by side on two cores.
_EPISODE_OBJECTS = frozenset({"postcode_place", "episodes_with_location", "episodes", "episodes_last",
                              "cla_12_months", "episode_sequence", "first_and_last_year"})
_STATEMENT_END = re.compile(r";[ \t]*\n")
_MADE = re.compile(r"^CREATE OR REPLACE (?:TEMP )?(VIEW|TABLE|MACRO) (\w+)", re.MULTILINE)


def _side_by_side(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Run the context's statements: its macros first, then what is made from the episodes
    (``_EPISODE_OBJECTS``), after placing the return's postcodes, on a second connection while
    ``con`` makes the rest, each in file order."""
    macros, episodes, rest = [], [], []
    for statement in _STATEMENT_END.split(sql):
        made = _MADE.search(statement)
        if made is None:
            continue  # comments only
        kind, name = made.groups()
        (episodes if name in _EPISODE_OBJECTS else macros if kind == "MACRO" else rest).append(statement)
    con.execute(";\n".join(macros))

    def episode_objects(other: duckdb.DuckDBPyConnection) -> None:
        postcodes.ensure(other, "SELECT postcode FROM return_postcodes")
        other.execute(";\n".join(episodes))

    side_by_side(con, episode_objects, lambda c: c.execute(";\n".join(rest)), "careboard-episodes")


_CREATES = re.compile(r"CREATE OR REPLACE TEMP (VIEW|TABLE) (\w+)")


def _clear_other_kind(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Drop what a run of another kind of return left under a name this context uses as the other
    kind of object: the SSDA903 context makes TEMP tables (``header``, ``row_lines`` ...; built once
    per run, as dozens of rules read them) where the CIN census context makes views, and one
    connection may check both (``validate_loaded_all``)."""
    wanted = {name: kind for kind, name in _CREATES.findall(sql)}
    present = dict(con.execute(
        "SELECT view_name, 'VIEW' FROM duckdb_views() WHERE temporary "
        "UNION ALL SELECT table_name, 'TABLE' FROM duckdb_tables() WHERE temporary"
    ).fetchall())
    for name, kind in wanted.items():
        if present.get(name, kind) != kind:
            con.execute(f"DROP {present[name]} {name}")
