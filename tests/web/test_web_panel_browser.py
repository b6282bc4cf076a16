"""The Panel's business in a real browser (Debian chromium): the whole cycle from a member's question on a
measure's page to the answer in the next pack, an overdue action on page 1 of the pack, a challenge card
holding a child's ID refused, members kept to their own score-sheet and out of officers' screens, and
every new page clean under axe at desktop width and at 320 px with no sideways scrolling.

Set CAREBOARD_SCREENSHOTS=<folder> to save a screenshot of every page checked (docs/screens/ holds them).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from webhelpers import PASSWORD

from careboard.panel.screen import screen
from careboard.panel.store import PanelStore, Who
from careboard.panel.views import figure_shown

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PDFTOTEXT = shutil.which("pdftotext")
SHOTS = os.environ.get("CAREBOARD_SCREENSHOTS")
TODAY = date.today()


def open_as(browser, base_url: str, username: str, width: int = 1280):
    """A browser context signed in as ``username`` at ``width`` CSS pixels; returns (context, page)."""
    context = browser.new_context(base_url=base_url, accept_downloads=True, bypass_csp=True,
                                  viewport={"width": width, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/scorecard")
    return context, page


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return axe_run(page)


def pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    text = subprocess.run([PDFTOTEXT, *pages, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def download(page, link_text: str, out: Path) -> Path:
    with page.expect_download(timeout=180_000) as info:
        page.click(f"a:has-text('{link_text}')")
    info.value.save_as(out)
    return out


def date_into(page, field: str, day: date) -> None:
    page.fill(f"#{field}-day", str(day.day))
    page.fill(f"#{field}-month", str(day.month))
    page.fill(f"#{field}-year", str(day.year))


@pytest.fixture(scope="module")
def panel_data(app) -> dict:
    """Some of everything, written through the store as the web app writes it (screened text only)."""
    web = app.state.web
    s = PanelStore(web.webdb)
    officer, member = Who("officer"), Who("member")
    latest = web.briefings.briefing(web.la, 2026)
    themes = [t.name for t in latest.themes]
    last = s.add_meeting(officer, TODAY - timedelta(days=50), "Corporate Parenting Panel")
    mid = s.add_meeting(officer, TODAY + timedelta(days=21), "Corporate Parenting Panel")
    s.add_agenda_item(officer, mid, "The scorecard for 2025-26", "briefing", year=2026)
    s.add_agenda_item(officer, mid, "Placement stability", "measure", "long_term_stability", 2026)
    s.add_agenda_item(officer, mid, "Challenge cards from the Children in Care Council", "cards")
    qid = s.ask(member, screen("What is being done about children who move school when they move home?"),
                "placements_3_plus", 2026, None, figure_shown(latest, "placements_3_plus"))
    s.answer(officer, qid, "officer", None, screen("The virtual school now joins every placement planning meeting."))
    s.ask(Who("member2"), screen("How many care leavers are in education, employment or training at 21?"))
    aid = s.add_action(officer, screen("Review how matching decisions are made for teenagers"), "officer",
                       TODAY + timedelta(days=40), meeting_id=last, evidence_measure="long_term_stability",
                       rag="amber")
    s.update_action(officer, aid, screen("Matching panel terms of reference drafted; first review in March."),
                    "in_progress", "amber")
    s.add_action(officer, screen("Report on health assessments within 20 working days"), "officer",
                 TODAY - timedelta(days=30), meeting_id=last, evidence_measure="health_assessments")
    for who_, scores in ((member, (3, 2)), (Who("member2"), (4, 2))):
        s.save_scores(who_, last, themes, {themes[0]: (scores[0], None),
                                           themes[1]: (scores[1], screen("Too many moves for teenagers"))})
    cid = s.add_card(Who("participation"), TODAY - timedelta(days=12), themes[0],
                     screen("We want to know our social worker is leaving before they leave."), "officer")
    s.respond_card(officer, cid, screen("Workers will tell you a month before they leave."),
                   screen("A leaving checklist for every social worker, checked by team managers."))
    s.add_card(Who("participation"), TODAY - timedelta(days=2), themes[1], screen("Pocket money is different in "
               "every home."), "officer")
    pid = s.add_plan(officer, "Ofsted inspection of children's services, 2026", TODAY - timedelta(days=200))
    rid = s.add_recommendation(officer, pid, screen("Improve the quality and timeliness of pathway plans."))
    s.add_recommendation(officer, pid, screen("Strengthen management oversight of placement decisions."))
    s.add_action(officer, screen("Audit 40 pathway plans a quarter"), "officer", TODAY + timedelta(days=60),
                 recommendation_id=rid, evidence_measure="long_term_stability")
    return {"meeting": mid, "last": last, "question": qid, "action": aid, "card": cid, "plan": pid,
            "recommendation": rid}


QUESTION = "Why are fewer children in long placements than in 2023-24?"
ANSWER = "Two residential homes closed; we are recruiting carers for teenagers."
OVERDUE = "Publish the sufficiency strategy"


@pytest.fixture(scope="module")
def asked_and_answered(browser, base_url, panel_data) -> int:
    """A member asks a question from a measure's page and an officer answers it, in the browser: its id."""
    member_ctx, member = open_as(browser, base_url, "member")
    officer_ctx, officer = open_as(browser, base_url, "officer")
    try:
        member.goto("/measures/long_term_stability?year=2026")
        shown = member.locator("dd[data-measure=long_term_stability]").first.inner_text().split(" (")[0]
        member.click("a:has-text('Ask a question about this measure')")
        member.wait_for_url("**/panel/questions/new?measure=long_term_stability*")
        assert member.locator(".govuk-inset-text [data-measure=long_term_stability]").inner_text() == shown
        member.fill("#question", QUESTION)
        member.click("button:has-text('Send the question')")
        member.wait_for_url(re.compile(r".*/panel/questions/\d+$"))
        qid = int(member.url.rsplit("/", 1)[1])
        assert "Not answered yet" in member.locator("main").inner_text()

        officer.goto("/panel")
        officer.click("a[href='/panel/questions?status=open']")
        officer.click(f"a[href='/panel/questions/{qid}/answer']")
        officer.select_option("#officer", "officer")
        officer.fill("#answer", ANSWER)
        officer.click("button:has-text('Save')")
        officer.wait_for_url(f"**/panel/questions/{qid}")

        member.goto(f"/panel/questions/{qid}")
        assert "we are recruiting carers for teenagers" in member.locator("main").inner_text()
    finally:
        member_ctx.close()
        officer_ctx.close()
    return qid


