"""Reading and writing the Panel's business in the web app's SQLite file.

Every write is one short ``BEGIN IMMEDIATE`` transaction (webdb.WebDB.write) that makes the change,
appends its audit event and bumps ``panel_revision`` together, so a change is never recorded without
its audit line or the other way round, and any number of web users (and ``careboard`` commands) can
write while loads run: none of this touches DuckDB.

Free text is taken only as :class:`~careboard.panel.screen.Screened` that passed, so nothing can be
stored that was not screened.  Status words that depend on the date (open, answered, overdue) are
worked out when read, from the due dates, never stored, so nothing has to run at midnight.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from careboard.panel import dates
from careboard.panel.screen import Screened
from careboard.store.webdb import WebDB, audit_row

STATUSES = {"not_started": "Not started", "in_progress": "In progress", "complete": "Complete"}
RAGS = {"red": "Red", "amber": "Amber", "green": "Green"}
SCORES = {4: "Outstanding", 3: "Good", 2: "Requires improvement", 1: "Inadequate"}
AGENDA_LINKS = {
    "measure": "A measure's page", "briefing": "The information pack (web page)", "pack": "The pack (PDF)",
    "questions": "Members' questions", "actions": "Actions and resolutions", "scores": "The score-sheet",
    "cards": "Challenge cards", "plans": "Inspection action plans",
}
MAX_TEXT = 4000  # characters in any one text: a question, an answer, a card, a note
MAX_TITLE = 200

# The audit actions the Panel's business writes (web/audit.py lists them for the admin's filter).
AUDIT_ACTIONS = frozenset({
    "meeting_added", "agenda_item_added", "question_asked", "question_answered", "action_added", "action_updated",
    "scores_saved", "card_recorded", "card_responded", "plan_added", "recommendation_added", "text_refused",
})

_BUMP = "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'panel_revision'"
# Named SQL for the reads.
MEETINGS_SQL = "SELECT * FROM meetings ORDER BY held_on DESC, meeting_id DESC"
AGENDA_SQL = "SELECT * FROM agenda_items WHERE meeting_id = ? ORDER BY position, item_id"
QUESTIONS_SQL = "SELECT * FROM questions ORDER BY asked_at DESC, question_id DESC"
ACTIONS_SQL = """
SELECT a.*, m.held_on AS meeting_on, r.recommendation, r.plan_id, r.position AS recommendation_no
FROM actions a LEFT JOIN meetings m USING (meeting_id) LEFT JOIN recommendations r USING (recommendation_id)
ORDER BY a.due_on, a.action_id
"""
UPDATES_SQL = "SELECT * FROM action_updates WHERE action_id = ? ORDER BY update_id DESC"
SCORES_SQL = """
SELECT s.*, m.held_on FROM scores s JOIN meetings m USING (meeting_id) ORDER BY m.held_on, s.theme, s.username
"""
CARDS_SQL = "SELECT * FROM challenge_cards ORDER BY raised_on DESC, card_id DESC"
PLANS_SQL = "SELECT * FROM plans ORDER BY inspected_on DESC, plan_id DESC"
RECOMMENDATIONS_SQL = "SELECT * FROM recommendations WHERE plan_id = ? ORDER BY position, recommendation_id"


class PanelError(ValueError):
    """Input the Panel's business cannot take: ``field`` names the form field, the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Who:
    """Who is writing, for the record and the audit log."""

    username: str
    ip: str | None = None


def _now() -> str:
    return datetime.now().strftime("%Y-%m-%d %H:%M:%S")


def _dicts(cur: sqlite3.Cursor) -> list[dict]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _text(value: Screened | None, field: str, required: bool = True, limit: int = MAX_TEXT) -> str | None:
    """Screened text, stripped; only text that passed the screen is accepted."""
    if value is None or not value.text.strip():
        if required:
            raise PanelError(field, "Enter the text")
        return None
    if not value.ok:
        raise ValueError(f"{field}: text that did not pass the screen cannot be stored")
    text = value.text.strip()
    if len(text) > limit:
        raise PanelError(field, f"Use at most {limit:,} characters (this has {len(text):,})")
    return text


