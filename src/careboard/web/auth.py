"""Users, passwords, roles, server-side sessions and sign-in.

* Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106 low-memory profile); only
  the hash is stored, in the SQLite file beside the database (store/webdb.py).  A sign-in for an
  unknown user still runs one hash check, so response times do not reveal which usernames exist.
* Roles are declared once, as the capabilities they give (careboard/roles.py).  Every route declares the
  capability it needs with a parameter typed by :func:`needs` (``Member``, ``Analyst``, ``Asker``
  ...), and the navigation reads the same declaration from the route; the tests check that no route
  is without one.
* **Sessions are server-side.**  The (signed) cookie carries a random token; the SQLite file keeps
  only its SHA-256 with the user, when it started and when it was last used.  A session ends at
  sign-out, when the user's password changes, when the user is removed (also from the command
  line, by another process), after :data:`IDLE` without a request and :data:`LIFETIME` after sign-in,
  whichever comes first.  Every request looks the session up (an indexed read, no lock), so a copied
  cookie is useless once its session has ended.
* Password checks are throttled before any hashing (throttle.py).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from fastapi import Depends, Request

from careboard import roles
from careboard.store.webdb import WebDB
from careboard.web import audit
from careboard.web.throttle import SignInThrottle, Throttled

ROLES = tuple(roles.ROLES)
IDLE = timedelta(minutes=60)
LIFETIME = timedelta(hours=8)
MIN_PASSWORD = 12
USERNAME = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")
SESSION_KEY = "sid"

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("careboard-not-a-real-password")

__all__ = ["Throttled"]


class UserError(ValueError):
    """A user that cannot be added, changed or removed as asked."""


class LoginRequired(Exception):
    """No signed-in user: the app redirects pages to the sign-in page."""


class Forbidden(Exception):
    """Signed in, but the role does not allow this page."""


@dataclass(frozen=True)
class User:
    username: str
    role: str

    def can(self, capability: str) -> bool:
        """True if this user's role gives ``capability`` (careboard/roles.py); an unknown capability is a bug."""
        if capability not in roles.CAPABILITIES:
            raise ValueError(f"unknown capability {capability!r}")
        return capability in roles.capabilities(self.role)

    @property
    def is_analyst(self) -> bool:
        return self.can("view_child_level")


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"a password needs at least {MIN_PASSWORD} characters")


def add_user(web: WebDB, username: str, password: str, role: str) -> None:
    """Create a user; refuses bad names, unknown roles, short passwords and duplicates."""
    if not USERNAME.match(username):
        raise UserError("a username is 1-64 letters, digits or . _ @ -")
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    _check_password(password)
    if web.user(username) is not None or not web.insert_user(username, _hasher.hash(password), role):
        raise UserError(f"user {username!r} already exists")


def remove_user(web: WebDB, username: str) -> None:
    """Remove a user; every session of theirs ends with it."""
    if not web.delete_user(username):
        raise UserError(f"no user {username!r}")


def set_password(web: WebDB, username: str, password: str, keep_token: str | None = None) -> None:
    """A new password; every session of the user ends (except ``keep_token``'s, if given)."""
    _check_password(password)
    if not web.set_password_hash(username, _hasher.hash(password), keep_token):
        raise UserError(f"no user {username!r}")


def change_role(web: WebDB, username: str, role: str) -> None:
    """Give a user another role (their sessions go on, with the new role's capabilities at once)."""
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    if not web.set_role(username, role):
        raise UserError(f"no user {username!r}")


def leaves_a_manager(web: WebDB, username: str, new_role: str | None) -> bool:
    """True if, with ``username`` given ``new_role`` (None: removed), someone can still manage users."""
    managers = set(roles.roles_with("manage_users"))
    for u in web.users():
        role = new_role if u["username"] == username else u["role"]
        if role in managers:
            return True
    return False


def list_users(web: WebDB) -> list[dict]:
    return web.users()


def get_user(web: WebDB, username: str) -> User | None:
    row = web.user(username)
    return User(row[0], row[1]) if row else None


def audit_name(web: WebDB, username: str) -> str:
    """How a failed sign-in's username is recorded: as typed if it is a real user, else a keyed hash.

    People type their password into the username box; an unknown name may be one, so it is never
    kept.  The keyed hash still lets an administrator see that attempts repeat.
    """
    if web.user(username) is not None:
        return username
    digest = hmac.new(web.secret("audit_name_key"), username.encode(), hashlib.sha256).hexdigest()[:12]
    return f"unknown#{digest}"


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def authenticate(web: WebDB, throttle: SignInThrottle, username: str, password: str, ip: str | None) -> User | None:
    """The user if the password is right; raises :class:`Throttled` (before any hashing) when throttled.

    Every attempt that gets to a password check is audited (failures with :func:`audit_name`).
    """
    client = ip or "unknown"
    key = hashlib.sha256(username.encode()).hexdigest()
    try:
        throttle.admit(key, client)
    except Throttled:
        audit.throttled(web, client)
        raise
    ok = checked = False
    try:
        row = web.user_with_hash(username)
        ok = throttle.run(lambda: _verify(row[2] if row else _DUMMY_HASH, password)) and row is not None
        checked = True
    except Throttled:
        audit.throttled(web, client)
        raise
    finally:
        throttle.done(key, client, ok, checked)
    if not ok:
        audit.record(web, "login_failed", audit_name(web, username), ip, f"{len(username)} characters typed")
        return None
    audit.record(web, "login", username, ip)
    return User(row[0], row[1])


