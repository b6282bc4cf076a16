"""The model's declared invariants (model/invariants.py, issue 17.2): each holds on a synthetic authority,
and each fails on a copy of it broken by hand in exactly the way it forbids."""

from __future__ import annotations

import pytest

from careboard.model.invariants import INVARIANTS, violations
from careboard.store.db import connect

# A child with at least two of something, to break the order between them.
_TWO_EPISODES = "(SELECT CHILD FROM model_episodes WHERE episode_seq = 2 ORDER BY CHILD LIMIT 1)"
_TWO_PERIODS = "(SELECT CHILD FROM model_periods WHERE period_no = 2 ORDER BY CHILD LIMIT 1)"
_TWO_PLACEMENTS = "(SELECT CHILD FROM model_placements WHERE placement_no = 2 ORDER BY CHILD LIMIT 1)"

# For each invariant, one hand-made defect of the kind it forbids.
BREAKS = {
    "child_year_unique": "INSERT INTO model_child_year SELECT * FROM model_child_year LIMIT 1",
    "children_unique": "INSERT INTO model_children SELECT * FROM model_children LIMIT 1",
    "episode_order_unique":
        f"UPDATE model_episodes SET episode_seq = 1 WHERE CHILD = {_TWO_EPISODES} AND episode_seq = 2",
    "episodes_do_not_overlap":
        f"UPDATE model_episodes SET DEC = NULL WHERE CHILD = {_TWO_EPISODES} AND episode_seq = 1",
    "period_dates_in_order":
        "UPDATE model_periods SET period_end = period_start - 1 "
        "WHERE CHILD = (SELECT min(CHILD) FROM model_periods WHERE period_end IS NOT NULL) AND period_end IS NOT NULL",
    "periods_do_not_overlap":
        f"UPDATE model_periods SET period_end = NULL WHERE CHILD = {_TWO_PERIODS} AND period_no = 1",
    "placement_inside_its_period":
        "UPDATE model_placements SET placement_start = placement_start - 30 "
        "WHERE CHILD = (SELECT min(CHILD) FROM model_placements) AND placement_no = 1",
    "placements_do_not_overlap":
        f"UPDATE model_placements SET placement_end = NULL WHERE CHILD = {_TWO_PLACEMENTS} AND placement_no = 1",
    "child_year_looked_after_in_year":
        "UPDATE model_child_year SET last_day = last_day + 400 "
        "WHERE CHILD = (SELECT min(CHILD) FROM model_child_year)",
    "review_inside_its_period":
        "UPDATE model_reviews SET review_date = review_date - 4000 "
        "WHERE CHILD = (SELECT min(CHILD) FROM model_reviews)",
}


@pytest.fixture
def model(unitary, tmp_path):
    """A private copy of the synthetic authority's database (model built)."""
    db = tmp_path / "m.duckdb"
    db.write_bytes(unitary.read_bytes())
    con = connect(db)
    yield con
    con.close()


def test_every_invariant_holds_on_the_synthetic_authority(model):
    assert violations(model) == {i.name: 0 for i in INVARIANTS}
    # ...and is not trivially true: the tables it checks have rows, with children of several periods.
    for table in ("model_child_year", "model_children", "model_episodes", "model_periods", "model_placements",
                  "model_reviews"):
        assert model.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0] > 0, table
    for child in (_TWO_EPISODES, _TWO_PERIODS, _TWO_PLACEMENTS):
        assert model.execute(f"SELECT {child}").fetchall()[0][0] is not None


def test_every_invariant_has_a_broken_case():
    assert sorted(BREAKS) == sorted(i.name for i in INVARIANTS)


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_each_invariant_fails_when_broken(model, name):
    model.begin()
    changed = model.execute(BREAKS[name]).fetchall()[0][0]
    assert changed >= 1
    found = violations(model)
    model.rollback()
    assert found[name] > 0, found


