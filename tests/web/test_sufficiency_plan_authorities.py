"""Issue 18: the refresh after a load works out again only the sufficiency plans and members' forecasts of the
authorities whose data changed (``sufficiency_plan_state`` records a fingerprint per authority); another
authority's stored rows are left exactly as they were, not worked out again to the same figures.

On a copy of the web tests' database (synthetic Trafford, 358, with its plan and forecasts stored), Kent (886)
loads a small 903 return and a capacity extract: only Kent's rows are worked out."""

from __future__ import annotations

import shutil
from pathlib import Path

from webhelpers import LA, YEARS

KENT = "886"
PLAN_ROWS = "SELECT la, year, figures, tables, note, simulations, futures, built_at FROM sufficiency_plans ORDER BY ALL"
FORECAST_ROWS = "SELECT la, year, figures, note, built_at FROM sufficiency_forecasts ORDER BY ALL"
HOUSEHOLDS = ("HOUSEHOLD_ID,URN,POSTCODE,IN_LA,APPROVED_PLACES,AGE_FROM,AGE_TO,SIBLINGS,DISABILITY,PARENT_AND_CHILD,"
              "TEENAGERS,UASC,OCCUPIED_AT_REFERENCE,REFERENCE_DATE\n"
              "FH1,,ME14 1XX,1,2,0,17,0,0,0,0,0,0,31/03/2026\n")


def _rows(con, sql: str, la: str) -> list[tuple]:
    return [r for r in con.execute(sql).fetchall() if r[0] == la]


def test_loading_one_authority_leaves_anothers_stored_plan_and_forecasts_untouched(fixture_db, small_set, tmp_path):
    from careboard.model.build import build
    from careboard.returns.reader import read_returns
    from careboard.store.db import connect
    from careboard.store.load import load_returns
    from careboard.sufficiency import stored_plan

    db = tmp_path / "careboard.duckdb"
    shutil.copyfile(fixture_db.db, db)
    extracts = tmp_path / KENT / "extracts"
    extracts.mkdir(parents=True)
    (extracts / "foster_households.csv").write_text(HOUSEHOLDS)
    con = connect(db)
    try:
        plans, forecasts = _rows(con, PLAN_ROWS, LA), _rows(con, FORECAST_ROWS, LA)
        assert [r[:2] for r in plans] == [(LA, YEARS[-1])] and plans[0][2] is not None
        assert [r[:2] for r in forecasts] == [(LA, y) for y in YEARS]
        recorded = stored_plan.stored_authority_fingerprints(con)
        assert set(recorded) == {LA}
        # built from Trafford's SSDA903 and extract loads, not its CIN and workforce censuses (which no plan reads)
        kinds = dict(con.execute("SELECT load_id, kind FROM current_loads WHERE la = ?", [LA]).fetchall())
        used = recorded[LA].split("|")[0].split(",")
        assert sorted(kinds[int(i)] for i in used) == ["extract"] + ["ssda903"] * len(YEARS)
        assert {"cin", "csww"} <= set(kinds.values())

        load_returns(con, read_returns([small_set], KENT, 2026))
        load_returns(con, read_returns([Path(extracts)], KENT, 2026))
        build(con)  # as the refresh after the load: care histories first, then the plans
        assert not stored_plan.is_current(con)
        done = stored_plan.build_plans(con, 200, 50)

        assert done == [(KENT, 2026)]  # Kent's plan only: Trafford's were not worked out again
        assert _rows(con, PLAN_ROWS, LA) == plans  # to the byte, and with the time they were first built
        assert _rows(con, FORECAST_ROWS, LA) == forecasts
        kent = _rows(con, PLAN_ROWS, KENT)
        assert [r[:2] for r in kent] == [(KENT, 2026)]
        assert kent[0][2] is None and kent[0][4]  # one year of returns is too little history: the reason is stored
        assert [r[:2] for r in _rows(con, FORECAST_ROWS, KENT)] == [(KENT, 2026)]
        now = stored_plan.stored_authority_fingerprints(con)
        assert now[LA] == recorded[LA] and set(now) == {LA, KENT}
        assert stored_plan.is_current(con)
        # nothing changed since: nothing is worked out, nothing is rewritten
        assert stored_plan.build_plans(con, 200, 50) == []
        assert _rows(con, PLAN_ROWS, KENT) == kent
        # another size is another plan: every authority's is worked out again
        assert set(stored_plan.authority_fingerprints(con, 201, 50).values()).isdisjoint(now.values())
    finally:
        con.close()
