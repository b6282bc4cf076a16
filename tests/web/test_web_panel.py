"""Roles declared once (routes and navigation agree), user management for admins, and the Panel's business
over HTTP: questions keep the figure the page showed, screening refuses a child's ID, members cannot reach
officers' screens or another member's score-sheet."""

from __future__ import annotations

import re
from datetime import date, timedelta

from lxml import html as lxml_html
from webhelpers import LA, PASSWORD, USERS, YEARS, api_routes, csrf_token, http_client

from careboard import roles
from careboard.web.auth import route_capability
from careboard.web.render import NAV


def _nav(text: str) -> set[str]:
    return set(lxml_html.fromstring(text).xpath("//nav[@aria-label='Main']//a/@href"))


def _events(app, action: str) -> list[tuple]:
    return app.state.web.webdb.con().execute(
        "SELECT username, detail FROM audit_log WHERE action = ? ORDER BY event_id", [action]).fetchall()


def test_every_capability_guards_a_route_and_every_role_is_declared_once(app):
    used = {route_capability(r) for r in api_routes(app)} - {None}
    assert used == set(roles.CAPABILITIES)  # none declared and unused, none used and undeclared
    assert set(USERS.values()) <= set(roles.ROLES)
    member, officer = roles.capabilities("member"), roles.capabilities("officer")
    assert {"ask_questions", "score_themes"} <= member and not member & {"answer_questions", "update_actions",
                                                                         "view_child_level", "upload"}
    assert {"answer_questions", "update_actions"} <= officer and "view_child_level" not in officer
    assert roles.capabilities("participation") == {"view_aggregates", "record_challenge_cards"}
    assert roles.capabilities("no-such-role") == frozenset()


def test_navigation_shows_each_role_exactly_the_pages_it_may_open(base_url):
    """The links come from the routes' own declarations: shown if and only if the page opens."""
    for name in USERS:
        client = http_client(base_url, name)
        try:
            shown = _nav(client.get("/panel").text)
            for _, _, href in NAV:
                status = client.get(href).status_code
                assert (href in shown) == (status == 200), (name, href, status)
        finally:
            client.close()
    officer = http_client(base_url, "officer")
    try:
        shown = _nav(officer.get("/scorecard").text)
        assert "/panel" in shown and "/upload" not in shown and "/admin/users" not in shown
    finally:
        officer.close()


def test_admin_adds_changes_resets_and_removes_a_user(app, base_url):
    admin = http_client(base_url, "admin")
    try:
        token = csrf_token(admin.get("/admin/users").text)
        r = admin.post("/admin/users", data={"csrf_token": token, "username": "cllr.new", "role": "member",
                                             "password": PASSWORD, "confirm": PASSWORD})
        assert r.status_code == 303 and r.headers["location"] == "/admin/users?done=added"
        assert "cllr.new" in admin.get("/admin/users").text
        newcomer = http_client(base_url, "cllr.new")
        assert newcomer.get("/panel/questions/new").status_code == 200
        assert newcomer.get("/panel/actions/new").status_code == 403
        # A new role takes effect on the next request, in the same session.
        r = admin.post("/admin/users/cllr.new/role", data={"csrf_token": token, "role": "officer"})
        assert r.status_code == 303
        assert newcomer.get("/panel/actions/new").status_code == 200
        assert newcomer.get("/panel/questions/new").status_code == 403
        # A reset password ends their sessions.
        new_password = "another long password"
        r = admin.post("/admin/users/cllr.new/password", data={"csrf_token": token, "password": new_password,
                                                                "confirm": new_password})
        assert r.status_code == 303
        assert newcomer.get("/panel").status_code == 303  # signed out
        http_client(base_url, "cllr.new", password=new_password).close()
        # Removing needs the confirmation box.
        r = admin.post("/admin/users/cllr.new/remove", data={"csrf_token": token})
        assert r.status_code == 400 and "Select yes to confirm" in r.text
        r = admin.post("/admin/users/cllr.new/remove", data={"csrf_token": token, "confirm": "yes"})
        assert r.status_code == 303 and app.state.web.webdb.user("cllr.new") is None
        # Bad input is refused with the GOV.UK error summary.
        r = admin.post("/admin/users", data={"csrf_token": token, "username": "bad name", "role": "chief",
                                             "password": "short", "confirm": "short"})
        assert r.status_code == 400 and "There is a problem" in r.text and "Choose a role" in r.text
        newcomer.close()
    finally:
        admin.close()
    assert ("admin", "cllr.new (member)") in _events(app, "user_added")
    assert ("admin", "cllr.new: member to officer") in _events(app, "role_changed")
    assert ("admin", "cllr.new: password reset, their sessions ended") in _events(app, "password_reset")
    assert ("admin", "cllr.new: removed, sessions ended") in _events(app, "user_removed")


