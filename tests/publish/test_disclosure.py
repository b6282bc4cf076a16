"""Disclosure control: small counts, small groups, secondary suppression, derived fields, allow-list."""

from __future__ import annotations

import pytest
from helpers import count_set, measure, proportion_set, row
from hypothesis import given, settings
from hypothesis import strategies as st

from careboard.publish.disclosure import (
    NOT_AVAILABLE,
    OUTPUT_KEYS,
    SUPPRESSED,
    UNDER_HALF,
    DisclosureError,
    control,
    figure,
    suppressed_values,
)

COUNT = measure("kids")
PROP = measure("share", kind="proportion", unit="%", polarity="low")
BIG = measure("big_cohort", kind="proportion", unit="%", polarity="high", min_cohort=10)
MEAN = measure("days", kind="mean", unit="days", polarity="low")
RATE = measure("rate", kind="rate", unit="per 10,000")
MEASURES = {m.id: m for m in (COUNT, PROP, BIG, MEAN, RATE)}


def by_value(rows: list[dict]) -> dict[str, dict]:
    return {r["breakdown_value"]: r for r in rows}


def test_counts_of_one_to_five_are_hidden_and_zero_is_published():
    out = by_value(control(count_set("kids", {"A": 3, "B": 2, "Z": 0, "C": 40, "D": 50}), measures=MEASURES))
    assert out["A"]["value"] == SUPPRESSED and out["A"]["numerator"] == SUPPRESSED
    assert out["A"]["suppressed"] and out["B"]["value"] == SUPPRESSED
    assert out["Z"]["value"] == 0  # DfE publishes zeros


def test_percentages_built_on_small_counts_or_groups_are_hidden():
    rows = proportion_set("share", {"A": (4, 60), "B": (10, 5), "C": (20, 80), "D": (30, 90)})
    out = by_value(control(rows, measures=MEASURES))
    assert out["A"]["value"] == SUPPRESSED and out["A"]["denominator"] == SUPPRESSED  # numerator 4
    assert out["B"]["value"] == SUPPRESSED  # group of 5 (and a nonsense numerator)
    assert figure(out["All"]["value"]) is not None


def test_groups_below_the_measure_min_cohort_are_hidden():
    rows = proportion_set("big_cohort", {"A": (6, 8), "B": (30, 90), "C": (40, 95)})
    out = by_value(control(rows, measures=MEASURES))
    assert out["A"]["value"] == SUPPRESSED
    assert "small" in out["A"]["suppressed"]


def test_averages_of_small_groups_are_hidden():
    rows = [row("days", num=None, den=40, value=300.0), row("days", "sex", "F", den=3, value=210.0),
            row("days", "sex", "M", den=37, value=307.0)]
    out = by_value(control(rows, measures=MEASURES))
    assert out["F"]["value"] == SUPPRESSED
    # the other cell goes too: from the headline average and group sizes, F's average would follow
    assert out["M"]["value"] == SUPPRESSED


def test_secondary_suppression_stops_recovery_by_subtraction():
    cells = {"Ashford": 3, "Dover": 777, "Maidstone": 2468, "Thanet": 3579}
    rows = count_set("kids", cells)
    out = by_value(control(rows, measures=MEASURES))
    # Without secondary suppression Ashford = 6827 - 777 - 2468 - 3579.
    assert out["Ashford"]["value"] == SUPPRESSED
    assert out["Dover"]["value"] == SUPPRESSED and "worked out" in out["Dover"]["suppressed"]
    assert out["Maidstone"]["value"] == 2468 and out["Thanet"]["value"] == 3579
    assert suppressed_values(rows, list(out.values())) == {3.0, 777.0}


def test_secondary_suppression_picks_the_smallest_group_for_percentages():
    rows = proportion_set("share", {"A": (4, 50), "B": (13, 61), "C": (40, 200), "D": (90, 300)})
    out = by_value(control(rows, measures=MEASURES))
    assert [k for k, r in out.items() if r["value"] == SUPPRESSED] == ["A", "B"]


def test_no_secondary_suppression_when_two_cells_are_already_hidden():
    out = by_value(control(count_set("kids", {"A": 3, "B": 2, "C": 40, "D": 50}), measures=MEASURES))
    assert out["C"]["value"] == 40 and out["D"]["value"] == 50


def test_fields_derived_from_a_hidden_value_are_hidden():
    r = row("share", num=3, den=90, value=3.3, quartile_band="A", rank=4, ranked_of=150, trend="improving",
            target_status="green", england=10.0, previous=5.0, previous_source="published")
    (out,) = control([r], measures=MEASURES)
    for key in ("value", "quartile_band", "rank", "trend", "target_status"):
        assert out[key] == SUPPRESSED
    assert out["england"] == 10.0  # the DfE's published figure is not ours to hide


def test_previous_year_figures_are_checked_too():
    now = row("share", num=20, den=100, value=20.0, previous=4.0, previous_source="careboard", trend="worsening")
    before = row("share", num=4, den=100, value=4.0, year=2025)
    (out,) = control([now], previous_rows=[before], measures=MEASURES)
    assert out["previous"] == SUPPRESSED and out["trend"] == SUPPRESSED
    (unchecked,) = control([now], measures=MEASURES)
    assert unchecked["previous"] == NOT_AVAILABLE
    ok_before = row("share", num=30, den=100, value=30.0, year=2025)
    (fine,) = control([{**now, "previous": 30.0}], previous_rows=[ok_before], measures=MEASURES)
    assert fine["previous"] == 30.0 and fine["trend"] == "worsening"


def test_rates_without_a_population_are_not_available_and_tiny_shares_are_k():
    (rate,) = control([row("rate", num=418, den=None, value=418.0)], measures=MEASURES)
    assert rate["value"] == NOT_AVAILABLE
    (tiny,) = control([row("share", num=7, den=20000, value=0.0)], measures=MEASURES)
    assert tiny["value"] == UNDER_HALF


def test_only_allowed_keys_leave_and_unknown_breakdowns_are_refused():
    (out,) = control([row("kids", num=40, value=40, CHILD="C0001", DOB="2010-01-01", UPN="A1")], measures=MEASURES)
    assert set(out) <= set(OUTPUT_KEYS)
    assert "C0001" not in repr(out)
    with pytest.raises(DisclosureError):
        control([row("kids", "CHILD", "C0001", num=1, value=1)], measures=MEASURES)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=8))
def test_no_set_is_left_with_a_single_recoverable_cell(counts):
    rows = count_set("kids", {f"area{i}": c for i, c in enumerate(counts)})
    out = control(rows, measures=MEASURES)
    cells = [r for r in out if r["breakdown"] != "all"]
    hidden = [r for r in cells if r["value"] == SUPPRESSED]
    head = next(r for r in out if r["breakdown"] == "all")
    assert all(not (isinstance(r["value"], float | int) and 0 < r["value"] <= 5) for r in out)
    if figure(head["value"]) is not None and len(cells) > 1:
        assert len(hidden) != 1
