"""The pack's sufficiency section: rounded forecasts, no small current count, sentences that match the figures.

One small synthetic authority (seed 1, three years: 3 children placed for adoption on 31 March 2026, so the
1-5 rule and secondary suppression are exercised) is generated, loaded and rendered once per session.
Expectations are worked out independently of publish.sufficiency: today's counts by SQL over
``model_care``, forecast quantiles from the same seeded simulation, rounding with Decimal.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pytest

from careboard.publish.sufficiency import Forecast, SufficiencyView, round_forecast, sentence

LA, YEAR, SEED = "358", 2026, 1
START = dt.date(YEAR, 3, 31)
CATEGORIES = ("Kinship fostering", "In-house fostering", "Agency fostering", "Children's homes",
              "Supported accommodation", "With parents", "Placed for adoption", "Other")
DATE_WORDS = re.compile(r"\b(?:\d{1,2} )?(?:January|February|March|April|May|June|July|August|September|October|"
                        r"November|December) \d{4}\b")


def numbers(text: str) -> list[int]:
    """The figures in a sentence, dates left out ('31 March 2026', 'March 2029' are not figures)."""
    return [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", DATE_WORDS.sub("", text))]


def html_text(html: str) -> str:
    """The text of the pack's HTML as pdftotext lays a page out: a line for each heading, paragraph, list item
    and table row, a table's cells side by side on their row's line."""
    from lxml import html as lxml_html

    root = lxml_html.fromstring(html)
    for el in root.iter("style", "script", "title"):
        el.text = ""
    for tr in list(root.iter("tr")):
        row = " ".join(" ".join(cell.text_content().split()) for cell in tr if cell.tag in ("td", "th"))
        for cell in list(tr):
            tr.remove(cell)
        tr.text = row
    for el in root.iter("tr", "p", "li", "h1", "h2", "h3", "h4", "caption", "div", "dt", "dd", "figcaption"):
        el.tail = "\n" + (el.tail or "")
    return root.text_content()


@pytest.fixture(scope="session")
def authority(tmp_path_factory):
    """(connection, briefing with the section, the text of the pack, the folder the returns are in, the releases
    the briefing took its figures from) for a 300-child synthetic authority.

    The text is the pack's HTML, which WeasyPrint prints: the section's own text in a printed pack is checked on
    the county's pack (test_pack.py: test_the_printed_pack_has_the_sufficiency_section_as_rendered)."""
    from careboard.measures.compute import ensure_computed
    from careboard.publish.briefing import build_briefing
    from careboard.publish.pack import render_html
    from careboard.publish.release import Releases
    from careboard.returns.reader import read_returns
    from careboard.store.db import connect
    from careboard.store.load import load_returns
    from careboard.synth import generate

    out = tmp_path_factory.mktemp("sufficiency_pack")
    generate(out, LA, 300, [2024, 2025, 2026], SEED)  # three years: each year is a release to build
    con = connect(out / "c.duckdb")
    # the SSDA903 returns only: the section is made of them, and without the CIN census's figures each release
    # (one a year, for the pack's trends) has far fewer cells to control
    load_returns(con, read_returns([out / LA / "ssda903"], LA))
    ensure_computed(con)
    releases = Releases(LA)  # kept for test_default_briefing_has_no_section
    briefing = build_briefing(con, LA, YEAR, with_sufficiency=True, releases=releases)
    yield con, briefing, html_text(render_html(briefing)), out, releases
    con.close()


@pytest.fixture(scope="session")
def view(authority) -> SufficiencyView:
    s = authority[1].sufficiency
    assert s is not None
    return s


@pytest.fixture(scope="session")
def counts_now(authority) -> dict[str, int]:
    """Children looked after at the end of 31 March by placement category, straight from model_care."""
    from careboard.store.reference import install

    con = authority[0]
    install(con)
    rows = con.execute(
        "SELECT placement_category(c.PLACE, c.PLACE_PROVIDER), count(DISTINCT c.CHILD) FROM model_care c "
        "JOIN model_children ch ON ch.la = c.la AND ch.CHILD = c.CHILD WHERE c.la = ? AND c.DECOM <= ? "
        "AND (c.DEC IS NULL OR c.DEC > ?) AND ch.dob + INTERVAL 18 YEAR > ? GROUP BY ALL", [LA, START, START, START]
    ).fetchall()
    return {c: 0 for c in CATEGORIES} | {c: n for c, n in rows}


