"""The run's plan (issue 17): the ``table`` + ``where`` rules of a table (or of a table the run derives
from it, ``Rule.view``) are checked together in one scan, and must find exactly what each finds on its
own."""

from pathlib import Path

import pytest

from careboard.returns.reader import read_returns
from careboard.store.load import load_returns
from careboard.validate import engine
from careboard.validate.rule import Rule
from careboard.validate.ruleset import SSDA903
from fresh_db import fresh

# The community validator's fake return (its README): findings of some 45 row rules on several tables.
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "samples" / "903_d2i_fake"
YEAR = 2025

FOUND = "SELECT rule, tbl, source_file, source_row, line, child, field, value, note FROM run_findings"


def _loaded(con):
    (ret,) = read_returns(sorted(SAMPLE.glob("*.csv")), la="886", year=YEAR, strict=False)
    (outcome,) = load_returns(con, [ret])
    return ret, outcome.load_id


def test_row_rules_checked_together_find_what_each_finds_alone():
    with fresh() as con:
        ret, load_id = _loaded(con)
        together = [r for r in engine.applicable(YEAR, False, False)[0]
                    if r.where is not None and not engine._HAS_QUERY.search(r.where)]
        result = engine.run_rules(con, load_id, YEAR, "886", None, ret.invalid_cells, only=[r.code for r in together])
        scans = {(r.table, r.view) for r in together}
        assert len(together) > 40 and len(scans) > 3
        assert {"episode_sequence", "swepisode_sequence"} <= {r.view for r in together}
        everything = engine.applicable(YEAR, False, False)[0]
        assert len(engine._parts(everything, SSDA903)) == len(everything) - len(together) + len(scans)
        fired = {r.code for r in together if r.code in result.counts}
        assert len(fired) > 20  # the sample exercises the shared scans
        for rule in together:
            alone = con.execute(engine._finish(engine._part(rule, SSDA903), SSDA903)).fetchall()
            in_run = con.execute(f"{FOUND} WHERE rule = ?", [rule.code]).fetchall()
            assert sorted(in_run, key=repr) == sorted(alone, key=repr), rule.code


def test_a_row_rule_that_fails_is_reported_and_its_table_mates_still_run(monkeypatch):
    broken = Rule("101", table="Header", where="CAST(CHILD || 'x' AS INTEGER) > 0")
    applicable = engine.applicable

    def with_broken(*args, **kwargs):
        rules, skipped = applicable(*args, **kwargs)
        return [broken if r.code == "101" else r for r in rules], skipped

    header_mates = {r.code for r in engine.applicable(YEAR, False, False)[0]
                    if r.table == "Header" and r.where is not None and not engine._HAS_QUERY.search(r.where)}
    assert "101" in header_mates
    monkeypatch.setattr(engine, "applicable", with_broken)
    with fresh() as con:
        ret, load_id = _loaded(con)
        result = engine.run_rules(con, load_id, YEAR, "886", None, ret.invalid_cells, only=sorted(header_mates))
    assert result.skipped["101"].startswith("rule could not run")
    assert "101" not in result.rules_run
    assert header_mates - {"101"} & set(result.counts)  # the other Header row rules still report


def test_a_derived_table_is_read_by_a_table_where_rule_only():
    assert "FROM episode_sequence WHERE" in Rule("501", table="Episodes", view="episode_sequence",
                                                 where="DECOM < prev_dec").query()
    with pytest.raises(ValueError, match="table\\+where"):
        Rule("501", sql="SELECT 1", view="episode_sequence")
