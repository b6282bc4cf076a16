"""Member pages in a real browser at a phone's width and on a desktop (issue 13).

* Reflow (WCAG 2.2 1.4.10): at 320 CSS px no member page scrolls sideways; every table sits in its own
  focusable, captioned scrolling region; axe finds nothing at 320 px either.
* Every measure page has a trend chart and a breakdown chart (or, for a measure with no breakdown, a
  comparison), each an image with a title and a description, its labels at least 14 px on a desktop,
  and the figures in a table beneath.
* Breakdowns are in their natural order and in words, and each chart's rows are the table's rows.
"""

from __future__ import annotations

import json
import re

import pytest
from sweeps import CHARTS, PHONE, WIDTH_PROBLEMS, member_phone_pages, narrowed
from webhelpers import LA, axe_violations


@pytest.fixture
def phone(member):
    """The member's page at 320 px."""
    with narrowed(member) as page:
        yield page


@pytest.fixture(scope="module")
def area(member_area) -> str:
    return member_area


@pytest.fixture(scope="module")
def at_320_px(member_sweep, member_area) -> dict[str, dict]:
    """Every member page at 320 px from the run's one sweep of the member's pages (sweeps.member_sweep): its status,
    what :data:`WIDTH_PROBLEMS` finds and, on the same page as it lay out, axe's violations."""
    return {path: {"width": member_sweep[path]["width"], "axe": member_sweep[path]["phone_axe"]}
            for path in member_phone_pages(member_area)}


def test_every_member_page_reflows_at_320_px(at_320_px):
    problems = {}
    for path, seen in at_320_px.items():
        found = seen["width"]
        if found["status"] != 200 or found["scrollWidth"] > PHONE or found["tables"] or found["wide"]:
            problems[path] = found
    assert len(at_320_px) == len(member_phone_pages("")) and not problems, json.dumps(problems, indent=1)


@pytest.fixture
def analyst_phone(analyst):
    """The analyst's page at 320 px."""
    with narrowed(analyst) as page:
        yield page


def test_the_managers_iro_view_reflows_and_passes_axe_at_320_px(analyst_phone):
    """Issue 15.2: the analysts' IRO view (wide tables of IROs and children) at a phone's width."""
    response = analyst_phone.goto("/oversight/iro")
    found = analyst_phone.evaluate(WIDTH_PROBLEMS) | {"status": response.status}
    assert response.status == 200 and found["scrollWidth"] <= PHONE and not found["tables"] and not found["wide"], found
    assert analyst_phone.locator("table.cb-iro-caseloads tbody tr").count() >= 2
    assert axe_violations(analyst_phone) == []
    # ...and with a date that is not one, its GOV.UK error summary (issue 15)
    response = analyst_phone.goto("/oversight/iro?on=2026-02-30")
    found = analyst_phone.evaluate(WIDTH_PROBLEMS) | {"status": response.status}
    assert response.status == 400 and found["scrollWidth"] <= PHONE and not found["wide"], found
    assert analyst_phone.locator(".govuk-error-summary a[href='#on']").count() == 1
    assert axe_violations(analyst_phone) == []


def test_the_managers_missing_children_view_reflows_and_passes_axe_at_320_px(analyst_phone):
    """Issue 15.4: the multi-agency missing meeting's view (linked groups drawn and listed) at a phone's width."""
    response = analyst_phone.goto("/missing/manager")
    found = analyst_phone.evaluate(WIDTH_PROBLEMS) | {"status": response.status}
    assert response.status == 200 and found["scrollWidth"] <= PHONE and not found["tables"] and not found["wide"], found
    assert analyst_phone.locator("svg").count() >= 1  # the fixture's planted group is drawn
    assert axe_violations(analyst_phone) == []


def test_a_table_region_scrolls_and_takes_the_keyboard(phone):
    phone.goto("/scorecard")
    region = phone.locator(".cb-table-region").first
    assert region.evaluate("r => r.scrollWidth > r.clientWidth")  # the table is wider than the phone: it scrolls
    region.focus()
    assert phone.evaluate("() => document.activeElement.classList.contains('cb-table-region')")
    phone.keyboard.press("ArrowRight")
    phone.keyboard.press("ArrowRight")
    # keyboard scrolling is smooth (animated): wait for it rather than read scrollLeft at once
    phone.wait_for_function("() => document.querySelector('.cb-table-region').scrollLeft > 0", timeout=15_000)
    assert phone.evaluate("() => document.documentElement.scrollLeft") == 0


def test_axe_finds_nothing_at_320_px(at_320_px):
    problems = {path: seen["axe"] for path, seen in at_320_px.items() if seen["axe"]}
    assert len(at_320_px) == len(member_phone_pages("")) and not problems, json.dumps(problems, indent=1)