def test_one_definition_of_a_period_of_care_and_a_placement():
    """store/macros.sql's definitions, and the model and the rules that take them from there (issue 17.2)."""
    from pathlib import Path

    from careboard.store.reference import install

    con = connect(":memory:")
    install(con)
    cases = [  # previous REC, previous DEC, this DECOM -> carries on the period?
        ("X1", "2025-05-01", "2025-05-01", True),
        ("X1", "2025-05-01", "2025-05-02", False),  # a gap
        ("X1", "2025-05-03", "2025-05-02", False),  # an overlap
        ("E11", "2025-05-01", "2025-05-01", False),
        (None, None, "2025-05-01", False),  # no previous episode
        ("X1", None, "2025-05-01", False),
    ]
    for rec, dec, decom, expected in cases:
        got = con.execute("SELECT continues_period_of_care(?, ?::DATE, ?::DATE)", [rec, dec, decom]).fetchall()[0][0]
        assert got is expected, (rec, dec, decom)
    assert [con.execute("SELECT changes_carer(?)", [rne]).fetchall()[0][0] for rne in ("P", "B", "L", "T", "U", None)] \
        == [True, True, False, False, False, False]
    assert [con.execute("SELECT temporary_placement(?)", [p]).fetchall()[0][0] for p in ("T0", "T4", "U1", None)] \
        == [True, True, False, False]
    con.close()
    src = Path(__file__).resolve().parents[2] / "src" / "careboard"
    histories = (src / "model" / "histories.sql").read_text("utf-8")
    rules = "".join(p.read_text("utf-8") for p in (src / "validate" / "rules").glob("*.py"))
    for name in ("continues_period_of_care(", "changes_carer(", "temporary_placement("):
        assert name in histories
    for name in ("continues_period_of_care(", "temporary_placement(", "EPISODE_ORDER"):
        assert name in rules


# Checked at build time (issue 17.2).  Invariants guard the model's own SQL: a return's errors are repaired
# and recorded (model_repairs), so to see the guard work the build is given a defect, as a bug in
# model/*.sql would, on top of the real build.
_ONE_EPISODE = """SELECT CHILD FROM current_ssda903_episodes GROUP BY CHILD
                  HAVING count(*) = 1 AND count(DEC) = 1 ORDER BY CHILD LIMIT 2"""
_MODEL_SUM = "SELECT count(*), sum(hash(CHILD, period_no, period_start, period_end)) FROM model_periods"


def _children(con) -> list[str]:
    children = [r[0] for r in con.execute(_ONE_EPISODE).fetchall()]
    assert len(children) == 2
    return children


@pytest.fixture
def defective_build(monkeypatch):
    """Make every model build end two children's periods of care before they start (a bug in the model's SQL)."""
    from careboard.model import build as model_build

    real = model_build._build_tables

    def build_with_a_defect(con, progress):
        real(con, progress)
        children = _children(con)
        con.execute("UPDATE model_periods SET period_end = period_start - 10 WHERE CHILD IN (?, ?)", children)

    monkeypatch.setattr(model_build, "_build_tables", build_with_a_defect)


def _loads_changed(con) -> None:
    con.execute("DELETE FROM model_state")  # as after a new load: the next refresh rebuilds the model


def test_a_refresh_whose_model_breaks_an_invariant_stops_and_keeps_the_previous_model(model, defective_build):
    from careboard.model.invariants import ModelInvariantError
    from careboard.refresh import refresh

    before = model.execute(_MODEL_SUM).fetchall()
    children = _children(model)
    _loads_changed(model)
    with pytest.raises(ModelInvariantError) as caught:
        refresh(model, publish=False)
    message = str(caught.value)
    assert "period_dates_in_order: A period of care does not end before it starts. Broken by 2 rows" in message
    for child in children:
        assert f"authority 358, child {child}, period of care 1, from the " in message
    assert "were not saved" in message and "careboard check-model" in message
    # the defect also leaves the children's placements outside their (now impossible) periods
    assert [b.invariant.name for b in caught.value.broken] == ["period_dates_in_order", "placement_inside_its_period"]
    # The previous model is untouched and not recorded as built from these loads.
    assert model.execute(_MODEL_SUM).fetchall() == before
    assert model.execute("SELECT count(*) FROM model_state").fetchall()[0][0] == 0
    assert model.execute("SELECT count(*) FROM model_periods WHERE period_end < period_start").fetchall()[0][0] == 0


