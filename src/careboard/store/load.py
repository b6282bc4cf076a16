"""Load returns into the store: all of them or nothing, with provenance for every row.

One ``load`` call is one DuckDB transaction.  A return identical to the current one for its
authority and year (same file hashes, same pseudonymisation) changes nothing; a different one
replaces it: the old rows are deleted, the old load is kept in ``loads`` as 'replaced', with the
load that replaced it.  Any failure rolls everything back, so the database is exactly as it was.

**No silent loss.** A return that lacks a table the current one has rows in, or holds it empty, is
refused by default, naming every table that would be lost: an incomplete CSV set (a corrected
``Header.csv`` on its own) would otherwise empty the rest of the return.  Replacing only some tables
is explicit (``replace_tables``).  The new load is then still the return's one current load and
holds every table: the named ones from the files given, the others carried over from the load it
replaces, rows and files both, so every query that reads "the current load" sees the whole return.
``load_tables.from_load`` and ``load_files.from_load`` say which load each table and file first
came in with.
"""

from __future__ import annotations

import getpass
import hashlib
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from careboard import __version__
from careboard.progress import SILENT, Progress
from careboard.returns import capacity_changes
from careboard.returns.issues import Issue, ReturnError
from careboard.returns.reader import SPEC_FOR_KIND, ParsedReturn
from careboard.returns.spec import load_spec
from careboard.store import pseudonymise as pz

# Columns holding a child identifier (pseudonymised) or another direct identifier of a child.
# A CSWW worker's Social Work England number identifies a member of staff: pseudonymised alike.
ID_COLUMNS = {"ssda903": {"CHILD"}, "cin": {"LAchildID"}, "extract": {"CHILD"}, "csww": {"SWENo"}}
UPN_COLUMNS = {"ssda903": {"UPN"}, "cin": {"UPN", "FormerUPN"}, "extract": set(), "csww": set()}
UNKNOWN_UPN = ("UN1", "UN2", "UN3", "UN4", "UN5")


class LoadRefused(ReturnError):
    """A load refused because it would lose or mix data; nothing was changed."""


@dataclass
class LoadOutcome:
    """What happened to one return."""

    ret: ParsedReturn
    load_id: int | None  # None when unchanged
    action: str  # 'loaded', 'replaced' or 'unchanged'
    replaced_load: int | None = None
    replaced_tables: list[str] | None = None  # set when only these tables were replaced
    rows: int = 0  # rows read from the files of this load (not those carried over)
    files: int = 0  # files of this load read now (not those carried over)


@dataclass
class _Current:
    load_id: int
    fingerprint: str
    pseudonymised: bool
    key_tag: str | None
    tables: dict[str, tuple[int, int, int | None]]  # name -> (row_count, from_load, source_file)


@dataclass
class _Plan:
    """What loading one return will do, decided before anything is written."""

    ret: ParsedReturn
    current: _Current | None
    fingerprint: str = ""
    replace: list[str] | None = None  # None: the whole return
    new_files: list[int] = field(default_factory=list)  # indices into ret.files, in their new order
    carried_files: list[tuple[int, int]] = field(default_factory=list)  # (old index, from_load)
    refusals: list[Issue] = field(default_factory=list)


def store_table(kind: str, table: str) -> str:
    """Store table for a return table: ssda903_episodes, cin_cinepisode."""
    return f"{kind}_{table.lower()}"


def fingerprint(ret: ParsedReturn, key: bytes | None) -> str:
    return _fingerprint([f.sha256 for f in ret.files], key)


def _fingerprint(hashes: list[str], key: bytes | None) -> str:
    h = hashlib.sha256()
    for sha in sorted(hashes):
        h.update(sha.encode())
    h.update(b"|pseudonymised:" + (pz.key_fingerprint(key).encode() if key else b"no"))
    return h.hexdigest()


def load_returns(
    con: duckdb.DuckDBPyConnection,
    returns: list[ParsedReturn],
    key: bytes | None = None,
    replace_tables: Sequence[str] | None = None,
    command_options: Sequence[str] = (),
    progress: Progress = SILENT,
) -> list[LoadOutcome]:
    """Load every return in one transaction; on any error or refusal nothing is changed.

    ``replace_tables`` replaces only those tables of each (already loaded) return, keeping the
    others.  ``command_options`` are added to the commands a refusal suggests (``--db FILE``).
    """
    wanted = _replace_sets(returns, replace_tables)
    outcomes: list[LoadOutcome] = []
    progress.begin(f"Storing {len(returns)} return(s)", total=len(returns))
    con.begin()
    try:
        plans = [_plan(con, ret, key, names, command_options) for ret, names in zip(returns, wanted, strict=True)]
        refusals = [issue for p in plans for issue in p.refusals]
        if refusals:
            raise LoadRefused(refusals)
        for plan in plans:
            progress.advance(0, description=f"Storing {plan.ret.describe()}")
            outcomes.append(_apply(con, plan, key))
            progress.advance()
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return outcomes


