"""The app in a real browser: sign in, scorecard, a measure, a local area, the pack, sufficiency; WCAG 2.2
AA with axe-core on every page; keyboard-only use (skip link, main navigation, Enter)."""

from __future__ import annotations

import json

import pytest
from sweeps import MEMBER_DESKTOP
from webhelpers import PASSWORD, axe_violations

PAGES = {
    "member": MEMBER_DESKTOP,  # swept once per run with the reflow test's pages (sweeps.member_sweep)
    "analyst": ["/data-quality", "/data-quality/findings", "/upload", "/sufficiency", "/missing",
                "/missing/manager", "/missing/manager?year=2024", "/iro", "/oversight/iro"],
    "admin": ["/admin/audit", "/admin/audit?action=login&since=2020-01-01&until=2099-12-31", "/sufficiency"],
}


def first_area(page) -> str:
    """The code of the first local area the areas page lists (postcode districts for this unitary council)."""
    page.goto("/areas")
    return page.locator(".cb-area-list a").first.get_attribute("href").split("/")[2].split("?")[0]


def test_sign_in_lands_on_the_scorecard(member):
    member.goto("/scorecard")
    assert member.title().startswith("Scorecard 2025-26 - Trafford")
    assert member.locator("h1").inner_text() == "Scorecard, 2025-26"
    assert member.locator(".govuk-generic-header__homepage-link").inner_text().strip() == "Trafford"
    # Every measure row: its figure, the comparators that apply and the change since last year, in words.
    rows = member.locator("table.cb-scorecard tbody tr")
    assert rows.count() > 40
    html = member.content()
    assert "Crown copyright" not in html and "govuk-crest" not in html and "GDS Transport" not in html


def test_scorecard_year_switch_without_javascript(member):
    member.goto("/scorecard")
    member.select_option("#year", "2025", timeout=10_000)
    member.click("button:has-text('Show year')", timeout=10_000)
    member.wait_for_url("**/scorecard?year=2025", timeout=10_000)
    assert member.locator("h1").inner_text() == "Scorecard, 2024-25"


def test_measure_page_has_chart_breakdowns_definition_and_numbers(member):
    member.goto("/scorecard")
    member.click("a:has-text('Three or more placements')")
    member.wait_for_url("**/measures/placements_3_plus*")
    assert "Three or more placements" in member.locator("h1").inner_text()
    captions = member.locator("caption").all_inner_texts()
    for wanted in ("Age at entry to care", "Local area", "Sex", "Ethnicity", "Legal status", "Placement type"):
        assert wanted in captions, wanted
    assert member.locator(".cb-chart svg[role=img]").count() >= 1
    assert member.locator("h2:has-text('Definition and source')").count() == 1
    years = member.locator("table").first.locator("tbody th").all_inner_texts()
    assert years == ["2023-24", "2024-25", "2025-26"]


def test_local_area_page(member):
    member.goto("/areas")
    names = member.locator(".cb-area-list a").all_inner_texts()
    assert len(names) >= 3 and "Trafford" not in names  # a unitary council's postcode districts, not itself
    code = first_area(member)
    member.click(".cb-area-list a >> nth=0")
    member.wait_for_url(f"**/areas/{code}*")
    assert member.locator("h1").inner_text() == f"{names[0]}, 2025-26"
    assert member.locator("th:has-text('Trafford overall')").count() >= 1
    member.click("table.cb-scorecard a >> nth=0")
    member.wait_for_url(f"**/measures/*area={code}*")
    assert names[0] in member.locator(".govuk-caption-l").inner_text()


def test_download_the_pack(member, tmp_path):
    member.goto("/scorecard")
    # A real WeasyPrint build behind the link: on a busy 2-core machine it can take a minute or more,
    # so the wait is generous; a pack that never comes fails the test.
    with member.expect_download(timeout=240_000) as info:
        member.click("a:has-text('Download the information pack')")
    out = tmp_path / "pack.pdf"
    info.value.save_as(out)
    assert info.value.suggested_filename == "corporate-parenting-358-2025-26.pdf"
    assert out.read_bytes().startswith(b"%PDF")


def test_sufficiency_page(member):
    member.goto("/sufficiency")
    assert member.title().startswith("Placement sufficiency 2025-26 - Trafford")
    assert member.locator("h1").inner_text() == "Placement sufficiency, 2025-26"
    current = member.locator("a.govuk-service-navigation__link[aria-current=page]")
    assert current.inner_text().strip() == "Placement sufficiency"
    section = member.locator("section.cb-sufficiency")
    assert section.locator("h2").inner_text().startswith("Placements we will need: forecast to March 2029")
    # The total's fan chart and one per shown category, each an image with a title and a description.
    charts = section.locator("svg[role=img]")
    assert charts.count() >= 3 and charts.first.locator("title").count() == 1
    assert section.locator("table").count() == 2  # placements now and forecast; illustrative spend
    assert section.locator("abbr.cb-marker", has_text="c").count() >= 1  # hidden categories
    assert member.locator("main [style]").count() == 0  # the CSP forbids inline styles
    # The year picker; the first year has no history before it to forecast from.
    member.select_option("#year", "2024")
    member.click("button:has-text('Show year')")
    member.wait_for_url("**/sufficiency?year=2024")
    assert member.locator("section.cb-sufficiency").count() == 0
    assert "There is not enough history" in member.locator("main").inner_text()


