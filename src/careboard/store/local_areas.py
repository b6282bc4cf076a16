"""Keep an authority's locality lookup (returns/areas.py) in the store, where the model reads it.

The lookup replaces the authority's previous one whole, in one transaction; the next refresh rebuilds
the care-history model (its fingerprint includes the lookup) and so every local-area figure.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from careboard.returns.areas import AreaKey


def save_lookup(con: duckdb.DuckDBPyConnection, la: str, rows: list[AreaKey], source: Path) -> int:
    """Replace ``la``'s lookup with ``rows`` (from the file ``source``); returns the number of rows kept."""
    con.begin()
    try:
        con.execute("DELETE FROM local_area_lookup WHERE la = ?", [la])
        con.executemany(
            "INSERT INTO local_area_lookup VALUES (?, ?, ?, ?, ?, now()::TIMESTAMP)",
            [[la, r.key, r.area, source.name, r.line] for r in rows])
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return len(rows)


def clear_lookup(con: duckdb.DuckDBPyConnection, la: str) -> int:
    """Remove ``la``'s lookup (local areas go back to the default); returns how many rows were removed."""
    n = con.execute("SELECT count(*) FROM local_area_lookup WHERE la = ?", [la]).fetchall()[0][0]
    con.execute("DELETE FROM local_area_lookup WHERE la = ?", [la])
    return int(n)
