"""The audit log: who signed in (or failed to), uploaded, loaded, downloaded, viewed child-level data or
was refused it, changed a user, or changed the Panel's business.

Councils must be able to say who saw a child's record and when (UK GDPR accountability), so every
view of child-level data is logged, not only changes, and so is every refused request for one.  The
log lives in the SQLite file beside the database (store/webdb.py), so the app can write it while
analysts load returns from the command line; the writer itself (store/audit.py) is shared with the
command line's child-level outputs.  A failed sign-in's username is kept only if it is a
real user's (auth.audit_name): an unknown one may be a password typed in the wrong box.
"""

from __future__ import annotations

import threading
import time

from careboard.store.audit import ACTIONS, USER_ACTIONS, record
from careboard.store.webdb import AuditPage, WebDB

__all__ = ["ACTIONS", "USER_ACTIONS", "page", "record", "throttled"]
THROTTLE_NOTE_EVERY = 60.0  # seconds: refused sign-ins from one client are noted at most this often

_throttle_lock = threading.Lock()
_throttle_seen: dict[str, tuple[float, int]] = {}


def throttled(web: WebDB, client: str) -> None:
    """Note refused sign-ins from ``client``: the first, then a count at most once a minute.

    A flood of attempts must not become a flood of writes (the refusals themselves cost nothing).
    """
    now = time.monotonic()
    with _throttle_lock:
        last, count = _throttle_seen.get(client, (0.0, 0))
        count += 1
        if now - last < THROTTLE_NOTE_EVERY:
            _throttle_seen[client] = (last, count)
            return
        _throttle_seen[client] = (now, 0)
        if len(_throttle_seen) > 10_000:
            _throttle_seen.clear()
    web.record("login_throttled", "", client, f"{count} sign-in attempt(s) refused before any password check")


def page(web: WebDB, user: str | None = None, action: str | None = None, since=None, until=None,
         limit: int = 100, offset: int = 0) -> AuditPage:
    """One page of events, newest first, filtered (for the admin page)."""
    return web.audit(user=user, action=action, since=since, until=until, limit=limit, offset=offset)