@pytest.fixture(scope="module")
def overdue_action(browser, base_url, panel_data) -> str:
    """An officer records an action at the last meeting, due yesterday; members see it as overdue."""
    officer_ctx, officer = open_as(browser, base_url, "officer")
    member_ctx, member = open_as(browser, base_url, "member")
    try:
        officer.goto(f"/panel/meetings/{panel_data['last']}")
        officer.click("a:has-text('Record an action resolved at this meeting')")
        officer.fill("#action", OVERDUE)
        officer.select_option("#owner", "officer")
        date_into(officer, "due", TODAY - timedelta(days=1))  # due yesterday: overdue today
        officer.select_option("#evidence", "long_term_stability")
        officer.click("button:has-text('Record the action')")
        officer.wait_for_url(re.compile(r".*/panel/actions/\d+$"))
        assert officer.locator("h1 .govuk-tag").inner_text() == "Overdue"

        member.goto("/panel/actions?status=overdue")
        assert OVERDUE in member.locator("main").inner_text()
    finally:
        officer_ctx.close()
        member_ctx.close()
    return OVERDUE


@pytest.fixture(scope="module")
def next_pack(browser, base_url, asked_and_answered, overdue_action, tmp_path_factory) -> Path:
    """The pack for the next meeting, downloaded by a member from the Panel's page after the question was answered
    and the action fell overdue: one real PDF (WeasyPrint) for the two tests that read it."""
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    context, member = open_as(browser, base_url, "member")
    try:
        member.goto("/panel")
        return download(member, "Download the pack for this meeting (PDF)", tmp_path_factory.mktemp("pack") / "p.pdf")
    finally:
        context.close()


def test_a_question_from_a_measure_page_is_answered_and_printed_in_the_next_pack(next_pack):
    text = pdf_text(next_pack)
    assert "Panel business" in text
    assert QUESTION in text
    assert ANSWER in text


def test_an_overdue_action_is_on_page_one_of_the_pack(next_pack):
    first = pdf_text(next_pack, 1, 1)
    assert "Overdue actions" in first and OVERDUE in first
    assert "Children in our care: information pack" in first  # page 1 is the summary page


def test_a_challenge_card_holding_a_childs_id_is_refused(browser, base_url, fixture_db, panel_data, app):
    child = sorted(fixture_db.children)[-1]
    for width in (320, 1280):
        context, page = open_as(browser, base_url, "participation", width)
        try:
            page.goto("/panel/cards")
            page.click("a:has-text('Record a challenge card')")
            date_into(page, "raised", TODAY - timedelta(days=3))
            page.select_option("#theme", index=1)
            page.fill("#issue", f"{child} said nobody told them their placement was ending")
            page.select_option("#officer", "officer")
            page.click("button:has-text('Record the card')")
            summary = page.locator(".govuk-error-summary")
            assert summary.count() == 1
            assert "holds a child's ID from the loaded returns" in summary.inner_text()
            assert child not in page.content()
            assert page.input_value("#issue") == "[removed] said nobody told them their placement was ending"
            assert axe_violations(page) == []
            if width == 320:
                assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
            if SHOTS:
                Path(SHOTS).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(Path(SHOTS) / f"panel-card-refused-{'320' if width == 320 else 'desktop'}"
                                                        ".png"), full_page=True)
            if width == 1280:  # the screened text goes through, and the card is recorded with a due date
                page.fill("#issue", "A young person said nobody told them their placement was ending")
                page.click("button:has-text('Record the card')")
                page.wait_for_url(re.compile(r".*/panel/cards/\d+$"))
                assert "A young person said nobody told them" in page.locator("main").inner_text()
        finally:
            context.close()
    stored = app.state.web.webdb.con().execute("SELECT issue FROM challenge_cards").fetchall()
    assert not any(child in issue for (issue,) in stored)


