"""The Panel's meetings and their agendas; an agenda item can link to a measure, the pack or the business."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from careboard.measures.measure import all_measures
from careboard.panel.store import AGENDA_LINKS, PanelError
from careboard.panel.views import long_date
from careboard.web import csrf
from careboard.web.auth import Clerk, Member, User
from careboard.web.briefings import NoData
from careboard.web.panel.common import RowId, date_from, done, form, loaded_years, page, store, who

router = APIRouter()
TITLE = "Corporate Parenting Panel"


def _meetings_page(request: Request, errors: dict | None = None, values: dict | None = None) -> Response:
    s = store(request)
    meetings = s.meetings()
    agenda_counts = {m["meeting_id"]: len(s.agenda(m["meeting_id"])) for m in meetings}
    return page(request, "panel_meetings.html", "Meetings", "meetings", status_code=400 if errors else 200,
                meetings=meetings, agenda_counts=agenda_counts, errors=errors or {},
                values=values or {"title": TITLE})


@router.get("/panel/meetings")
def meetings(request: Request, user: Member) -> Response:
    return _meetings_page(request)


@router.post("/panel/meetings", dependencies=[Depends(csrf.verify)])
async def add_meeting(request: Request, user: Clerk) -> Response:
    values = await form(request)

    def run() -> Response:
        errors: dict[str, str] = {}
        held = date_from(values, "held", errors, "the date of the meeting")
        if not errors:
            try:
                mid = store(request).add_meeting(who(request, user), held, values.get("title", ""))
                return done(f"/panel/meetings/{mid}")
            except PanelError as exc:
                errors[exc.field] = str(exc)
        return _meetings_page(request, errors, values)

    return await run_in_threadpool(run)


def _agenda_href(item: dict, meeting_id: int) -> str | None:
    link, year = item["link"], item["year"]
    return {
        "measure": f"/measures/{item['measure_id']}?year={year}", "briefing": f"/briefing?year={year}",
        "pack": f"/pack.pdf?year={year}&meeting={meeting_id}", "questions": "/panel/questions",
        "actions": "/panel/actions", "scores": "/panel/scores", "cards": "/panel/cards", "plans": "/panel/plans",
    }.get(link or "")


def _meeting_page(request: Request, user: User, meeting_id: int, errors: dict | None = None,
                  values: dict | None = None) -> Response:
    s = store(request)
    meeting = s.meeting(meeting_id)
    if meeting is None:
        raise NoData(f"there is no meeting {meeting_id}")
    agenda = [{**item, "href": _agenda_href(item, meeting_id)} for item in s.agenda(meeting_id)]
    resolved = [a for a in s.actions() if a["meeting_id"] == meeting_id]
    mine = s.member_scores(meeting_id, user.username) if user.can("score_themes") else {}
    measures = sorted(((m.id, m.title) for m in all_measures().values()), key=lambda t: t[1])
    return page(request, "panel_meeting.html", f"{meeting['title']}, {long_date(meeting['held_on'])}", "meetings",
                status_code=400 if errors else 200, meeting=meeting, agenda=agenda, resolved=resolved,
                my_scores=mine, links=AGENDA_LINKS, measures=measures, years=loaded_years(request),
                errors=errors or {}, values=values or {})


@router.get("/panel/meetings/{meeting_id}")
def meeting(request: Request, user: Member, meeting_id: RowId) -> Response:
    return _meeting_page(request, user, meeting_id)


@router.post("/panel/meetings/{meeting_id}/agenda", dependencies=[Depends(csrf.verify)])
async def add_agenda_item(request: Request, user: Clerk, meeting_id: RowId) -> Response:
    values = await form(request)

    def run() -> Response:
        errors: dict[str, str] = {}
        year = values.get("year") or None
        try:
            store(request).add_agenda_item(who(request, user), meeting_id, values.get("title", ""),
                                           values.get("link") or None, values.get("measure") or None,
                                           int(year) if year and year.isdigit() else None)
            return done(f"/panel/meetings/{meeting_id}")
        except PanelError as exc:
            errors[exc.field] = str(exc)
        return _meeting_page(request, user, meeting_id, errors, values)

    return await run_in_threadpool(run)
