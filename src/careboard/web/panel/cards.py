"""Challenge cards from the Children in Care Council: recorded by the participation officer (screened so
they never identify a child), routed to a responsible officer, answered within a set number of working
days; the Panel sees the cards, the responses and "you said, we did"."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from careboard.panel import dates
from careboard.panel.store import PanelError
from careboard.web import csrf
from careboard.web.auth import CardRecorder, CardResponder, Member, User
from careboard.web.briefings import NoData
from careboard.web.panel.common import RowId, date_from, done, form, page, refuse, screened, store, who
from careboard.web.panel.scores import themes

router = APIRouter()
OTHER = "Something else"


@router.get("/panel/cards")
def cards(request: Request, user: Member) -> Response:
    return page(request, "panel_cards.html", "Challenge cards", "cards", cards=store(request).cards(),
                days=dates.CARD_DAYS)


def _new_page(request: Request, errors: dict | None = None, values: dict | None = None) -> Response:
    return page(request, "panel_card_new.html", "Record a challenge card", "cards", status_code=400 if errors else 200,
                themes=[*themes(request), OTHER], officers=store(request).usernames_with("respond_to_cards"),
                days=dates.CARD_DAYS, errors=errors or {}, values=values or {})


@router.get("/panel/cards/new")
def new_card(request: Request, user: CardRecorder) -> Response:
    return _new_page(request)


@router.post("/panel/cards", dependencies=[Depends(csrf.verify)])
async def add_card(request: Request, user: CardRecorder) -> Response:
    values = await form(request)

    def run() -> Response:
        errors: dict[str, str] = {}
        raised = date_from(values, "raised", errors, "the date the card was raised")
        theme = values.get("theme", "")
        if theme not in [*themes(request), OTHER]:
            errors["theme"] = "Choose the theme the card is about"
        text = values.get("issue", "")
        if not text.strip():
            errors["issue"] = "Enter what the young people said"
        checked = {"issue": screened(request, text)} if text.strip() else {}
        if not refuse(request, user, "The card", checked, errors, values) and not errors:
            try:
                cid = store(request).add_card(who(request, user), raised, theme, checked["issue"],
                                              values.get("officer", ""))
                return done(f"/panel/cards/{cid}")
            except PanelError as exc:
                errors[exc.field] = str(exc)
        return _new_page(request, errors, values)

    return await run_in_threadpool(run)


def _card_page(request: Request, user: User, card_id: int, errors: dict | None = None,
               values: dict | None = None) -> Response:
    c = store(request).card(card_id)
    if c is None:
        raise NoData(f"there is no challenge card {card_id}")
    values = values if values is not None else {"response": c["response"] or "", "we_did": c["we_did"] or ""}
    return page(request, "panel_card.html", f"Challenge card {card_id}", "cards", status_code=400 if errors else 200,
                c=c, errors=errors or {}, values=values)


@router.get("/panel/cards/{card_id}")
def card(request: Request, user: Member, card_id: RowId) -> Response:
    return _card_page(request, user, card_id)


@router.post("/panel/cards/{card_id}/response", dependencies=[Depends(csrf.verify)])
async def respond(request: Request, user: CardResponder, card_id: RowId) -> Response:
    values = await form(request)

    def run() -> Response:
        errors: dict[str, str] = {}
        response, did = values.get("response", ""), values.get("we_did", "")
        if not response.strip():
            errors["response"] = "Enter the response to the young people"
        checked = {k: screened(request, v) for k, v in (("response", response), ("we_did", did)) if v.strip()}
        if not refuse(request, user, "The response", checked, errors, values) and not errors:
            try:
                store(request).respond_card(who(request, user), card_id, checked["response"], checked.get("we_did"))
                return done(f"/panel/cards/{card_id}")
            except PanelError as exc:
                errors[exc.field] = str(exc)
        return _card_page(request, user, card_id, errors, values)

    return await run_in_threadpool(run)
