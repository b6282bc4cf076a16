"""Inspection action plans: an inspection's recommendations, each with actions (owners, dates, progress,
evidence measures), shown as a table with a short narrative, as reported at each meeting."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from careboard.panel import views
from careboard.panel.store import PanelError
from careboard.web import csrf
from careboard.web.auth import ActionUpdater, Member, User
from careboard.web.briefings import NoData
from careboard.web.panel.common import RowId, date_from, done, form, latest_briefing, page, refuse, screened, store, who

router = APIRouter()


def _plans_page(request: Request, errors: dict | None = None, values: dict | None = None) -> Response:
    s, today = store(request), date.today()
    plans = [v for p in s.plans() if (v := views.plan_view(s, p["plan_id"], today)) is not None]
    return page(request, "panel_plans.html", "Inspection action plans", "plans", status_code=400 if errors else 200,
                plans=plans, errors=errors or {}, values=values or {})


@router.get("/panel/plans")
def plans(request: Request, user: Member) -> Response:
    return _plans_page(request)


@router.post("/panel/plans", dependencies=[Depends(csrf.verify)])
async def add_plan(request: Request, user: ActionUpdater) -> Response:
    values = await form(request)

    def run() -> Response:
        errors: dict[str, str] = {}
        inspected = date_from(values, "inspected", errors, "the date of the inspection")
        if not errors:
            try:
                pid = store(request).add_plan(who(request, user), values.get("title", ""), inspected)
                return done(f"/panel/plans/{pid}")
            except PanelError as exc:
                errors[exc.field] = str(exc)
        return _plans_page(request, errors, values)

    return await run_in_threadpool(run)


def _plan_page(request: Request, user: User, plan_id: int, errors: dict | None = None,
               values: dict | None = None) -> Response:
    view = views.plan_view(store(request), plan_id, date.today())
    if view is None:
        raise NoData(f"there is no action plan {plan_id}")
    briefing = latest_briefing(request)
    evidence = {a["action_id"]: views.evidence(briefing, a["evidence_measure"])
                for rv in view.recommendations for a in rv.actions}
    return page(request, "panel_plan.html", view.plan["title"], "plans", status_code=400 if errors else 200,
                view=view, evidence=evidence, errors=errors or {}, values=values or {})


@router.get("/panel/plans/{plan_id}")
def plan(request: Request, user: Member, plan_id: RowId) -> Response:
    return _plan_page(request, user, plan_id)


@router.post("/panel/plans/{plan_id}/recommendations", dependencies=[Depends(csrf.verify)])
async def add_recommendation(request: Request, user: ActionUpdater, plan_id: RowId) -> Response:
    values = await form(request)

    def run() -> Response:
        errors: dict[str, str] = {}
        text = values.get("recommendation", "")
        if not text.strip():
            errors["recommendation"] = "Enter the recommendation as the inspection report words it"
        checked = {"recommendation": screened(request, text)} if text.strip() else {}
        if not refuse(request, user, "The recommendation", checked, errors, values) and not errors:
            try:
                store(request).add_recommendation(who(request, user), plan_id, checked["recommendation"])
                return done(f"/panel/plans/{plan_id}")
            except PanelError as exc:
                errors[exc.field] = str(exc)
        return _plan_page(request, user, plan_id, errors, values)

    return await run_in_threadpool(run)