def change_password(web: WebDB, throttle: SignInThrottle, user: User, current: str, new: str, ip: str | None,
                    token: str | None) -> None:
    """Check the current password (throttled like a sign-in), then set the new one; other sessions end."""
    if authenticate(web, throttle, user.username, current, ip) is None:
        raise UserError("Your current password is not right")
    set_password(web, user.username, new, keep_token=token)
    audit.record(web, "password_changed", user.username, ip, "every other session ended")


def start_session(request: Request, user: User) -> None:
    """A new server-side session for ``user`` in a fresh cookie: nothing from before sign-in carries over."""
    web = request.app.state.web
    token = web.webdb.create_session(user.username, client_ip(request), IDLE.total_seconds(),
                                     LIFETIME.total_seconds())
    request.session.clear()
    request.session[SESSION_KEY] = token


def end_session(request: Request) -> None:
    token = request.session.get(SESSION_KEY)
    if token:
        request.app.state.web.webdb.end_session(token)
    request.session.clear()


def session_token(request: Request) -> str | None:
    return request.session.get(SESSION_KEY)


def user_for_session(web, session: dict) -> User | None:
    """The user of a live server-side session, or None (ended, idle too long, too old, user removed)."""
    token = session.get(SESSION_KEY)
    if not token or not isinstance(token, str):
        return None
    row = web.webdb.session_user(token, IDLE.total_seconds(), LIFETIME.total_seconds())
    return User(row[0], row[1]) if row else None


def current_user(request: Request) -> User | None:
    """The signed-in user, looked up in the session table on every request (None if none, or ended)."""
    if "user" in request.state._state:
        return request.state.user
    user = user_for_session(request.app.state.web, request.session)
    if user is None and request.session.get(SESSION_KEY):
        request.session.clear()
    request.state.user = user
    return user


def parse_proxies(text: str | None) -> tuple:
    """Trusted reverse proxies: comma-separated addresses or networks (``--trusted-proxy``)."""
    nets = []
    for part in (text or "").replace(" ", ",").split(","):
        if part:
            try:
                nets.append(ipaddress.ip_network(part, strict=False))
            except ValueError:
                raise ValueError(f"--trusted-proxy: {part!r} is not an IP address or network") from None
    return tuple(nets)


def _trusted(address: str, proxies: tuple) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in proxies)


def client_address(peer: str | None, forwarded_for: str | None, proxies: tuple) -> str | None:
    """The client's address: the peer, unless the peer is a trusted proxy, when the nearest untrusted
    address in ``X-Forwarded-For`` (read from the right, as each proxy appends) is taken instead."""
    if not peer or not proxies or not forwarded_for or not _trusted(peer, proxies):
        return peer
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        if not _trusted(hop, proxies):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer
    return peer


def client_ip(request: Request) -> str | None:
    """Who is asking: ``X-Forwarded-For`` is believed only from a configured trusted proxy."""
    peer = request.client.host if request.client else None
    return client_address(peer, request.headers.get("x-forwarded-for"), request.app.state.web.trusted_proxies)


def _require(request: Request, capability: str) -> User:
    """The check behind every route; async callers below so a cached page never waits for a thread."""
    user = current_user(request)
    if user is None:
        raise LoginRequired()
    if not user.can(capability):
        raise Forbidden(capability)
    return user


_CHECKS: dict[str, object] = {}


def needs(capability: str):
    """The route dependency that lets in only users whose role gives ``capability``.

    One function per capability (the same object every time), carrying ``.capability``, so the
    navigation and the tests can read from a route what it needs.
    """
    if capability not in roles.CAPABILITIES:
        raise ValueError(f"unknown capability {capability!r}")
    if capability not in _CHECKS:
        async def check(request: Request) -> User:
            return _require(request, capability)

        check.capability = capability  # type: ignore[attr-defined]
        check.__name__ = f"needs_{capability}"
        _CHECKS[capability] = check
    return _CHECKS[capability]


def route_capability(route) -> str | None:
    """The capability a FastAPI route declares (None for the public and sign-out routes)."""
    for dependency in route.dependant.dependencies:
        found = getattr(dependency.call, "capability", None)
        if found:
            return found
    return None


require_member = needs("view_aggregates")  # older names, kept for callers elsewhere
require_analyst = needs("view_child_level")
require_admin = needs("view_audit")

# Route parameter types: ``user: Asker`` makes a route check the ask_questions capability (and so on).
Member = Annotated[User, Depends(needs("view_aggregates"))]  # every signed-in role
Analyst = Annotated[User, Depends(needs("view_child_level"))]
Uploader = Annotated[User, Depends(needs("upload"))]
Admin = Annotated[User, Depends(needs("view_audit"))]
UserManager = Annotated[User, Depends(needs("manage_users"))]
Asker = Annotated[User, Depends(needs("ask_questions"))]
Commissioner = Annotated[User, Depends(needs("download_plan_tables"))]
Scorer = Annotated[User, Depends(needs("score_themes"))]
Answerer = Annotated[User, Depends(needs("answer_questions"))]
Clerk = Annotated[User, Depends(needs("manage_meetings"))]
ActionUpdater = Annotated[User, Depends(needs("update_actions"))]
CardRecorder = Annotated[User, Depends(needs("record_challenge_cards"))]
CardResponder = Annotated[User, Depends(needs("respond_to_cards"))]
