"""Issue 18: a council prices its own out-of-area places (unit_costs.csv's optional OUT_OF_AREA_EXTRA_GBP).

Without it the sufficiency plan keeps careboard's example extra a week for a place beyond the distance limit
(children's homes and supported accommodation), so no out-of-area place is priced as free; the members'
costs note names the placement types still at that example figure.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from careboard.model.build import build
from careboard.publish.sufficiency_plan import costs_note
from careboard.returns.reader import read_returns
from careboard.store.db import connect
from careboard.store.load import load_returns
from careboard.sufficiency.cost import CostError, example_costs, load_costs, stored_costs
from careboard.sufficiency.states import CAT_INDEX

HEAD = "PLACE,PROVIDER_GROUP,WEEKLY_COST_GBP,ILLUSTRATIVE,OUT_OF_AREA_EXTRA_GBP\n"
ALL_PLACES = ("U1,any,401,0,\nU4,any,601,0,\nIFA,agency,1001,0,\nK3,any,2501,0,{k3}\nP1,any,201,0,\n"
              "A3,any,301,0,\nK2,any,7001,0,1234\n")
HOMES, SUPPORTED = CAT_INDEX["Children's homes"], CAT_INDEX["Supported accommodation"]


def _loaded(tmp_path: Path, text: str):
    folder = tmp_path / "886" / "extracts"
    folder.mkdir(parents=True)
    (folder / "unit_costs.csv").write_text(text)
    con = connect(":memory:")
    load_returns(con, read_returns([folder], la="886", year=2026))
    build(con)  # as the refresh after the load: costs are weighted by the children's placements
    costs = stored_costs(con, "886", dt.date(2026, 3, 31))
    con.close()
    assert costs is not None
    return costs


def test_the_councils_extra_replaces_the_example_and_the_note_names_what_is_still_an_example(tmp_path: Path):
    costs = _loaded(tmp_path, HEAD + ALL_PLACES.format(k3=""))
    example = example_costs().out_of_area_extra
    assert example[HOMES] != 1234 and example[SUPPORTED] > 0
    assert costs.out_of_area_extra[HOMES] == 1234  # the council's own, from its K2 row
    assert costs.out_of_area_extra[SUPPORTED] == example[SUPPORTED]  # none given for K3: the example, not free
    others = np.delete(costs.out_of_area_extra, [HOMES, SUPPORTED])
    assert np.array_equal(others, np.delete(example, [HOMES, SUPPORTED]))
    assert costs.source.endswith("at the example figures for Supported accommodation")
    note = costs_note(costs.illustrative, costs.source)
    assert "is careboard's example figure for supported accommodation" in note
    assert "children's homes" not in note


def test_every_extra_given_leaves_no_example_and_no_caveat(tmp_path: Path):
    costs = _loaded(tmp_path, HEAD + ALL_PLACES.format(k3="150"))
    assert costs.out_of_area_extra[HOMES] == 1234 and costs.out_of_area_extra[SUPPORTED] == 150
    assert "example figures" not in costs.source.replace("(example figures for Other)", "")
    note = costs_note(costs.illustrative, costs.source)
    assert "out of area" not in note


def test_a_file_without_the_column_keeps_every_example_extra(tmp_path: Path):
    costs = _loaded(tmp_path, "PLACE,PROVIDER_GROUP,WEEKLY_COST_GBP,ILLUSTRATIVE\nK2,any,7001,0\n")
    assert np.array_equal(costs.out_of_area_extra, example_costs().out_of_area_extra)
    assert "since the loaded unit_costs.csv gives none" in costs_note(costs.illustrative, costs.source)


@pytest.mark.parametrize("value, message", [("lots", "line 3: OUT_OF_AREA_EXTRA_GBP 'lots' is not a number"),
                                            ("-5", "line 3: OUT_OF_AREA_EXTRA_GBP is negative")])
def test_a_cost_file_given_to_the_forecast_checks_the_extra(tmp_path: Path, value: str, message: str):
    path = tmp_path / "unit_costs.csv"
    path.write_text(HEAD + "U1,any,401,0,\n" + f"K2,any,7001,0,{value}\n")
    with pytest.raises(CostError, match=message):
        load_costs(path)
