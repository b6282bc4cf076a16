"""Jinja2 rendering for the web app: our templates, the pack's partials and the GOV.UK macros in one loader.

The loader searches ``web/templates`` first, then ``publish/templates`` (so pages include
``partials/...`` exactly as the PDF pack does: one rendering of a briefing for both), and serves
``govuk_frontend_jinja/...`` from the govuk-frontend-jinja package.  Undefined values are lenient
(not StrictUndefined as in the pack) because the GOV.UK macros test for optional parameters.

Page bodies that depend only on the data are rendered by :func:`body` (cacheable); :func:`page`
wraps a body or a form template in the layout with the per-request parts: the user, navigation,
CSRF token and the CSP nonce for the GOV.UK template's one inline script.
"""

from __future__ import annotations

import secrets
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from careboard import years
from careboard.measures.measure import BREAKDOWNS, all_measures
from careboard.measures.published_only import published_only
from careboard.panel.views import change_text, long_date
from careboard.publish.disclosure import MARKERS, figure, is_marker
from careboard.publish.pack import svg_alt, svg_data_uri, svg_width
from careboard.publish.wording import fmt
from careboard.web import csrf
from careboard.web.auth import route_capability

# The main navigation: (key, text, path).  Who sees a link is not said here: it is the capability
# the GET route at that path declares (auth.needs), so a link is shown exactly to those it lets in.
NAV = (
    ("scorecard", "Scorecard", "/scorecard"),
    ("briefing", "Information pack", "/briefing"),
    ("areas", "Local areas", "/areas"),
    ("sufficiency", "Placement sufficiency", "/sufficiency"),
    ("missing", "Missing children", "/missing"),
    ("workforce", "Workforce", "/workforce"),
    ("iro", "IRO service", "/iro"),
    ("quality", "Data quality", "/data-quality"),
    ("panel", "Panel business", "/panel"),
    ("upload", "Upload and validate", "/upload"),
    ("users", "Users", "/admin/users"),
    ("audit", "Audit log", "/admin/audit"),
)


def show(value: object, unit: str) -> str:
    """A controlled figure as a table shows it: the number, its marker, or 'x' when there is none."""
    return fmt(value, unit) if (is_marker(value) or figure(value) is not None) else "x"


def error_link(item: tuple[str, str]) -> dict[str, str]:
    """(field id, message) as a GOV.UK error summary entry that links to the field."""
    return {"text": item[1], "href": f"#{item[0]}"}


def environment() -> jinja2.Environment:
    """One environment for every page, with the pack's SVG filters and a few globals."""
    loader = jinja2.ChoiceLoader([
        jinja2.PackageLoader("careboard.web", "templates"),
        jinja2.PackageLoader("careboard.publish", "templates"),
        jinja2.PrefixLoader({"govuk_frontend_jinja": jinja2.PackageLoader("govuk_frontend_jinja")}),
    ])
    env = jinja2.Environment(loader=loader, autoescape=jinja2.select_autoescape(["html"]),
                             trim_blocks=True, lstrip_blocks=True)
    env.filters.update(svg_alt=svg_alt, svg_data_uri=svg_data_uri, svg_width=svg_width, year_label=years.label,
                       show=show, error_link=error_link, long_date=long_date,
                       change_text=change_text)
    env.globals.update(breakdown_labels=BREAKDOWNS, catalogue={**all_measures(), **published_only()}, markers=MARKERS)
    return env


def get_routes(app, method: str = "GET") -> list:
    """Every route of ``app`` answering ``method``, looking inside included routers."""
    from fastapi.routing import APIRoute

    found, stack = [], list(app.routes)
    while stack:
        route = stack.pop(0)
        if isinstance(route, APIRoute):
            if method in route.methods:
                found.append(route)
        elif hasattr(route, "original_router"):
            stack.extend(route.original_router.routes)
    return found


def nav_capabilities(app) -> dict[str, str | None]:
    """Each navigation path -> the capability its GET route needs (a path with no route is never shown)."""
    by_path = {r.path: route_capability(r) for r in get_routes(app)}
    return {href: by_path.get(href) for _, _, href in NAV}


class Renderer:
    def __init__(self, la_name: str) -> None:
        self.env = environment()
        self.la_name = la_name
        self._nav: dict[str, str | None] | None = None

    def body(self, template: str, **context: Any) -> str:
        """A data-only fragment (no request, user or token): safe to cache and share between users."""
        return self.env.get_template(template).render(la_name=self.la_name, **context)

    def page(self, request: Request, template: str, title: str, nav: str | None = None, status_code: int = 200,
             **context: Any) -> HTMLResponse:
        """A full page: ``template`` (which extends layout.html) with the per-request parts filled in."""
        user = getattr(request.state, "user", None)
        nonce = secrets.token_urlsafe(16)
        request.state.csp_nonce = nonce
        if self._nav is None:
            self._nav = nav_capabilities(request.app)
        items = [
            {"text": text, "href": href, "current": key == nav}
            for key, text, href in NAV
            if user is not None and self._nav.get(href) and user.can(self._nav[href])  # type: ignore[arg-type]
        ]
        html = self.env.get_template(template).render(
            request=request, user=user, title=title, nav_items=items, la_name=self.la_name,
            csrf_token=csrf.token(request), cspNonce=nonce, **context,
        )
        return HTMLResponse(html, status_code=status_code)
