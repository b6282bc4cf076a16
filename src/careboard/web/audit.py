"""The audit log: who logged in (or failed to), uploaded, loaded, downloaded or viewed child-level data.

Councils must be able to say who saw a child's record and when (UK GDPR accountability), so every
view of child-level data is logged, not only changes.  Failed logins are logged too, and the login
throttle counts them from here, so throttling survives a restart.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import duckdb

ACTIONS = frozenset(
    {"login", "login_failed", "login_throttled", "logout", "upload", "load", "child_view", "download"}
)


def record(cur: duckdb.DuckDBPyConnection, action: str, username: str | None, ip: str | None,
           detail: str = "") -> None:
    """Append one event; ``detail`` says what (a file name, a load id, which child-level page)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    cur.execute(
        "INSERT INTO audit_log (happened_at, username, ip, action, detail) VALUES (?, ?, ?, ?, ?)",
        [datetime.now(), (username or "")[:200], ip, action, detail[:2000]],
    )


def failures_since(cur: duckdb.DuckDBPyConnection, username: str, ip: str | None, window: timedelta) -> int:
    """Failed logins for this username from this address within ``window`` (for throttling)."""
    return cur.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'login_failed' AND username = ? AND ip IS NOT DISTINCT FROM ? "
        "AND happened_at > ?",
        [username[:200], ip, datetime.now() - window],
    ).fetchall()[0][0]


def recent(cur: duckdb.DuckDBPyConnection, limit: int = 200) -> list[dict]:
    """The newest events first, for the admin page."""
    c = cur.execute("SELECT event_id, happened_at, username, ip, action, detail FROM audit_log "
                    "ORDER BY event_id DESC LIMIT ?", [limit])
    names = [d[0] for d in c.description]
    return [dict(zip(names, r, strict=True)) for r in c.fetchall()]