def test_an_admin_cannot_lock_everyone_out(base_url, app):
    admin = http_client(base_url, "admin")
    try:
        token = csrf_token(admin.get("/admin/users").text)
        r = admin.post("/admin/users/admin/remove", data={"csrf_token": token, "confirm": "yes"})
        assert r.status_code == 400 and "You cannot remove yourself" in r.text
        r = admin.post("/admin/users/admin/role", data={"csrf_token": token, "role": "member"})
        assert r.status_code == 400 and "your own right to manage users" in r.text
        assert app.state.web.webdb.user("admin") == ("admin", "admin")
    finally:
        admin.close()


def test_user_management_is_for_admins_only(base_url):
    for name in ("member", "officer", "analyst"):
        client = http_client(base_url, name)
        try:
            assert client.get("/admin/users").status_code == 403
            assert client.get("/admin/users/member").status_code == 403
        finally:
            client.close()


def test_a_question_keeps_the_figure_the_measure_page_showed(app, base_url):
    member = http_client(base_url, "member")
    try:
        page = member.get("/measures/placements_3_plus?year=2025").text
        link = lxml_html.fromstring(page).xpath("//a[text()='Ask a question about this measure']/@href")
        assert link == ["/panel/questions/new?measure=placements_3_plus&year=2025"]
        form = member.get(link[0]).text
        shown = app.state.web.briefings.briefing(LA, 2025)
        figure = next(m for m in shown.measures() if m.id == "placements_3_plus").cells["value"]
        assert f'data-measure="placements_3_plus">{figure}<' in form
        # The figure is looked up again, never taken from the form.
        r = member.post("/panel/questions", data={"csrf_token": csrf_token(form), "measure": "placements_3_plus",
                                                  "year": "2025", "figure_shown": "99%",
                                                  "question": "Why did moves rise in 2024-25?"})
        assert r.status_code == 303
        qid = int(r.headers["location"].rsplit("/", 1)[1])
        row = app.state.web.webdb.con().execute(
            "SELECT asked_by, measure_id, year, figure_shown FROM questions WHERE question_id = ?", [qid]).fetchone()
        assert row == ("member", "placements_3_plus", 2025, figure)
        assert "Why did moves rise in 2024-25?" in member.get("/panel/questions").text
    finally:
        member.close()
    analyst = http_client(base_url, "analyst")
    try:  # only those who may ask are offered the link
        assert "Ask a question about this measure" not in analyst.get("/measures/placements_3_plus?year=2025").text
    finally:
        analyst.close()


def test_a_question_keeps_the_released_c_never_the_count_behind_it(app, base_url):
    """A measure whose count the year's release hides (1 to 5 children in the returns): a question asked
    from its page keeps the ``c`` the release gives, never a figure recomputed from the returns, whatever
    the form sends."""
    web = app.state.web
    found = []
    with web.store.cursor() as cur:
        for year in YEARS:
            released = {r["measure"]: r["value"] for r in web.briefings.releases(LA).rows(cur, year)
                        if r["breakdown"] == "all"}
            counted = dict(cur.execute("SELECT measure, numerator FROM measure_values WHERE la = ? AND year = ? "
                                       "AND breakdown = 'all'", [LA, year]).fetchall())
            on_page = {m.id for m in web.briefings.briefing(LA, year).measures()}
            found += [(year, m, counted[m]) for m in sorted(on_page)
                      if released.get(m) == "c" and 1 <= (counted.get(m) or 0) <= 5]
    assert found, "the fixture has no measure hidden by the release"
    year, measure, count = found[0]
    member = http_client(base_url, "member")
    try:
        page = member.get(f"/measures/{measure}?year={year}").text
        link = lxml_html.fromstring(page).xpath("//a[text()='Ask a question about this measure']/@href")
        assert link == [f"/panel/questions/new?measure={measure}&year={year}"]
        form = member.get(link[0]).text
        assert f'data-measure="{measure}">c<' in form
        r = member.post("/panel/questions", data={"csrf_token": csrf_token(form), "measure": measure,
                                                  "year": str(year), "figure_shown": str(count),
                                                  "question": "How many children does this count?"})
        assert r.status_code == 303
        qid = int(r.headers["location"].rsplit("/", 1)[1])
        row = web.webdb.con().execute(
            "SELECT measure_id, year, figure_shown FROM questions WHERE question_id = ?", [qid]).fetchone()
        assert row == (measure, year, "c")
    finally:
        member.close()


