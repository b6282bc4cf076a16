"""Issue 18: the members' forecast prices its spend at the authority's unit costs, as the plan prices its gap: the
council's own when it loaded unit_costs.csv, the example figures for any placement type it has no cost for, and
the page and pack say which are examples.

On a copy of the web tests' synthetic authority (its refresh stored the members' forecast at the example costs,
no unit_costs.csv being loaded): the council loads its own weekly cost for children's homes only (K1 and K2),
and the stored forecast worked out again for that year prices children's homes at it and everything else as
before."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import numpy as np
from webhelpers import LA, YEARS

YEAR = YEARS[-1]  # the fixture loads its extracts as at the latest year
HOMES_EXAMPLE, HOMES_OWN = 6500, 7800  # unit_costs.example.yaml's children's homes figure; the council's own


def _with_own_home_costs(fixture_db, tmp_path: Path):
    """A copy of the fixture's database with unit_costs.csv (children's homes only) loaded as at ``YEAR``."""
    from careboard.returns.reader import read_returns
    from careboard.store.db import connect
    from careboard.store.load import load_returns

    db = tmp_path / "careboard.duckdb"
    shutil.copyfile(fixture_db.db, db)
    folder = tmp_path / LA / "extracts"
    folder.mkdir(parents=True)
    (folder / "unit_costs.csv").write_text("PLACE,PROVIDER_GROUP,WEEKLY_COST_GBP,ILLUSTRATIVE\n"
                                           f"K2,any,{HOMES_OWN},0\nK1,any,{HOMES_OWN},0\n")
    con = connect(db)
    before = _stored_spend(con)
    load_returns(con, read_returns([folder], LA, YEAR), replace_tables=["UnitCosts"])  # the other extracts kept
    return con, before


def _stored_spend(con):
    from careboard.sufficiency.stored_forecast import read_forecast

    found = read_forecast(con, LA, YEAR)
    assert found is not None and found.figures is not None and found.figures.spend is not None
    return found.figures.spend


def test_the_stored_forecast_prices_spend_at_the_councils_loaded_costs_and_the_section_says_which_are_examples(
        fixture_db, tmp_path):
    from careboard.publish.pack import environment
    from careboard.publish.sufficiency import build_sufficiency
    from careboard.sufficiency import stored_forecast
    from careboard.sufficiency.cost import authority_costs, example_costs
    from careboard.sufficiency.states import CAT_INDEX, CATEGORIES

    con, before = _with_own_home_costs(fixture_db, tmp_path)
    try:
        homes = CAT_INDEX["Children's homes"]
        # the fixture's refresh priced every category at the example figures, and said so
        assert before.weekly == [float(w) for w in example_costs().weekly] and before.weekly[homes] == HOMES_EXAMPLE
        assert before.illustrative and before.examples == list(CATEGORIES)
        # the authority's costs: its own for children's homes (every child in one is in K1 or K2, or in a code the
        # file has no cost for, so the weighted average is the one figure), the examples for the rest
        costs = authority_costs(con, LA, dt.date(YEAR, 3, 31))
        assert costs.weekly[homes] == HOMES_OWN
        assert list(costs.examples) == [c for c in CATEGORIES if c != "Children's homes"]
        # unit_costs.csv cannot say what a place out of area costs over a local one: the example extra is kept (the
        # plan would otherwise price every out-of-area children's home place as free), and the costs say so
        assert example_costs().out_of_area_extra[homes] > 0
        assert np.array_equal(costs.out_of_area_extra, example_costs().out_of_area_extra)
        assert costs.source.endswith("the extra a week for a place out of area at the example figures")
        # the refresh's members' forecast for the year, worked out again after the load
        rows = stored_forecast.work_out(con, [(LA, YEAR)])
        stored_forecast.store(con, rows)
        after = _stored_spend(con)
        assert after.weekly[homes] == HOMES_OWN and "Children's homes" not in after.examples
        # the same futures (same seed), so children's homes' spend moves by 7,800 / 6,500 = 1.2 exactly in every
        # year and percentile, and every other category's not at all
        assert np.allclose(after.by_category[:, :, homes], before.by_category[:, :, homes] * 1.2)
        others = [i for i in range(len(CATEGORIES)) if i != homes]
        assert np.array_equal(after.by_category[:, :, others], before.by_category[:, :, others])
        assert before.by_category[1, 0, homes] > 0  # by hand: a first-year median of children's home weeks at £6,500
        weeks = before.by_category[1, 0, homes] / HOMES_EXAMPLE
        assert abs(after.by_category[1, 0, homes] - weeks * HOMES_OWN) < 1e-6
        assert (after.total[1] > before.total[1]).all()

        # the members' section reads the stored forecast (made with the authority's costs) and says which are examples
        view = build_sufficiency(con, LA, YEAR, plan=False)
    finally:
        con.close()
    assert view is not None and view.spend is not None
    shown = {r.category: r for r in view.spend.rows if r.weekly_cost is not None}
    assert shown["Children's homes"].weekly_cost == HOMES_OWN and not shown["Children's homes"].example
    assert all(r.example for c, r in shown.items() if c != "Children's homes")
    assert view.spend.note.startswith("Costs are partly example figures (illustrative), not all the council's own")
    assert view.spend.whose == "Illustrative costs, some not this council's."
    html = environment().get_template("partials/sufficiency.html").render(
        briefing=SimpleNamespace(sufficiency=view), markers={}, inline_svg=True)
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
    assert "Illustrative costs, some not this council's." in text and view.spend.note in text
    assert f"Children's homes £{HOMES_OWN:,}" in text and "Children's homes £7,800 (example)" not in text
    assert "In-house fostering £550 (example)" in text
