"""Signing in and out, the home redirect and the accessibility statement (the only public pages)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from careboard.web import audit, auth, csrf

router = APIRouter()
PUBLIC_PATHS = frozenset({"/", "/login", "/accessibility"})  # no role needed (tests check every other route)


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never //host or a full URL), so login cannot redirect elsewhere."""
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
    if not errors:
        with web.store.cursor() as cur:
            try:
                user = auth.authenticate(cur, username, password, auth.client_ip(request))
            except PermissionError:
                errors["username"] = ("Too many failed attempts to sign in with this username. "
                                      f"Wait {auth.WINDOW.seconds // 60} minutes and try again")
        if user is None and not errors:
            errors["username"] = "The username or password is not right"
    if errors:
        status = 429 if "Too many" in errors.get("username", "") else 400
        return web.renderer.page(request, "login.html", "Sign in", status_code=status, error_title=True,
                                 next=_safe_next(next), errors=errors, username=username)
    request.session.clear()  # a fresh session at login: nothing from before carries over
    request.session["user"] = user.username
    csrf.rotate(request)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", dependencies=[Depends(csrf.verify)])
def logout(request: Request) -> Response:
    user = request.session.get("user")
    if user:
        with request.app.state.web.store.cursor() as cur:
            audit.record(cur, "logout", user, auth.client_ip(request))
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/accessibility")
def accessibility(request: Request) -> Response:
    request.state.user = auth.current_user(request)
    return request.app.state.web.renderer.page(request, "accessibility.html", "Accessibility statement")
