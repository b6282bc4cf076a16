"""Validate a return: from files (nothing kept) or as loaded in the store (findings kept).

Files are read leniently (values that cannot be typed become findings of the DfE validity rules,
not a refusal), loaded into a private in-memory database with last year's return if given, and
checked.  A loaded return is checked where it lies and its findings are stored for the web app and
the member pack.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
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
from careboard.validate.catalogue import all_rules_info
from careboard.validate.engine import ValidationResult, run_rules
from careboard.validate.providers import load_provider_lists

# Memory DuckDB may use when checking files (it spills beyond this): bounds a run on a huge file.
MEMORY_LIMIT = "1GB"


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

    @property
    def count(self) -> int:
        return self.result.total

    @property
    def children_affected(self) -> int:
        return self.result.children

    def describe(self, findings: pa.Table | pa.RecordBatch) -> pa.Table:
        """Findings (engine columns) as reports show them: rule, source ('DfE' or 'careboard'),
        message, table, file, row, line, field, child, value, note.  ``row`` 0 is the whole file."""
        f = pa.table(findings) if isinstance(findings, pa.RecordBatch) else findings
        info = all_rules_info()
        codes = pc.unique(f["rule"])
        at = pc.index_in(f["rule"], codes)
        messages = pa.array([info[c].message if c in info else "" for c in codes.to_pylist()], pa.string())
        sources = pa.array([info[c].source if c in info else "" for c in codes.to_pylist()], pa.string())
        file_codes = pc.unique(f["source_file"])
        file_at = pc.index_in(f["source_file"], file_codes)
        names = pa.array([self.files.get(i, "") for i in file_codes.to_pylist()], pa.string())
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


def _one_ssda903(rets: list[ParsedReturn], what: str) -> ParsedReturn:
    found = [r for r in rets if r.kind == "ssda903"]
    if len(found) != 1:
        raise ReturnError([Issue(what, f"expected one SSDA903 return, found {len(found)}")])
    return found[0]


def _files(con: duckdb.DuckDBPyConnection, load_id: int) -> dict[int, str]:
    return dict(con.execute("SELECT file_index, name FROM load_files WHERE load_id = ?", [load_id]).fetchall())


def validate_files(
    paths: list[Path],
    la: str | None,
    year: int | None,
    last_year: list[Path] | None = None,
    providers: list[Path] | None = None,
    progress: Progress = SILENT,
) -> Checked:
    """Check return files without keeping them anywhere.

    Files that are not a return (see ``intake``) are refused before any rule runs.
    """
    ret = _one_ssda903(read_returns(paths, la, year, strict=False, progress=progress), "the files given")
    intake.check(ret)
    prev = None
    if last_year:
        prev = _one_ssda903(read_returns(last_year, ret.authority.code, ret.year - 1, strict=False), "--last-year")
        intake.check(prev)
    spill = tempfile.mkdtemp(prefix="careboard-validate-")
    con = store_db.connect(":memory:")
    try:
        # The run's database is private and in memory: cap it, spilling to a private folder.
        con.execute(f"SET temp_directory = '{spill}'")
        con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        (outcome,) = load_returns(con, [ret], progress=progress)
        have_providers = bool(providers) and load_provider_lists(con, providers) >= 0
        last_id = None
        if prev is not None:
            (prev_outcome,) = load_returns(con, [prev])
            last_id = prev_outcome.load_id
        progress.begin(f"Running the DfE rules for {years.label(ret.year)}")
        result = run_rules(
            con, outcome.load_id, ret.year, ret.authority.code, last_id, ret.invalid_cells,
            prev.invalid_cells if prev is not None else None, providers=have_providers,
        )
        progress.begin("Listing the findings")
        files = _files(con, outcome.load_id)
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)
    return Checked(result, ret.authority.code, ret.year, files)


class NotLoaded(LookupError):
    """No loaded return for the authority and year asked for."""


def validate_loaded(
    con: duckdb.DuckDBPyConnection,
    la: str,
    year: int,
    providers: list[Path] | None = None,
    progress: Progress = SILENT,
) -> Checked:
    """Check the current loaded return for ``la`` and ``year`` (with last year's if loaded); store findings."""
    code = authorities.resolve(la).code

    def current(y: int) -> int | None:
        row = next(iter(con.execute(
            "SELECT load_id FROM loads WHERE kind = 'ssda903' AND la = ? AND year = ? AND status = 'current'",
            [code, y],
        ).fetchall()), None)
        return row[0] if row else None

    load_id = current(year)
    if load_id is None:
        raise NotLoaded(f"no SSDA903 return for {code} {years.label(year)} is loaded (careboard load ...)")
    last_id = current(year - 1)
    have_providers = bool(providers) and load_provider_lists(con, providers) >= 0
    progress.begin(f"Running the DfE rules for {years.label(year)}")
    result = run_rules(con, load_id, year, code, last_id, providers=have_providers)
    progress.begin("Listing the findings")
    checked = Checked(result, code, year, _files(con, load_id))
    progress.begin("Storing the findings")
    checked.run_id = _store(con, checked, load_id, last_id)
    return checked


def _store(con: duckdb.DuckDBPyConnection, checked: Checked, load_id: int, last_id: int | None) -> int:
    result = checked.result
    con.begin()
    try:
        run_id = con.execute("SELECT nextval('validation_run_seq')").fetchall()[0][0]
        con.execute(
            "INSERT INTO validation_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                run_id, load_id, last_id, checked.la, checked.year, datetime.now(), len(result.rules_run),
                len(result.skipped), checked.count, checked.children_affected, result.seconds,
                __version__,
            ],
        )
        # straight from the run's TEMP table: the findings never pass through Python
        con.execute(
            "INSERT INTO validation_findings BY NAME SELECT ?::INTEGER AS run_id, rule, tbl AS table_name, "
            "source_file, source_row, child, line, field, value, note FROM run_findings",
            [run_id],
        )
        con.executemany(
            "INSERT INTO validation_skipped VALUES (?, ?, ?)",
            [[run_id, code, why] for code, why in sorted(result.skipped.items())],
        )
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return run_id