def test_a_member_cannot_edit_another_members_score_or_reach_officer_screens(browser, base_url, panel_data, app):
    context, page = open_as(browser, base_url, "member")
    mid = panel_data["meeting"]
    try:
        page.goto(f"/panel/meetings/{mid}")
        page.click("a:has-text('Score the themes')")
        page.wait_for_url(f"**/panel/meetings/{mid}/scores/member")
        page.check("#score-0")  # the first choice: Outstanding
        page.fill("#comment-0", "Strong leadership")
        page.click("button:has-text('Save your scores')")
        page.wait_for_url(f"**/panel/meetings/{mid}")
        assert "You have scored 1 theme for this meeting." in page.locator("main").inner_text()
        for path in (f"/panel/meetings/{mid}/scores/member2", "/panel/actions/new",
                     f"/panel/questions/{panel_data['question']}/answer", "/panel/cards/new", "/admin/users"):
            page.goto(path)
            assert page.locator("h1").inner_text() == "You cannot see this page", path
        page.goto(f"/panel/actions/{panel_data['action']}")
        assert page.locator("form[action$='/updates']").count() == 0  # no progress form for members
    finally:
        context.close()
    scores = app.state.web.webdb.con().execute("SELECT username FROM scores WHERE meeting_id = ?", [mid]).fetchall()
    assert scores == [("member",)]


def _pages(data: dict) -> dict[str, list[tuple[str, str]]]:
    """(screenshot name, path) of every new page, per role that sees it."""
    m, q, a, c, p, r = (data[k] for k in ("meeting", "question", "action", "card", "plan", "recommendation"))
    return {
        "member": [("home", "/panel"), ("meetings", "/panel/meetings"), ("meeting", f"/panel/meetings/{m}"),
                   ("score-form", f"/panel/meetings/{m}/scores/member"), ("questions", "/panel/questions"),
                   ("ask", "/panel/questions/new?measure=placements_3_plus&year=2026"),
                   ("question", f"/panel/questions/{q}"), ("actions", "/panel/actions"),
                   ("action", f"/panel/actions/{a}"), ("scores", "/panel/scores"), ("cards", "/panel/cards"),
                   ("card", f"/panel/cards/{c}"), ("plans", "/panel/plans"), ("plan", f"/panel/plans/{p}")],
        "officer": [("officer-home", "/panel"), ("officer-meeting", f"/panel/meetings/{m}"),
                    ("answer", f"/panel/questions/{q}/answer"), ("action-new", "/panel/actions/new"),
                    ("action-new-plan", f"/panel/actions/new?recommendation={r}"),
                    ("officer-action", f"/panel/actions/{a}"), ("officer-card", f"/panel/cards/{c}"),
                    ("officer-plan", f"/panel/plans/{p}"), ("officer-plans", "/panel/plans")],
        "participation": [("card-new", "/panel/cards/new"), ("participation-cards", "/panel/cards")],
        "admin": [("users", "/admin/users"), ("user", "/admin/users/member")],
    }


def axe_run(page) -> list[dict]:
    """axe's violations on ``page`` as it is laid out now, axe already injected (see :func:`axe_violations`)."""
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS)
    return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:5]]}
            for v in result["violations"]]


@pytest.mark.parametrize("role", ["member", "officer", "participation", "admin"])
def test_every_new_page_passes_axe_at_desktop_and_320_px_without_sideways_scrolling(browser, base_url, panel_data,
                                                                                      role):
    """One sign-in per role; each page loaded once at 1280 px, checked, then narrowed to 320 px and checked again as
    it lays out there (the media queries and GOV.UK Frontend's own listeners respond to the resize), axe loaded
    once per page (an init script) and run at both widths."""
    problems: dict[str, object] = {}
    context, page = open_as(browser, base_url, role, 1280)
    context.add_init_script(path=str(AXE))  # axe in every page opened from here: sent to the browser once
    try:
        for name, path in _pages(panel_data)[role]:
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto(path)
            assert page.locator("h1").count() == 1, path
            assert page.locator("h1").inner_text() != "You cannot see this page", (role, path)
            for width in (1280, 320):
                if width == 320:
                    page.set_viewport_size({"width": 320, "height": 900})
                    assert page.evaluate("() => window.innerWidth") == 320, path
                found = axe_run(page)
                if found:
                    problems[f"{path} at {width}px"] = found
                if width == 320:
                    scroll = page.evaluate("() => document.documentElement.scrollWidth")
                    if scroll > 320:
                        problems[f"{path} at 320px"] = f"scrolls sideways: {scroll}px wide"
                if SHOTS:
                    Path(SHOTS).mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(Path(SHOTS) / f"panel-{name}-{'320' if width == 320 else 'desktop'}.png"),
                                    full_page=True)
    finally:
        context.close()
    assert not problems, json.dumps(problems, indent=1)
