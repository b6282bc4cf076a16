"""The cohorts several measures share (measures/inputs.py): worked out once, the same figures as when written
into every measure that reads them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from careboard.measures import compute, inputs
from careboard.measures.measure import all_measures
from careboard.returns.reader import read_returns
from careboard.store.db import connect
from careboard.store.load import load_returns
from careboard.synth import generate

LA, YEARS = "358", [2025, 2026]


def _figures(con) -> list[tuple]:
    return con.execute("SELECT * FROM measure_values ORDER BY ALL").fetchall()


def _temp_tables(con) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE temporary").fetchall()}


@pytest.fixture(scope="module")
def everything(tmp_path_factory) -> Path:
    """A small synthetic authority with every kind of return and extract loaded (each shared cohort has rows)."""
    out = tmp_path_factory.mktemp("inputs")
    generate(out, LA, 80, YEARS, 3)
    root = out / LA
    db = out / "c.duckdb"
    con = connect(db)
    load_returns(con, read_returns([root / "ssda903", root / "cin", root / "csww"], LA)
                 + read_returns([root / "extracts"], LA, YEARS[-1]))
    con.close()
    return db


def test_shared_cohorts_give_the_figures_of_the_same_sql_written_into_each_measure(everything, monkeypatch):
    con = connect(everything)
    try:
        compute.compute_all(con)
        shared = _figures(con)
        assert _temp_tables(con).isdisjoint({compute.COHORTS, *(inputs.PREFIX + n for n in inputs.definitions())})
        # the shared cohorts have rows here, so each one is tested (but one: every child in care on 31 March has
        # an IRO in this authority's extract)
        empty = {name for name, sql in inputs.definitions().items()
                 if not con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]}
        assert empty == {"iro_unallocated_year_end"}

        def written_in(sql: str) -> str:
            for name, definition in inputs.definitions().items():
                sql = sql.replace(f"SELECT * FROM {inputs.PREFIX}{name}", definition)
            return sql

        inline = {k: dataclasses.replace(m, sql=written_in(m.sql)) for k, m in all_measures().items()}
        assert all(inputs.PREFIX not in m.sql for m in inline.values())
        monkeypatch.setattr(compute, "all_measures", lambda: inline)
        made = []
        monkeypatch.setattr(inputs, "make", lambda _con, sqls: made.extend(inputs.needed(sqls)))
        compute.compute_all(con)
        assert made == []  # nothing was worked out apart
        assert _figures(con) == shared
        assert len(shared) > 1000
    finally:
        con.close()


def test_every_shared_cohort_is_read_and_only_what_a_measure_reads_is_made():
    measures = all_measures()
    assert inputs.needed([m.sql for m in measures.values()]) == list(inputs.definitions())
    assert inputs.needed([measures["cla_31_march"].sql]) == []
    assert inputs.needed([measures["referrals"].sql]) == ["cin_children"]


def test_a_name_is_one_cohort():
    sql = inputs.definitions()["cin_children"]
    assert inputs.shared("cin_children", sql) == f"SELECT * FROM {inputs.PREFIX}cin_children"  # the same again
    with pytest.raises(ValueError, match="cin_children defined twice"):
        inputs.shared("cin_children", sql + " LIMIT 1")