def test_an_episode_ending_before_it_starts_is_repaired_and_recorded_not_a_stop(model):
    """What DfE rule 356 reports is a data error the model repairs (R5), so one bad date does not hold back
    every figure: the episode ends the day it starts, and model_repairs says so.  A refresh stops only where the
    model build raises (ModelInvariantError, the test above), so the build is what is run here: it saves the
    repaired model instead of raising (the rest of a refresh, seconds of measures and releases, adds nothing)."""
    from careboard.model.build import build

    children = _children(model)
    starts = dict(model.execute("SELECT CHILD, DECOM FROM current_ssda903_episodes WHERE CHILD IN (?, ?)",
                                children).fetchall())
    model.execute("UPDATE ssda903_episodes SET DEC = DECOM - 10 WHERE CHILD IN (?, ?)", children)
    _loads_changed(model)
    assert build(model) is True
    assert violations(model) == {i.name: 0 for i in INVARIANTS}
    ends = dict(model.execute("SELECT CHILD, DEC FROM model_episodes WHERE CHILD IN (?, ?)", children).fetchall())
    assert ends == starts
    repaired = model.execute("SELECT CHILD, rule FROM model_repairs WHERE CHILD IN (?, ?) ORDER BY CHILD",
                             children).fetchall()
    assert repaired == [(c, "R5") for c in sorted(children)]


def test_a_good_build_checks_the_invariants_and_saves(model):
    from careboard.model.build import build, is_current

    model.execute("DELETE FROM model_state")
    assert build(model) is True
    assert is_current(model)


def test_careboard_check_model_reports_each_invariant(unitary, tmp_path, defective_build):
    from typer.testing import CliRunner

    from careboard.cli import app

    db = tmp_path / "m.duckdb"
    db.write_bytes(unitary.read_bytes())
    good = CliRunner().invoke(app, ["check-model", "--db", str(db)])
    assert good.exit_code == 0, good.output
    assert "Checked the stored care histories" in good.output
    assert good.output.count("holds  ") == len(INVARIANTS)
    con = connect(db)
    try:
        children = _children(con)
        _loads_changed(con)
    finally:
        con.close()
    bad = CliRunner().invoke(app, ["check-model", "--db", str(db)])
    assert bad.exit_code == 1
    assert "built from the current loads (not saved" in bad.output
    assert "BROKEN period_dates_in_order" in bad.output and f"child {children[0]}, period of care 1" in bad.output
    assert "BROKEN placement_inside_its_period" in bad.output
    assert bad.output.count("holds  ") == len(INVARIANTS) - 2
    con = connect(db, read_only=True)  # checking built nothing
    try:
        assert con.execute("SELECT count(*) FROM model_periods WHERE period_end < period_start").fetchall()[0][0] == 0
    finally:
        con.close()


def test_a_real_format_return_builds_care_histories_that_keep_every_invariant(samples, tmp_path):
    """The d2i fake CSV set (written by another project; its first 200 episodes are kept in tests/data/samples)
    loads through to care histories that keep every invariant.  The full file (5,050 episodes) has ten children
    with an episode left open before a later one, which the model repairs (R1/R1A: the hand-built case is in
    tests/measures/test_numbers_placements.py) instead of refusing the whole return.

    Read and loaded as `careboard load FOLDER --la 886 --year 2018` reads and loads it, and the care histories
    built as its refresh builds them first (model.build, which refuses histories that break an invariant and
    so stops the refresh); the rest of the refresh (measures, findings, releases) is not about the model."""
    import shutil

    from careboard.model.build import build
    from careboard.returns.reader import read_returns
    from careboard.store.load import load_returns
    from fresh_db import fresh

    folder = tmp_path / "2017-18"
    folder.mkdir()
    for f in (samples / "903_d2i_fake").glob("*.csv"):  # the CSV set (the folder holds the XML too)
        shutil.copy(f, folder / f.name)
    with fresh() as con:
        load_returns(con, read_returns([folder], "886", 2018))
        assert build(con)  # built and saved: no invariant broken (ModelInvariantError otherwise)
        assert violations(con) == {i.name: 0 for i in INVARIANTS}
        assert con.execute("SELECT count(DISTINCT CHILD) FROM model_episodes").fetchall()[0][0] > 0
