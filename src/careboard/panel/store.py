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

import re
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources

from careboard.panel import dates
from careboard.panel.screen import Screened
from careboard.store.audit import PANEL_ACTIONS
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

# The audit actions the Panel's business writes are declared with every other action (store/audit.py).
AUDIT_ACTIONS = PANEL_ACTIONS

_NAME = re.compile(r"^-- name: (\w+)\s*$", re.M)


def _load_queries() -> dict[str, str]:
    """The named statements of queries.sql (comment lines dropped)."""
    text = (resources.files("careboard.panel") / "queries.sql").read_text("utf-8")
    parts = _NAME.split(text)[1:]
    found = {}
    for name, body in zip(parts[::2], parts[1::2], strict=True):
        lines = [line for line in body.splitlines() if not line.lstrip().startswith("--")]
        found[name] = "\n".join(lines).strip().rstrip(";")
    return found


Q = _load_queries()


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
    def _read(self, name: str, **params: object) -> list[dict]:
        return _dicts(self.web.con().execute(Q[name], params))

    def _one(self, name: str, **params: object) -> dict | None:
        found = self._read(name, **params)
        return found[0] if found else None

    def _changed(self, con: sqlite3.Connection, who: Who, action: str, detail: str) -> None:
        con.execute(Q["bump_revision"])
        audit_row(con, action, who.username, who.ip, detail)

    def revision(self) -> int:
        """A number that changes with every write to the business (for caches of the pack)."""
        row = self.web.con().execute(Q["revision"]).fetchone()
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
        return self._read("meetings")

    def meeting(self, meeting_id: int) -> dict | None:
        return self._one("meeting", meeting_id=meeting_id)

    def add_meeting(self, who: Who, held_on: date, title: str) -> int:
        title = _title(title, "title")
        with self.web.write() as con:
            mid = con.execute(Q["insert_meeting"], {"held_on": held_on.isoformat(), "title": title,
                                                    "by": who.username, "now": _now()}).lastrowid
            self._changed(con, who, "meeting_added", f"meeting {mid} on {held_on.isoformat()}")
        return int(mid)

    def agenda(self, meeting_id: int) -> list[dict]:
        return self._read("agenda", meeting_id=meeting_id)

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
            iid = con.execute(Q["insert_agenda_item"], {
                "meeting_id": meeting_id, "title": title, "link": link,
                "measure_id": measure_id if link == "measure" else None,
                "year": year if link in ("measure", "briefing", "pack") else None,
                "by": who.username, "now": _now()}).lastrowid
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
        found = self._read("questions")
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
            qid = con.execute(Q["insert_question"], {
                "by": who.username, "asked_on": asked_on.isoformat(), "now": _now(), "question": text,
                "measure_id": measure_id, "year": year, "area": area, "figure_shown": figure_shown,
                "due_on": due.isoformat()}).lastrowid
            about = f" about {measure_id}" if measure_id else ""
            self._changed(con, who, "question_asked", f"question {qid}{about}")
        return int(qid)

    def answer(self, who: Who, question_id: int, officer: str | None, due_on: date | None,
               answer: Screened | None) -> None:
        """Assign the question to ``officer``, move its due date, and/or record the answer."""
        if officer and officer not in self.usernames_with("answer_questions"):
            raise PanelError("officer", "Choose an officer from the list")
        text = _text(answer, "answer", required=False)
        with self.web.write() as con:
            row = con.execute(Q["question_due"], {"question_id": question_id}).fetchone()
            if row is None:
                raise PanelError("question", "There is no such question")
            con.execute(Q["answer_question"], {
                "officer": officer or None, "due_on": due_on.isoformat() if due_on else row[0], "answer": text,
                "by": who.username, "today": date.today().isoformat(), "now": _now(), "question_id": question_id})
            what = "answered" if text is not None else "assigned"
            self._changed(con, who, "question_answered",
                          f"question {question_id} {what}" + (f" (officer {officer})" if officer else ""))

    # -- actions and resolutions ---------------------------------------------------------------
    def actions(self, today: date | None = None) -> list[dict]:
        """Every action, soonest due first, with ``state`` (overdue, complete or its status) and ``overdue``."""
        today = today or date.today()
        found = self._read("actions")
        for a in found:
            a["state"] = action_status(a, today)
            a["overdue"] = a["state"] == "overdue"
        return found

    def action(self, action_id: int, today: date | None = None) -> dict | None:
        return next((a for a in self.actions(today) if a["action_id"] == action_id), None)

    def updates(self, action_id: int) -> list[dict]:
        return self._read("action_updates", action_id=action_id)

    def add_action(self, who: Who, action: Screened, owner: str, due_on: date, meeting_id: int | None = None,
                   recommendation_id: int | None = None, evidence_measure: str | None = None,
                   rag: str | None = None) -> int:
        """What the Panel resolved at a meeting, or an action towards an inspection recommendation."""
        text = _text(action, "action")
        if owner not in self.usernames_with("update_actions"):
            raise PanelError("owner", "Choose the officer who owns the action")
        rag = _choice(rag, RAGS, "rag", "Choose red, amber or green", required=False)
        if meeting_id is None and recommendation_id is None:
            raise PanelError("meeting", "Choose the meeting that resolved it")
        with self.web.write() as con:
            if meeting_id is not None and not con.execute(Q["meeting"], {"meeting_id": meeting_id}).fetchone():
                raise PanelError("meeting", "There is no such meeting")
            if recommendation_id is not None and not con.execute(
                    Q["recommendation_exists"], {"recommendation_id": recommendation_id}).fetchone():
                raise PanelError("recommendation", "There is no such recommendation")
            aid = con.execute(Q["insert_action"], {
                "meeting_id": meeting_id, "recommendation_id": recommendation_id, "action": text, "owner": owner,
                "due_on": due_on.isoformat(), "rag": rag, "evidence_measure": evidence_measure or None,
                "by": who.username, "now": _now()}).lastrowid
            source = f"meeting {meeting_id}" if meeting_id is not None else f"recommendation {recommendation_id}"
            self._changed(con, who, "action_added", f"action {aid} ({source}), owner {owner}, due {due_on}")
        return int(aid)

    def update_action(self, who: Who, action_id: int, note: Screened, status: str, rag: str | None) -> int:
        """A progress update: a note, the status now and the RAG rating now."""
        text = _text(note, "note")
        status = _choice(status, STATUSES, "status", "Choose the status")
        rag = _choice(rag, RAGS, "rag", "Choose red, amber or green", required=False)
        with self.web.write() as con:
            if not con.execute(Q["action_exists"], {"action_id": action_id}).fetchone():
                raise PanelError("action", "There is no such action")
            now, today = _now(), date.today().isoformat()
            uid = con.execute(Q["insert_action_update"], {"action_id": action_id, "by": who.username, "now": now,
                                                          "note": text, "status": status, "rag": rag}).lastrowid
            con.execute(Q["set_action_status"], {"status": status, "rag": rag, "now": now, "today": today,
                                                 "action_id": action_id})
            self._changed(con, who, "action_updated", f"action {action_id}: {status}" + (f", {rag}" if rag else ""))
        return int(uid)

    # -- the score-sheet -----------------------------------------------------------------------
    def scores(self) -> list[dict]:
        """Every score, by meeting date, theme and member."""
        return self._read("scores")

    def member_scores(self, meeting_id: int, username: str) -> dict[str, dict]:
        """theme -> that member's score row at the meeting."""
        return {r["theme"]: r for r in self._read("member_scores", meeting_id=meeting_id, by=username)}

    def save_scores(self, who: Who, meeting_id: int, themes: list[str],
                    scores: dict[str, tuple[int | None, Screened | None]]) -> int:
        """``who``'s own scores at a meeting: theme -> (1-4 or None to leave unscored, comment).

        Only ever the writer's own rows: there is no way to name another member here.
        """
        rows = []
        for theme, (score, comment) in scores.items():
            if theme not in themes:
                raise PanelError("theme", f"{theme!r} is not a theme of the scorecard")
            n = themes.index(theme)
            if score is not None and score not in SCORES:
                raise PanelError(f"score-{n}", "Choose a score from the list")
            text = _text(comment, f"comment-{n}", required=False, limit=1000)
            if score is None and text:
                raise PanelError(f"score-{n}", "Choose a score for the theme you commented on")
            rows.append((theme, score, text))
        if self.meeting(meeting_id) is None:
            raise PanelError("meeting", "There is no such meeting")
        with self.web.write() as con:
            now = _now()
            for theme, score, text in rows:
                key = {"meeting_id": meeting_id, "by": who.username, "theme": theme}
                if score is None:
                    con.execute(Q["delete_score"], key)
                else:
                    con.execute(Q["upsert_score"], {**key, "score": score, "comment": text, "now": now})
            scored = sum(score is not None for _, score, _ in rows)
            self._changed(con, who, "scores_saved", f"meeting {meeting_id}: {scored} theme(s) scored")
        return scored

    # -- challenge cards -----------------------------------------------------------------------
    def cards(self, today: date | None = None) -> list[dict]:
        today = today or date.today()
        found = self._read("cards")
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
            cid = con.execute(Q["insert_card"], {"raised_on": raised_on.isoformat(), "theme": theme, "issue": text,
                                                 "by": who.username, "now": _now(), "officer": officer,
                                                 "due_on": due.isoformat()}).lastrowid
            self._changed(con, who, "card_recorded", f"card {cid} ({theme}), to {officer} by {due}")
        return int(cid)

    def respond_card(self, who: Who, card_id: int, response: Screened, we_did: Screened | None) -> None:
        """The responsible officer's response, and what was done ("you said, we did")."""
        text = _text(response, "response")
        did = _text(we_did, "we_did", required=False)
        with self.web.write() as con:
            if not con.execute(Q["card_exists"], {"card_id": card_id}).fetchone():
                raise PanelError("card", "There is no such card")
            con.execute(Q["respond_card"], {"response": text, "we_did": did, "by": who.username,
                                            "today": date.today().isoformat(), "now": _now(), "card_id": card_id})
            self._changed(con, who, "card_responded", f"card {card_id}")

    # -- inspection action plans ---------------------------------------------------------------
    def plans(self) -> list[dict]:
        return self._read("plans")

    def plan(self, plan_id: int) -> dict | None:
        return self._one("plan", plan_id=plan_id)

    def recommendations(self, plan_id: int) -> list[dict]:
        return self._read("recommendations", plan_id=plan_id)

    def add_plan(self, who: Who, title: str, inspected_on: date) -> int:
        title = _title(title, "title")
        with self.web.write() as con:
            pid = con.execute(Q["insert_plan"], {"title": title, "inspected_on": inspected_on.isoformat(),
                                                 "by": who.username, "now": _now()}).lastrowid
            self._changed(con, who, "plan_added", f"plan {pid}")
        return int(pid)

    def add_recommendation(self, who: Who, plan_id: int, recommendation: Screened) -> int:
        text = _text(recommendation, "recommendation")
        with self.web.write() as con:
            if not con.execute(Q["plan"], {"plan_id": plan_id}).fetchone():
                raise PanelError("plan", "There is no such plan")
            rid = con.execute(Q["insert_recommendation"], {"plan_id": plan_id, "recommendation": text,
                                                           "by": who.username, "now": _now()}).lastrowid
            self._changed(con, who, "recommendation_added", f"recommendation {rid} of plan {plan_id}")
        return int(rid)
