"""Validate a return: from files (nothing kept) or as loaded in the store (findings kept).

Files are read leniently (values that cannot be typed become findings of the DfE validity rules,
not a refusal), loaded into a private in-memory database with last year's return if given, and
checked.  A loaded return is checked where it lies and its findings are stored for the web app and
the member pack.  SSDA903 returns and CIN censuses go through the same engine with their own
rulesets; a CIN census is cross-checked with the SSDA903 return of the same authority and year
when that is given (or loaded).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from careboard import __version__, authorities, years
from careboard.progress import SILENT, Progress
from careboard.returns.issues import Issue, ReturnError
from careboard.returns.reader import ParsedReturn, read_returns
from careboard.store import db as store_db
from careboard.store.load import load_returns
from careboard.validate import intake
from careboard.validate.engine import ValidationResult, run_rules
from careboard.validate.providers import load_provider_lists
from careboard.validate.ruleset import LAST_YEAR_PREFIX, RULESETS, SSDA903_PREFIX

# Memory DuckDB may use when checking files (it spills beyond this): bounds a run on a huge file.
MEMORY_LIMIT = "1GB"
# The run's private database is in memory and dropped at the end: no write-ahead log ever grows this big.
NEVER_CHECKPOINT = "1TB"


@dataclass
class Checked:
    """A validation result with everything needed to report it.

    Counts and a capped listing are in memory; every finding is streamed from the result's spool
    (``batches``).  ``findings`` (one dict per finding) is built only when asked, for small
    consumers such as the upload page and tests.
    """

    result: ValidationResult
    la: str
    year: int
    files: dict[int, str]  # file index -> file name
    run_id: int | None = None
    kind: str = "ssda903"
    # Files of the returns a CIN census is compared with, by the table-name prefix their rows carry
    # in findings ('Last year: ', 'SSDA903: '; see ruleset.py).
    other_files: dict[str, dict[int, str]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """How the return is named: 'SSDA903' or 'CIN census'."""
        return RULESETS[self.kind].label

    @property
    def count(self) -> int:
        return self.result.total

    @property
    def children_affected(self) -> int:
        return self.result.children

    def describe(self, findings: pa.Table | pa.RecordBatch) -> pa.Table:
        """Findings (engine columns) as reports show them: rule, source ('DfE' or 'careboard'),
        message, table, file, row, line, field, child, value, note.  ``row`` 0 is the whole file.

        The message is the DfE's wording for the return's collection year."""
        f = pa.table(findings) if isinstance(findings, pa.RecordBatch) else findings
        ruleset = RULESETS[self.kind]
        info = ruleset.rule_list()
        wording_year = ruleset.ruleset_year(self.year)
        codes = pc.unique(f["rule"])
        at = pc.index_in(f["rule"], codes)
        messages = pa.array(
            [info[c].message_for(wording_year) if c in info else "" for c in codes.to_pylist()], pa.string()
        )
        sources = pa.array([info[c].source if c in info else "" for c in codes.to_pylist()], pa.string())
        # A row's file: in this return's files, or (a table named 'Last year: ...' or 'SSDA903: ...')
        # in the files of the return it was compared with.
        places = pc.binary_join_element_wise(f["tbl"], f["source_file"].cast(pa.string()), "\x1f")
        place_codes = pc.unique(places)
        file_at = pc.index_in(places, place_codes)
        names = pa.array([self._file_name(p) for p in place_codes.to_pylist()], pa.string())
        # message, source and file are dictionary-encoded: one copy of each text, however many findings
        return pa.table(
            {
                "rule": f["rule"],
                "source": _dictionary(at, sources),
                "message": _dictionary(at, messages),
                "table": f["tbl"],
                "file": _dictionary(file_at, names),
                "row": f["source_row"],
                "line": f["line"],
                "field": f["field"],
                "child": f["child"],
                "value": f["value"],
                "note": f["note"],
            }
        )

    def _file_name(self, place: str | None) -> str:
        if place is None:
            return ""
        table, _, index = place.partition("\x1f")
        files = next((found for prefix, found in self.other_files.items() if table.startswith(prefix)), self.files)
        return files.get(int(index), "")

    def batches(self, size: int = 65_536) -> Iterator[pa.Table]:
        """Every finding as reports show them, in file order, a batch at a time."""
        for batch in self.result.batches(size):
            yield self.describe(batch)

    @cached_property
    def listing(self) -> pa.Table:
        """The first findings of each rule (``engine.LISTED_PER_RULE``), as reports show them."""
        return self.describe(self.result.listing)

    @cached_property
    def table(self) -> pa.Table:
        """Every finding as one table (for small runs; reports stream ``batches``)."""
        return self.describe(self.result.findings)

    @cached_property
    def findings(self) -> list[dict]:
        return self.table.to_pylist()


def _dictionary(indices: pa.ChunkedArray | pa.Array, values: pa.Array) -> pa.ChunkedArray:
    chunks = indices.chunks if isinstance(indices, pa.ChunkedArray) else [indices]
    return pa.chunked_array(
        [pa.DictionaryArray.from_arrays(c.cast(pa.int32()), values) for c in chunks],
        pa.dictionary(pa.int32(), pa.string()),
    )


def _one_per_kind(rets: list[ParsedReturn], what: str) -> dict[str, ParsedReturn]:
    """The returns to validate by kind (local extracts aside); more than one of a kind is an error."""
    by_kind: dict[str, list[ParsedReturn]] = {}
    for r in rets:
        if r.kind in RULESETS:
            by_kind.setdefault(r.kind, []).append(r)
    problems = [
        Issue(what, f"expected one {RULESETS[kind].label} return, found {len(found)}")
        for kind, found in by_kind.items()
        if len(found) > 1
    ]
    if problems:
        raise ReturnError(problems)
    return {kind: found[0] for kind, found in by_kind.items()}


def _files(con: duckdb.DuckDBPyConnection, load_id: int | None) -> dict[int, str]:
    if load_id is None:
        return {}
    return dict(con.execute("SELECT file_index, name FROM load_files WHERE load_id = ?", [load_id]).fetchall())


def _other_files(con: duckdb.DuckDBPyConnection, last_id: int | None, ssda903_id: int | None) -> dict:
    return {LAST_YEAR_PREFIX: _files(con, last_id), SSDA903_PREFIX: _files(con, ssda903_id)}


def _running(kind: str, year: int) -> str:
    """The progress step of a run: 'Running the DfE rules for 2025-26' (for a census, the DfE CIN census rules)."""
    what = "DfE" if kind == "ssda903" else f"DfE {RULESETS[kind].label}"
    return f"Running the {what} rules for {years.label(year)}"


def validate_all_files(
    paths: list[Path],
    la: str | None,
    year: int | None,
    last_year: list[Path] | None = None,
    providers: list[Path] | None = None,
    kinds: list[str] | None = None,
    progress: Progress = SILENT,
) -> list[Checked]:
    """Check every return in the files (SSDA903, CIN census) without keeping them anywhere.

    A CIN census is cross-checked with an SSDA903 return among the files for the same authority
    and year.  ``kinds``: only these kinds of return.  Files that are not a return (see
    ``intake``) are refused before any rule runs.
    """
    # The run's private database (schema and reference tables: about 0.15 s, mostly in DuckDB, which
    # lets go of Python's lock) is opened on a second thread while the files are read.
    opening = ThreadPoolExecutor(max_workers=1, thread_name_prefix="careboard-open")
    pending = opening.submit(store_db.connect, ":memory:", staging_views=False)  # reads loads by id
    opening.shutdown(wait=False)
    try:
        read = read_returns(paths, la, year, strict=False, progress=progress)
        found = _one_per_kind(read, "the files given")
        if kinds is not None:
            found = {k: r for k, r in found.items() if k in kinds}
        if not found:
            wanted = " or ".join(RULESETS[k].label for k in (kinds or list(RULESETS)))
            # what the files do hold (a workforce census, local extracts): checked when loaded, no DfE rules here
            held = [r.describe() for r in read]
            also = (f"; they hold {', '.join(held)}, which careboard reads with careboard load but has no DfE "
                    "validation rules for" if held and kinds is None else "")
            raise ReturnError([Issue("the files given", f"expected one {wanted} return, found 0{also}")])
        for ret in found.values():
            intake.check(ret)
        prev: dict[str, ParsedReturn] = {}
        if last_year:
            first = next(iter(found.values()))
            prev = _one_per_kind(
                [r for r in read_returns(last_year, first.authority.code, first.year - 1, strict=False)
                 if r.kind in found],
                "--last-year",
            )
            if not prev:
                wanted = " or ".join(RULESETS[k].label for k in found)
                raise ReturnError([Issue("--last-year", f"expected last year's {wanted} return, found none")])
            for ret in prev.values():
                intake.check(ret)
    except BaseException:
        _discard(pending)
        raise
    spill = tempfile.mkdtemp(prefix="careboard-validate-")
    con = pending.result()
    try:
        # The run's database is private and in memory: cap it, spilling to a private folder.
        con.execute(f"SET temp_directory = '{spill}'")
        con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        # Never checkpoint it: a checkpoint compresses every table loaded so far (about 0.2 s of CPU
        # for a 20,000-child return and last year's), for a database thrown away after the run.
        con.execute(f"SET checkpoint_threshold = '{NEVER_CHECKPOINT}'")
        outcomes = {o.ret.kind: o for o in load_returns(con, list(found.values()), progress=progress)}
        have_providers = bool(providers)
        if have_providers:
            load_provider_lists(con, providers)
        last_ids = {o.ret.kind: o.load_id for o in load_returns(con, list(prev.values()))} if prev else {}
        checked = []
        for kind, ret in found.items():
            ssda903 = found.get("ssda903")
            cross = (
                outcomes["ssda903"].load_id
                if kind == "cin" and ssda903 is not None
                and (ssda903.authority.code, ssda903.year) == (ret.authority.code, ret.year)
                else None
            )
            last_id = last_ids.get(kind)
            progress.begin(_running(kind, ret.year))
            result = run_rules(
                con, outcomes[kind].load_id, ret.year, ret.authority.code, last_id, ret.invalid_cells,
                prev[kind].invalid_cells if kind in prev else None, providers=have_providers,
                ruleset=RULESETS[kind], ssda903_load_id=cross,
                # The database is this run's alone: the rules' query may run in two halves at once
                # (engine._run_in_halves).  Only for one SSDA903 return: a CIN census's context
                # names some objects as the SSDA903's does, as other kinds of object.
                shared=len(found) == 1 and kind == "ssda903",
            )
            progress.begin("Listing the findings")
            checked.append(
                Checked(result, ret.authority.code, ret.year, _files(con, outcomes[kind].load_id), kind=kind,
                        other_files=_other_files(con, last_id, cross))
            )
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)
    return checked


def _discard(pending: Future[duckdb.DuckDBPyConnection]) -> None:
    """Close the database being opened for a run that stopped before using it."""
    with contextlib.suppress(Exception):
        pending.result().close()


def validate_files(
    paths: list[Path],
    la: str | None,
    year: int | None,
    last_year: list[Path] | None = None,
    providers: list[Path] | None = None,
    kind: str | None = None,
    progress: Progress = SILENT,
) -> Checked:
    """Check the return of ``kind`` in the files; by default the one return they hold, or the SSDA903
    when they hold an SSDA903 return and a CIN census too (the web upload's single report).  To check
    and report every return, use :func:`validate_all_files`."""
    checked = validate_all_files(paths, la, year, last_year, providers, [kind] if kind else None, progress)
    return next((c for c in checked if c.kind == "ssda903"), checked[0])


class NotLoaded(LookupError):
    """No loaded return for the authority and year asked for."""


def _current(con: duckdb.DuckDBPyConnection, kind: str, la: str, year: int) -> int | None:
    row = next(iter(con.execute(
        "SELECT load_id FROM current_loads WHERE kind = ? AND la = ? AND year = ?",
        [kind, la, year],
    ).fetchall()), None)
    return row[0] if row else None


def validate_loaded(
    con: duckdb.DuckDBPyConnection,
    la: str,
    year: int,
    providers: list[Path] | None = None,
    progress: Progress = SILENT,
    kind: str = "ssda903",
) -> Checked:
    """Check the current loaded return of ``kind`` for ``la`` and ``year`` (with last year's if loaded, and
    for a CIN census the SSDA903 of the same year if loaded); store the findings."""
    code = authorities.resolve(la).code
    ruleset = RULESETS[kind]
    load_id = _current(con, kind, code, year)
    if load_id is None:
        raise NotLoaded(f"no {ruleset.label} return for {code} {years.label(year)} is loaded (careboard load ...)")
    last_id = _current(con, kind, code, year - 1)
    cross = _current(con, "ssda903", code, year) if kind == "cin" else None
    have_providers = bool(providers)
    if have_providers:
        load_provider_lists(con, providers)
    (pseudonymised,) = con.execute("SELECT pseudonymised FROM loads WHERE load_id = ?", [load_id]).fetchone()
    progress.begin(_running(kind, year))
    result = run_rules(con, load_id, year, code, last_id, providers=have_providers, ruleset=ruleset,
                       ssda903_load_id=cross, pseudonymised=pseudonymised)
    progress.begin("Listing the findings")
    checked = Checked(result, code, year, _files(con, load_id), kind=kind,
                      other_files=_other_files(con, last_id, cross))
    progress.begin("Storing the findings")
    checked.run_id = _store(con, checked, load_id, last_id, cross)
    return checked


def validate_loaded_all(
    con: duckdb.DuckDBPyConnection, la: str, year: int, providers: list[Path] | None = None,
    kinds: list[str] | None = None, progress: Progress = SILENT,
) -> list[Checked]:
    """Check every loaded return of ``la`` and ``year`` (or only ``kinds``); store the findings."""
    code = authorities.resolve(la).code
    chosen = kinds or [k for k in RULESETS if _current(con, k, code, year) is not None]
    if not chosen:
        raise NotLoaded(f"no SSDA903 or CIN census return for {code} {years.label(year)} is loaded "
                        "(careboard load ...)")
    return [validate_loaded(con, code, year, providers, progress, kind) for kind in chosen]


def _store(
    con: duckdb.DuckDBPyConnection, checked: Checked, load_id: int, last_id: int | None, ssda903_id: int | None
) -> int:
    result = checked.result
    con.begin()
    try:
        run_id = con.execute("SELECT nextval('validation_run_seq')").fetchall()[0][0]
        con.execute(
            "INSERT INTO validation_runs (run_id, load_id, last_load_id, la, year, run_at, rules_run, "
            "rules_skipped, finding_count, children_affected, seconds, careboard_version, ssda903_load_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                run_id, load_id, last_id, checked.la, checked.year, datetime.now(), len(result.rules_run),
                len(result.skipped), checked.count, checked.children_affected, result.seconds,
                __version__, ssda903_id,
            ],
        )
        # straight from the run's TEMP table: the findings never pass through Python
        con.execute(
            "INSERT INTO validation_findings BY NAME SELECT ?::INTEGER AS run_id, rule, tbl AS table_name, "
            "source_file, source_row, child, line, field, value, note FROM run_findings",
            [run_id],
        )
        if result.skipped:  # every rule ran when last year's return (and for a census, the SSDA903) is loaded
            con.executemany(
                "INSERT INTO validation_skipped VALUES (?, ?, ?)",
                [[run_id, code, why] for code, why in sorted(result.skipped.items())],
            )
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return run_id
