"""CSRF protection: a random token per session, put in every form and checked on every POST.

SameSite=Lax cookies already stop most cross-site POSTs; the token is the belt to those braces
(older browsers, same-site subdomains).  It lives in the signed session cookie, so there is no
server-side state, and it is replaced at login so a token seen before login is useless after it.
Every POST route takes :func:`verify` as a dependency; the tests check that none is without it.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Form, Request

FIELD = "csrf_token"


class CsrfError(Exception):
    """A POST without the session's token: refused with 403."""


def token(request: Request) -> str:
    """This session's token, created on first use."""
    value = request.session.get(FIELD)
    if not value:
        value = secrets.token_urlsafe(32)
        request.session[FIELD] = value
    return value


def rotate(request: Request) -> str:
    """A new token (at login and logout)."""
    request.session[FIELD] = secrets.token_urlsafe(32)
    return request.session[FIELD]


def verify(request: Request, csrf_token: Annotated[str, Form()] = "") -> None:
    """FastAPI dependency for POST routes: the form's token must match the session's."""
    expected = request.session.get(FIELD)
    if not expected or not csrf_token or not hmac.compare_digest(expected, csrf_token):
        raise CsrfError()