def _replace_sets(returns: list[ParsedReturn], names: Sequence[str] | None) -> list[list[str] | None]:
    """For each return, the tables ``--replace-tables`` names in it (spec spelling), or None."""
    if names is None:
        return [None] * len(returns)
    asked = [n.strip() for n in names if n.strip()]
    if not asked:
        raise LoadRefused([Issue("--replace-tables", "name at least one table, e.g. --replace-tables Header")])
    result: list[list[str] | None] = []
    matched: set[str] = set()
    errors: list[Issue] = []
    for ret in returns:
        tables = {t.upper(): t for t in load_spec(SPEC_FOR_KIND[ret.kind]).tables_for(ret.year)}
        mine = sorted({tables[n.upper()] for n in asked if n.upper() in tables})
        matched |= {n.upper() for n in asked if n.upper() in tables}
        if not mine:
            errors.append(
                Issue(
                    str(ret.location),
                    f"--replace-tables names no table of the {ret.describe()} return here (its tables: "
                    f"{', '.join(tables.values())}); load that return on its own",
                )
            )
        result.append(mine)
    unknown = [n for n in asked if n.upper() not in matched]
    if unknown:
        known = sorted({t for r in returns for t in load_spec(SPEC_FOR_KIND[r.kind]).tables_for(r.year)})
        # A misspelt name first: the returns it would have named are not worth listing yet.
        errors = [
            Issue(
                "--replace-tables",
                f"{', '.join(unknown)}: not a table of the returns given",
                value=",".join(unknown),
                expected="one of " + ", ".join(known),
            )
        ]
    if errors:
        raise LoadRefused(errors)
    return result


def _current(con: duckdb.DuckDBPyConnection, ret: ParsedReturn) -> _Current | None:
    row = next(iter(con.execute(
        "SELECT load_id, fingerprint, pseudonymised, key_tag FROM loads "
        "WHERE kind = ? AND la = ? AND year = ? AND status = 'current'",
        [ret.kind, ret.authority.code, ret.year],
    ).fetchall()), None)
    if row is None:
        return None
    tables = {
        name: (rows, from_load, source_file)
        for name, rows, from_load, source_file in con.execute(
            "SELECT table_name, row_count, coalesce(from_load, load_id), source_file FROM load_tables "
            "WHERE load_id = ?",
            [row[0]],
        ).fetchall()
    }
    return _Current(row[0], row[1], row[2], row[3], tables)


def _plan(
    con: duckdb.DuckDBPyConnection,
    ret: ParsedReturn,
    key: bytes | None,
    replace: list[str] | None,
    options: Sequence[str],
) -> _Plan:
    current = _current(con, ret)
    plan = _Plan(ret, current, replace=replace)
    if replace is None:
        plan.new_files = list(range(len(ret.files)))
        plan.fingerprint = fingerprint(ret, key)
        if current and current.fingerprint != plan.fingerprint:
            plan.refusals += _losses(ret, current, options)
    else:
        _plan_partial(con, plan, key, options)
    if not plan.refusals and not (current and current.fingerprint == plan.fingerprint):
        plan.refusals += _capacity_refusals(con, plan)
    return plan


