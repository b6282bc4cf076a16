"""Validate a return: from files (nothing kept) or as loaded in the store (findings kept).

Files are read leniently (values that cannot be typed become findings of the DfE validity rules,
not a refusal), loaded into a private in-memory database with last year's return if given, and
checked.  A loaded return is checked where it lies and its findings are stored for the web app and
the member pack.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from careboard import __version__, authorities, years
from careboard.progress import SILENT, Progress
from careboard.returns.issues import Issue, ReturnError
from careboard.returns.reader import ParsedReturn, read_returns
from careboard.store import db as store_db
from careboard.store.load import load_returns
from careboard.validate.catalogue import dfe_rules
from careboard.validate.engine import ValidationResult, run_rules
from careboard.validate.providers import load_provider_lists


@dataclass
class Checked:
    """A validation result with everything needed to report it."""

    result: ValidationResult
    la: str
    year: int
    findings: list[dict]  # rule, message, table, file, line, child
    run_id: int | None = None

    @property
    def children_affected(self) -> int:
        return len({f["child"] for f in self.findings if f["child"]})


def _one_ssda903(rets: list[ParsedReturn], what: str) -> ParsedReturn:
    found = [r for r in rets if r.kind == "ssda903"]
    if len(found) != 1:
        raise ReturnError([Issue(what, f"expected one SSDA903 return, found {len(found)}")])
    return found[0]


def _describe(con: duckdb.DuckDBPyConnection, result: ValidationResult, load_id: int) -> list[dict]:
    files = dict(con.execute("SELECT file_index, name FROM load_files WHERE load_id = ?", [load_id]).fetchall())
    messages = {code: info.message for code, info in dfe_rules().items()}
    rows = result.findings.to_pylist()
    return [
        {
            "rule": r["rule"],
            "message": messages[r["rule"]],
            "table": r["tbl"],
            "file": files.get(r["source_file"], ""),
            "line": r["source_row"],
            "child": r["child"],
        }
        for r in rows
    ]


def validate_files(
    paths: list[Path],
    la: str | None,
    year: int | None,
    last_year: list[Path] | None = None,
    providers: list[Path] | None = None,
    progress: Progress = SILENT,
) -> Checked:
    """Check return files without keeping them anywhere."""
    ret = _one_ssda903(read_returns(paths, la, year, strict=False, progress=progress), "the files given")
    con = store_db.connect(":memory:")
    try:
        (outcome,) = load_returns(con, [ret], progress=progress)
        have_providers = bool(providers) and load_provider_lists(con, providers) >= 0
        last_id = None
        if last_year:
            prev = _one_ssda903(
                read_returns(last_year, ret.authority.code, ret.year - 1, strict=False), "--last-year"
            )
            (prev_outcome,) = load_returns(con, [prev])
            last_id = prev_outcome.load_id
        progress.begin(f"Running the DfE rules for {years.label(ret.year)}")
        result = run_rules(
            con, outcome.load_id, ret.year, ret.authority.code, last_id, ret.type_errors, providers=have_providers
        )
        progress.begin(f"Listing {result.findings.num_rows:,} findings")
        findings = _describe(con, result, outcome.load_id)
    finally:
        con.close()
    return Checked(result, ret.authority.code, ret.year, findings)


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
    progress.begin(f"Listing {result.findings.num_rows:,} findings")
    findings = _describe(con, result, load_id)
    checked = Checked(result, code, year, findings)
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
                len(result.skipped), result.findings.num_rows, checked.children_affected, result.seconds,
                __version__,
            ],
        )
        f = result.findings
        con.register(
            "findings_arrow",
            pa.table(
                {
                    "run_id": pa.array([run_id] * f.num_rows, pa.int32()),
                    "rule": f["rule"],
                    "table_name": f["tbl"],
                    "source_file": f["source_file"],
                    "source_row": f["source_row"],
                    "child": f["child"],
                }
            ),
        )
        con.execute("INSERT INTO validation_findings SELECT * FROM findings_arrow")
        con.unregister("findings_arrow")
        con.executemany(
            "INSERT INTO validation_skipped VALUES (?, ?, ?)",
            [[run_id, code, why] for code, why in sorted(result.skipped.items())],
        )
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return run_id
