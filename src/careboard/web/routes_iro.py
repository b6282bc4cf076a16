"""The IRO service (issue 15.2): the members' page (aggregates, from the release) and the managers' view
(child-level, analysts' roles only, every view audited).

Both only present what :mod:`careboard.oversight.iro` and :mod:`careboard.publish.iro` work out.  The
members' page body is cached and shared, like every member page; the managers' view is never cached
(it names children, and the date is the manager's to choose).
"""

from __future__ import annotations

import dataclasses
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from careboard import years
from careboard.oversight import iro
from careboard.publish.iro import THEME
from careboard.web import audit
from careboard.web.auth import Analyst, Member, client_ip

router = APIRouter()


@router.get("/iro")
async def iro_members(request: Request, user: Member, year: int | None = None) -> Response:
    """The IRO annual report's figures: the IRO theme's measures and the caseload and travel figures."""
    web = request.app.state.web
    y = web.briefings.year_or_latest(web.la, year)

    def render() -> str:
        b = web.briefings.briefing(web.la, y)
        b = dataclasses.replace(b, iro=web.briefings.iro(web.la, y))
        theme = next((t for t in b.themes if t.name == THEME), None)
        return web.renderer.body("iro_members_body.html", briefing=b, theme=theme, markers=b.markers,
                                 inline_svg=True, years=web.briefings.years(web.la), action="/iro")

    html = await web.briefings.page_async("iro", (web.la, y), render)
    return web.renderer.page(request, "iro_members.html", f"Independent reviewing officers {years.label(y)}",
                             nav="iro", main_html=html, year=y, analyst=user.can("view_child_level"))


# The "Caseloads on" field of the managers' view: its id (the query parameter) and label.
ON_FIELD, ON_LABEL = "on", "Caseloads on"


def _day(on: str | None, year: int, loaded: list[int]) -> tuple[date, str | None, int]:
    """The day asked for, else 31 March of ``year``; with the error to show and the status for a bad ``on``.

    A value that is not an ISO date (400) or lies outside the collection years loaded (422) gives the
    page for 31 March of ``year`` with a GOV.UK error summary naming the field, the value and the form
    expected, rather than an error page: the manager corrects it in place.
    """
    default = years.year_end(year)
    if not on:
        return default, None, 200
    first, last = years.year_start(min(loaded)), years.year_end(max(loaded))
    expected = f"enter the date for ‘{ON_LABEL}’ as YYYY-MM-DD, from {first.isoformat()} to {last.isoformat()}"
    shown = on if len(on) <= 40 else on[:40] + "…"
    try:
        day = date.fromisoformat(on.strip())
    except ValueError:
        return default, f"‘{shown}’ is not a date: {expected}", 400
    if not first <= day <= last:
        return default, f"‘{shown}’ is outside the years loaded: {expected}", 422
    return day, None, 200


@router.get("/oversight/iro")
def iro_managers(request: Request, user: Analyst, year: int | None = None, on: str | None = None) -> Response:
    """Who is over the IRO Handbook's range, which children are overdue a review or without an IRO, the
    caseload trend and each IRO's year (reviews, participation, travel).  Names IROs and children."""
    web = request.app.state.web
    y = web.briefings.year_or_latest(web.la, year)
    day, problem, status = _day(on, y, web.briefings.years(web.la))
    with web.store.cursor() as cur:
        view = iro.manager_view(cur, web.la, day)
        by_iro = iro.year_by_iro(cur, web.la, y)
        by_year = iro.yearly_caseloads(cur, web.la, sorted(web.briefings.years(web.la)))
    audit.record(web.webdb, "child_view", user.username, client_ip(request),
                 f"IRO service: caseloads by IRO and children overdue a review or without an IRO, {web.la} on {day}")
    return web.renderer.page(
        request, "iro_manager.html", f"IRO caseloads on {day.isoformat()}", nav="iro", status_code=status,
        error_title=bool(problem), view=view, by_iro=by_iro, by_year=by_year,
        months=iro.monthly_caseloads(view["trend"]), year=y, day=day, years=web.briefings.years(web.la),
        handbook=iro.HANDBOOK_RANGE, errors={ON_FIELD: problem} if problem else {}, on_text=on if problem else None,
        on_label=ON_LABEL)