def test_a_challenge_card_with_a_childs_id_is_refused_and_not_kept(app, base_url, fixture_db):
    child = sorted(fixture_db.children)[0]
    client = http_client(base_url, "participation")
    before = app.state.web.webdb.con().execute("SELECT count(*) FROM challenge_cards").fetchone()[0]
    try:
        token = csrf_token(client.get("/panel/cards/new").text)
        raised = date.today() - timedelta(days=1)
        r = client.post("/panel/cards", data={
            "csrf_token": token, "raised-day": raised.day, "raised-month": raised.month, "raised-year": raised.year,
            "theme": "Stability", "officer": "officer",
            "issue": f"Young person {child} has moved four times and nobody explained why"})
        assert r.status_code == 400
        assert "holds a child&#39;s ID from the loaded returns" in r.text
        assert child not in r.text  # the message does not echo it, and the form holds the screened text
        assert "Young person [removed] has moved four times" in r.text
    finally:
        client.close()
    con = app.state.web.webdb.con()
    assert con.execute("SELECT count(*) FROM challenge_cards").fetchone()[0] == before
    refused = con.execute("SELECT username, detail FROM audit_log WHERE action = 'text_refused' "
                          "ORDER BY event_id DESC LIMIT 1").fetchone()
    assert refused == ("participation", "The card: child_id")
    assert not con.execute("SELECT count(*) FROM audit_log WHERE detail LIKE ?", [f"%{child}%"]).fetchone()[0]


def test_members_cannot_reach_officer_screens_or_another_members_score_sheet(app, base_url):
    officer = http_client(base_url, "officer")
    try:
        token = csrf_token(officer.get("/panel/meetings").text)
        held = date.today() + timedelta(days=200)
        r = officer.post("/panel/meetings", data={"csrf_token": token, "title": "Corporate Parenting Panel",
                                                  "held-day": held.day, "held-month": held.month,
                                                  "held-year": held.year})
        meeting = int(r.headers["location"].rsplit("/", 1)[1])
    finally:
        officer.close()
    member, member2 = http_client(base_url, "member"), http_client(base_url, "member2")
    try:
        page = member2.get(f"/panel/meetings/{meeting}/scores/member2").text
        r = member2.post(f"/panel/meetings/{meeting}/scores/member2",
                         data={"csrf_token": csrf_token(page), "score-0": "2", "comment-0": "Too many moves"})
        assert r.status_code == 303
        token = csrf_token(member.get("/panel").text)
        assert member.get(f"/panel/meetings/{meeting}/scores/member2").status_code == 403
        r = member.post(f"/panel/meetings/{meeting}/scores/member2", data={"csrf_token": token, "score-0": "4"})
        assert r.status_code == 403 and "You cannot see this page" in r.text
        for path in ("/panel/actions/new", "/panel/questions/1/answer", "/panel/cards/new", "/admin/users"):
            assert member.get(path).status_code == 403, path
        for path in (f"/panel/meetings/{meeting}/agenda", "/panel/actions", "/panel/plans", "/panel/cards/1/response"):
            assert member.post(path, data={"csrf_token": token}).status_code == 403, path
        # Their own sheet: redirected to it, and it is theirs alone.
        r = member.get(f"/panel/meetings/{meeting}/scores")
        assert r.status_code == 303 and r.headers["location"].endswith("/scores/member")
    finally:
        member.close()
        member2.close()
    rows = app.state.web.webdb.con().execute("SELECT username, score FROM scores WHERE meeting_id = ?",
                                             [meeting]).fetchall()
    assert rows == [("member2", 2)]
    assert ("member", f"POST /panel/meetings/{meeting}/scores/member2 (needs score_themes, own scores only)") in \
        _events(app, "refused")


def test_every_panel_form_reports_its_errors(base_url):
    officer = http_client(base_url, "officer")
    try:
        token = csrf_token(officer.get("/panel").text)
        r = officer.post("/panel/meetings", data={"csrf_token": token, "title": "", "held-day": "31",
                                                  "held-month": "2", "held-year": "2027"})
        assert r.status_code == 400 and "must be a real date" in r.text and 'href="#held"' in r.text
        r = officer.post("/panel/actions", data={"csrf_token": token})
        assert r.status_code == 400 and "Enter what the Panel resolved" in r.text
        assert re.search(r'href="#due"', r.text)
        r = officer.post("/panel/plans", data={"csrf_token": token, "title": "x"})
        assert r.status_code == 400 and "Enter the date of the inspection" in r.text
    finally:
        officer.close()


