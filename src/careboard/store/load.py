"""Load returns into the store: all of them or nothing, with provenance for every row.

One ``load`` call is one DuckDB transaction.  A return identical to the current one for its
authority and year (same file hashes, same pseudonymisation) changes nothing; a different one
replaces it: the old rows are deleted, the old load is kept in ``loads`` as 'replaced', with the
load that replaced it.  Any failure rolls everything back, so the database is exactly as it was.
"""

from __future__ import annotations

import getpass
import hashlib
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pyarrow as pa

from careboard import __version__
from careboard.returns.reader import ParsedReturn
from careboard.store import pseudonymise as pz

# Columns holding a child identifier (pseudonymised) or another direct identifier of a child.
ID_COLUMNS = {"ssda903": {"CHILD"}, "cin": {"LAchildID"}, "extract": {"CHILD"}}
UPN_COLUMNS = {"ssda903": {"UPN"}, "cin": {"UPN", "FormerUPN"}, "extract": set()}
UNKNOWN_UPN = ("UN1", "UN2", "UN3", "UN4", "UN5")


@dataclass
class LoadOutcome:
    """What happened to one return."""

    ret: ParsedReturn
    load_id: int | None  # None when unchanged
    action: str  # 'loaded', 'replaced' or 'unchanged'
    replaced_load: int | None = None


def store_table(kind: str, table: str) -> str:
    """Store table for a return table: ssda903_episodes, cin_cinepisode."""
    return f"{kind}_{table.lower()}"


def fingerprint(ret: ParsedReturn, key: bytes | None) -> str:
    h = hashlib.sha256()
    for f in sorted(ret.files, key=lambda f: f.sha256):
        h.update(f.sha256.encode())
    h.update(b"|pseudonymised:" + (pz.key_fingerprint(key).encode() if key else b"no"))
    return h.hexdigest()


def load_returns(
    con: duckdb.DuckDBPyConnection, returns: list[ParsedReturn], key: bytes | None = None
) -> list[LoadOutcome]:
    """Load every return in one transaction; on any error nothing is changed."""
    outcomes: list[LoadOutcome] = []
    con.begin()
    try:
        for ret in returns:
            outcomes.append(_load_one(con, ret, key))
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return outcomes


def _load_one(con: duckdb.DuckDBPyConnection, ret: ParsedReturn, key: bytes | None) -> LoadOutcome:
    fp = fingerprint(ret, key)
    current = next(iter(con.execute(
        "SELECT load_id, fingerprint FROM loads WHERE kind = ? AND la = ? AND year = ? AND status = 'current'",
        [ret.kind, ret.authority.code, ret.year],
    ).fetchall()), None)
    if current and current[1] == fp:
        return LoadOutcome(ret, None, "unchanged", None)
    load_id = con.execute("SELECT nextval('load_id_seq')").fetchall()[0][0]
    now = datetime.now()
    if current:
        _remove_rows(con, ret.kind, current[0])
        con.execute(
            "UPDATE loads SET status = 'replaced', replaced_by = ?, replaced_at = ? WHERE load_id = ?",
            [load_id, now, current[0]],
        )
    con.execute(
        "INSERT INTO loads VALUES (?, ?, ?, ?, ?, ?, 'current', NULL, NULL, ?, ?, ?, ?, ?)",
        [
            load_id, ret.kind, ret.authority.code, ret.year, fp, key is not None, now,
            _user(), __version__, ret.row_count, len(ret.warnings),
        ],
    )
    con.executemany(
        "INSERT INTO load_files VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            [load_id, i, f.name, str(f.path.resolve()), f.sha256, f.size, fmt]
            for i, (f, fmt) in enumerate(zip(ret.files, ret.formats, strict=True))
        ],
    )
    con.executemany(
        "INSERT INTO load_tables VALUES (?, ?, ?)",
        [[load_id, name, t.num_rows] for name, t in ret.tables.items()],
    )
    if ret.warnings:
        con.executemany(
            "INSERT INTO load_warnings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [load_id, i, w.file, w.row, w.line, w.table, w.field, w.value, w.count, w.message]
                for i, w in enumerate(ret.warnings)
            ],
        )
    for name, table in ret.tables.items():
        if table.num_rows:
            _insert(con, ret, load_id, name, table, key)
    _insert_positions(con, ret, load_id, key)
    return LoadOutcome(ret, load_id, "replaced" if current else "loaded", current[0] if current else None)


def _remove_rows(con: duckdb.DuckDBPyConnection, kind: str, load_id: int) -> None:
    tables = con.execute(
        "SELECT table_name FROM load_tables WHERE load_id = ?", [load_id]
    ).fetchall()
    for (name,) in tables:
        con.execute(f"DELETE FROM {store_table(kind, name)} WHERE load_id = ?", [load_id])
    # Cell values and positions go with the rows (the load's provenance stays).
    con.execute("DELETE FROM load_normalisations WHERE load_id = ?", [load_id])
    con.execute("DELETE FROM load_row_lines WHERE load_id = ?", [load_id])


def _insert(
    con: duckdb.DuckDBPyConnection,
    ret: ParsedReturn,
    load_id: int,
    name: str,
    table: pa.Table,
    key: bytes | None,
) -> None:
    n = table.num_rows
    table = (
        table.append_column("load_id", pa.array([load_id] * n, pa.int32()))
        .append_column("la", pa.array([ret.authority.code] * n, pa.string()))
        .append_column("year", pa.array([ret.year] * n, pa.int16()))
    )
    select = "*"
    params: dict[str, object] = {}
    if key is not None:
        replace = []
        for col in ID_COLUMNS[ret.kind] & set(table.column_names):
            replace.append(f"{pz.hmac_sql(col)} AS {col}")
        for col in UPN_COLUMNS[ret.kind] & set(table.column_names):
            keep = ", ".join(f"'{u}'" for u in UNKNOWN_UPN)
            replace.append(f"CASE WHEN {col} IN ({keep}) THEN {col} ELSE {pz.hmac_sql(col)} END AS {col}")
        if replace:
            select = f"* REPLACE ({', '.join(replace)})"
            ipad, opad = pz.key_pads(key)
            params = {"ipad": ipad, "opad": opad}
    con.register("incoming", table)
    try:
        con.execute(
            f"INSERT INTO {store_table(ret.kind, name)} BY NAME SELECT {select} FROM incoming",
            params or None,
        )
    finally:
        con.unregister("incoming")


def _insert_positions(con: duckdb.DuckDBPyConnection, ret: ParsedReturn, load_id: int, key: bytes | None) -> None:
    """Each row's file line, and every normalisation the reader made (validation reports them).

    The value found is not kept for identifier columns of a pseudonymised load.
    """
    con.register("incoming_lines", ret.positions)
    con.register("incoming_norm", ret.normalisations)
    hidden = sorted(ID_COLUMNS[ret.kind] | UPN_COLUMNS[ret.kind]) if key is not None else []
    try:
        con.execute(
            "INSERT INTO load_row_lines SELECT ?, table_name, source_file, source_row, line FROM incoming_lines",
            [load_id],
        )
        con.execute(
            "INSERT INTO load_normalisations SELECT ?, kind, table_name, field, source_file, source_row, "
            "CASE WHEN list_contains(?, field) THEN NULL ELSE value END, message FROM incoming_norm",
            [load_id, hidden],
        )
    finally:
        con.unregister("incoming_lines")
        con.unregister("incoming_norm")


def _user() -> str | None:
    try:
        return getpass.getuser()
    except Exception:
        return None
