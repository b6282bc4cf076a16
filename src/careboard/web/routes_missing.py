"""Missing children (issue 15.3-15.4): the members' page (the "Missing and away" theme and the linked
groups, disclosure-controlled) and the managers' view for the multi-agency missing meeting (child-level,
analysts only, every view audited).

The members' page renders only what publish/ made (the briefing's theme and
:mod:`careboard.publish.missing_themes`).  The managers' view reads careboard.oversight.missing directly:
exact counts by every breakdown the issue asks for, the children who went missing three or more times,
return home interviews, and the linked groups as a table and as drawings (web/missing_network.py).
"""

from __future__ import annotations

import dataclasses

from fastapi import APIRouter, Request
from fastapi.responses import Response

from careboard import years
from careboard.oversight import missing
from careboard.web import audit
from careboard.web.auth import Analyst, Member, client_ip
from careboard.web.missing_network import group_svg, link_sentence

router = APIRouter()
THEME = "missing-and-away"


@router.get("/missing")
async def missing_page(request: Request, user: Member, year: int | None = None) -> Response:
    """The "Missing and away" measures with their benchmarks, and the common themes as controlled counts."""
    web = request.app.state.web
    y = web.briefings.year_or_latest(web.la, year)
    analyst = user.is_analyst  # only the link to the managers' view differs

    def render() -> str:
        b = dataclasses.replace(web.briefings.briefing(web.la, y),
                                missing_themes=web.briefings.missing_themes(web.la, y))
        theme = next((t for t in b.themes if t.slug == THEME), None)
        return web.renderer.body("missing_members.html", briefing=b, theme=theme, markers=b.markers, inline_svg=True,
                                 fit={}, years=web.briefings.years(web.la), action="/missing", analyst=analyst)

    html = await web.briefings.page_async("missing", (web.la, y, analyst), render)
    return web.renderer.page(request, "layout.html", f"Missing children {years.label(y)}", nav="missing",
                             main_html=html)


@router.get("/missing/manager")
def missing_manager(request: Request, user: Analyst, year: int | None = None) -> Response:
    """Child-level: the managers' and IROs' view of missing children and their links (audited)."""
    web = request.app.state.web
    y = web.briefings.year_or_latest(web.la, year)

    def render() -> str:
        with web.store.cursor() as cur:
            found = missing.missing_links(cur, web.la, years.year_start(y), years.year_end(y))
            view = {
                "breakdowns": missing.breakdowns(cur, web.la, y),
                "dimensions": missing.DIMENSIONS,
                "repeat": missing.repeat_missing(cur, web.la, y),
                "repeat_children": missing.repeat_children(cur, web.la, y),
                "rhi": missing.return_interviews(cur, web.la, y),
                "links": found,
            }
        groups = []
        for g in found.groups:
            links = [link for link in found.links if link["group_id"] == g["group_id"]]
            groups.append({**g, "links": [{**link, "sentence": link_sentence(link)} for link in links],
                           "svg": group_svg(g, links, f"cb-net-{g['group_id']}")})
        return web.renderer.body("missing_manager.html", v=view, groups=groups, year=y,
                                 years=web.briefings.years(web.la), action="/missing/manager")

    html = web.briefings.page("missing_manager", (web.la, y), render)
    audit.record(web.webdb, "child_view", user.username, client_ip(request),
                 f"missing children and linked groups by child, {web.la} {years.label(y)}")
    return web.renderer.page(request, "layout.html", f"Missing children: managers' view {years.label(y)}",
                             nav="missing", main_html=html)
