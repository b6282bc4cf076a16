"""Actions and resolutions: what the Panel resolved (or an inspection plan needs), who owns it, by when,
progress updates with a status and a RAG rating, and a measure as the evidence, with its trend."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from careboard.measures.measure import all_measures
from careboard.panel import views
from careboard.panel.store import RAGS, STATUSES, PanelError
from careboard.web import csrf
from careboard.web.auth import ActionUpdater, Member, User
from careboard.web.briefings import NoData
from careboard.web.panel.common import RowId, date_from, done, form, latest_briefing, page, refuse, screened, store, who

router = APIRouter()
FILTERS = {"": "All actions", "overdue": "Overdue", "open": "Not yet complete", "complete": "Complete"}


def evidence_choices() -> list[tuple[str, str]]:
    """Measures that can be named as evidence: those with a direction (higher or lower is better)."""
    return sorted(((m.id, m.title) for m in all_measures().values() if m.polarity), key=lambda t: t[1])


@router.get("/panel/actions")
def actions(request: Request, user: Member, status: str = "") -> Response:
    found = store(request).actions()
    if status == "open":
        found = [a for a in found if a["state"] != "complete"]
    elif status in FILTERS and status:
        found = [a for a in found if a["state"] == status]
    briefing = latest_briefing(request)
    evidence = {a["action_id"]: views.evidence(briefing, a["evidence_measure"]) for a in found}
    return page(request, "panel_actions.html", "Actions and resolutions", "actions", actions=found, status=status,
                filters=FILTERS, evidence=evidence)


def _new_page(request: Request, errors: dict | None = None, values: dict | None = None) -> Response:
    s = store(request)
    values = values or {}
    recommendation = None
    rid = values.get("recommendation", "")
    if rid.isdigit():
        plans = {p["plan_id"]: p for p in s.plans()}
        for p in plans.values():
            recommendation = next((r for r in s.recommendations(p["plan_id"])
                                   if r["recommendation_id"] == int(rid)), recommendation)
        if recommendation is None:
            raise NoData(f"there is no recommendation {rid}")
        recommendation = {**recommendation, "plan": plans[recommendation["plan_id"]]}
    return page(request, "panel_action_new.html", "Record an action", "actions", status_code=400 if errors else 200,
                meetings=s.meetings(), owners=s.usernames_with("update_actions"), measures=evidence_choices(),
                recommendation=recommendation, rags=RAGS, errors=errors or {}, values=values)


@router.get("/panel/actions/new")
def new_action(request: Request, user: ActionUpdater, meeting: str = "", recommendation: str = "") -> Response:
    return _new_page(request, values={"meeting": meeting, "recommendation": recommendation})


@router.post("/panel/actions", dependencies=[Depends(csrf.verify)])
async def add_action(request: Request, user: ActionUpdater) -> Response:
    values = await form(request)

    def run() -> Response:
        errors: dict[str, str] = {}
        due = date_from(values, "due", errors, "the date the action is due")
        text = values.get("action", "")
        checked = {"action": screened(request, text)} if text.strip() else {}
        if not text.strip():
            errors["action"] = "Enter what the Panel resolved"
        measure = values.get("evidence") or None
        if measure and measure not in dict(evidence_choices()):
            errors["evidence"] = "Choose a measure from the list"
        meeting, rec = values.get("meeting", ""), values.get("recommendation", "")
        if not refuse(request, user, "The action", checked, errors, values) and not errors:
            try:
                aid = store(request).add_action(
                    who(request, user), checked["action"], values.get("owner", ""), due,
                    meeting_id=int(meeting) if meeting.isdigit() else None,
                    recommendation_id=int(rec) if rec.isdigit() else None, evidence_measure=measure,
                    rag=values.get("rag") or None)
                return done(f"/panel/actions/{aid}")
            except PanelError as exc:
                errors[exc.field] = str(exc)
        return _new_page(request, errors, values)

    return await run_in_threadpool(run)


def _action_page(request: Request, user: User, action_id: int, errors: dict | None = None,
                 values: dict | None = None) -> Response:
    s = store(request)
    a = s.action(action_id)
    if a is None:
        raise NoData(f"there is no action {action_id}")
    values = values if values is not None else {"status": a["status"], "rag": a["rag"] or ""}
    return page(request, "panel_action.html", f"Action {action_id}", "actions", status_code=400 if errors else 200,
                a=a, updates=s.updates(action_id), evidence=views.evidence(latest_briefing(request),
                                                                            a["evidence_measure"]),
                statuses=STATUSES, rags=RAGS, errors=errors or {}, values=values)


@router.get("/panel/actions/{action_id}")
def action(request: Request, user: Member, action_id: RowId) -> Response:
    return _action_page(request, user, action_id)


@router.post("/panel/actions/{action_id}/updates", dependencies=[Depends(csrf.verify)])
async def update_action(request: Request, user: ActionUpdater, action_id: RowId) -> Response:
    values = await form(request)

    def run() -> Response:
        errors: dict[str, str] = {}
        text = values.get("note", "")
        if not text.strip():
            errors["note"] = "Enter what has happened since the last update"
        checked = {"note": screened(request, text)} if text.strip() else {}
        if not refuse(request, user, "The update", checked, errors, values) and not errors:
            try:
                store(request).update_action(who(request, user), action_id, checked["note"],
                                             values.get("status", ""), values.get("rag") or None)
                return done(f"/panel/actions/{action_id}")
            except PanelError as exc:
                errors[exc.field] = str(exc)
        return _action_page(request, user, action_id, errors, values)

    return await run_in_threadpool(run)
