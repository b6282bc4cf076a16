"""Member pages: scorecard, information pack (HTML and PDF), measure detail, local areas and sufficiency.

Every page here is rendered from a disclosure-controlled :class:`~careboard.publish.briefing.Briefing`
(with, on the sufficiency page, its placement forecast from :mod:`careboard.publish.sufficiency`) and
nothing else: no query in this module reads measure values or child-level tables.  Page bodies
are cached per data version (briefings.py) and shared between users, since they hold no
user-specific content; the layout around them (navigation, sign-out form) is rendered per request.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from careboard import years
from careboard.publish.areas import describe
from careboard.store import audit
from careboard.sufficiency.tables import TABLE_NOTES
from careboard.web.auth import Commissioner, Member, client_ip
from careboard.web.briefings import NoData

if TYPE_CHECKING:
    from careboard.panel.section import PanelBusiness
    from careboard.panel.store import PanelStore
    from careboard.publish.briefing import Briefing
    from careboard.web.app import WebState

router = APIRouter()


def _web(request: Request):
    return request.app.state.web


@router.get("/scorecard")
async def scorecard(request: Request, user: Member, year: int | None = None) -> Response:
    web = _web(request)
    y = web.briefings.year_or_latest(web.la, year)

    def render() -> str:
        b = web.briefings.briefing(web.la, y)
        return web.renderer.body("scorecard_body.html", briefing=b, years=web.briefings.years(web.la),
                                 action="/scorecard", pack_url=f"/pack.pdf?year={y}")

    html = await web.briefings.page_async("scorecard", (web.la, y), render)
    return web.renderer.page(request, "layout.html", f"Scorecard {years.label(y)}", nav="scorecard", main_html=html)


@router.get("/briefing")
async def briefing_page(request: Request, user: Member, year: int | None = None) -> Response:
    web = _web(request)
    y = web.briefings.year_or_latest(web.la, year)

    def render() -> str:
        b = dataclasses.replace(web.briefings.briefing(web.la, y),
                                missing_themes=web.briefings.missing_themes(web.la, y))
        return web.renderer.body("briefing_body.html", briefing=b, markers=b.markers, inline_svg=True,
                                 years=web.briefings.years(web.la), action="/briefing", pack_url=f"/pack.pdf?year={y}")

    html = await web.briefings.page_async("briefing", (web.la, y), render)
    return web.renderer.page(request, "layout.html", f"Information pack {years.label(y)}", nav="briefing",
                             main_html=html)


@router.get("/measures/{measure_id}")
async def measure(request: Request, user: Member, measure_id: str, year: int | None = None,
                  area: str | None = None) -> Response:
    web = _web(request)
    y = web.briefings.year_or_latest(web.la, year)

    can_ask = user.can("ask_questions")  # the body offers "Ask a question about this measure" to those who may

    def render() -> tuple[str, str] | None:
        if area is not None and area not in {c for c, _ in web.briefings.areas(web.la, y)}:
            return None
        b = web.briefings.briefing(web.la, y, area)
        m = b.measure(measure_id)
        if m is None:
            return None
        html = web.renderer.body("measure_body.html", briefing=b, m=m, markers=b.markers, can_ask=can_ask)
        return f"{m.title}, {b.place}, {b.year_label}", html

    found = await web.briefings.page_async("measure", (web.la, y, area, measure_id, can_ask), render)
    if found is None:
        raise NoData(f"there is no measure {measure_id!r}" + (f" for a local area {area!r}" if area else ""))
    title, html = found
    return web.renderer.page(request, "layout.html", title, nav="areas" if area else "scorecard", main_html=html)


@router.get("/areas")
async def areas(request: Request, user: Member, year: int | None = None) -> Response:
    web = _web(request)
    y = web.briefings.year_or_latest(web.la, year)

    def render() -> str:
        b = web.briefings.briefing(web.la, y)
        return web.renderer.body("areas_body.html", briefing=b, areas=b.areas, areas_note=describe(b.areas), year=y,
                                 years=web.briefings.years(web.la), action="/areas")

    html = await web.briefings.page_async("areas", (web.la, y), render)
    return web.renderer.page(request, "layout.html", f"Local areas {years.label(y)}", nav="areas", main_html=html)


@router.get("/areas/{code}")
async def area(request: Request, user: Member, code: str, year: int | None = None) -> Response:
    web = _web(request)
    y = web.briefings.year_or_latest(web.la, year)

    def render() -> tuple[str, str] | None:
        if code not in {c for c, _ in web.briefings.areas(web.la, y)}:
            return None
        b = web.briefings.briefing(web.la, y, code)
        return f"{b.area_name} {years.label(y)}", web.renderer.body(
            "scorecard_body.html", briefing=b, years=web.briefings.years(web.la), action=f"/areas/{code}",
            pack_url=f"/pack.pdf?year={y}&area={code}")

    found = await web.briefings.page_async("area", (web.la, y, code), render)
    if found is None:
        raise NoData(f"there are no figures for a local area {code!r} in {years.label(y)}")
    title, html = found
    return web.renderer.page(request, "layout.html", title, nav="areas", main_html=html)


@router.get("/sufficiency")
async def sufficiency(request: Request, user: Member, year: int | None = None) -> Response:
    """The placement forecast: the pack's own sufficiency section (rounded, controlled aggregates only).

    The same page for every role: it holds no child-level data, so analysts see what members see.
    """
    web = _web(request)
    y = web.briefings.year_or_latest(web.la, year)

    def render() -> str:
        b = dataclasses.replace(web.briefings.briefing(web.la, y), sufficiency=web.briefings.sufficiency(web.la, y))
        return web.renderer.body("sufficiency_body.html", briefing=b, markers=b.markers, inline_svg=True,
                                 years=web.briefings.years(web.la), action="/sufficiency")

    html = await web.briefings.page_async("sufficiency", (web.la, y), render)
    if user.can("download_plan_tables"):  # per user, so outside the shared cached body
        tables = await run_in_threadpool(_plan_tables, web, y)
        if tables:
            html = html + web.renderer.body("_plan_downloads.html", year=y,
                                            tables=[(n, TABLE_NOTES.get(n, n)) for n in tables])
    return web.renderer.page(request, "layout.html", f"Placement sufficiency {years.label(y)}", nav="sufficiency",
                             main_html=html)


def _plan_tables(web, year: int) -> dict[str, list[dict[str, object]]]:
    """Every table of the year's sufficiency plan, as ``careboard forecast --capacity`` writes them, as the last
    load's refresh stored them; empty when there is no plan (no capacity extract loaded, or too little history)."""
    stored = web.briefings.plan(web.la, year)
    return stored.tables if stored is not None else {}


