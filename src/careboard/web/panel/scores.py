"""The councillor score-sheet: each member scores each theme of the scorecard at a meeting, and the Panel
sees members' scores over time beside the figures' quartile bands (a prompt for challenge, not a vote)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from careboard.panel import views
from careboard.panel.store import SCORES, PanelError
from careboard.web import csrf
from careboard.web.auth import Forbidden, Member, Scorer, User
from careboard.web.briefings import NoData
from careboard.web.panel.common import (
    RowId,
    briefing_for,
    done,
    form,
    latest_briefing,
    loaded_years,
    page,
    refuse,
    screened,
    store,
    who,
)

router = APIRouter()


def themes(request: Request) -> list[str]:
    """The scorecard's themes, in its order (from the latest briefing)."""
    b = latest_briefing(request)
    return [t.name for t in b.themes] if b else []


@router.get("/panel/scores")
def score_sheet(request: Request, user: Member) -> Response:
    s = store(request)
    over_time = views.scores_over_time(s, briefing_for(request), loaded_years(request), themes(request))
    meetings = s.meetings()
    return page(request, "panel_scores.html", "Score-sheet", "scores", themes=over_time, meetings=meetings,
                scale=SCORES)


def _own(user: User, username: str) -> None:
    """A member may see and change only their own score-sheet (refused and audited otherwise)."""
    if username != user.username:
        raise Forbidden("score_themes, own scores only")


def _form_page(request: Request, user: User, meeting_id: int, errors: dict | None = None,
               values: dict | None = None) -> Response:
    s = store(request)
    meeting = s.meeting(meeting_id)
    if meeting is None:
        raise NoData(f"there is no meeting {meeting_id}")
    names = themes(request)
    if values is None:
        mine = s.member_scores(meeting_id, user.username)
        values = {}
        for i, theme in enumerate(names):
            if theme in mine:
                values[f"score-{i}"] = str(mine[theme]["score"])
                values[f"comment-{i}"] = mine[theme]["comment"] or ""
    return page(request, "panel_score_form.html", f"Your score-sheet, {views.long_date(meeting['held_on'])}",
                "scores", status_code=400 if errors else 200, meeting=meeting, themes=names, scale=SCORES,
                errors=errors or {}, values=values)


@router.get("/panel/meetings/{meeting_id}/scores")
def my_scores(request: Request, user: Scorer, meeting_id: RowId) -> Response:
    return RedirectResponse(f"/panel/meetings/{meeting_id}/scores/{user.username}", status_code=303)


@router.get("/panel/meetings/{meeting_id}/scores/{username}")
def score_form(request: Request, user: Scorer, meeting_id: RowId, username: str) -> Response:
    _own(user, username)
    return _form_page(request, user, meeting_id)


@router.post("/panel/meetings/{meeting_id}/scores/{username}", dependencies=[Depends(csrf.verify)])
async def save_scores(request: Request, user: Scorer, meeting_id: RowId, username: str) -> Response:
    _own(user, username)
    values = await form(request)

    def run() -> Response:
        names = themes(request)
        errors: dict[str, str] = {}
        checked, scores = {}, {}
        for i in range(len(names)):
            comment = values.get(f"comment-{i}", "")
            if comment.strip():
                checked[f"comment-{i}"] = screened(request, comment)
        if not refuse(request, user, "A comment", checked, errors, values):
            for i, theme in enumerate(names):
                raw = values.get(f"score-{i}", "")
                if raw and not (raw.isdigit() and int(raw) in SCORES):
                    errors[f"score-{i}"] = "Choose a score from the list"
                scores[theme] = (int(raw) if raw.isdigit() else None, checked.get(f"comment-{i}"))
        if not errors:
            try:
                store(request).save_scores(who(request, user), meeting_id, names, scores)
                return done(f"/panel/meetings/{meeting_id}")
            except PanelError as exc:
                errors[exc.field] = str(exc)
        return _form_page(request, user, meeting_id, errors, values)

    return await run_in_threadpool(run)
