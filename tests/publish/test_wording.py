"""Every measure's sentences, for figures of 0, 1 and many, carry their units and read as English.

Issue 13 found "1 days", a median with no unit ("Typical length of a missing incident: 1") and titles
run into a verb ("...the council is not in touch with was 5.1%").  This renders what members read for
every catalogue measure (narrative, the "since last year" cell, "n of d") and checks each figure.
"""

from __future__ import annotations

import re

import pytest

from careboard.measures.measure import all_measures
from careboard.publish import wording
from careboard.publish.briefing import _cells
from careboard.publish.narrative import describe

VALUES = {"%": (0.0, 1.0, 37.5), "number": (0.0, 1.0, 1234.0), "per 10,000": (0.0, 1.0, 65.0),
          "days": (0.0, 1.0, 365.0), "score": (0.0, 1.0, 14.8)}
PREVIOUS = {"%": 12.0, "number": 40.0, "per 10,000": 40.0, "days": 40.0, "score": 9.0}
# What must follow every figure of a unit, and what may never be written.
SUFFIX = {"%": r"%", "per 10,000": r" per 10,000", "days": r" days?\b"}
WRONG_PLURAL = re.compile(r"(?<![\d.,])1 (days|points|children|reviews|referrals|care leavers|incidents)\b"
                          r"|(?<![\d.,])(?!1 )\d[\d,]*(?:\.\d+)? (day|point|child|review|referral|care leaver)\b")
FIGURE = re.compile(r"(?<![\w.,-])\d[\d,]*(?:\.\d+)?")


def sentences(m, value: float, previous: float | None, area: bool = False) -> list[str]:
    row = {"measure": m.id, "breakdown": "all", "breakdown_value": "All", "value": value, "previous": previous,
           "england": PREVIOUS[m.unit] + 1, "sn_mean": PREVIOUS[m.unit] - 1,
           "quartile_band": "C" if m.polarity else None, "best_quartile": PREVIOUS[m.unit] + 5,
           "benchmark_year": 2025, "best_sn": 1.0, "best_sn_name": "Sale"}
    if area:
        return describe(row, m, 2026, area_name="Altrincham", council_value=PREVIOUS[m.unit] + 2)
    return describe(row, m, 2026)


def figures_without_unit(text: str, title: str, unit: str) -> list[str]:
    """Figures in ``text`` (the title, years and the unit's own 10,000 aside) not followed by the unit."""
    body = text.replace(title, "")
    body = re.sub(r"\(?\d{4}-\d{2}\)?", "", body)  # years, e.g. (2024-25)
    body = body.replace("per 10,000", "per TEN_THOUSAND")
    pattern = SUFFIX.get(unit)
    if pattern is None:
        return []
    missing = []
    for found in FIGURE.finditer(body):
        after = body[found.end():].replace("per TEN_THOUSAND", "per 10,000")
        if not re.match(pattern, after):
            missing.append(found.group(0))
    return missing


@pytest.mark.parametrize("mid", sorted(all_measures()))
def test_every_measure_reads_right_for_0_1_and_many(mid):
    m = all_measures()[mid]
    for value in VALUES[m.unit]:
        for previous in (None, PREVIOUS[m.unit], value):
            for area in (False, True):
                text = sentences(m, value, previous, area)
                assert text, (mid, value, previous)
                for s in text:
                    assert s[0].isupper() and s.endswith("."), s
                    assert "  " not in s and " ." not in s and " ," not in s, s
                    assert " was " not in s.replace(m.title, ""), s  # never "Title was 5.1%": "Title: 5.1% this year"
                    assert not WRONG_PLURAL.search(s), s
                    assert not figures_without_unit(s, m.title, m.unit), (s, figures_without_unit(s, m.title, m.unit))


@pytest.mark.parametrize(("unit", "value", "text"), [
    ("days", 1.0, "1 day"), ("days", 2.0, "2 days"), ("days", 0.0, "0 days"), ("days", 1.4, "1 day"),
    ("days", 1234.0, "1,234 days"), ("per 10,000", 1.0, "1 per 10,000"), ("%", 1.0, "1.0%"), ("number", 1.0, "1"),
    ("score", 14.84, "14.8"),
])
def test_figures_carry_their_units(unit, value, text):
    assert wording.fmt(value, unit) == text


@pytest.mark.parametrize(("value", "previous", "unit", "polarity", "text"), [
    (12.0, 10.0, "%", "high", "Up 2.0 points: better"),
    (11.0, 10.0, "%", "low", "About the same"),
    (12.0, 10.5, "%", "low", "Up 1.5 points: worse"),
    (41.0, 40.0, "days", "low", "About the same"),
    (45.0, 40.0, "days", None, "Up 5 days"),
    (10.0, 19.0, "number", None, "Down 9 (47%)"),
    (60.0, 50.0, "per 10,000", None, "Up 10 per 10,000"),
    ("c", 10.0, "%", "high", "Not shown (c)"),
    (10.0, "c", "%", "high", "Last year not shown (c)"),
    (10.0, None, "%", "high", "No figure last year"),
])
def test_since_last_year_in_words(value, previous, unit, polarity, text):
    assert wording.trend(value, previous, unit, polarity) == text


@pytest.mark.parametrize(("mid", "num", "den", "text"), [
    ("placements_3_plus", 0, 1, "0 of 1 child"),
    ("placements_3_plus", 1, 7, "1 of 7 children"),
    ("review_participation", 12, 40, "12 of 40 reviews"),
    ("care_leavers_in_touch_19_21", 30, 1, "30 of 1 care leaver"),
    ("care_leavers_in_touch_19_21", 30, 31, "30 of 31 care leavers"),
])
def test_n_of_d_names_what_it_counts(mid, num, den, text):
    m = all_measures()[mid]
    row = {"measure": mid, "value": 100.0 * num / den, "numerator": num, "denominator": den, "previous": None}
    assert _cells(row, m, None)["counted"] == text


def test_issue_15_missing_shares_count_incidents_not_children():
    """'288 of 408 missing incidents', not '... children': the shares of incidents say what they count."""
    from careboard.publish.briefing import noun

    for measure in ("return_interviews_within_72h", "missing_over_24_hours"):
        assert noun(measure) == ("missing incident", "missing incidents"), measure


def test_issue_15_workforce_shares_say_social_workers_and_fte_shares_no_count():
    """Headcount shares count social workers; shares of FTE (agency rate, vacancy rate) are not counts of people,
    so the briefing states no "n of d" for them (a rounded FTE pair would not give the rate shown)."""
    from careboard.measures.measure import all_measures
    from careboard.publish.briefing import _cells, noun

    assert noun("workforce_under_2_years") == ("social worker", "social workers")
    m = all_measures()["workforce_agency_rate"]
    assert _cells({"value": 28.6, "numerator": 1.0, "denominator": 3.5}, m, None)["counted"] == ""
    m = all_measures()["workforce_under_2_years"]
    assert _cells({"value": 66.7, "numerator": 2, "denominator": 3}, m, None)["counted"] == "2 of 3 social workers"
