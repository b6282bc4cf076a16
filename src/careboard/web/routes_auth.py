"""Signing in and out, changing one's password, the home redirect and the accessibility statement.

Sign-in and password change run the password check (argon2, throttled: throttle.py) in a worker
thread; everything else here is cheap.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from careboard.web import audit, auth, csrf
from careboard.web.auth import Member, Throttled

router = APIRouter()
PUBLIC_PATHS = frozenset({"/", "/login", "/accessibility"})  # no role needed (tests check every other route)


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never //host or a full URL), so sign-in cannot redirect elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/scorecard"


@router.get("/")
def home(request: Request) -> Response:
    return RedirectResponse("/scorecard" if auth.current_user(request) else "/login", status_code=303)


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    web = request.app.state.web
    return web.renderer.page(request, "login.html", "Sign in", next=_safe_next(next), errors={}, username="")


@router.post("/login", dependencies=[Depends(csrf.verify)])
def login(request: Request, username: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
          next: Annotated[str, Form()] = "/scorecard") -> Response:
    web = request.app.state.web
    username = username.strip()
    errors: dict[str, str] = {}
    if not username:
        errors["username"] = "Enter your username"
    if not password:
        errors["password"] = "Enter your password"
    user = None
    status, headers = 400, {}
    if not errors:
        try:
            user = auth.authenticate(web.webdb, web.throttle, username, password, auth.client_ip(request))
        except Throttled as exc:
            errors["username"] = str(exc)
            status, headers = 429, {"Retry-After": str(exc.retry_after)}
        if user is None and not errors:
            errors["username"] = "The username or password is not right"
    if errors:
        page = web.renderer.page(request, "login.html", "Sign in", status_code=status, error_title=True,
                                 next=_safe_next(next), errors=errors, username=username)
        page.headers.update(headers)
        return page
    auth.start_session(request, user)
    csrf.rotate(request)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", dependencies=[Depends(csrf.verify)])
def logout(request: Request) -> Response:
    user = auth.current_user(request)
    if user:
        audit.record(request.app.state.web.webdb, "logout", user.username, auth.client_ip(request))
    auth.end_session(request)
    return RedirectResponse("/login", status_code=303)


@router.get("/account/password")
def password_form(request: Request, user: Member) -> Response:
    web = request.app.state.web
    return web.renderer.page(request, "password.html", "Change your password", errors={}, done=False)


@router.post("/account/password", dependencies=[Depends(csrf.verify)])
def change_password(request: Request, user: Member, current: Annotated[str, Form()] = "",
                    new: Annotated[str, Form()] = "", confirm: Annotated[str, Form()] = "") -> Response:
    """A new password; every other session of the user ends (a stolen cookie stops working)."""
    web = request.app.state.web
    errors: dict[str, str] = {}
    if not current:
        errors["current"] = "Enter your current password"
    if len(new) < auth.MIN_PASSWORD:
        errors["new"] = f"Your new password needs at least {auth.MIN_PASSWORD} characters"
    elif new != confirm:
        errors["confirm"] = "The two new passwords are not the same"
    status = 400
    if not errors:
        try:
            auth.change_password(web.webdb, web.throttle, user, current, new, auth.client_ip(request),
                                 auth.session_token(request))
        except Throttled as exc:
            errors["current"], status = str(exc), 429
        except auth.UserError as exc:
            errors["current"] = str(exc)
    if errors:
        return web.renderer.page(request, "password.html", "Change your password", status_code=status,
                                 error_title=True, errors=errors, done=False)
    return web.renderer.page(request, "password.html", "Change your password", errors={}, done=True)


@router.get("/accessibility")
def accessibility(request: Request) -> Response:
    auth.current_user(request)
    return request.app.state.web.renderer.page(request, "accessibility.html", "Accessibility statement")
