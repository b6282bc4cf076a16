"""Data quality: the validation summary for everyone, the findings by child for analysts (audited)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from careboard import years
from careboard.web import audit, quality
from careboard.web.auth import Analyst, Member, client_ip

router = APIRouter()


@router.get("/data-quality")
def data_quality(request: Request, user: Member, year: int | None = None) -> Response:
    """By rule and by year; members' counts are the releases' (publish/), so the body is cached per role."""
    web = request.app.state.web
    child_level = user.is_analyst

    def render() -> str:
        with web.store.cursor() as cur:
            q = quality.summary(cur, web.la, year, child_level, web.briefings.releases(web.la))
        return web.renderer.body("quality_body.html", q=q, analyst=child_level, markers=web.renderer.env.globals[
            "markers"])

    html = web.briefings.page("quality", (web.la, year, child_level), render)
    return web.renderer.page(request, "layout.html", "Data quality", nav="quality", main_html=html)


@router.get("/data-quality/findings")
def findings(request: Request, user: Analyst, year: int | None = None) -> Response:
    """Every finding with its child ID: the page analysts work through to fix the return."""
    web = request.app.state.web
    with web.store.cursor() as cur:
        q = quality.summary(cur, web.la, year, True, web.briefings.releases(web.la))
        rows = quality.findings_by_child(cur, web.la, q.year) if q.year else []
    audit.record(web.webdb, "child_view", user.username, client_ip(request),
                 f"validation findings by child, {web.la} {years.label(q.year) if q.year else '-'}")
    return web.renderer.page(request, "findings.html", "Findings by child", nav="quality", q=q, rows=rows)
