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
from careboard.publish.disclosure import MARKERS, figure, is_marker
from careboard.publish.pack import svg_alt, svg_data_uri, svg_width
from careboard.publish.wording import fmt
from careboard.web import csrf

NAV = (
    ("scorecard", "Scorecard", "/scorecard", "member"),
    ("briefing", "Information pack", "/briefing", "member"),
    ("areas", "Local areas", "/areas", "member"),
    ("sufficiency", "Placement sufficiency", "/sufficiency", "member"),
    ("quality", "Data quality", "/data-quality", "member"),
    ("upload", "Upload and validate", "/upload", "analyst"),
    ("audit", "Audit log", "/admin/audit", "admin"),
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
                       show=show, error_link=error_link)
    env.globals.update(breakdown_labels=BREAKDOWNS, catalogue=all_measures(), markers=MARKERS)
    return env


class Renderer:
    def __init__(self, la_name: str) -> None:
        self.env = environment()
        self.la_name = la_name

    def body(self, template: str, **context: Any) -> str:
        """A data-only fragment (no request, user or token): safe to cache and share between users."""
        return self.env.get_template(template).render(la_name=self.la_name, **context)

    def page(self, request: Request, template: str, title: str, nav: str | None = None, status_code: int = 200,
             **context: Any) -> HTMLResponse:
        """A full page: ``template`` (which extends layout.html) with the per-request parts filled in."""
        user = getattr(request.state, "user", None)
        nonce = secrets.token_urlsafe(16)
        request.state.csp_nonce = nonce
        items = [
            {"text": text, "href": href, "current": key == nav}
            for key, text, href, role in NAV if user is not None and user.can(role)
        ]
        html = self.env.get_template(template).render(
            request=request, user=user, title=title, nav_items=items, la_name=self.la_name,
            csrf_token=csrf.token(request), cspNonce=nonce, **context,
        )
        return HTMLResponse(html, status_code=status_code)