def _capacity_refusals(con: duckdb.DuckDBPyConnection, plan: _Plan) -> list[Issue]:
    """capacity_changes.csv's rows against the capacity extracts that will be current with them once the load is
    made (returns/capacity_changes.py): each of the three from the files given, or kept from the current load
    when only other tables are replaced.  A closure or a carer leaving of a place neither holds would be
    skipped by the plan without a word, so the load is refused, naming the row."""
    ret, current = plan.ret, plan.current
    if ret.kind != "extract":
        return []

    def given(table: str) -> bool:
        return plan.replace is None or table in plan.replace

    def kept(table: str) -> bool:
        return current is not None and bool(current.tables.get(table, (0, 0, None))[0])

    def ids(table: str, column: str) -> pa.Array | None:
        if given(table):
            t = ret.tables.get(table)
            return None if t is None or t.num_rows == 0 else \
                pc.cast(pc.drop_null(t[column].combine_chunks()), pa.string())
        if not kept(table):
            return None
        return con.sql(f"SELECT {column}::VARCHAR AS id FROM {store_table('extract', table)} "
                       f"WHERE load_id = ? AND {column} IS NOT NULL", params=[current.load_id]).to_arrow_table()["id"] \
            .combine_chunks()

    table = capacity_changes.TABLE
    if given(table):
        changes = ret.tables.get(table)
        lines = capacity_changes.lines_of(ret.positions)
        names = [f.name for f in ret.files]
        before = ""
    elif kept(table) and current is not None:
        changes = con.sql(f"SELECT * FROM {store_table('extract', table)} WHERE load_id = ?",
                          params=[current.load_id]).to_arrow_table()
        lines = {(f, r): line for f, r, line in con.execute(
            "SELECT source_file, source_row, line FROM load_row_lines WHERE load_id = ? AND table_name = ?",
            [current.load_id, table]).fetchall()}
        names = ["capacity_changes.csv"] * (1 + max(changes["source_file"].to_pylist(), default=0))
        for index, name in con.execute("SELECT file_index, name FROM load_files WHERE load_id = ?",
                                       [current.load_id]).fetchall():
            if index < len(names):
                names[index] = name
        before = f" (this row was loaded before, in load {current.load_id}, and is kept)"
    else:
        return []
    if changes is None or changes.num_rows == 0:
        return []
    return capacity_changes.identifier_problems(
        changes, lines, names, ids("FosterHouseholds", "HOUSEHOLD_ID"), ids("PlacementCapacity", "PROVIDER_ID"),
        capacity_changes.about(ret.authority.code, ret.year), before)


def _losses(ret: ParsedReturn, current: _Current, options: Sequence[str]) -> list[Issue]:
    """Tables with rows in the current load that the new return would leave empty."""
    lost = []
    for name, (rows, _, _) in current.tables.items():
        if rows and (name not in ret.tables or ret.tables[name].num_rows == 0):
            held = ret.table_files.get(name)
            why = (
                f"{ret.files[held[0]].name} has no rows" if held else "no file given holds it"
            )
            lost.append(f"{name} ({rows:,} row{'s' if rows != 1 else ''}; {why})")
    if not lost:
        return []
    keep = [t for t in ret.table_files if ret.tables[t].num_rows]
    advice = (
        "Load the complete return, or replace only the tables these files hold with:\n    "
        + _command(ret, keep, options)
        + "\n(name a table there too to empty it on purpose)"
        if keep
        else "Load the complete return (to empty a table on purpose, name it in --replace-tables)"
    )
    return [
        Issue(
            str(ret.location),
            f"this would replace the loaded {ret.describe()} return (load "
            f"{current.load_id}) and lose {len(lost)} table(s) that have rows: {'; '.join(lost)}. " + advice,
        )
    ]


def _command(ret: ParsedReturn, tables: list[str], options: Sequence[str]) -> str:
    args = ["careboard", "load", str(ret.location), "--la", ret.authority.code, "--year", str(ret.year),
            *options, "--replace-tables", ",".join(tables)]
    return shlex.join(args)


