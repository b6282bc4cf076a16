"""The error disclosure control stops with when it cannot prove what a reader can work out.

A store-level error (``StoreError``), so every command and the web app report it in one line as they report
a database they cannot use; its message says the returns are loaded and nothing new was published.  Kept
apart from ``cells.py``, which imports SciPy, so that naming it costs a command nothing.
"""

from careboard.store.db import StoreError


class DisclosureAuditError(StoreError):
    """The audit could not prove what a reader can work out (the solver failed on counts that have a solution):
    nothing may be published on it.  Made by :func:`stopped`, whose message stands alone."""


def stopped(detail: str) -> DisclosureAuditError:
    """The error for an audit stopped by ``detail`` (what the solver said)."""
    return DisclosureAuditError(
        f"the returns are loaded, but disclosure control could not finish, so no new figures were published "
        f"({detail}); please report this")
