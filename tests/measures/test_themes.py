"""Every measure is grouped once, under one of the Panel's themes, the same way on the web, in the pack and
in the CLI (issue 13, item 3; issue 14, item 6)."""

from __future__ import annotations

import dataclasses

import pytest

from careboard.measures import themes
from careboard.measures.measure import all_measures
from careboard.publish.scorecard_output import _with_meta


def test_every_catalogue_measure_is_in_a_declared_theme():
    measures = all_measures()
    assert {m.theme for m in measures.values()} <= set(themes.BY_NAME)
    panel = ["Numbers and flow", "Stability", "Health", "Education and outcomes", "Care leavers", "Missing and away",
             "Reviews and timeliness", "Children in need and child protection"]
    assert all(name in themes.BY_NAME for name in panel)
    assert all(t.meaning and t.question for t in themes.THEMES)  # "what this means" and the question to ask
    assert measures["rereferrals_12_months"].theme == "Children in need and child protection"
    assert measures["cla_31_march"].theme == "Numbers and flow"
    assert measures["convictions"].theme == "Education and outcomes"


def test_a_measure_without_a_declared_theme_is_refused(monkeypatch):
    from careboard.measures import measure as module

    stray = dataclasses.replace(all_measures()["cla_31_march"], id="stray", theme="Somewhere else")
    module.all_measures.cache_clear()
    from careboard.measures.catalogue import a_numbers

    monkeypatch.setattr(a_numbers, "MEASURES", [*a_numbers.MEASURES, stray])
    try:
        with pytest.raises(ValueError, match=r"without a declared theme.*stray"):
            module.all_measures()
    finally:
        monkeypatch.undo()
        module.all_measures.cache_clear()


def test_the_cli_scorecard_is_grouped_in_the_panels_order():
    rows = [{"measure": mid, "breakdown": "all"} for mid in reversed(list(all_measures()))]
    grouped = [r["theme"] for r in _with_meta(rows)]
    order = [t.name for t in themes.THEMES]
    assert grouped == sorted(grouped, key=order.index)