def _plan_partial(con: duckdb.DuckDBPyConnection, plan: _Plan, key: bytes | None, options: Sequence[str]) -> None:
    ret, current, replace = plan.ret, plan.current, plan.replace or []
    where = str(ret.location)
    if current is None:
        plan.refusals.append(
            Issue(
                where,
                f"--replace-tables replaces tables of a loaded return, but no {ret.describe()} return is "
                f"loaded; load the complete return first:\n    "
                + shlex.join(["careboard", "load", where, "--la", ret.authority.code, "--year", str(ret.year),
                              *options]),
            )
        )
        return
    missing = [t for t in replace if t not in ret.table_files]
    if missing:
        plan.refusals.append(
            Issue(
                where,
                f"--replace-tables names {', '.join(missing)} but no file given holds "
                f"{'that table' if len(missing) == 1 else 'those tables'} (to empty a table, give its "
                "file with the header row only)",
            )
        )
    tag = pz.key_fingerprint(key) if key else None
    if (current.pseudonymised or tag) and current.key_tag != tag:
        plan.refusals.append(
            Issue(
                where,
                f"the loaded {ret.describe()} return (load {current.load_id}) was "
                + ("pseudonymised with another key" if current.pseudonymised else "not pseudonymised")
                + (" (or before careboard recorded which key)" if current.pseudonymised and not current.key_tag else "")
                + "; replacing only some tables would mix identifiers. Load the complete return instead",
            )
        )
    if plan.refusals:
        return
    plan.new_files = sorted({i for t in replace for i in ret.table_files[t]})
    not_loaded = sorted(t for t in ret.table_files if t not in replace)
    for t in not_loaded:
        ret.warnings.append(
            Issue(
                ret.files[ret.table_files[t][0]].name,
                f"the {t} table was not loaded: --replace-tables names only {', '.join(replace)}",
                table=t,
            )
        )
    carried = [t for t in current.tables if t not in replace]
    old_files = _carried_files(con, ret.kind, current, carried)
    files = {
        index: (sha, from_load)
        for index, sha, from_load in con.execute(
            "SELECT file_index, sha256, coalesce(from_load, load_id) FROM load_files WHERE load_id = ?",
            [current.load_id],
        ).fetchall()
    }
    plan.carried_files = [(i, files[i][1]) for i in old_files]
    plan.fingerprint = _fingerprint(
        [ret.files[i].sha256 for i in plan.new_files] + [files[i][0] for i in old_files], key
    )


def _carried_files(con: duckdb.DuckDBPyConnection, kind: str, current: _Current, carried: list[str]) -> list[int]:
    """Indices (in the current load) of the files that hold the tables carried over.

    Loads made before migration 007 did not record a table's file: it is read off the table's rows
    (and recorded on the carried table, so the new load knows it).
    """
    found: set[int] = set()
    for name in carried:
        rows, from_load, source_file = current.tables[name]
        held: set[int] = set()
        if rows:
            held = {r[0] for r in con.execute(
                f"SELECT DISTINCT source_file FROM {store_table(kind, name)} WHERE load_id = ?", [current.load_id]
            ).fetchall()}
        if source_file is None and held:
            current.tables[name] = (rows, from_load, min(held))
        found |= held | ({source_file} if source_file is not None else set())
    return sorted(found)


def _apply(con: duckdb.DuckDBPyConnection, plan: _Plan, key: bytes | None) -> LoadOutcome:
    ret, current = plan.ret, plan.current
    if current and current.fingerprint == plan.fingerprint:
        return LoadOutcome(ret, None, "unchanged", None)
    load_id = con.execute("SELECT nextval('load_id_seq')").fetchall()[0][0]
    now = datetime.now()
    replace = plan.replace
    new_index = {old: new for new, old in enumerate(plan.new_files)}
    carried_index = {old: len(plan.new_files) + k for k, (old, _) in enumerate(plan.carried_files)}
    loaded_here = replace if replace is not None else list(ret.tables)
    table_rows: list[list[object]] = []
    for name in loaded_here:
        held = ret.table_files.get(name)
        table_rows.append([load_id, name, ret.tables[name].num_rows, load_id, new_index[held[0]] if held else None])
    if current:
        if replace is None:
            _remove_rows(con, ret.kind, current.load_id, list(current.tables))
        else:
            _remove_rows(con, ret.kind, current.load_id, replace)
            for name, (rows, from_load, source_file) in current.tables.items():
                if name in replace:
                    continue
                _retag(con, ret.kind, name, current.load_id, load_id, carried_index)
                table_rows.append([load_id, name, rows, from_load, carried_index.get(source_file)])
        con.execute(
            "UPDATE loads SET status = 'replaced', replaced_by = ?, replaced_at = ? WHERE load_id = ?",
            [load_id, now, current.load_id],
        )
    warnings = ret.warnings
    con.execute(
        "INSERT INTO loads (load_id, kind, la, year, fingerprint, pseudonymised, status, replaced_by, replaced_at, "
        "loaded_at, loaded_by, careboard_version, row_count, warning_count, key_tag) "
        "VALUES (?, ?, ?, ?, ?, ?, 'current', NULL, NULL, ?, ?, ?, ?, ?, ?)",
        [
            load_id, ret.kind, ret.authority.code, ret.year, plan.fingerprint, key is not None, now,
            _user(), __version__, sum(int(r[2]) for r in table_rows), len(warnings),
            pz.key_fingerprint(key) if key else None,
        ],
    )
    file_rows = [
        [load_id, new_index[i], ret.files[i].name, str(ret.files[i].path.resolve()), ret.files[i].sha256,
         ret.files[i].size, ret.formats[i], load_id]
        for i in plan.new_files
    ]
    if file_rows:
        con.executemany(
            "INSERT INTO load_files (load_id, file_index, name, path, sha256, size_bytes, format, from_load) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            file_rows,
        )
    for old, _from in plan.carried_files:
        assert current is not None  # only a partial replacement carries files
        con.execute(
            "INSERT INTO load_files (load_id, file_index, name, path, sha256, size_bytes, format, from_load) "
            "SELECT ?, ?, name, path, sha256, size_bytes, format, coalesce(from_load, load_id) FROM load_files "
            "WHERE load_id = ? AND file_index = ?",
            [load_id, carried_index[old], current.load_id, old],
        )
    con.executemany(
        "INSERT INTO load_tables (load_id, table_name, row_count, from_load, source_file) VALUES (?, ?, ?, ?, ?)",
        table_rows,
    )
    if warnings:
        con.executemany(
            "INSERT INTO load_warnings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [load_id, i, w.file, w.row, w.line, w.table, w.field, w.value, w.count, w.message]
                for i, w in enumerate(warnings)
            ],
        )
    if ret.header:  # a CIN census's own <Header> (every census load has its XML file, so its header)
        con.executemany(
            "INSERT INTO load_header VALUES (?, ?, ?)", [[load_id, k, v] for k, v in ret.header.items()]
        )
    mapping = pa.array([new_index.get(i) for i in range(len(ret.files))], pa.int16())
    for name in loaded_here:
        table = ret.tables[name]
        if table.num_rows:
            if plan.new_files != list(range(len(ret.files))):
                position = table.schema.get_field_index("source_file")
                table = table.set_column(position, "source_file", pc.take(mapping, table.column("source_file")))
            _insert(con, ret, load_id, name, table, key)
    _insert_positions(con, ret, load_id, key, loaded_here, mapping)
    return LoadOutcome(
        ret, load_id, "replaced" if current else "loaded", current.load_id if current else None,
        replace if replace is not None else None,
        rows=sum(ret.tables[name].num_rows for name in loaded_here), files=len(plan.new_files),
    )


