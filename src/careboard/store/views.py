"""The staging views (``views.sql``): the current load of every return, defined once.

Applied on every read-write connection whose views were made from another version of ``views.sql``
(the fingerprint is kept in ``views_state``), so an older database gains them when it is opened and
a change to the file reaches every database; a read-only connection uses the views its file holds
(``refresh.open_current`` refreshes a stale file in a private copy first).
"""

from __future__ import annotations

import functools
import hashlib
from importlib import resources

import duckdb

from careboard.store.state import record_fingerprint, stored_fingerprint


@functools.lru_cache(maxsize=1)
def sql() -> str:
    return (resources.files("careboard.store") / "views.sql").read_text("utf-8")


def fingerprint() -> str:
    return hashlib.sha256(sql().encode()).hexdigest()[:16]


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    """Create or replace the staging views when they are missing or out of date (one transaction)."""
    if stored_fingerprint(con, "views_state") == fingerprint():
        return
    con.begin()
    try:
        con.execute(sql())
        record_fingerprint(con, "views_state", fingerprint())
        con.commit()
    except BaseException:
        con.rollback()
        raise
