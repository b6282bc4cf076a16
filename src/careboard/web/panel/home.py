"""The Panel's business at a glance: the next meeting, what is overdue, and what waits for whom."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from careboard.web.auth import Member
from careboard.web.panel.common import page, store

router = APIRouter()


@router.get("/panel")
def overview(request: Request, user: Member) -> Response:
    s, today = store(request), date.today()
    this, before = s.window(today)
    questions, actions, cards = s.questions(today), s.actions(today), s.cards(today)
    mine = {
        "questions": [q for q in questions if q["officer"] == user.username and q["status"] != "answered"],
        "cards": [c for c in cards if c["officer"] == user.username and c["status"] != "responded"],
        "actions": [a for a in actions if a["owner"] == user.username and a["state"] != "complete"],
        "asked": [q for q in questions if q["asked_by"] == user.username],
    }
    counts = {
        "open_questions": sum(q["status"] != "answered" for q in questions),
        "overdue_questions": sum(q["status"] == "overdue" for q in questions),
        "overdue_actions": sum(a["state"] == "overdue" for a in actions),
        "open_actions": sum(a["state"] != "complete" for a in actions),
        "open_cards": sum(c["status"] != "responded" for c in cards),
    }
    return page(request, "panel_home.html", "Panel business", "home", next_meeting=this, last_meeting=before,
                overdue=[a for a in actions if a["state"] == "overdue"], counts=counts, mine=mine)
