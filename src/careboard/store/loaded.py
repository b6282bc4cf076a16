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

# Each file with the tables it supplied to its load; from_load is the load that first read it (a
# partial replacement keeps the files of the tables it did not replace).
_FILES_SQL = """
SELECT f.load_id, f.file_index, f.name, f.sha256, f.size_bytes, f.format,
       coalesce(f.from_load, f.load_id) AS from_load,
       list(t.table_name ORDER BY t.table_name) FILTER (WHERE t.table_name IS NOT NULL) AS tables
FROM load_files f
LEFT JOIN load_tables t ON t.load_id = f.load_id AND t.source_file = f.file_index
GROUP BY ALL
ORDER BY f.load_id, f.file_index
"""

# Which load each table of a load came from (its own, or an earlier one it was carried over from).
_TABLES_SQL = """
SELECT load_id, table_name, row_count, coalesce(from_load, load_id) AS from_load
FROM load_tables ORDER BY load_id, table_name
"""


def loaded_returns(
    con: duckdb.DuckDBPyConnection, la: str | None = None, include_replaced: bool = False
) -> list[dict]:
    """One dict per load with its files and tables, newest provenance first within each return.

    ``files``: name, sha256, size_bytes, format, from_load, tables; ``tables``: table_name,
    row_count, from_load (the load whose files the rows were read from).
    """
    code = authorities.resolve(la).code if la else None
    cur = con.execute(_LOADS_SQL, {"la": code, "all": include_replaced})
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    files: dict[int, list[dict]] = {}
    cur = con.execute(_FILES_SQL)
    fnames = [d[0] for d in cur.description]
    for r in cur.fetchall():
        f = dict(zip(fnames, r, strict=True))
        del f["file_index"]
        files.setdefault(f.pop("load_id"), []).append(f)
    tables: dict[int, list[dict]] = {}
    cur = con.execute(_TABLES_SQL)
    tnames = [d[0] for d in cur.description]
    for r in cur.fetchall():
        t = dict(zip(tnames, r, strict=True))
        tables.setdefault(t.pop("load_id"), []).append(t)
    known = authorities.all_authorities()
    for r in rows:
        r["kind_label"] = KINDS.get(r["kind"], r["kind"])
        r["la_name"] = known[r["la"]].name if r["la"] in known else ""
        r["year_label"] = years.label(r["year"])
        r["files"] = files.get(r["load_id"], [])
        for f in r["files"]:
            f["tables"] = f["tables"] or []
        r["tables"] = tables.get(r["load_id"], [])
    return rows
