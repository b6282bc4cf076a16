"""What the store holds: loaded returns with their provenance, for `careboard returns`."""

from __future__ import annotations

import duckdb

from careboard import authorities, years
from careboard.returns.reader import KINDS

_LOADS_SQL = """
SELECT l.load_id, l.kind, l.la, l.year, l.status, l.replaced_by, l.loaded_at, l.loaded_by,
       l.row_count, l.warning_count, l.pseudonymised,
       (SELECT count(*) FROM load_tables t WHERE t.load_id = l.load_id AND t.row_count > 0)
           AS tables_with_rows
FROM loads l
WHERE ($la IS NULL OR l.la = $la) AND ($all OR l.status = 'current')
ORDER BY l.la, l.kind, l.year, l.load_id
"""

_FILES_SQL = """
SELECT load_id, name, sha256, size_bytes, format FROM load_files ORDER BY load_id, file_index
"""


def loaded_returns(
    con: duckdb.DuckDBPyConnection, la: str | None = None, include_replaced: bool = False
) -> list[dict]:
    """One dict per load with its files, newest provenance first within each return."""
    code = authorities.resolve(la).code if la else None
    cur = con.execute(_LOADS_SQL, {"la": code, "all": include_replaced})
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    files: dict[int, list[dict]] = {}
    cur = con.execute(_FILES_SQL)
    fnames = [d[0] for d in cur.description]
    for r in cur.fetchall():
        f = dict(zip(fnames, r, strict=True))
        files.setdefault(f.pop("load_id"), []).append(f)
    known = authorities.all_authorities()
    for r in rows:
        r["kind_label"] = KINDS.get(r["kind"], r["kind"])
        r["la_name"] = known[r["la"]].name if r["la"] in known else ""
        r["year_label"] = years.label(r["year"])
        r["files"] = files.get(r["load_id"], [])
    return rows
