"""The careboard web app: FastAPI, server-rendered GOV.UK Frontend pages, usable without JavaScript.

:func:`create_app` wires the parts together: one database connection (store.py), the briefing cache
(briefings.py), signed session cookies, CSRF tokens (csrf.py), roles (auth.py), the audit log
(audit.py), security headers and the routes (routes_*.py, and panel/ for the Panel's business).
Member pages are rendered only from disclosure-controlled briefings; what each role may reach is the
capability its routes declare (careboard/roles.py).
"""

from __future__ import annotations

import os
import secrets
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from careboard import authorities
from careboard.store.db import DatabaseBusy
from careboard.store.webdb import WebDB
from careboard.web import (
    audit,
    panel,
    routes_admin,
    routes_auth,
    routes_iro,
    routes_members,
    routes_missing,
    routes_quality,
    routes_upload,
    routes_users,
    routes_workforce,
)
from careboard.web.auth import LIFETIME, Forbidden, LoginRequired, client_ip, parse_proxies
from careboard.web.briefings import Briefings, NoData
from careboard.web.csrf import CsrfError
from careboard.web.guard import BodyGuard
from careboard.web.render import Renderer
from careboard.web.store import Store
from careboard.web.throttle import SignInThrottle
from careboard.web.uploads import Uploads

STATIC = Path(__file__).parent / "static"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
TRUSTED_PROXY_ENV = "CAREBOARD_TRUSTED_PROXY"


@dataclass
class WebState:
    """Everything the routes share, on ``app.state.web``."""

    store: Store
    webdb: WebDB
    briefings: Briefings
    renderer: Renderer
    uploads: Uploads
    throttle: SignInThrottle
    la: str
    la_name: str
    targets: Path | None
    trusted_proxies: tuple = ()
    plan_size: tuple[int, int] | None = None  # the sufficiency plans an upload's refresh works out (None: the default)


def session_secret(db: Path) -> str:
    """``$CAREBOARD_SECRET``, else a random secret kept beside the database (created once, mode 0600).

    Keeping it in a file means sessions survive a restart; keeping it out of the database means a
    copy of the database handed to someone else does not let them forge sessions.
    """
    env = os.environ.get("CAREBOARD_SECRET")
    if env:
        return env
    path = db.with_name(db.name + ".secret")
    if not path.exists() and path.parent.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def _csp(nonce: str | None) -> str:
    script = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
    return ("default-src 'self'; img-src 'self' data:; style-src 'self'; font-src 'self'; "
            f"script-src {script}; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class SecurityHeaders:
    """CSP (with the page's nonce), no framing, no sniffing, no caching of signed-in pages.

    Plain ASGI rather than ``@app.middleware``: it runs on every request, and the wrapper Starlette
    builds for decorator middleware costs more than the page itself once the page is cached.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith(("/assets/", "/static/"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                nonce = scope.get("state", {}).get("csp_nonce")
                for name, value in (("Content-Security-Policy", _csp(nonce)), ("X-Content-Type-Options", "nosniff"),
                                    ("X-Frame-Options", "DENY"), ("Referrer-Policy", "same-origin")):
                    if name not in headers:
                        headers[name] = value
                if not static and "Cache-Control" not in headers:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(db: Path | str, la: str, targets: Path | None = None, secure_cookies: bool = True,
               secret: str | None = None, trusted_proxies: str | None = None, throttle: SignInThrottle | None = None,
               prepare: bool = True) -> FastAPI:
    """The app for authority ``la`` over the database ``db``.

    At start-up the database is refreshed and a serving snapshot published if need be
    (``prepare``; careboard.refresh.prepare_serving), waiting for a command-line load that holds
    it; after that the app reads only the snapshot.  ``secure_cookies`` marks the session cookie
    Secure (HTTPS only): ``careboard serve`` turns it off only when listening on a loopback address.
    ``trusted_proxies`` (addresses or networks, comma-separated; default ``$CAREBOARD_TRUSTED_PROXY``)
    are the reverse proxies whose ``X-Forwarded-For`` is believed.
    """
    from careboard.refresh import prepare_serving

    db = Path(db)
    authority = authorities.resolve(la)
    if prepare:
        prepare_serving(db)
    store = Store(db)
    proxies = parse_proxies(trusted_proxies if trusted_proxies is not None else os.environ.get(TRUSTED_PROXY_ENV))
    state = WebState(store=store, webdb=WebDB.beside(db), briefings=Briefings(store, targets),
                     renderer=Renderer(authority.name), uploads=Uploads(), throttle=throttle or SignInThrottle(),
                     la=authority.code, la_name=authority.name, targets=targets, trusted_proxies=proxies)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        state.uploads.close()

    app = FastAPI(title="careboard", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.web = state
    app.add_middleware(BodyGuard)  # inside the session middleware: it needs the session to check the role
    app.add_middleware(SessionMiddleware, secret_key=secret or session_secret(db), session_cookie="careboard_session",
                       max_age=int(LIFETIME.total_seconds()), same_site="lax", https_only=secure_cookies)

    app.add_middleware(SecurityHeaders)

    app.mount("/assets", StaticFiles(directory=STATIC / "govuk"), name="assets")
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=True), name="static")
    for module in (routes_auth, routes_members, routes_missing, routes_workforce, routes_quality, routes_upload,
                   routes_admin, routes_users, panel, routes_iro):
        app.include_router(module.router)
    _errors(app, state)
    return app


def _errors(app: FastAPI, state: WebState) -> None:
    def error_page(request: Request, status: int, title: str, message: str) -> Response:
        return state.renderer.page(request, "error.html", title, status_code=status, message=message)

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _exc: LoginRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        user = getattr(request.state, "user", None)
        if user is not None and exc.args:  # every refusal of a signed-in user (roles.py says who may)
            audit.record(state.webdb, "refused", user.username, client_ip(request),
                         f"{request.method} {request.url.path} (needs {exc.args[0]})")
        return error_page(request, 403, "You cannot see this page",
                          "Your account does not give access to this page. Ask an administrator if you need it.")

    @app.exception_handler(CsrfError)
    async def csrf_failed(request: Request, _exc: CsrfError) -> Response:
        return error_page(request, 403, "Your form could not be sent",
                          "The form had expired or did not come from this site. Go back, reload the page and try "
                          "again.")

    @app.exception_handler(DatabaseBusy)
    async def busy(request: Request, _exc: DatabaseBusy) -> Response:
        return error_page(request, 503, "The database is busy",
                          "Another careboard command is changing the database. Try again in a minute.")

    @app.exception_handler(NoData)
    async def no_data(request: Request, exc: NoData) -> Response:
        return error_page(request, 404, "No figures to show", str(exc).capitalize() + ".")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return error_page(request, 404, "Page not found", "If you typed the web address, check it is correct.")
        return error_page(request, exc.status_code, "Something went wrong", str(exc.detail))

    @app.exception_handler(Exception)
    async def server_error(request: Request, _exc: Exception) -> Response:
        return error_page(request, 500, "Sorry, there is a problem with the service",
                          "Try again later. If it keeps happening, tell your careboard administrator.")

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, _exc: RequestValidationError) -> Response:
        return error_page(request, 400, "Something went wrong", "The address or form had a value we could not use.")