def test_agenda_items_link_to_the_measure_briefing_and_pack_of_their_year(app, base_url):
    """Issue 16 item 1: an agenda item can link to a measure, the briefing or the pack for that meeting."""
    officer = http_client(base_url, "officer")
    try:
        held = date.today() + timedelta(days=300)
        r = officer.post("/panel/meetings", data={"csrf_token": csrf_token(officer.get("/panel/meetings").text),
                                                  "title": "Corporate Parenting Panel", "held-day": held.day,
                                                  "held-month": held.month, "held-year": held.year})
        meeting = int(r.headers["location"].rsplit("/", 1)[1])
        items = [("Placement stability", "measure", "long_term_stability", "2025"),
                 ("The scorecard", "briefing", "", "2026"), ("The pack", "pack", "", "2026"),
                 ("Members' questions", "questions", "", "")]
        for title, link, measure, year in items:
            token = csrf_token(officer.get(f"/panel/meetings/{meeting}").text)
            r = officer.post(f"/panel/meetings/{meeting}/agenda", data={
                "csrf_token": token, "title": title, "link": link, "measure": measure, "year": year})
            assert r.status_code == 303, r.text[:300]
        token = csrf_token(officer.get(f"/panel/meetings/{meeting}").text)
        r = officer.post(f"/panel/meetings/{meeting}/agenda", data={"csrf_token": token, "title": "A measure",
                                                                    "link": "measure", "year": "2026"})
        assert r.status_code == 400 and "Choose the measure the item links to" in r.text
    finally:
        officer.close()
    member = http_client(base_url, "member")
    try:
        tree = lxml_html.fromstring(member.get(f"/panel/meetings/{meeting}").text)
        links = {a.text_content().strip(): a.get("href") for a in tree.xpath("//ol[contains(@class,'cb-agenda')]//a")}
        assert links == {"Placement stability": "/measures/long_term_stability?year=2025",
                         "The scorecard": "/briefing?year=2026",
                         "The pack": f"/pack.pdf?year=2026&meeting={meeting}",
                         "Members' questions": "/panel/questions"}
        title = lxml_html.fromstring(member.get(links["Placement stability"]).text).findtext(".//title")
        assert "Trafford, 2024-25" in title  # the measure's page for the item's year
        assert member.get(links["The scorecard"]).status_code == 200
    finally:
        member.close()


def test_an_actions_evidence_measure_shows_the_released_figure_and_its_trend(app, base_url):
    """Issue 16 item 3: the measure named as evidence, beside the action, as the measure's own page shows it."""
    officer = http_client(base_url, "officer")
    try:
        held, due = date.today() - timedelta(days=400), date.today() + timedelta(days=30)
        r = officer.post("/panel/meetings", data={"csrf_token": csrf_token(officer.get("/panel/meetings").text),
                                                  "title": "Corporate Parenting Panel", "held-day": held.day,
                                                  "held-month": held.month, "held-year": held.year})
        meeting = r.headers["location"].rsplit("/", 1)[1]
        token = csrf_token(officer.get("/panel/actions/new").text)
        r = officer.post("/panel/actions", data={"csrf_token": token, "action": "Stabilise teenage placements",
                                                 "meeting": meeting,
                                                 "owner": "officer", "due-day": due.day, "due-month": due.month,
                                                 "due-year": due.year, "evidence": "long_term_stability"})
        assert r.status_code == 303, r.text[:300]
        action = officer.get(r.headers["location"]).text
    finally:
        officer.close()
    member = http_client(base_url, "member")
    try:
        measure_page = lxml_html.fromstring(member.get("/measures/long_term_stability").text)
        headline = measure_page.xpath("//dd[@data-measure='long_term_stability']")[0].text_content().split(" (")[0]
    finally:
        member.close()
    tree = lxml_html.fromstring(action)
    assert tree.xpath("//div[@class='cb-evidence']//strong[@data-measure='long_term_stability']")[0].text == headline
    trend = tree.xpath("//div[@class='cb-evidence']//th/text()")
    assert trend == ["2023-24", "2024-25", "2025-26"]
    assert len(tree.xpath("//div[@class='cb-evidence']//td[@data-measure='long_term_stability']")) == 3


def test_an_id_too_large_for_the_database_is_a_bad_address_not_a_server_error(app, base_url):
    """Every Panel page addressed by a row id takes ids SQLite can hold: a larger one (or 0) is a bad address
    (400) or refused as before (403), a free one is not found; a larger one reached SQLite and answered 500 before."""
    SQLITE_MAX_ROWID = 2**63 - 1  # SQLite's largest rowid
    paths = sorted({r.path for r in api_routes(app) if "GET" in r.methods and re.search(r"\{\w+_id\}", r.path)
                    and r.path.startswith("/panel/")})
    assert len(paths) >= 6, paths  # questions, actions, challenge cards, plans, meetings, score sheets
    member = http_client(base_url, "member")
    try:
        for path in paths:
            for too_big in (SQLITE_MAX_ROWID + 1, 10**40, 0):
                url = re.sub(r"\{(\w+_id)\}", str(too_big), path).replace("{username}", "member")
                assert member.get(url).status_code in (400, 403), url  # (403: a page members may not open)
            free = re.sub(r"\{(\w+_id)\}", str(SQLITE_MAX_ROWID), path).replace("{username}", "member")
            assert member.get(free).status_code in (303, 403, 404), free  # (a score sheet sends you to the meeting)
    finally:
        member.close()
