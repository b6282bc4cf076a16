"""Narrative says only what the numbers support."""

from __future__ import annotations

import re

from helpers import measure, row
from hypothesis import given, settings
from hypothesis import strategies as st

from careboard.measures import themes
from careboard.publish.narrative import change_sentence, describe, summarise, tolerance

UNITS = ["%", "number", "per 10,000", "days", "score"]
values = st.floats(min_value=0, max_value=2000, allow_nan=False, allow_infinity=False).map(lambda v: round(v, 1))


@settings(max_examples=500, deadline=None)
@given(values, values, st.sampled_from(["high", "low", None]), st.sampled_from(UNITS))
def test_direction_and_verdict_never_contradict_the_numbers(value, previous, polarity, unit):
    text = change_sentence("The measure", value, previous, unit, polarity)
    assert text is not None
    diff, tol = value - previous, tolerance(unit, previous)
    if " up from " in text:
        assert diff > tol
    if " down from " in text:
        assert diff < -tol
    if "about the same" in text:
        assert abs(diff) <= tol
    if "better" in text:
        assert polarity is not None and (diff > 0) == (polarity == "high")
    if "worse" in text:
        assert polarity is not None and (diff > 0) == (polarity == "low")
    if polarity is None:
        assert "better" not in text and "worse" not in text
    # the figures as written agree with the direction stated: "The measure: 12.5% this year, up from 10.0% last year"
    unit_text = r"(?:%| per 10,000| days?)?"
    found = re.search(rf": (\d[\d,.]*){unit_text} this year, (?:up|down) from (\d[\d,.]*){unit_text} last year", text)
    now, then = [float(x.replace(",", "").rstrip(".")) for x in found.groups()] if found else (None, None)
    if " up from " in text:
        assert then < now
    if " down from " in text:
        assert then > now


def test_within_tolerance_is_about_the_same():
    assert "about the same" in change_sentence("Reviews on time", 80.4, 80.0, "%", "high")
    assert change_sentence("Reviews on time", 81.5, 80.0, "%", "high") == (
        "Reviews on time: 81.5% this year, up from 80.0% last year, which is better.")
    assert "better" in change_sentence("Reviews on time", 81.5, 80.0, "%", "high")


def test_a_hidden_figure_is_never_narrated():
    m = measure("share", kind="proportion", unit="%", polarity="low")
    r = row("share", num="c", den="c", value="c", previous=12.5, england=9.9, sn_mean=11.1, quartile_band="c",
            trend="c")
    text = " ".join(describe(r, m, 2026))
    assert "not shown (c)" in text
    for figure_text in ("12.5", "9.9", "11.1", "better", "worse", "quarter"):
        assert figure_text not in text


def test_a_hidden_previous_figure_means_no_direction():
    m = measure("share", kind="proportion", unit="%", polarity="low")
    text = " ".join(describe(row("share", num=20, den=100, value=20.0, previous="c"), m, 2026))
    assert "20.0%" in text
    for word in (" up ", " down ", "better", "worse", "about the same", "last year"):
        assert word not in text


def test_quarters_come_only_from_the_band_and_benchmarks_only_when_present():
    m = measure("share", kind="proportion", unit="%", polarity="low")
    plain = " ".join(describe(row("share", num=20, den=100, value=20.0, previous=20.2), m, 2026))
    assert "quarter" not in plain and "England" not in plain and "neighbours" not in plain
    best = " ".join(describe(row("share", num=20, den=100, value=20.0, quartile_band="A", england=25.0,
                                 sn_mean=20.3, benchmark_year=2026), m, 2026))
    assert "best quarter" in best and "better than England (25.0%)" in best
    assert "about the same as the average of our statistical neighbours (20.3%)" in best
    worst = " ".join(describe(row("share", num=20, den=100, value=20.0, quartile_band="D", best_quartile=9.0), m, 2026))
    assert "worst quarter" in worst and "9.0% or less" in worst


def test_counts_are_not_compared_with_england():
    m = measure("kids")
    text = " ".join(describe(row("kids", num=418, value=418, england=81770.0, sn_mean=600.0), m, 2026))
    assert "England" not in text and "81,770" not in text


def test_summary_orders_moves_and_asks_three_to_five_questions():
    ms = {
        "stab": measure("stab", "proportion", "%", "high", theme="Stability"),
        "health": measure("health", "proportion", "%", "high", theme="Health"),
        "moves": measure("moves", "proportion", "%", "low", theme="Stability"),
        "flat": measure("flat", "proportion", "%", "high", theme="Reviews and timeliness"),
    }
    rows = [
        row("stab", num=55, den=100, value=55.0, previous=58.0, quartile_band="D"),
        row("health", num=95, den=100, value=95.0, previous=85.0, quartile_band="A"),
        row("moves", num=15, den=100, value=15.0, previous=9.0, quartile_band="C"),
        row("flat", num=80, den=100, value=80.0, previous=80.5),
    ]
    s = summarise(rows, ms)
    assert [c.measure for c in s.better] == ["health"]
    assert [c.measure for c in s.worse] == ["moves", "stab"]  # the biggest move first
    assert 3 <= len(s.questions) <= 5
    assert s.questions[0].startswith("Title of stab: in the worst quarter")
    assert sum("Title of moves" in q for q in s.questions) == 0  # one question per theme
    assert themes.question("Stability") in s.questions[0]
