"""What every Panel page needs: the store, who is writing, screening, dates from forms and the page."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from careboard.panel.screen import Screened, screen
from careboard.panel.store import PanelStore, Who
from careboard.publish.briefing import Briefing
from careboard.web.auth import User, client_ip
from careboard.web.briefings import NoData

# The id of a row of the Panel's business in an address (/panel/plans/7): SQLite's rowids are 1 to 2**63 - 1, so a
# larger number is refused as a bad address (400) before it reaches the database (which raised OverflowError: 500).
SQLITE_MAX_ROWID = 2**63 - 1
RowId = Annotated[int, Path(ge=1, le=SQLITE_MAX_ROWID)]

# The Panel's own navigation on every Panel page: (key, text, path); every one opens for every signed-in user.
SECTIONS = (
    ("home", "Overview", "/panel"),
    ("meetings", "Meetings", "/panel/meetings"),
    ("questions", "Questions", "/panel/questions"),
    ("actions", "Actions", "/panel/actions"),
    ("scores", "Score-sheet", "/panel/scores"),
    ("cards", "Challenge cards", "/panel/cards"),
    ("plans", "Inspection action plans", "/panel/plans"),
)


def store(request: Request) -> PanelStore:
    return PanelStore(request.app.state.web.webdb)


def who(request: Request, user: User) -> Who:
    return Who(user.username, client_ip(request))


def screened(request: Request, text: str) -> Screened:
    """``text`` screened against the loaded returns in the serving snapshot (panel/screen.py)."""
    with request.app.state.web.store.cursor() as cur:
        return screen(text, cur)


def refuse(request: Request, user: User, what: str, checked: dict[str, Screened], errors: dict[str, str],
           values: dict[str, str]) -> bool:
    """For each field whose text did not pass: an error naming what was found, and the screened text.

    Returns True if anything was refused (and notes that in the audit log, kinds only).
    """
    refused = False
    for field, result in checked.items():
        if not result.ok:
            errors[field] = result.message(what)
            values[field] = result.text
            store(request).refused(who(request, user), what, result.found)
            refused = True
    return refused


def date_from(values: dict[str, str], field: str, errors: dict[str, str], label: str,
              required: bool = True) -> date | None:
    """A date from a GOV.UK date input's three fields (``field-day`` etc.); an error message if it is not one."""
    parts = [values.get(f"{field}-{p}", "").strip() for p in ("day", "month", "year")]
    if not any(parts):
        if required:
            errors[field] = f"Enter {label}"
        return None
    if not all(p.isdigit() for p in parts) or len(parts[2]) != 4:
        errors[field] = f"{label[0].upper()}{label[1:]} must be a real date, like 31 3 2027"
        return None
    try:
        return date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        errors[field] = f"{label[0].upper()}{label[1:]} must be a real date, like 31 3 2027"
        return None


def date_values(field: str, value: str | date | None) -> dict[str, str]:
    """The three fields of a date input filled with ``value``."""
    if not value:
        return {}
    d = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return {f"{field}-day": str(d.day), f"{field}-month": str(d.month), f"{field}-year": str(d.year)}


def latest_briefing(request: Request, year: int | None = None) -> Briefing | None:
    """The council-wide, disclosure-controlled briefing (latest year, or ``year``); None with nothing loaded."""
    web = request.app.state.web
    try:
        y = web.briefings.year_or_latest(web.la, year)
        return web.briefings.briefing(web.la, y)
    except NoData:
        return None


def loaded_years(request: Request) -> list[int]:
    web = request.app.state.web
    return web.briefings.years(web.la)


def briefing_for(request: Request):
    """year -> the (cached) council-wide briefing of that year, or None."""
    def get(year: int) -> Briefing | None:
        return latest_briefing(request, year)

    return get


def page(request: Request, template: str, title: str, section: str, status_code: int = 200,
         **context: Any) -> HTMLResponse:
    """A Panel page: the layout with the main navigation on "Panel business" and the Panel's own links."""
    web = request.app.state.web
    context.setdefault("errors", {})
    return web.renderer.page(request, template, title, nav="panel", status_code=status_code,
                             error_title=bool(context["errors"]), panel_sections=SECTIONS, panel_section=section,
                             **context)


def done(path: str) -> RedirectResponse:
    """After a successful POST: see the result (and a reload does not send the form again)."""
    return RedirectResponse(path, status_code=303)


async def form(request: Request) -> dict[str, str]:
    """The posted form's text fields (the CSRF token is checked by the route's dependency)."""
    data = await request.form()
    return {k: v for k, v in data.items() if isinstance(v, str)}
