"""The "Panel business" section of the members' pack, and the overdue actions on its first page.

:func:`build_section` gathers, for the meeting a pack is for (the next one, unless another is
named), what happened since the meeting before it: questions asked or answered since then and those
still open, actions open and overdue, challenge cards and their responses, the latest score-sheet
beside the figures, and each inspection action plan's progress.  It hands the pack plain display
strings; the only figures in it (an action's evidence measure, the bands beside the score-sheet)
come from the pack's own :class:`~careboard.publish.briefing.Briefing`, so they are the pack's
disclosure-controlled figures and nothing else.

Statuses are as of the day the pack is made (an action due yesterday is overdue in today's pack).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from careboard.panel.store import RAGS, STATUSES, PanelStore
from careboard.panel.views import Evidence, PlanView, evidence, long_date, plan_view, scores_over_time
from careboard.publish.briefing import Briefing

PANEL_SCHEMA = 2  # webdb_schema/002_panel.sql
PAGE_ONE_MAX = 5  # overdue actions listed on page 1; the rest are in the section
STATE_TEXT = {**STATUSES, "overdue": "Overdue", "open": "Open", "answered": "Answered", "responded": "Responded"}


@dataclass(frozen=True)
class PanelBusiness:
    meeting: str | None  # "Corporate Parenting Panel, 12 January 2027"
    since: str | None  # the date of the meeting before it
    as_of: str
    overdue_actions: list[dict]
    open_actions: list[dict]
    completed_actions: list[dict]
    questions_answered: list[dict]
    questions_open: list[dict]
    cards: list[dict]
    scores_meeting: str | None
    scores: list[dict]
    plans: list[PlanView]
    revision: int
    page_one: list[dict] = field(default_factory=list)

    @property
    def more_overdue(self) -> int:
        return len(self.overdue_actions) - len(self.page_one)

    @property
    def empty(self) -> bool:
        return not (self.overdue_actions or self.open_actions or self.completed_actions or self.questions_answered
                    or self.questions_open or self.cards or self.scores or self.plans)


def _action(a: dict, briefing: Briefing, plans: dict[int, str]) -> dict:
    if a["meeting_id"] is not None:
        source = f"Panel of {long_date(a['meeting_on'])}"
    else:
        source = f"{plans.get(a['plan_id'], 'Action plan')}, recommendation {a['recommendation_no']}"
    ev: Evidence | None = evidence(briefing, a["evidence_measure"])
    return {"id": a["action_id"], "action": a["action"], "owner": a["owner"], "due": long_date(a["due_on"]),
            "state": STATE_TEXT[a["state"]], "rag": RAGS.get(a["rag"] or "", ""), "rag_key": a["rag"] or "",
            "source": source, "evidence": ev}


def _question(q: dict, briefing: Briefing) -> dict:
    ev = evidence(briefing, q["measure_id"])
    return {"id": q["question_id"], "question": q["question"], "asked_by": q["asked_by"],
            "asked_on": long_date(q["asked_on"]), "officer": q["officer"] or "", "due": long_date(q["due_on"]),
            "state": STATE_TEXT[q["status"]], "answer": q["answer"] or "", "answered_by": q["answered_by"] or "",
            "answered_on": long_date(q["answered_on"]), "measure": ev}


def _card(c: dict) -> dict:
    return {"id": c["card_id"], "theme": c["theme"], "raised_on": long_date(c["raised_on"]), "issue": c["issue"],
            "officer": c["officer"], "due": long_date(c["due_on"]), "state": STATE_TEXT[c["status"]],
            "response": c["response"] or "", "we_did": c["we_did"] or "", "responded_on": long_date(c["responded_on"])}


def build_section(store: PanelStore, briefing: Briefing, today: date | None = None,
                  meeting_id: int | None = None) -> PanelBusiness:
    """The section for the meeting ``meeting_id`` (default: the next on or after ``today``)."""
    today = today or date.today()
    this, before = store.window(today, meeting_id)
    since = before["held_on"] if before else None
    until = this["held_on"] if this else None

    def recent(day: str | None) -> bool:
        return bool(day) and (since is None or day >= since) and (until is None or day[:10] <= until)

    plans = {p["plan_id"]: p["title"] for p in store.plans()}
    actions = store.actions(today)
    shown = [_action(a, briefing, plans) for a in actions]
    overdue = [s for s, a in zip(shown, actions, strict=True) if a["state"] == "overdue"]
    open_ = [s for s, a in zip(shown, actions, strict=True) if a["state"] in ("not_started", "in_progress")]
    done = [s for s, a in zip(shown, actions, strict=True)
            if a["state"] == "complete" and recent(a["completed_on"])]

    questions = store.questions(today)
    answered = [_question(q, briefing) for q in questions if q["status"] == "answered"
                and (recent(q["asked_on"]) or recent(q["answered_on"]))]
    still_open = [_question(q, briefing) for q in questions if q["status"] != "answered"]
    cards = [_card(c) for c in store.cards(today) if c["status"] != "responded" or recent(c["raised_on"])
             or recent(c["responded_on"])]

    scored_meetings = sorted({s["held_on"] for s in store.scores() if until is None or s["held_on"] <= until})
    score_rows: list[dict] = []
    scores_meeting = None
    if scored_meetings:
        latest = scored_meetings[-1]
        scores_meeting = long_date(latest)
        themes = [t.name for t in briefing.themes]
        for ts in scores_over_time(store, lambda _y: briefing, [briefing.year], themes, until=latest):
            at = [m for m in ts.meetings if m.held_on == latest]
            if at:
                m = at[0]
                score_rows.append({"theme": ts.theme, "scores": m.scores, "bands": m.bands, "prompt": m.prompt})
    plan_views = [v for p in store.plans() if (v := plan_view(store, p["plan_id"], today, actions)) is not None]

    return PanelBusiness(
        meeting=f"{this['title']}, {long_date(this['held_on'])}" if this else None,
        since=long_date(since) if since else None, as_of=long_date(today),
        overdue_actions=overdue, open_actions=open_, completed_actions=done, questions_answered=answered,
        questions_open=still_open, cards=cards, scores_meeting=scores_meeting, scores=score_rows, plans=plan_views,
        revision=store.revision(), page_one=overdue[:PAGE_ONE_MAX])


def for_database(db: Path, briefing: Briefing, meeting_on: date | None = None,
                 today: date | None = None) -> PanelBusiness | None:
    """The section from the SQLite file beside the database ``db``, read-only; None when there is none.

    For ``careboard pack``: it never creates or changes the file, and a file from an older careboard
    (without the Panel's tables) has no business to show.  ``meeting_on`` picks the meeting held that
    day; ValueError if there is none.
    """
    import sqlite3

    from careboard.store.webdb import WebDB, path_for, schema_version

    path = path_for(db)
    if not path.exists():
        if meeting_on is not None:
            raise ValueError(f"no Panel meeting on {meeting_on.isoformat()} has been recorded")
        return None
    web = WebDB(path, read_only=True)
    try:
        if schema_version(web) < PANEL_SCHEMA:
            return None
        store = PanelStore(web)
        meeting_id = None
        if meeting_on is not None:
            found = [m for m in store.meetings() if m["held_on"] == meeting_on.isoformat()]
            if not found:
                raise ValueError(f"no Panel meeting on {meeting_on.isoformat()} has been recorded")
            meeting_id = found[0]["meeting_id"]
        section = build_section(store, briefing, today, meeting_id)
        return None if section.empty and meeting_on is None else section
    except sqlite3.DatabaseError as exc:
        raise ValueError(f"cannot read the Panel's business from {path.name}: {exc}") from None
    finally:
        web.close()
