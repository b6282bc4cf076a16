"""The member's pages swept once per run in the browser, for the tests that check the same pages as the same role.

``test_web_browser.py`` runs axe on the member's pages at desktop width (:data:`MEMBER_DESKTOP`) and
``test_web_reflow.py`` checks the member's pages for reflow and runs axe at 320 px (:func:`member_phone_pages`),
and reads every measure page's charts at 1280 px (:data:`CHARTS`).
The lists are kept as they were; a page on two is loaded once, at 1280 px, checked there, then narrowed to
320 px and checked again as it lays out at that width (media queries and GOV.UK Frontend's listeners respond to the
resize), with axe injected once.  The fixtures are registered in conftest.py, so each is built once per run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from webhelpers import AXE, AXE_TAGS, sign_in

PHONE = 320
DESKTOP = 1280

MEMBER_DESKTOP = ["/scorecard", "/briefing", "/measures/placements_3_plus", "/measures/cla_31_march", "/areas",
                  "/areas/{area}", "/measures/long_term_stability?area={area}", "/data-quality", "/accessibility",
                  "/sufficiency", "/sufficiency?year=2024", "/account/password", "/missing", "/workforce", "/iro"]


def member_phone_pages(area: str) -> list[str]:
    """One page of every kind a member can reach (a count, a share, a rate and an average among the measures)."""
    return ["/scorecard", "/scorecard?year=2024", "/briefing", "/measures/cla_31_march", "/measures/placements_3_plus",
            "/measures/cla_rate", "/measures/missing_duration_median", "/measures/care_leavers_in_touch_19_21",
            f"/measures/placements_3_plus?area={area}", "/areas", f"/areas/{area}", "/sufficiency",
            "/sufficiency?year=2024", "/sufficiency?year=2025", "/data-quality", "/data-quality?kind=cin",
            "/measures/referrals", "/measures/cpp_rate", "/measures/pub_cla_suspension", "/accessibility",
            "/account/password", "/missing", "/missing?year=2024",
            "/workforce", "/workforce?year=2024", "/iro", "/measures/iro_caseload_per_fte"]


WIDTH_PROBLEMS = """() => {
  const out = {scrollWidth: document.documentElement.scrollWidth, tables: [], wide: []};
  for (const t of document.querySelectorAll('main table')) {
    const region = t.closest('.cb-table-region');
    const caption = t.querySelector('caption');
    if (!region || region.getAttribute('tabindex') !== '0' || region.getAttribute('role') !== 'region'
        || !caption || region.getAttribute('aria-labelledby') !== caption.id) out.tables.push(t.className);
  }
  for (const el of document.querySelectorAll('header, footer, main svg')) {
    const r = el.getBoundingClientRect();
    if (el.tagName.toLowerCase() !== 'svg' && r.width < window.innerWidth - 1) out.wide.push('short ' + el.tagName);
    if (r.right > window.innerWidth + 0.5 && !el.closest('.cb-table-region')) out.wide.push(el.tagName + ' ' + r.right);
  }
  return out;
}"""


CHARTS = """() => {
  const charts = (sel) => [...document.querySelectorAll(sel)].map(svg => ({
    title: svg.querySelector('title')?.textContent || '', desc: svg.querySelector('desc')?.textContent || '',
    labelledby: (svg.getAttribute('aria-labelledby') || '').split(' ').length,
    smallest: Math.min(...[...svg.querySelectorAll('text')].map(
        t => parseFloat(getComputedStyle(t).fontSize) * svg.getScreenCTM().a)),
    table: !!svg.closest('section, main').querySelector('table')
  }));
  return {trend: charts('.cb-trend svg[role=img]')[0] || null,
          breakdown: charts('.cb-breakdown-section svg[role=img]'),
          compare: charts('.cb-compare svg[role=img]'),
          yearTable: !!document.querySelector('table caption[id=cb-by-year]')};
}"""


def axe_run(page) -> list[dict]:
    """axe's violations (WCAG 2.2 AA tags) on ``page`` as it is laid out now; axe must already be injected."""
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"][:5]]} for v in result["violations"]]


@contextmanager
def narrowed(page, width: int = PHONE) -> Iterator:
    """``page`` (a signed-in session page, 1280 px wide) as a screen ``width`` CSS px wide, then wide again: a page
    laid out after the resize is laid out as in a context opened at that width, without another sign-in."""
    wide = page.viewport_size
    page.set_viewport_size({"width": width, "height": wide["height"]})
    try:
        yield page
    finally:
        page.set_viewport_size(wide)


@pytest.fixture(scope="session")
def member_area(member) -> str:
    """The code of the first local area the areas page lists (postcode districts for this unitary council)."""
    member.goto("/areas")
    return member.locator(".cb-area-list a").first.get_attribute("href").split("/")[2].split("?")[0]


@pytest.fixture(scope="session")
def member_sweep(browser, base_url, member_area) -> dict[str, dict]:
    """path -> what was found there: ``desktop_axe`` (axe at 1280 px) for :data:`MEMBER_DESKTOP`; ``width`` (status
    and :data:`WIDTH_PROBLEMS`) and ``phone_axe`` (axe at 320 px) for :func:`member_phone_pages`; for a measure's
    page, ``charts`` (:data:`CHARTS`, read at 1280 px before the page is narrowed).

    A member's context of its own, with axe given to every page it opens as an init script (sent to the browser
    once, not with every page as ``add_script_tag`` does), so the shared ``member`` page's other tests do not load
    axe with every page they open."""
    desktop = [p.format(area=member_area) for p in MEMBER_DESKTOP]
    phone = member_phone_pages(member_area)
    seen: dict[str, dict] = {}
    context, page = sign_in(browser, base_url, "member", DESKTOP)
    context.add_init_script(path=str(AXE))
    try:
        for path in dict.fromkeys(desktop + phone):  # each page once, in the lists' order
            measure = path.startswith("/measures/")  # its charts are read at 1280 px (test_web_reflow.py)
            width = DESKTOP if path in desktop or measure else PHONE
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(path)
            found = seen[path] = {}
            if path in desktop:
                found["desktop_axe"] = axe_run(page)
            if measure:
                found["charts"] = page.evaluate(CHARTS)
            if path in phone:
                if width != PHONE:
                    page.set_viewport_size({"width": PHONE, "height": 900})
                assert page.evaluate("() => window.innerWidth") == PHONE, path
                found["width"] = page.evaluate(WIDTH_PROBLEMS) | {"status": response.status}
                found["phone_axe"] = axe_run(page)
    finally:
        context.close()
    return seen