def test_every_measure_page_has_a_trend_chart_and_a_breakdown_chart(member, area, fixture_db, member_sweep):
    from careboard.store.db import connect

    con = connect(fixture_db.db, read_only=True)
    try:  # the measures the latest year has figures for (the fixture loads the IRO extract, no CSWW census)
        has_figures = {r[0] for r in con.execute(
            "SELECT DISTINCT measure FROM measure_values WHERE la = ? AND year = 2026 AND breakdown = 'all'",
            [LA]).fetchall()}
    finally:
        con.close()
    member.goto("/scorecard")
    shown = {a.split("/measures/")[1].split("?")[0]
             for a in member.locator("table.cb-scorecard a").evaluate_all("els => els.map(e => e.href)")}
    assert len(has_figures) > 60 and len(shown & has_figures) >= 0.9 * len(has_figures)  # all on the scorecard
    problems = {}
    for path in [f"/measures/{mid}" for mid in sorted(shown)] + [f"/measures/placements_3_plus?area={area}",
                                                                   f"/measures/cla_31_march?area={area}"]:
        if "charts" in member_sweep.get(path, {}):  # charted at 1280 px in the run's sweep of the member's pages
            found = member_sweep[path]["charts"]
        else:
            member.goto(path)
            found = member.evaluate(CHARTS)
        trend, others = found["trend"], found["breakdown"] or found["compare"]
        wrong = []
        if not trend or not trend["title"] or not trend["desc"] or trend["labelledby"] != 2:
            wrong.append("no trend chart with a title and a description")
        elif trend["smallest"] < 14:
            wrong.append(f"trend label {trend['smallest']:.1f} px")
        if not found["yearTable"]:
            wrong.append("no table of the figures by year")
        if not others:
            wrong.append("no breakdown or comparison chart")
        for chart in others:
            if not chart["desc"] or chart["smallest"] < 14:
                wrong.append(f"{chart['title']}: label {chart['smallest']:.1f} px")
        if found["breakdown"] and not all(c["table"] for c in found["breakdown"]):
            wrong.append("a breakdown chart without its table")
        if wrong:
            problems[path] = wrong
    assert not problems, json.dumps(problems, indent=1)


ROWS = """(name) => {
  const section = document.querySelector(`section[aria-labelledby="cb-bd-${name}-h"]`);
  if (!section) return null;
  return {table: [...section.querySelectorAll('tbody th')].map(th => th.textContent.trim()),
          chart: [...section.querySelectorAll('svg text[text-anchor=end]')].map(t => t.textContent.trim())};
}"""


def test_breakdowns_in_natural_order_in_words_with_chart_rows_matching_the_table(member):
    member.goto("/measures/cla_31_march")
    ages = member.evaluate(ROWS, "age_band")
    bands = ["Under 1", "1 to 4", "5 to 9", "10 to 15", "16 and over"]
    assert [a for a in ages["table"] if a in bands] == [b for b in bands if b in ages["table"]]
    assert len([a for a in ages["table"] if a in bands]) >= 4
    sex = member.evaluate(ROWS, "sex")
    assert sex["table"] == ["Male", "Female"]  # words, in the DfE code list's order: not F, M
    uasc = member.evaluate(ROWS, "uasc")
    assert uasc["table"] == ["Unaccompanied asylum-seeking children", "Other children"]
    placements = member.evaluate(ROWS, "placement_type")["table"]
    assert placements.index("Kinship fostering") < placements.index("Children's homes")
    # Each chart's rows are its table's rows, in the same order (long labels wrap onto two lines).
    for name in ("age_band", "sex", "ethnic_group", "legal_group", "placement_type", "local_area"):
        found = member.evaluate(ROWS, name)
        assert found is not None, name
        assert " ".join(found["chart"]) == " ".join(found["table"]), (name, found)
    areas = member.evaluate(ROWS, "local_area")["table"]
    assert areas[-1] == "Home area not recorded" and "Trafford" not in areas


SCORECARD = """() => {
  const main = document.querySelector('main');
  const before = (a, b) => !!(a && b && (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING));
  const howTo = [...main.querySelectorAll('h2')].find(h => h.textContent.trim() === 'How to read this scorecard');
  const table = main.querySelector('table.cb-scorecard');
  const sections = [...main.querySelectorAll('section.cb-scorecard-theme')].map(s => ({
      theme: s.querySelector('h2').textContent.trim(),
      meaning: (s.querySelector('h2 + p') || {textContent: ''}).textContent.trim(),
      headers: [...s.querySelectorAll('thead th')].map(th => th.textContent.trim()),
      cells: [...s.querySelectorAll('tbody td')].map(td => td.innerText.trim()),
      sparklines: s.querySelectorAll('tbody svg').length}));
  return {howToFirst: before(howTo, table), keyFirst: before(main.querySelector('.cb-key, [id^=key]'), table),
          sections, text: main.innerText};
}"""


def test_scorecard_leads_with_what_a_member_needs_under_the_panels_themes(member):
    """Issue 13.2 and 13.3: the key and how to read it above the tables; measure, our figure, England, neighbours,
    band and the change in words, comparators that do not apply left blank (not `x` or `z`), no "No target"
    and no target column where none is set, no sparkline without a scale; rows under the Panel's themes in
    their order, each with what it means."""
    from careboard.measures.themes import THEMES

    member.goto("/scorecard")
    found = member.evaluate(SCORECARD)
    assert found["howToFirst"] and found["keyFirst"]
    assert "No target" not in found["text"]
    themes = [s["theme"] for s in found["sections"]]
    order = [t.name for t in THEMES]
    assert len(themes) >= 5 and themes == sorted(themes, key=order.index)
    assert themes[-1] == "Children in need and child protection"  # issue 14.6: from the CIN census, last
    for s in found["sections"]:
        assert s["meaning"].startswith("What this means:") and len(s["meaning"]) > 40, s["theme"]
        assert s["headers"][0] == "Measure" and s["headers"][-1] == "Since last year", s["headers"]
        assert "Target" not in s["headers"] and len(s["headers"]) <= 6, s["headers"]
        assert not {"x", "z", "No target"} & set(s["cells"]), (s["theme"], s["cells"])
        assert s["sparklines"] == 0
    every = [h for s in found["sections"] for h in s["headers"]]
    assert {"England", "Neighbours", "Band"} <= set(every)
    # a change is a direction and a size in words
    assert any(re.match(r"(Up|Down) [0-9.,]+", c) for s in found["sections"] for c in s["cells"])