@pytest.fixture(scope="session")
def section(authority) -> str:
    """The section's text from the pack (sentences may wrap across lines: the tests collapse whitespace)."""
    text = authority[2]
    start = text.index("Placements we will need: forecast")  # the heading, not the pack's list of contents
    return text[start:]  # the last section of the pack


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_round_forecast_worked_examples():
    d = dt.date(2029, 3, 31)
    # 57.5 / 5 = 11.5 rounds half up to 12 -> 60; the interval goes outwards: 47 -> 45, 68.2 -> 70.
    assert round_forecast(d, 47.0, 57.5, 68.2) == Forecast(d, 60, 45, 70)
    # A float just above a multiple (49.900000000000006 from np.percentile) still floors to 45.
    assert round_forecast(d, 49.900000000000006, 52.4, 55.0) == Forecast(d, 50, 45, 55)
    assert round_forecast(d, 0.4, 2.4, 4.0) == Forecast(d, 0, 0, 5)
    # From 1,000 the step is 10.
    assert round_forecast(d, 1003.0, 1046.0, 1091.0) == Forecast(d, 1050, 1000, 1100)


def test_sentence_claims_a_change_only_when_the_whole_range_moved():
    d = dt.date(2029, 3, 31)
    assert sentence("to need children's homes", Forecast(d, 60, 50, 70), 48) == (
        "We expect about 60 children (between 50 and 70) to need children's homes in March 2029, up from 48 now.")
    assert sentence("to need children's homes", Forecast(d, 40, 30, 45), 48).endswith("down from 48 now.")
    assert sentence("to need children's homes", Forecast(d, 45, 40, 50), 48).endswith(
        "compared with 48 now: the range includes no change.")
    assert sentence("to be placed for adoption", Forecast(d, 0, 0, 0), 0) == (
        "We do not expect any children to be placed for adoption in March 2029; none are now.")


def test_default_briefing_has_no_section(authority):
    from careboard.publish.briefing import build_briefing

    con, with_section, *_, releases = authority
    assert with_section.sufficiency is not None
    assert build_briefing(con, LA, YEAR, releases=releases).sufficiency is None


def test_current_counts_are_controlled(view, counts_now):
    assert view.total.now == sum(counts_now.values())
    small = {c for c, n in counts_now.items() if 1 <= n <= 5}
    assert small  # the authority is chosen so that the 1-5 rule is exercised
    by_name = {r.category: r for r in view.categories}
    assert [r.category for r in view.categories] == list(CATEGORIES)
    for c, n in counts_now.items():
        r = by_name[c]
        if c in small:
            assert r.now == "c" and r.hidden and r.forecasts == [] and r.chart is None and r.sentence is None
        elif not r.hidden:
            assert r.now == n
    hidden = [r for r in view.categories if r.hidden]
    # One hidden cell is never alone: the next-smallest is hidden too, so the total cannot give it away.
    assert len(hidden) != 1
    if small:
        assert view.hidden_note and all(r.category.lower() in view.hidden_note.lower()
                                        for r in hidden if r.category != "Other")
    spend_names = {r.category for r in view.spend.rows} if view.spend else set()
    assert not spend_names & {r.category for r in hidden}


def test_hidden_categories_are_the_scorecards(authority, view):
    """Issue 11: the sufficiency page hid "With parents" while the scorecard showed it.  Both now take today's
    counts from the year's release, so a placement type is hidden on both or on neither."""
    briefing = authority[1]
    breakdown = dict(next(m for m in briefing.measures() if m.id == "cla_31_march").breakdowns["placement_type"])
    for r in view.categories:
        shown = breakdown.get(r.category, 0)
        assert (r.now == "c") == (shown == "c"), (r.category, r.now, shown)
        if r.now != "c":
            assert r.now == shown
    mix = {m.id: m for m in briefing.measures() if m.id.startswith("placement_mix_")}
    names = {"Kinship fostering": "kinship", "In-house fostering": "inhouse_fostering",
             "Agency fostering": "agency_fostering", "Children's homes": "childrens_homes",
             "Supported accommodation": "supported", "With parents": "with_parents",
             "Placed for adoption": "adoption", "Other": "other"}
    for r in view.categories:
        assert (mix[f"placement_mix_{names[r.category]}"].row["value"] == "c") == r.hidden, r.category