@router.get("/sufficiency/plan.xlsx")
def plan_xlsx(request: Request, user: Commissioner, year: int | None = None) -> Response:
    """The full plan tables as one workbook (for commissioners and analysts; cells neutralised by safe_export).
    Audited (who, which tables, when) before it is sent."""
    import tempfile
    from pathlib import Path

    from careboard.sufficiency.tables import write_xlsx

    web = _web(request)
    y = web.briefings.year_or_latest(web.la, year)
    tables = _plan_tables(web, y)
    if not tables:
        raise NoData(f"there is no sufficiency plan for {years.label(y)}: no capacity extract is loaded for it")
    with tempfile.TemporaryDirectory() as tmp:
        path = write_xlsx(tables, Path(tmp) / "plan.xlsx",
                          f"Placement sufficiency plan for {web.la} from 31 March {y} (exact; not for publication)")
        data = path.read_bytes()
    audit.record(web.webdb, "download", user.username, client_ip(request),
                 f"sufficiency plan {web.la} {years.label(y)}: all tables (xlsx)")
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="sufficiency-plan-{web.la}-{y}.xlsx"'})


@router.get("/sufficiency/plan/{name}.csv")
def plan_csv(request: Request, user: Commissioner, name: str, year: int | None = None) -> Response:
    """One table of the full plan as CSV (cells neutralised by safe_export); audited before it is sent."""
    from careboard.sufficiency.tables import to_csv

    web = _web(request)
    y = web.briefings.year_or_latest(web.la, year)
    tables = _plan_tables(web, y)
    if name not in tables:
        raise NoData(f"there is no sufficiency plan table {name!r} for {years.label(y)}")
    body = to_csv(tables[name])
    audit.record(web.webdb, "download", user.username, client_ip(request),
                 f"sufficiency plan {web.la} {years.label(y)}: {name} table (csv)")
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="sufficiency-plan-{web.la}-{y}-{name}.csv"'})


def pack_contents(web: WebState, panel: PanelStore, year: int, area: str | None, meeting: int | None = None
                  ) -> tuple[Briefing, PanelBusiness | None]:
    """What ``/pack.pdf`` prints: the briefing (council-wide: with the forecast, missing themes and IRO figures,
    as ``careboard pack``) and the Panel's business for ``meeting`` (None for an area's pack or no business).
    One function, so a test can read the very contents the route prints."""
    from careboard.panel.section import build_section

    b = web.briefings.briefing(web.la, year, area)
    if area is not None:
        return b, None
    b = dataclasses.replace(b, sufficiency=web.briefings.sufficiency(web.la, year),
                            missing_themes=web.briefings.missing_themes(web.la, year),
                            iro=web.briefings.iro(web.la, year))
    business = build_section(panel, b, meeting_id=meeting)
    return b, None if business.empty else business


@router.get("/pack.pdf")
def pack(request: Request, user: Member, year: int | None = None, area: str | None = None,
         meeting: int | None = None) -> Response:
    """The Corporate Parenting Panel pack as a tagged PDF, from the same briefing as the pages.

    The council-wide pack carries the Panel's business for ``meeting`` (default: the next one), so
    it is cached per revision of the business and day (overdue is a matter of the date) as well.
    """
    from careboard.panel.store import PanelStore

    web = _web(request)
    y = web.briefings.year_or_latest(web.la, year)
    if area is not None and area not in {c for c, _ in web.briefings.areas(web.la, y)}:
        raise NoData(f"there are no figures for a local area {area!r} in {years.label(y)}")
    panel = PanelStore(web.webdb)
    if meeting is not None and panel.meeting(meeting) is None:
        raise NoData(f"there is no meeting {meeting}")

    def make() -> bytes:
        from careboard.publish.pack import pdf_bytes

        b, business = pack_contents(web, panel, y, area, meeting)
        return pdf_bytes(b, business=business)

    key = (web.la, y, area, meeting, panel.revision() if area is None else None, date.today())
    data = web.briefings.page("pack", key, make)
    name = f"corporate-parenting-{web.la}-{years.label(y)}{'-' + area if area else ''}.pdf"
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