def _remove_rows(con: duckdb.DuckDBPyConnection, kind: str, load_id: int, tables: list[str]) -> None:
    for name in tables:
        con.execute(f"DELETE FROM {store_table(kind, name)} WHERE load_id = ?", [load_id])
    # Cell values and positions go with the rows (the load's provenance stays).
    for side in ("load_normalisations", "load_row_lines"):
        con.execute(f"DELETE FROM {side} WHERE load_id = ? AND list_contains(?, table_name)", [load_id, tables])


def _retag(
    con: duckdb.DuckDBPyConnection, kind: str, name: str, old: int, new: int, file_index: dict[int, int]
) -> None:
    """Move a carried table's rows to the new load, pointing each at its file's place in it."""
    mapping = pa.table({
        "old_file": pa.array(list(file_index), pa.int16()),
        "new_file": pa.array(list(file_index.values()), pa.int16()),
    })
    con.register("carried_files", mapping)
    try:
        for target, only_this_table in ((store_table(kind, name), ""),
                                        ("load_row_lines", " AND t.table_name = ?"),
                                        ("load_normalisations", " AND t.table_name = ?")):
            con.execute(
                f"UPDATE {target} AS t SET load_id = ?, source_file = m.new_file "
                f"FROM carried_files m WHERE t.load_id = ? AND t.source_file = m.old_file{only_this_table}",
                [new, old] + ([name] if only_this_table else []),
            )
    finally:
        con.unregister("carried_files")


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


def _insert_positions(
    con: duckdb.DuckDBPyConnection, ret: ParsedReturn, load_id: int, key: bytes | None, tables: list[str],
    file_mapping: pa.Array,
) -> None:
    """Each row's file line, and every normalisation the reader made (validation reports them), for
    the ``tables`` loaded from these files, with each file's index in the load (``file_mapping``).

    The value found is not kept for identifier columns of a pseudonymised load.
    """
    def ours(positions: pa.Table) -> pa.Table:
        kept = positions.filter(pc.is_in(positions.column("table_name"), pa.array(tables, pa.string())))
        at = kept.schema.get_field_index("source_file")
        return kept.set_column(at, "source_file", pc.take(file_mapping, kept.column("source_file")))

    con.register("incoming_lines", ours(ret.positions))
    con.register("incoming_norm", ours(ret.normalisations))
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

