"""The social work workforce (issue 15.7) for members: the "Social work workforce" theme of the briefing
(CSWW census and SSDA903 social-worker measures with their LAIT benchmarks), disclosure-controlled by
publish/ like every member page.  Nothing here names a worker or a child, so every role sees the same page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from careboard import years
from careboard.web.auth import Member

router = APIRouter()
THEME = "social-work-workforce"


@router.get("/workforce")
async def workforce_page(request: Request, user: Member, year: int | None = None) -> Response:
    web = request.app.state.web
    y = web.briefings.year_or_latest(web.la, year)

    def render() -> str:
        b = web.briefings.briefing(web.la, y)
        theme = next((t for t in b.themes if t.slug == THEME), None)
        return web.renderer.body("workforce_members.html", briefing=b, theme=theme, markers=b.markers,
                                 inline_svg=True, fit={}, years=web.briefings.years(web.la), action="/workforce")

    html = await web.briefings.page_async("workforce", (web.la, y), render)
    return web.renderer.page(request, "layout.html", f"Social work workforce {years.label(y)}", nav="workforce",
                             main_html=html)
