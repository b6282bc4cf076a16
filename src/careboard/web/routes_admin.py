"""The audit log, for admins."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from careboard.web import audit
from careboard.web.auth import Admin

router = APIRouter()


@router.get("/admin/audit")
def audit_log(request: Request, user: Admin) -> Response:
    web = request.app.state.web
    with web.store.cursor() as cur:
        events = audit.recent(cur)
    return web.renderer.page(request, "audit.html", "Audit log", nav="audit", events=events)
