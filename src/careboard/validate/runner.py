"""Validate a return: from files (nothing kept) or as loaded in the store (findings kept).

Files are read leniently (values that cannot be typed become findings of the DfE validity rules,
not a refusal), loaded into a private in-memory database with last year's return if given, and
checked.  A loaded return is checked where it lies and its findings are stored for the web app and
the member pack.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from careboard import __version__, authorities, years
from careboard.returns.issues import Issue, ReturnError
from careboard.returns.reader import ParsedReturn, read_returns
from careboard.store import db as store_db
from careboard.store.load import load_returns
from careboard.validate import intake
from careboard.validate.catalogue import all_rules_info
from careboard.validate.engine import ValidationResult, run_rules
from careboard.validate.providers import load_provider_lists


@dataclass
class Checked:
    """A validation result with everything needed to report it.

    The findings stay one Arrow table (``table``) however many there are; ``findings`` (one dict
    per finding) is built only when asked, for small consumers such as the upload page.
    """

    result: ValidationResult
    la: str
    year: int
    files: dict[int, str]  # file index -> file name
    run_id: int | None = None

    @property
    def count(self) -> int:
        return self.result.findings.num_rows

    @cached_property
    def table(self) -> pa.Table:
        """One row per finding: rule, source ('DfE' or 'careboard'), message, table, file, row, line,
        field, child, value, note.  ``row`` 0 is the whole file."""
        f = self.result.findings
        info = all_rules_info()
        codes = pc.unique(f["rule"])
        at = pc.index_in(f["rule"], codes)
        messages = pa.array([info[c].message if c in info else "" for c in codes.to_pylist()], pa.string())
        sources = pa.array([info[c].source if c in info else "" for c in codes.to_pylist()], pa.string())
        file_codes = pc.unique(f["source_file"])
        file_at = pc.index_in(f["source_file"], file_codes)
        names = pa.array([self.files.get(i, "") for i in file_codes.to_pylist()], pa.string())
        return pa.table(
            {
                "rule": f["rule"],
                "source": sources.take(at),
                "message": messages.take(at),
                "table": f["tbl"],
                "file": names.take(file_at),
                "row": f["source_row"],
                "line": f["line"],
                "field": f["field"],
                "child": f["child"],
                "value": f["value"],
                "note": f["note"],
            }
        )

    @cached_property
    def findings(self) -> list[dict]:
        return self.table.to_pylist()

    @cached_property
    def children_affected(self) -> int:
        return pc.count_distinct(self.result.findings["child"]).as_py()


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
) -> Checked:
    """Check return files without keeping them anywhere.

    Files that are not a return (see ``intake``) are refused before any rule runs.
    """
    ret = _one_ssda903(read_returns(paths, la, year, strict=False), "the files given")
    intake.check(ret)
    prev = None
    if last_year:
        prev = _one_ssda903(read_returns(last_year, ret.authority.code, ret.year - 1, strict=False), "--last-year")
        intake.check(prev)
    con = store_db.connect(":memory:")
    try:
        (outcome,) = load_returns(con, [ret])
        have_providers = bool(providers) and load_provider_lists(con, providers) >= 0
        last_id = None
        if prev is not None:
            (prev_outcome,) = load_returns(con, [prev])
            last_id = prev_outcome.load_id
        result = run_rules(
            con, outcome.load_id, ret.year, ret.authority.code, last_id, ret.invalid_cells,
            prev.invalid_cells if prev is not None else None, providers=have_providers,
        )
        files = _files(con, outcome.load_id)
    finally:
        con.close()
    return Checked(result, ret.authority.code, ret.year, files)


class NotLoaded(LookupError):
    """No loaded return for the authority and year asked for."""


def validate_loaded(
    con: duckdb.DuckDBPyConnection, la: str, year: int, providers: list[Path] | None = None
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
    result = run_rules(con, load_id, year, code, last_id, providers=have_providers)
    checked = Checked(result, code, year, _files(con, load_id))
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
        con.register("findings_arrow", result.findings)
        con.execute(
            "INSERT INTO validation_findings BY NAME SELECT ?::INTEGER AS run_id, rule, tbl AS table_name, "
            "source_file, source_row, child, line, field, value, note FROM findings_arrow",
            [run_id],
        )
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