@pytest.mark.parametrize("role", sorted(PAGES))
def test_every_page_passes_axe_wcag22_aa(role, request):
    if role == "member":  # the member's pages at 1280 px, from the run's one sweep of them
        sweep, area = request.getfixturevalue("member_sweep"), request.getfixturevalue("member_area")
        paths = [p.format(area=area) for p in PAGES[role]]
        assert all("desktop_axe" in sweep[p] for p in paths)
        problems = {p: sweep[p]["desktop_axe"] for p in paths if sweep[p]["desktop_axe"]}
        assert not problems, json.dumps(problems, indent=1)
        return
    page = request.getfixturevalue(role)
    problems = {}
    for path in PAGES[role]:
        page.goto(path)
        found = axe_violations(page)
        if found:
            problems[path] = found
    assert not problems, json.dumps(problems, indent=1)


def test_login_and_error_pages_pass_axe(browser, base_url):
    context = browser.new_context(base_url=base_url, bypass_csp=True)
    page = context.new_page()
    try:
        page.goto("/login")
        assert axe_violations(page) == []
        page.click("button:has-text('Sign in')")  # empty form: the error summary and field errors
        assert page.locator(".govuk-error-summary").count() == 1
        assert axe_violations(page) == []
    finally:
        context.close()


def tab_to(page, label: str, presses: int = 15) -> None:
    """Press Tab until the focused element's text is ``label`` (fails after ``presses``)."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent.trim()") == label:
            return
    pytest.fail(f"Tab never reached {label!r}")


def test_keyboard_only_skip_link_and_navigation(member):
    member.goto("/scorecard")
    member.keyboard.press("Tab")
    focused = member.evaluate("() => [document.activeElement.className, document.activeElement.textContent]")
    assert "govuk-skip-link" in focused[0] and focused[1].strip() == "Skip to main content"
    member.keyboard.press("Enter")
    # following the link is a same-page navigation the browser may commit after the key press returns: wait for
    # it (once seen failing in CI, the URL read a moment too early), for at most the default timeout
    member.wait_for_url("**/scorecard#main-content")
    assert member.evaluate("() => document.activeElement.id || document.activeElement.closest('[id]')?.id") \
        == "main-content"
    # From the top again: Tab along the header into the main navigation and open "Local areas".
    member.goto("/scorecard")
    tab_to(member, "Local areas", 12)
    assert member.evaluate("() => !!document.activeElement.closest('nav')")
    member.keyboard.press("Enter")
    member.wait_for_url("**/areas")
    assert member.locator("h1").inner_text().startswith("Local areas")


def test_keyboard_only_sufficiency_from_the_navigation(member):
    member.goto("/scorecard")
    tab_to(member, "Placement sufficiency")
    assert member.evaluate("() => document.activeElement.closest('nav')?.getAttribute('aria-label')") == "Main"
    assert member.evaluate("() => document.activeElement.getAttribute('href')") == "/sufficiency"
    member.keyboard.press("Enter")
    member.wait_for_url("**/sufficiency")
    assert member.locator("h1").inner_text() == "Placement sufficiency, 2025-26"


def test_pages_work_without_javascript_and_obey_the_csp(browser, base_url):
    """No script at all: sign in, read the scorecard, sign out.  With scripts, nothing breaks the CSP."""
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/login")
        page.fill("#username", "member")
        page.fill("#password", PASSWORD)
        page.click("button:has-text('Sign in')")
        page.wait_for_url("**/scorecard")
        assert page.locator("table.cb-scorecard").count() > 3
        page.click("button:has-text('Sign out')")
        page.wait_for_url("**/login")
    finally:
        context.close()
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None)
    try:
        page.goto("/login")  # waits for the load event: the page's scripts and styles have run and applied
        assert page.evaluate("() => document.body.classList.contains('govuk-frontend-supported')")
        page.fill("#username", "member")
        page.fill("#password", PASSWORD)
        page.click("button:has-text('Sign in')")
        page.wait_for_url("**/scorecard")
        for path in ("/scorecard", "/briefing", "/measures/placements_3_plus", "/data-quality", "/sufficiency"):
            page.goto(path)  # the load event: every script and style of the page has been fetched and run
        assert refused == []
    finally:
        context.close()
