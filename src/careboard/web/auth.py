"""Users, passwords, roles and login throttling.

* Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106 low-memory profile); only
  the hash is stored.  A login for an unknown user still runs one hash check, so response times do
  not reveal which usernames exist.
* Roles are ordered: ``member`` (aggregates only, what the Corporate Parenting Panel sees) <
  ``analyst`` (child-level data quality, uploads and loads) < ``admin`` (also the audit log).
  Every route declares its minimum role with one of :func:`require_member`, :func:`require_analyst`
  or :func:`require_admin`; the tests check that no route is without one.
* The session cookie holds only the username; the user and role are read from the database on
  every request, so removing a user or changing a role takes effect at once.
* After :data:`MAX_FAILURES` failed logins for one username from one address within
  :data:`WINDOW`, further attempts are refused (even with the right password) until the window passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from fastapi import Depends, Request

from careboard.web import audit

ROLES = ("member", "analyst", "admin")
RANK = {role: i for i, role in enumerate(ROLES)}
MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
MIN_PASSWORD = 12
USERNAME = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("careboard-not-a-real-password")

# Users by name, for the per-request check.  Only this process can write the database while the app
# runs (DuckDB's single writer), so add_user/remove_user here are the only changes: they clear it.
_user_cache: dict[tuple[str, str], object] = {}


class UserError(ValueError):
    """A user that cannot be added or removed as asked."""


class LoginRequired(Exception):
    """No logged-in user: the app redirects pages to the login page."""


class Forbidden(Exception):
    """Logged in, but the role does not allow this page."""


@dataclass(frozen=True)
class User:
    username: str
    role: str

    def can(self, role: str) -> bool:
        """True if this user's role is ``role`` or above."""
        return RANK[self.role] >= RANK[role]

    @property
    def is_analyst(self) -> bool:
        return self.can("analyst")


def add_user(cur: duckdb.DuckDBPyConnection, username: str, password: str, role: str) -> None:
    """Create a user; refuses bad names, unknown roles, short passwords and duplicates."""
    if not USERNAME.match(username):
        raise UserError("a username is 1-64 letters, digits or . _ @ -")
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise UserError(f"a password needs at least {MIN_PASSWORD} characters")
    if get_user(cur, username) is not None:
        raise UserError(f"user {username!r} already exists")
    cur.execute("INSERT INTO users VALUES (?, ?, ?, ?)", [username, _hasher.hash(password), role, datetime.now()])
    _user_cache.clear()


def remove_user(cur: duckdb.DuckDBPyConnection, username: str) -> None:
    if get_user(cur, username) is None:
        raise UserError(f"no user {username!r}")
    cur.execute("DELETE FROM users WHERE username = ?", [username])
    _user_cache.clear()


def list_users(cur: duckdb.DuckDBPyConnection) -> list[dict]:
    c = cur.execute("SELECT username, role, created_at FROM users ORDER BY username")
    return [{"username": u, "role": r, "created_at": t} for u, r, t in c.fetchall()]


def get_user(cur: duckdb.DuckDBPyConnection, username: str) -> User | None:
    row = next(iter(cur.execute("SELECT username, role FROM users WHERE username = ?", [username]).fetchall()), None)
    return User(row[0], row[1]) if row else None


def throttled(cur: duckdb.DuckDBPyConnection, username: str, ip: str | None) -> bool:
    return audit.failures_since(cur, username, ip, WINDOW) >= MAX_FAILURES


def authenticate(cur: duckdb.DuckDBPyConnection, username: str, password: str, ip: str | None) -> User | None:
    """The user if the password is right and the login is not throttled; logs the attempt either way.

    Raises :class:`PermissionError` while throttled, so the page can say why.
    """
    if throttled(cur, username, ip):
        audit.record(cur, "login_throttled", username, ip)
        raise PermissionError("too many failed attempts")
    row = next(iter(cur.execute(
        "SELECT username, role, password_hash FROM users WHERE username = ?", [username]).fetchall()), None)
    try:
        _hasher.verify(row[2] if row else _DUMMY_HASH, password)
        ok = row is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if not ok:
        audit.record(cur, "login_failed", username, ip)
        return None
    audit.record(cur, "login", username, ip)
    return User(row[0], row[1])


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def current_user(request: Request) -> User | None:
    """The logged-in user, re-read from the database (None if logged out or since removed)."""
    name = request.session.get("user")
    if not name:
        return None
    store = request.app.state.web.store
    key = (str(store.path), name)
    if key in _user_cache:
        user = _user_cache[key]
    else:
        with store.cursor() as cur:
            user = get_user(cur, name)
        _user_cache[key] = user
    if user is None:
        request.session.clear()
    return user


def _require(request: Request, role: str) -> User:
    """The check behind every route; async callers below so a cached page never waits for a thread."""
    user = current_user(request)
    if user is None:
        raise LoginRequired()
    if not user.can(role):
        raise Forbidden()
    request.state.user = user
    return user


async def require_member(request: Request) -> User:
    """Any logged-in user: pages built only from disclosure-controlled figures."""
    return _require(request, "member")


async def require_analyst(request: Request) -> User:
    """Analysts and admins: child-level data, uploads, loads and their downloads."""
    return _require(request, "analyst")


async def require_admin(request: Request) -> User:
    """Admins only: the audit log."""
    return _require(request, "admin")


# Route parameter types: ``user: Member`` makes a route check the member role (and so on).
Member = Annotated[User, Depends(require_member)]
Analyst = Annotated[User, Depends(require_analyst)]
Admin = Annotated[User, Depends(require_admin)]
