"""Two pieces of one run's work at once, on two connections to its private database.

DuckDB lets go of Python's lock while it plans and runs a statement, so work on a second connection
(a cursor of the same in-memory database) in a second thread uses the other core.  The preparation
(``context._side_by_side``) and the rules' query (``engine._run_in_halves``) both split this way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import duckdb


def side_by_side(con: duckdb.DuckDBPyConnection, beside: Callable[[duckdb.DuckDBPyConnection], None],
                 here: Callable[[duckdb.DuckDBPyConnection], None], name: str) -> None:
    """Run ``beside`` on a second connection to ``con``'s database in another thread while ``here`` runs on
    ``con``; wait for both, close the second connection, and raise what either raised (``here``'s first)."""
    other = con.cursor()
    failed: list[BaseException] = []

    def work() -> None:
        try:
            beside(other)
        except BaseException as exc:  # raised again in the calling thread
            failed.append(exc)

    worker = threading.Thread(target=work, name=name)
    worker.start()
    try:
        here(con)
    finally:
        worker.join()
        other.close()
    if failed:
        raise failed[0]
