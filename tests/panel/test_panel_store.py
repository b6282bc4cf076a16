"""The Panel's business in SQLite: migration from the first schema, every write audited with it, statuses
from the dates, due dates in England working days, own scores only, screened text only, export."""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from panel_users import private_copy, web_with_users

from careboard.panel import dates
from careboard.panel.export import TABLES, export
from careboard.panel.screen import screen
from careboard.panel.store import AUDIT_ACTIONS, PanelError, PanelStore, Who
from careboard.store.webdb import WebDB

TODAY = date.today()
OFFICER, MEMBER = Who("officer.one", "192.0.2.5"), Who("cllr.one")


@pytest.fixture(scope="module")
def with_users(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A web database with the four users, made once for the module: hashing a password is slow on purpose."""
    return web_with_users(tmp_path_factory.mktemp("panel_users"), (
        ("officer.one", "officer"), ("cllr.one", "member"), ("cllr.two", "member"), ("young.voice", "participation")))


@pytest.fixture
def web(with_users: Path, tmp_path: Path) -> Iterator[WebDB]:
    """A private copy of it for each test, which writes to it."""
    with private_copy(with_users, tmp_path) as w:
        yield w


@pytest.fixture
def store(web) -> PanelStore:
    return PanelStore(web)


def _audit(web: WebDB) -> list[tuple]:
    return web.con().execute("SELECT action, username, ip, detail FROM audit_log WHERE action <> 'login' "
                             "ORDER BY event_id").fetchall()


def test_working_days_skip_weekends_and_england_bank_holidays():
    # Wednesday 23 December 2026: Christmas Day (Fri), Boxing Day (Sat, so Monday 28th is the holiday).
    assert dates.add_working_days(date(2026, 12, 23), 1) == date(2026, 12, 24)
    assert dates.add_working_days(date(2026, 12, 23), 2) == date(2026, 12, 29)
    assert dates.add_working_days(date(2027, 3, 25), 1) == date(2027, 3, 30)  # Good Friday and Easter Monday
    assert dates.add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 1)  # the August bank holiday
    assert not dates.is_working_day(date(2026, 12, 26))


def test_the_first_schema_is_migrated_keeping_users_and_sessions(tmp_path):
    """A file written by the first careboard with a web app (schema 1) gains the Panel's tables and loses
    the CHECK that fixed the roles, with its users and their sessions intact."""
    from careboard.store import webdb

    path = tmp_path / "old.web.sqlite"
    first = (Path(webdb.__file__).parent / "webdb_schema" / "001_web.sql").read_text()
    con = sqlite3.connect(path)
    con.executescript(first)
    con.execute("INSERT INTO users VALUES ('keeper', 'hash', 'analyst', '2026-01-01 10:00:00', NULL)")
    con.execute("INSERT INTO sessions VALUES ('tok', 'keeper', 1.0, 2.0, '127.0.0.1')")
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    old = sqlite3.connect(path)
    with pytest.raises(sqlite3.IntegrityError):  # the old CHECK: no officers
        old.execute("INSERT INTO users VALUES ('o', 'h', 'officer', 'now', NULL)")
    old.close()

    w = WebDB(path)
    try:
        assert w.con().execute("PRAGMA user_version").fetchone()[0] >= 2
        assert w.user("keeper") == ("keeper", "analyst")
        assert w.con().execute("SELECT username FROM sessions").fetchall() == [("keeper",)]
        assert w.insert_user("o", "h", "officer")
        assert w.delete_user("keeper")  # the sessions' reference moved to the rebuilt users table
        assert w.con().execute("SELECT count(*) FROM sessions").fetchone()[0] == 0
        assert w.con().execute("PRAGMA foreign_key_check").fetchall() == []
        PanelStore(w).add_meeting(Who("o"), TODAY, "Corporate Parenting Panel")
    finally:
        w.close()


def test_every_write_is_audited_in_the_same_transaction_and_bumps_the_revision(store, web):
    start = store.revision()
    mid = store.add_meeting(OFFICER, TODAY + timedelta(days=30), "Corporate Parenting Panel")
    store.add_agenda_item(OFFICER, mid, "The scorecard", "briefing", year=2026)
    qid = store.ask(MEMBER, screen("Why did placement moves rise?"), "placements_3_plus", 2026, None, "12.0%")
    store.answer(OFFICER, qid, "officer.one", None, screen("Two homes closed."))
    aid = store.add_action(OFFICER, screen("Review stability"), "officer.one", TODAY + timedelta(days=10),
                           meeting_id=mid, evidence_measure="long_term_stability")
    store.update_action(OFFICER, aid, screen("Started the review"), "in_progress", "amber")
    store.save_scores(MEMBER, mid, ["Stability"], {"Stability": (3, screen("Improving"))})
    cid = store.add_card(Who("young.voice"), TODAY, "Stability", screen("We move too often"), "officer.one")
    store.respond_card(OFFICER, cid, screen("We hear you"), screen("A new matching panel"))
    pid = store.add_plan(OFFICER, "Ofsted ILACS 2026", TODAY - timedelta(days=90))
    store.add_recommendation(OFFICER, pid, screen("Improve the quality of plans"))
    events = _audit(web)
    assert [e[0] for e in events] == [
        "meeting_added", "agenda_item_added", "question_asked", "question_answered", "action_added", "action_updated",
        "scores_saved", "card_recorded", "card_responded", "plan_added", "recommendation_added"]
    assert {e[0] for e in events} <= AUDIT_ACTIONS
    assert events[0][1:3] == ("officer.one", "192.0.2.5") and events[2][1] == "cllr.one"
    assert store.revision() == start + 11
    assert "Why did" not in " ".join(e[3] for e in events)  # what was written is not copied into the log


def test_a_failed_write_leaves_neither_the_change_nor_its_audit_line(store, web):
    before = (_audit(web), store.revision())
    with pytest.raises(PanelError):
        store.add_action(OFFICER, screen("Do a thing"), "officer.one", TODAY, meeting_id=999)
    with pytest.raises(PanelError):
        store.add_action(OFFICER, screen("Do a thing"), "cllr.one", TODAY, meeting_id=None, recommendation_id=None)
    assert (_audit(web), store.revision()) == before
    assert store.actions() == []


def test_only_screened_text_is_stored(store):
    refused = screen("my name is Jake")
    with pytest.raises(ValueError, match="did not pass the screen"):
        store.ask(MEMBER, refused)
    assert store.questions() == []


def test_statuses_follow_the_dates(store):
    mid = store.add_meeting(OFFICER, TODAY - timedelta(days=40), "Corporate Parenting Panel")
    late = store.add_action(OFFICER, screen("Late one"), "officer.one", TODAY - timedelta(days=1), meeting_id=mid)
    soon = store.add_action(OFFICER, screen("Due one"), "officer.one", TODAY + timedelta(days=1), meeting_id=mid)
    done = store.add_action(OFFICER, screen("Done one"), "officer.one", TODAY - timedelta(days=5), meeting_id=mid)
    store.update_action(OFFICER, done, screen("Finished"), "complete", "green")
    states = {a["action_id"]: a["state"] for a in store.actions()}
    assert states == {late: "overdue", soon: "not_started", done: "complete"}
    assert store.action(done)["completed_on"] == TODAY.isoformat()
    assert store.action(soon, today=TODAY + timedelta(days=2))["state"] == "overdue"

    old = store.ask(MEMBER, screen("An old question"), asked_on=TODAY - timedelta(days=30))
    new = store.ask(MEMBER, screen("A new question"))
    assert store.question(old)["due_on"] == dates.add_working_days(TODAY - timedelta(days=30), 10).isoformat()
    assert {q["question_id"]: q["status"] for q in store.questions()} == {old: "overdue", new: "open"}
    store.answer(OFFICER, old, None, None, screen("Answered late"))
    assert store.question(old)["status"] == "answered"


def test_a_member_saves_only_their_own_scores(store, web):
    mid = store.add_meeting(OFFICER, TODAY, "Corporate Parenting Panel")
    themes = ["Stability", "Care leavers"]
    store.save_scores(Who("cllr.one"), mid, themes, {"Stability": (3, None), "Care leavers": (2, screen("Patchy"))})
    store.save_scores(Who("cllr.two"), mid, themes, {"Stability": (1, None), "Care leavers": (None, None)})
    store.save_scores(Who("cllr.one"), mid, themes, {"Stability": (4, None), "Care leavers": (None, None)})
    rows = {(s["username"], s["theme"]): s["score"] for s in store.scores()}
    assert rows == {("cllr.one", "Stability"): 4, ("cllr.two", "Stability"): 1}
    with pytest.raises(PanelError, match="not a theme"):
        store.save_scores(Who("cllr.one"), mid, themes, {"Made up": (3, None)})
    with pytest.raises(PanelError, match="Choose a score"):
        store.save_scores(Who("cllr.one"), mid, themes, {"Stability": (None, screen("A comment with no score"))})


def test_people_are_checked_against_their_roles(store):
    mid = store.add_meeting(OFFICER, TODAY, "Corporate Parenting Panel")
    with pytest.raises(PanelError, match="owns the action"):
        store.add_action(OFFICER, screen("x"), "cllr.one", TODAY, meeting_id=mid)  # a member owns no actions
    with pytest.raises(PanelError, match="responsible"):
        store.add_card(Who("young.voice"), TODAY, "Stability", screen("x"), "young.voice")
    with pytest.raises(PanelError, match="future"):
        store.add_card(Who("young.voice"), TODAY + timedelta(days=1), "Stability", screen("x"), "officer.one")
    with pytest.raises(PanelError, match="officer from the list"):
        store.answer(OFFICER, store.ask(MEMBER, screen("q")), "cllr.two", None, None)


def test_a_card_is_due_twenty_working_days_after_it_was_raised(store):
    raised = TODAY - timedelta(days=3)
    cid = store.add_card(Who("young.voice"), raised, "Stability", screen("Too many moves"), "officer.one")
    card = store.card(cid)
    assert card["due_on"] == dates.add_working_days(raised, 20).isoformat() and card["status"] == "open"
    assert store.card(cid, today=date.fromisoformat(card["due_on"]) + timedelta(days=1))["status"] == "overdue"


def test_the_window_is_the_next_meeting_and_the_one_before(store):
    past = store.add_meeting(OFFICER, TODAY - timedelta(days=60), "Panel")
    last = store.add_meeting(OFFICER, TODAY - timedelta(days=5), "Panel")
    nxt = store.add_meeting(OFFICER, TODAY + timedelta(days=20), "Panel")
    later = store.add_meeting(OFFICER, TODAY + timedelta(days=80), "Panel")
    assert [m["meeting_id"] if m else None for m in store.window(TODAY)] == [nxt, last]
    assert [m["meeting_id"] if m else None for m in store.window(TODAY, later)] == [later, nxt]
    assert [m["meeting_id"] if m else None for m in store.window(TODAY, past)] == [past, None]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_writes_every_table(store, web, tmp_path, fmt):
    mid = store.add_meeting(OFFICER, TODAY, "Corporate Parenting Panel")
    store.ask(MEMBER, screen("=HYPERLINK(\"http://evil.example\") why?"))
    store.add_action(OFFICER, screen("Review"), "officer.one", TODAY, meeting_id=mid)
    written = dict(export(web, tmp_path / "out", fmt))
    assert set(written) == {f"{t}.{fmt}" for t in TABLES}
    assert written[f"meetings.{fmt}"] == 1 and written[f"questions.{fmt}"] == 1 and written[f"scores.{fmt}"] == 0
    path = tmp_path / "out" / f"questions.{fmt}"
    if fmt == "csv":
        with path.open(newline="") as f:
            row = next(csv.DictReader(f))
        assert row["question"].startswith("'=HYPERLINK")  # a spreadsheet shows it as text, never runs it
    else:
        row = json.loads(path.read_text())[0]
        assert row["question"].startswith("=HYPERLINK") and row["asked_by"] == "cllr.one"


def test_a_read_only_file_is_never_written(store, web, tmp_path):
    store.add_meeting(OFFICER, TODAY, "Corporate Parenting Panel")
    ro = WebDB(web.path, read_only=True)
    try:
        assert PanelStore(ro).meetings()[0]["title"] == "Corporate Parenting Panel"
        with pytest.raises(PermissionError):
            PanelStore(ro).add_meeting(OFFICER, TODAY, "x")
    finally:
        ro.close()
    with pytest.raises(FileNotFoundError):
        WebDB(tmp_path / "none.web.sqlite", read_only=True)
