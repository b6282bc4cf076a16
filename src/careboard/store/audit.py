"""The one audit-log writer, for the web app and the command line alike.

Who saw a child's record, and when, must be answerable whichever door the record went out of (UK GDPR
accountability): the web app records sign-ins and child-level pages, and `careboard oversight`
records every run that prints child-level rows.  Both write the same log, in the SQLite file beside
the database (store/webdb.py), so a command-line run needs no web app and the web app's audit page
shows both.  It lives in store/ so that a stage's command never imports web/.
"""

from __future__ import annotations

from pathlib import Path

from careboard.store.webdb import WebDB

USER_ACTIONS = frozenset({"user_added", "user_removed", "role_changed", "password_reset"})
# The Panel's business writes these with the change itself (panel/store.py).
PANEL_ACTIONS = frozenset({
    "meeting_added", "agenda_item_added", "question_asked", "question_answered", "action_added", "action_updated",
    "scores_saved", "card_recorded", "card_responded", "plan_added", "recommendation_added", "text_refused",
})
ACTIONS = frozenset({
    "login", "login_failed", "login_throttled", "logout", "password_changed", "upload", "load", "child_view",
    "download", "refused",
}) | USER_ACTIONS | PANEL_ACTIONS
COMMAND_LINE = "command line"  # what the log shows in place of a client address for a command-line run


class AuditError(Exception):
    """The audit log could not be written (so what it would have recorded must not be shown)."""


def record(web: WebDB, action: str, username: str | None, ip: str | None, detail: str = "") -> None:
    """Append one event; ``detail`` says what (a file name, a load id, which child-level page)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    web.record(action, username, ip, detail)


def record_beside(db: Path | str, action: str, username: str | None, detail: str = "") -> None:
    """Append one command-line event to the log beside the DuckDB database ``db``.

    Raises :class:`AuditError` (naming the file) when the log cannot be written, e.g. a folder the
    user may not write: the caller then refuses to show the child-level rows.
    """
    from careboard.store.webdb import path_for

    try:
        web = WebDB.beside(db)
    except Exception as exc:  # an unwritable folder, a file that is not SQLite
        raise AuditError(f"cannot write the audit log {path_for(db)}: {exc}") from None
    try:
        record(web, action, username, COMMAND_LINE, detail)
    except ValueError:
        raise
    except Exception as exc:  # sqlite3 errors: locked past the wait, disk full, read-only file
        raise AuditError(f"cannot write the audit log {path_for(db)}: {exc}") from None
    finally:
        web.close()