def test_forecasts_match_the_simulation(authority, view, counts_now):
    from careboard.sufficiency.estimate import data_span, fit, load_spells
    from careboard.sufficiency.simulate import simulate

    con = authority[0]
    first, _ = data_span(con, LA)
    sim = simulate(fit(load_spells(con, LA), START, data_start=first), 36, n_sims=view.simulations, seed=1)
    by_cat = sim.by_category()

    def expected(values: np.ndarray, month: int) -> tuple[int, int, int]:
        p10, p50, p90 = (Decimal(repr(round(float(np.percentile(values[:, month], p)), 6))) for p in (10, 50, 90))
        five = Decimal(5)
        return (int((p50 / five).quantize(Decimal(1), ROUND_HALF_UP) * five),
                int((p10 / five).quantize(Decimal(1), ROUND_FLOOR) * five),
                int((p90 / five).quantize(Decimal(1), ROUND_CEILING) * five))

    assert view.horizons == [dt.date(2027, 3, 31), dt.date(2028, 3, 31), dt.date(2029, 3, 31)]
    for k, f in enumerate(view.total.forecasts):
        assert (f.central, f.lower, f.upper) == expected(sim.totals(), 12 * (k + 1))
    for i, c in enumerate(CATEGORIES):
        row = view.categories[i]
        assert int(by_cat[0, 0, i]) == counts_now[c]
        for k, f in enumerate(row.forecasts):
            assert (f.central, f.lower, f.upper) == expected(by_cat[:, :, i], 12 * (k + 1))
            assert f.central % 5 == f.lower % 5 == f.upper % 5 == 0
            assert f.lower <= f.central <= f.upper


def test_section_renders_with_sentences_that_match_the_figures(section, view):
    text = flat(section)
    assert "Placements we will need: forecast to March 2029" in text
    assert "Illustrative costs, not this council's" in text and "illustrative costs" in text
    for s in view.summary:
        assert s in text
    # The overall sentence: about C (between L and U) in March 2029, compared with / up from / down from N now.
    end = view.total.forecasts[-1]
    assert numbers(view.total.sentence) == [end.central, end.lower, end.upper, view.total.now]
    assert numbers(view.summary[0]) == [view.total.now]
    for r in view.shown:
        assert r.sentence in text, r.category
        assert numbers(r.sentence) == expected_numbers(r.forecasts[-1], r.now), r.sentence


def expected_numbers(f: Forecast, now: int) -> list[int]:
    """The figures a category sentence must state, in order; today's 0 is written 'none'."""
    today = [now] if now else []
    if f.upper == 0:
        return today
    if f.central == 0:
        return [0, f.upper, *today]
    return [f.central, f.lower, f.upper, *today]


def test_sentences_stay_inside_their_intervals(section):
    text = flat(section)
    found = re.findall(r"about ([\d,]+) children \(between ([\d,]+) and ([\d,]+)\)", text)
    assert found
    for c, lo, hi in found:
        assert int(lo.replace(",", "")) <= int(c.replace(",", "")) <= int(hi.replace(",", ""))
    cells = re.findall(r"\b([\d,]+) \(([\d,]+) to ([\d,]+)\)", text)
    assert len(cells) >= 3 * (1 + len(re.findall(r"\(\d+ now\)", text)))
    for c, lo, hi in cells:
        assert int(lo.replace(",", "")) <= int(c.replace(",", "")) <= int(hi.replace(",", ""))


def test_no_current_count_of_one_to_five_is_printed(section, view, counts_now):
    text = flat(section)
    for n in re.findall(r"(\d[\d,]*) now\b", text):
        assert not 1 <= int(n.replace(",", "")) <= 5, n
    # The table: each category's first figure is today's count, or 'c'.
    table = section[section.index("Children looked after by type of placement"):]
    lines = table[:table.index("All children looked after")].splitlines()
    for c, n in counts_now.items():
        row = next(line for line in lines if line.strip().startswith(c))
        first = row.strip()[len(c):].split()[0]
        if 1 <= n <= 5:
            assert first == "c", row
        else:
            assert first in ("c", f"{n:,}"), row


def test_charts_are_accessible(view):
    for svg in [view.chart] + [r.chart for r in view.shown]:
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", view.chart).group(1)
    for f in view.total.forecasts:
        assert f"about {f.central:,} ({f.lower:,} to {f.upper:,})" in desc


def test_too_little_history_gives_no_section(authority, tmp_path):
    from careboard.publish.sufficiency import build_sufficiency
    from careboard.returns.reader import read_returns
    from careboard.store.db import connect
    from careboard.store.load import load_returns

    folder = Path(authority[3]) / LA / "ssda903" / "2025-26"
    con = connect(tmp_path / "one_year.duckdb")
    try:
        load_returns(con, read_returns([folder], LA))
        assert build_sufficiency(con, LA, YEAR) is None
    finally:
        con.close()
