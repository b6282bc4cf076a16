"""The audit log, for admins: filtered by user, action and dates, a page at a time."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from careboard.web import audit
from careboard.web.audit import ACTIONS
from careboard.web.auth import Admin

router = APIRouter()
PER_PAGE = 100
MAX_PAGE = 10**9  # far beyond any audit log, and (MAX_PAGE - 1) * PER_PAGE far inside SQLite's integers


def _date(text: str | None, field: str, errors: dict[str, str]) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        errors[field] = "Enter a date like 2026-03-31"
        return None


@router.get("/admin/audit")
def audit_log(request: Request, user: Admin, who: str = "", action: str = "", since: str = "", until: str = "",
              page: int = 1) -> Response:
    web = request.app.state.web
    errors: dict[str, str] = {}
    if action and action not in ACTIONS:
        errors["action"] = "Choose an action from the list"
    start, end = _date(since, "since", errors), _date(until, "until", errors)
    # A page number from the address: at least 1, and small enough that its offset is a number SQLite holds (a
    # 40-digit page answered 500); a page past the last lists nothing, with the links back.
    page = min(max(1, page), MAX_PAGE)
    found = audit.page(web.webdb, user=who.strip() or None, action=action if not errors.get("action") else None,
                       since=start, until=end, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    pages = max(1, -(-found.total // PER_PAGE))
    filters = {k: v for k, v in (("who", who.strip()), ("action", action), ("since", since), ("until", until)) if v}

    def link(n: int) -> str:
        return "/admin/audit?" + urlencode({**filters, "page": n})

    pagination = {"items": [{"number": n, "href": link(n), "current": n == page}
                            for n in range(max(1, page - 3), min(pages, page + 3) + 1)]}
    if page > 1:
        pagination["previous"] = {"href": link(page - 1)}
    if page < pages:
        pagination["next"] = {"href": link(page + 1)}
    return web.renderer.page(request, "audit.html", "Audit log", nav="audit", status_code=400 if errors else 200,
                             error_title=bool(errors), errors=errors, events=found.events, total=found.total,
                             page=page, pages=pages, pagination=pagination, actions=sorted(ACTIONS),
                             who=who, action=action, since=since, until=until, first=(page - 1) * PER_PAGE)
