"""Cohorts several measures share, worked out once per computation instead of once in every measure.

Every measure is computed in one statement (``compute.compute_all``): the union of all their cohorts, then
one GROUPING SETS pass.  Before this module, a cohort several measures share was written into each of them
as a subquery: the children of each CIN census (with their area and disability) into 19 measures, the
missing incidents, the IRO and workforce figures into several more.  The statement then held about 2,000
operators, and planning and running them cost about 2 s for an authority of any size, more than the data
did (``bench/scorecard.py``).  Now a measure names such a cohort as a table, ``measure_input_<name>``
(:func:`shared`), and ``compute_all`` makes each one a TEMP table, once, before the measures' statement.

The definitions stay beside the measures that use them (``catalogue/``); this module only keeps the list.
A measure's SQL is therefore only run by ``compute_all`` (after :func:`make`), which is the only place
careboard runs it.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

PREFIX = "measure_input_"

_DEFINED: dict[str, str] = {}


def shared(name: str, sql: str) -> str:
    """Declare ``sql`` as the shared cohort ``name``; the SQL a measure selects it with."""
    if _DEFINED.setdefault(name, sql) != sql:
        raise ValueError(f"shared measure input {name} defined twice, differently")
    return f"SELECT * FROM {PREFIX}{name}"


def definitions() -> dict[str, str]:
    """Every shared cohort (name to SQL), in the order declared: the catalogue is imported first."""
    from careboard.measures.measure import all_measures

    all_measures()
    return dict(_DEFINED)


def needed(sqls: Iterable[str]) -> list[str]:
    """The shared cohorts that ``sqls`` (measures' SQL) read, and those these read, in the order declared."""
    defined = definitions()
    text = "\n".join(sqls)
    wanted: set[str] = set()
    while True:
        found = {name for name in defined if f"{PREFIX}{name}" in text} - wanted
        if not found:
            return [name for name in defined if name in wanted]
        wanted |= found
        text = "\n".join(defined[name] for name in found)


def make(con: duckdb.DuckDBPyConnection, sqls: Iterable[str]) -> None:
    """Work out, as TEMP tables of ``con``, the shared cohorts that ``sqls`` (the measures about to be
    computed) read: all of them for the whole catalogue, none for a measure that reads none."""
    defined = definitions()
    for name in needed(sqls):
        con.execute(f"CREATE OR REPLACE TEMP TABLE {PREFIX}{name} AS {defined[name]}")


def drop(con: duckdb.DuckDBPyConnection) -> None:
    """Remove the TEMP tables :func:`make` made (their memory is the connection's until then)."""
    for name in definitions():
        con.execute(f"DROP TABLE IF EXISTS {PREFIX}{name}")


def shared_query(file: str, name: str) -> str:
    """Query ``name`` of the oversight SQL ``file`` (``oversight.sqlfile.query``), shared under that name."""
    from careboard.oversight.sqlfile import query

    return shared(name, query(file, name))
