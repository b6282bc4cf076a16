"""Issue 15.4 for members: the linked groups' counts under disclosure control (publish/missing_themes.py),
on hand-built summaries whose expected figures are worked out by hand."""

from __future__ import annotations

from careboard.publish.missing_themes import Involved, control
from careboard.publish.pack import environment


def _summary(children: int, groups: int, concern: int, providers: list[tuple], areas: list[tuple]) -> dict:
    return {"la": "358", "year": 2026, "children": children, "groups": groups,
            "groups_with_exploitation_concern": concern,
            "providers": [{"provider": p, "groups": g, "children": c} for p, g, c in providers],
            "areas": [{"area": a, "groups": g, "children": c} for a, g, c in areas]}


def test_counts_of_one_to_five_are_hidden_and_larger_ones_and_zeros_shown():
    # two groups (hidden: 2), eleven children (shown), one provider's eight children shown, the other's three hidden
    view = control(_summary(11, 2, 0, [("SC100001", 1, 8), ("SC100002", 1, 3)], [("Trafford", 2, 11)]))
    assert (view.groups, view.children, view.groups_with_exploitation_concern) == ("c", 11, 0)
    assert view.providers == [Involved("SC100001", "c", 8), Involved("SC100002", "c", "c")]
    assert view.areas == [Involved("Trafford", "c", 11)]
    assert view.any_hidden


def test_one_small_group_hides_everything_about_it():
    # the fixture's case: one group of three children from one home, in one area
    view = control(_summary(3, 1, 1, [("SC100001", 1, 3)], [("Trafford", 1, 3)]))
    assert (view.groups, view.children, view.groups_with_exploitation_concern) == ("c", "c", "c")
    assert {x for row in view.providers + view.areas for x in (row.groups, row.children)} == {"c"}


def test_no_group_is_a_zero_not_a_hidden_figure():
    view = control(_summary(0, 0, 0, [], []))
    assert (view.groups, view.children, view.providers, view.areas, view.any_hidden) == (0, 0, [], [], False)


def test_the_section_shows_the_controlled_figures_and_the_marker():
    view = control(_summary(11, 2, 0, [("SC100001", 1, 8), ("SC100002", 1, 3)], [("Trafford", 2, 11)]))
    html = environment().get_template("partials/missing_themes.html").render(mt=view, markers=view.markers)
    assert '<strong data-linked="children">11</strong>' in html
    assert 'data-linked="children"><abbr class="cb-marker" title="confidential' in html
    assert "SC100002" in html and ">3<" not in html


def test_incidents_by_time_of_day_hide_small_counts_and_one_more():
    # 30 incidents: 3 at night (hidden), 20 in the evening, 7 in the morning (hidden too, or 30 - 20 - 7 gives 3)
    breakdowns = {"total": [{"value": "All", "incidents": 30, "children": 9}],
                  "time_of_day": [{"value": "Night (00:00-05:59)", "incidents": 3, "children": 1},
                                  {"value": "Evening (18:00-23:59)", "incidents": 20, "children": 5},
                                  {"value": "Morning (06:00-11:59)", "incidents": 7, "children": 3}]}
    view = control(_summary(0, 0, 0, [], []), breakdowns)
    assert view.incidents == 30
    assert view.incidents_by == [("Time of day they went missing", [
        ("Night (00:00-05:59)", "c"), ("Evening (18:00-23:59)", 20), ("Morning (06:00-11:59)", "c")])]