def _title(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise PanelError(field, "Enter a title")
    if len(value) > MAX_TITLE:
        raise PanelError(field, f"Use at most {MAX_TITLE} characters")
    return value


def _choice(value: str | None, choices, field: str, message: str, required: bool = True) -> str | None:
    if not value:
        if required:
            raise PanelError(field, message)
        return None
    if value not in choices:
        raise PanelError(field, message)
    return value


def question_status(q: dict, today: date) -> str:
    if q.get("answer"):
        return "answered"
    return "overdue" if q["due_on"] < today.isoformat() else "open"


def action_status(a: dict, today: date) -> str:
    """complete, overdue (past its due date and not complete), or its recorded status."""
    if a["status"] == "complete":
        return "complete"
    return "overdue" if a["due_on"] < today.isoformat() else a["status"]


def card_status(c: dict, today: date) -> str:
    if c.get("response"):
        return "responded"
    return "overdue" if c["due_on"] < today.isoformat() else "open"


class PanelStore:
    """The Panel's business in one WebDB (the SQLite file beside the database)."""

    def __init__(self, web: WebDB) -> None:
        self.web = web

    # -- common ------------------------------------------------------------------------------
    def _read(self, sql: str, params: list | tuple = ()) -> list[dict]:
        return _dicts(self.web.con().execute(sql, params))

    def _changed(self, con: sqlite3.Connection, who: Who, action: str, detail: str) -> None:
        con.execute(_BUMP)
        audit_row(con, action, who.username, who.ip, detail)

    def revision(self) -> int:
        """A number that changes with every write to the business (for caches of the pack)."""
        row = self.web.con().execute("SELECT value FROM meta WHERE key = 'panel_revision'").fetchone()
        return int(row[0]) if row else 0

    def refused(self, who: Who, what: str, kinds: tuple[str, ...]) -> None:
        """Note that a text was refused by the screen: the kinds found only, never the text."""
        self.web.record("text_refused", who.username, who.ip, f"{what}: {', '.join(kinds)}")

    def usernames_with(self, capability: str) -> list[str]:
        """Users whose role gives ``capability`` (officers to assign, for instance)."""
        from careboard.roles import roles_with

        allowed = set(roles_with(capability))
        return [u["username"] for u in self.web.users() if u["role"] in allowed]

    # -- meetings and agenda -----------------------------------------------------------------
    def meetings(self) -> list[dict]:
        """Newest first."""
        return self._read(MEETINGS_SQL)

    def meeting(self, meeting_id: int) -> dict | None:
        found = self._read("SELECT * FROM meetings WHERE meeting_id = ?", [meeting_id])
        return found[0] if found else None

    def add_meeting(self, who: Who, held_on: date, title: str) -> int:
        title = _title(title, "title")
        with self.web.write() as con:
            mid = con.execute("INSERT INTO meetings (held_on, title, created_by, created_at) VALUES (?, ?, ?, ?)",
                              [held_on.isoformat(), title, who.username, _now()]).lastrowid
            self._changed(con, who, "meeting_added", f"meeting {mid} on {held_on.isoformat()}")
        return int(mid)

    def agenda(self, meeting_id: int) -> list[dict]:
        return self._read(AGENDA_SQL, [meeting_id])

    def add_agenda_item(self, who: Who, meeting_id: int, title: str, link: str | None = None,
                        measure_id: str | None = None, year: int | None = None) -> int:
        title = _title(title, "title")
        link = _choice(link, AGENDA_LINKS, "link", "Choose what the item links to", required=False)
        if link == "measure" and not measure_id:
            raise PanelError("measure", "Choose the measure the item links to")
        if link in ("measure", "briefing", "pack") and year is None:
            raise PanelError("year", "Choose the year of the figures")
        if self.meeting(meeting_id) is None:
            raise PanelError("meeting", "There is no such meeting")
        with self.web.write() as con:
            position = con.execute("SELECT coalesce(max(position), 0) + 1 FROM agenda_items WHERE meeting_id = ?",
                                   [meeting_id]).fetchone()[0]
            iid = con.execute("INSERT INTO agenda_items (meeting_id, position, title, link, measure_id, year, "
                              "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                              [meeting_id, position, title, link, measure_id if link == "measure" else None,
                               year if link in ("measure", "briefing", "pack") else None, who.username,
                               _now()]).lastrowid
            self._changed(con, who, "agenda_item_added", f"item {iid} of meeting {meeting_id}")
        return int(iid)

    def window(self, today: date, meeting_id: int | None = None) -> tuple[dict | None, dict | None]:
        """(the meeting a pack is for, the meeting before it).

        The meeting asked for, else the next one on or after ``today``, else none; the one before is
        the latest held before it (or before ``today`` when there is no next meeting).
        """
        meetings = sorted(self.meetings(), key=lambda m: (m["held_on"], m["meeting_id"]))
        if meeting_id is not None:
            this = next((m for m in meetings if m["meeting_id"] == meeting_id), None)
        else:
            this = next((m for m in meetings if m["held_on"] >= today.isoformat()), None)
        until = this["held_on"] if this else today.isoformat()
        before = [m for m in meetings if m["held_on"] < until]
        return this, (before[-1] if before else None)

    # -- questions ---------------------------------------------------------------------------
    def questions(self, today: date | None = None) -> list[dict]:
        """Every question, newest first, with its ``status`` (open, answered, overdue)."""
        today = today or date.today()
        found = self._read(QUESTIONS_SQL)
        for q in found:
            q["status"] = question_status(q, today)
        return found

    def question(self, question_id: int, today: date | None = None) -> dict | None:
        return next((q for q in self.questions(today) if q["question_id"] == question_id), None)

    def ask(self, who: Who, question: Screened, measure_id: str | None = None, year: int | None = None,
            area: str | None = None, figure_shown: str | None = None, asked_on: date | None = None) -> int:
        """A member's question, due :data:`dates.QUESTION_DAYS` working days after it is asked."""
        text = _text(question, "question")
        asked_on = asked_on or date.today()
        due = dates.add_working_days(asked_on, dates.QUESTION_DAYS)
        with self.web.write() as con:
            qid = con.execute("INSERT INTO questions (asked_by, asked_on, asked_at, question, measure_id, year, area, "
                              "figure_shown, due_on, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                              [who.username, asked_on.isoformat(), _now(), text, measure_id, year, area, figure_shown,
                               due.isoformat(), _now()]).lastrowid
            self._changed(con, who, "question_asked", f"question {qid}" + (f" about {measure_id}" if measure_id else ""))
        return int(qid)

    def answer(self, who: Who, question_id: int, officer: str | None, due_on: date | None,
               answer: Screened | None) -> None:
        """Assign the question to ``officer``, move its due date, and/or record the answer."""
        if officer and officer not in self.usernames_with("answer_questions"):
            raise PanelError("officer", "Choose an officer from the list")
        text = _text(answer, "answer", required=False)
        with self.web.write() as con:
            row = con.execute("SELECT answer, due_on FROM questions WHERE question_id = ?", [question_id]).fetchone()
            if row is None:
                raise PanelError("question", "There is no such question")
            answered = text is not None
            con.execute("UPDATE questions SET officer = coalesce(?, officer), due_on = ?, answer = coalesce(?, answer), "
                        "answered_by = CASE WHEN ? THEN ? ELSE answered_by END, "
                        "answered_on = CASE WHEN ? THEN ? ELSE answered_on END, updated_at = ? WHERE question_id = ?",
                        [officer or None, (due_on.isoformat() if due_on else row[1]), text, answered, who.username,
                         answered, date.today().isoformat(), _now(), question_id])
            what = "answered" if answered else "assigned"
            self._changed(con, who, "question_answered",
                          f"question {question_id} {what}" + (f" (officer {officer})" if officer else ""))

    # -- actions and resolutions ---------------------------------------------------------------
    def actions(self, today: date | None = None) -> list[dict]:
        """Every action, soonest due first, with ``state`` (overdue, complete or its status) and ``overdue``."""
        today = today or date.today()
        found = self._read(ACTIONS_SQL)
        for a in found:
            a["state"] = action_status(a, today)
            a["overdue"] = a["state"] == "overdue"
        return found

    def action(self, action_id: int, today: date | None = None) -> dict | None:
        return next((a for a in self.actions(today) if a["action_id"] == action_id), None)

    def updates(self, action_id: int) -> list[dict]:
        return self._read(UPDATES_SQL, [action_id])

    def add_action(self, who: Who, action: Screened, owner: str, due_on: date, meeting_id: int | None = None,
                   recommendation_id: int | None = None, evidence_measure: str | None = None,
                   rag: str | None = None) -> int:
        text = _text(action, "action")
        if owner not in self.usernames_with("update_actions"):
            raise PanelError("owner", "Choose the officer who owns the action")
        rag = _choice(rag, RAGS, "rag", "Choose red, amber or green", required=False)
        if meeting_id is None and recommendation_id is None:
            raise PanelError("meeting", "Choose the meeting that resolved it")
        with self.web.write() as con:
            if meeting_id is not None and not con.execute("SELECT 1 FROM meetings WHERE meeting_id = ?",
                                                          [meeting_id]).fetchone():
                raise PanelError("meeting", "There is no such meeting")
            if recommendation_id is not None and not con.execute(
                    "SELECT 1 FROM recommendations WHERE recommendation_id = ?", [recommendation_id]).fetchone():
                raise PanelError("recommendation", "There is no such recommendation")
            aid = con.execute("INSERT INTO actions (meeting_id, recommendation_id, action, owner, due_on, status, rag, "
                              "evidence_measure, created_by, created_at, updated_at) "
                              "VALUES (?, ?, ?, ?, ?, 'not_started', ?, ?, ?, ?, ?)",
                              [meeting_id, recommendation_id, text, owner, due_on.isoformat(), rag,
                               evidence_measure or None, who.username, _now(), _now()]).lastrowid
            source = f"meeting {meeting_id}" if meeting_id is not None else f"recommendation {recommendation_id}"
            self._changed(con, who, "action_added", f"action {aid} ({source}), owner {owner}, due {due_on}")
        return int(aid)

    def update_action(self, who: Who, action_id: int, note: Screened, status: str, rag: str | None) -> int:
        """A progress update: a note, the status now and the RAG rating now."""
        text = _text(note, "note")
        status = _choice(status, STATUSES, "status", "Choose the status")
        rag = _choice(rag, RAGS, "rag", "Choose red, amber or green", required=False)
        with self.web.write() as con:
            if not con.execute("SELECT 1 FROM actions WHERE action_id = ?", [action_id]).fetchone():
                raise PanelError("action", "There is no such action")
            uid = con.execute("INSERT INTO action_updates (action_id, written_by, written_at, note, status, rag) "
                              "VALUES (?, ?, ?, ?, ?, ?)", [action_id, who.username, _now(), text, status, rag]).lastrowid
            con.execute("UPDATE actions SET status = ?, rag = coalesce(?, rag), updated_at = ?, "
                        "completed_on = CASE WHEN ? = 'complete' THEN coalesce(completed_on, ?) END WHERE action_id = ?",
                        [status, rag, _now(), status, date.today().isoformat(), action_id])
            self._changed(con, who, "action_updated", f"action {action_id}: {status}" + (f", {rag}" if rag else ""))
        return int(uid)

    # -- the score-sheet -----------------------------------------------------------------------
    def scores(self) -> list[dict]:
        """Every score, by meeting date, theme and member."""
        return self._read(SCORES_SQL)

    def member_scores(self, meeting_id: int, username: str) -> dict[str, dict]:
        """theme -> that member's score row at the meeting."""
        rows = self._read("SELECT * FROM scores WHERE meeting_id = ? AND username = ?", [meeting_id, username])
        return {r["theme"]: r for r in rows}

    def save_scores(self, who: Who, meeting_id: int, themes: list[str],
                    scores: dict[str, tuple[int | None, Screened | None]]) -> int:
        """``who``'s own scores at a meeting: theme -> (1-4 or None to leave unscored, comment).

        Only ever the writer's own row: there is no way to name another member here.
        """
        rows = []
        for theme, (score, comment) in scores.items():
            if theme not in themes:
                raise PanelError("theme", f"{theme!r} is not a theme of the scorecard")
            if score is not None and score not in SCORES:
                raise PanelError(f"score-{themes.index(theme)}", "Choose a score from the list")
            text = _text(comment, f"comment-{themes.index(theme)}", required=False, limit=1000)
            if score is None and text:
                raise PanelError(f"score-{themes.index(theme)}", "Choose a score for the theme you commented on")
            rows.append((theme, score, text))
        if self.meeting(meeting_id) is None:
            raise PanelError("meeting", "There is no such meeting")
        with self.web.write() as con:
            for theme, score, text in rows:
                if score is None:
                    con.execute("DELETE FROM scores WHERE meeting_id = ? AND username = ? AND theme = ?",
                                [meeting_id, who.username, theme])
                else:
                    con.execute("INSERT INTO scores VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (meeting_id, username, theme) "
                                "DO UPDATE SET score = excluded.score, comment = excluded.comment, "
                                "updated_at = excluded.updated_at", [meeting_id, who.username, theme, score, text, _now()])
            scored = sum(score is not None for _, score, _ in rows)
            self._changed(con, who, "scores_saved", f"meeting {meeting_id}: {scored} theme(s) scored")
        return scored

    # -- challenge cards -----------------------------------------------------------------------
    def cards(self, today: date | None = None) -> list[dict]:
        today = today or date.today()
        found = self._read(CARDS_SQL)
        for c in found:
            c["status"] = card_status(c, today)
        return found

    def card(self, card_id: int, today: date | None = None) -> dict | None:
        return next((c for c in self.cards(today) if c["card_id"] == card_id), None)

    def add_card(self, who: Who, raised_on: date, theme: str, issue: Screened, officer: str) -> int:
        """A card, due :data:`dates.CARD_DAYS` working days after it was raised."""
        text = _text(issue, "issue")
        theme = _title(theme, "theme")
        if officer not in self.usernames_with("respond_to_cards"):
            raise PanelError("officer", "Choose the officer responsible for the response")
        if raised_on > date.today():
            raise PanelError("raised", "The date the card was raised cannot be in the future")
        due = dates.add_working_days(raised_on, dates.CARD_DAYS)
        with self.web.write() as con:
            cid = con.execute("INSERT INTO challenge_cards (raised_on, theme, issue, recorded_by, recorded_at, officer, "
                              "due_on, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                              [raised_on.isoformat(), theme, text, who.username, _now(), officer, due.isoformat(),
                               _now()]).lastrowid
            self._changed(con, who, "card_recorded", f"card {cid} ({theme}), to {officer} by {due}")
        return int(cid)

    def respond_card(self, who: Who, card_id: int, response: Screened, we_did: Screened | None) -> None:
        text = _text(response, "response")
        did = _text(we_did, "we_did", required=False)
        with self.web.write() as con:
            if not con.execute("SELECT 1 FROM challenge_cards WHERE card_id = ?", [card_id]).fetchone():
                raise PanelError("card", "There is no such card")
            con.execute("UPDATE challenge_cards SET response = ?, we_did = ?, responded_by = ?, responded_on = ?, "
                        "updated_at = ? WHERE card_id = ?",
                        [text, did, who.username, date.today().isoformat(), _now(), card_id])
            self._changed(con, who, "card_responded", f"card {card_id}")

    # -- inspection action plans ---------------------------------------------------------------
    def plans(self) -> list[dict]:
        return self._read(PLANS_SQL)

    def plan(self, plan_id: int) -> dict | None:
        found = self._read("SELECT * FROM plans WHERE plan_id = ?", [plan_id])
        return found[0] if found else None

    def recommendations(self, plan_id: int) -> list[dict]:
        return self._read(RECOMMENDATIONS_SQL, [plan_id])

    def add_plan(self, who: Who, title: str, inspected_on: date) -> int:
        title = _title(title, "title")
        with self.web.write() as con:
            pid = con.execute("INSERT INTO plans (title, inspected_on, created_by, created_at) VALUES (?, ?, ?, ?)",
                              [title, inspected_on.isoformat(), who.username, _now()]).lastrowid
            self._changed(con, who, "plan_added", f"plan {pid}")
        return int(pid)

    def add_recommendation(self, who: Who, plan_id: int, recommendation: Screened) -> int:
        text = _text(recommendation, "recommendation")
        with self.web.write() as con:
            if not con.execute("SELECT 1 FROM plans WHERE plan_id = ?", [plan_id]).fetchone():
                raise PanelError("plan", "There is no such plan")
            position = con.execute("SELECT coalesce(max(position), 0) + 1 FROM recommendations WHERE plan_id = ?",
                                   [plan_id]).fetchone()[0]
            rid = con.execute("INSERT INTO recommendations (plan_id, position, recommendation, created_by, created_at) "
                              "VALUES (?, ?, ?, ?, ?)", [plan_id, position, text, who.username, _now()]).lastrowid
            self._changed(con, who, "recommendation_added", f"recommendation {rid} of plan {plan_id}")
        return int(rid)
