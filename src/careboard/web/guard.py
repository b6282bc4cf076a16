"""Request bodies are checked before they are read: who is sending, and how much.

FastAPI reads (and spools to disk) a whole multipart body before any dependency runs, so a role
check in the route comes too late: an anonymous 1 GiB POST to ``/upload`` would be written to disk
before its 403.  This ASGI layer sits between the session cookie and the app and, for every
request with a body:

* for the upload route, looks up the session (auth.user_for_session) and answers 403 at once
  unless an analyst is signed in;
* refuses a declared ``Content-Length`` over the route's limit with 413, unread;
* counts the bytes as the app reads them and stops at the limit (a body sent without a length, or
  longer than it said), answering 413.

Refusals carry ``Connection: close``: the unread body is never consumed.  Uploads that pass are
spooled by Starlette (memory up to 1 MB, then disk) and copied to the upload's folder in chunks
(uploads.py): no file is ever held in memory whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from careboard.web import audit, auth
from careboard.web.uploads import MAX_BYTES

FORM_LIMIT = 64 * 1024  # sign-in, sign-out, load, password change: small forms
UPLOAD_LIMIT = MAX_BYTES + 1024 * 1024  # the files plus the multipart framing and form fields


@dataclass(frozen=True)
class Rule:
    limit: int
    role: str | None = None  # checked before the body is read


RULES = {"/upload": Rule(UPLOAD_LIMIT, "analyst")}
DEFAULT = Rule(FORM_LIMIT)


class BodyGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        rule = RULES.get(scope["path"], DEFAULT)
        web = scope["app"].state.web
        if rule.role is not None:
            user = auth.user_for_session(web, scope.get("session") or {})
            if user is None or not user.can(rule.role):
                request = Request(scope)
                if user is not None:
                    audit.record(web.webdb, "refused", user.username, auth.client_ip(request),
                                 f"{scope['method']} {scope['path']} (needs {rule.role})")
                await _refuse(scope, receive, send, 403, "You cannot see this page",
                              "Sign in with an analyst's account to upload returns." if user is None else
                              "Your account does not give access to this page. Ask an administrator if you "
                              "need it.", user)
                return
        declared = _content_length(scope)
        if declared is not None and declared > rule.limit:
            await _too_large(scope, receive, send, rule)
            return

        seen = 0
        over = False
        started = False

        async def counting_receive() -> Message:
            nonlocal seen, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > rule.limit:
                    over = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if over:
                return  # the app's answer to a cut-off body is replaced by our 413 below
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not over:
                raise
        if over and not started:
            await _too_large(scope, receive, send, rule)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _too_large(scope: Scope, receive: Receive, send: Send, rule: Rule) -> None:
    mb = rule.limit // (1024 * 1024)
    what = f"{mb} MB" if mb else f"{rule.limit // 1024} KB"
    await _refuse(scope, receive, send, 413, "The upload is too large",
                  f"Files of more than {what} in one upload cannot be accepted. Upload fewer or smaller files.", None)


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, title: str, message: str, user) -> None:
    request = Request(scope)
    request.state.user = user
    web = scope["app"].state.web
    response = web.renderer.page(request, "error.html", title, status_code=status, message=message)
    response.headers["Connection"] = "close"
    await response(scope, receive, send)
