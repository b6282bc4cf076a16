"""Members' questions: asked (perhaps from a measure's page), assigned to an officer, answered by a due date.

A question asked from a measure's page keeps the measure, year, area and the figure the page showed,
looked up again here from the same disclosure-controlled briefing (never taken from the form), so the
record says what the member saw.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from careboard import years
from careboard.panel import views
from careboard.panel.store import PanelError
from careboard.web import csrf
from careboard.web.auth import Answerer, Asker, Member
from careboard.web.briefings import NoData
from careboard.web.panel.common import RowId, date_from, date_values, done, form, page, refuse, screened, store, who

router = APIRouter()
FILTERS = {"": "All questions", "open": "Waiting for an answer", "overdue": "Overdue", "answered": "Answered"}


@router.get("/panel/questions")
def questions(request: Request, user: Member, status: str = "") -> Response:
    found = store(request).questions()
    if status == "open":
        found = [q for q in found if q["status"] != "answered"]
    elif status in FILTERS and status:
        found = [q for q in found if q["status"] == status]
    return page(request, "panel_questions.html", "Questions", "questions", questions=found, status=status,
                filters=FILTERS)


def _context(request: Request, measure: str | None, year: int | None, area: str | None) -> dict:
    """The measure a question is about, as its page shows it now (controlled), or {} for none."""
    if not measure:
        return {}
    web = request.app.state.web
    y = web.briefings.year_or_latest(web.la, year)
    if area is not None and area not in {c for c, _ in web.briefings.areas(web.la, y)}:
        raise NoData(f"there are no figures for a local area {area!r} in {years.label(y)}")
    b = web.briefings.briefing(web.la, y, area)
    m = next((m for m in b.measures() if m.id == measure), None)
    if m is None:
        raise NoData(f"there is no measure {measure!r}")
    return {"measure": m.id, "measure_title": m.title, "year": y, "year_label": b.year_label, "area": area,
            "place": b.place, "figure": views.figure_shown(b, m.id)}


def _ask_page(request: Request, about: dict, errors: dict | None = None, values: dict | None = None) -> Response:
    return page(request, "panel_ask.html", "Ask a question", "questions", status_code=400 if errors else 200,
                about=about, errors=errors or {}, values=values or {})


@router.get("/panel/questions/new")
def ask_form(request: Request, user: Asker, measure: str | None = None, year: int | None = None,
             area: str | None = None) -> Response:
    return _ask_page(request, _context(request, measure, year, area))


@router.post("/panel/questions", dependencies=[Depends(csrf.verify)])
async def ask(request: Request, user: Asker) -> Response:
    values = await form(request)

    def run() -> Response:
        year = values.get("year", "")
        about = _context(request, values.get("measure") or None, int(year) if year.isdigit() else None,
                         values.get("area") or None)
        errors: dict[str, str] = {}
        text = values.get("question", "")
        if not text.strip():
            errors["question"] = "Enter your question"
        else:
            checked = {"question": screened(request, text)}
            if not refuse(request, user, "Your question", checked, errors, values):
                try:
                    qid = store(request).ask(who(request, user), checked["question"], about.get("measure"),
                                             about.get("year"), about.get("area"), about.get("figure"))
                    return done(f"/panel/questions/{qid}")
                except PanelError as exc:
                    errors[exc.field] = str(exc)
        return _ask_page(request, about, errors, values)

    return await run_in_threadpool(run)


def _question(request: Request, question_id: int) -> dict:
    q = store(request).question(question_id)
    if q is None:
        raise NoData(f"there is no question {question_id}")
    return q


@router.get("/panel/questions/{question_id}")
def question(request: Request, user: Member, question_id: RowId) -> Response:
    q = _question(request, question_id)
    return page(request, "panel_question.html", f"Question {question_id}", "questions", q=q)


def _answer_page(request: Request, q: dict, errors: dict | None = None, values: dict | None = None) -> Response:
    values = values if values is not None else {"officer": q["officer"] or "", "answer": q["answer"] or "",
                                                **date_values("due", q["due_on"])}
    return page(request, "panel_answer.html", f"Answer question {q['question_id']}", "questions",
                status_code=400 if errors else 200, q=q, officers=store(request).usernames_with("answer_questions"),
                errors=errors or {}, values=values)


@router.get("/panel/questions/{question_id}/answer")
def answer_form(request: Request, user: Answerer, question_id: RowId) -> Response:
    return _answer_page(request, _question(request, question_id))


@router.post("/panel/questions/{question_id}/answer", dependencies=[Depends(csrf.verify)])
async def answer(request: Request, user: Answerer, question_id: RowId) -> Response:
    values = await form(request)

    def run() -> Response:
        q = _question(request, question_id)
        errors: dict[str, str] = {}
        due = date_from(values, "due", errors, "the date the answer is due")
        text = values.get("answer", "")
        checked = {"answer": screened(request, text)} if text.strip() else {}
        if not refuse(request, user, "The answer", checked, errors, values) and not errors:
            if due is not None and due < date.fromisoformat(q["asked_on"]):
                errors["due"] = "The answer cannot be due before the question was asked"
            else:
                try:
                    store(request).answer(who(request, user), question_id, values.get("officer") or None, due,
                                          checked.get("answer"))
                    return done(f"/panel/questions/{question_id}")
                except PanelError as exc:
                    errors[exc.field] = str(exc)
        return _answer_page(request, q, errors, values)

    return await run_in_threadpool(run)
