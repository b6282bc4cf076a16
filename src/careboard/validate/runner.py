"""Validate a return: from files (nothing kept) or as loaded in the store (findings kept).

Files are read leniently (values that cannot be typed become findings of the DfE validity rules,
not a refusal), loaded into a private in-memory database with last year's return if given, and
checked.  A loaded return is checked where it lies and its findings are stored for the web app and
the member pack.  SSDA903 returns and CIN censuses go through the same engine with their own
rulesets; a CIN census is cross-checked with the SSDA903 return of the same authority and year
when that is given (or loaded).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from careboard import __version__, authorities, years
from careboard.returns.issues import Issue, ReturnError
from careboard.returns.reader import ParsedReturn, read_returns
from careboard.store import db as store_db
from careboard.store.load import load_returns
from careboard.validate.engine import ValidationResult, run_rules
from careboard.validate.providers import load_provider_lists
from careboard.validate.ruleset import LAST_YEAR_PREFIX, RULESETS, SSDA903_PREFIX


@dataclass
class Checked:
    """A validation result with everything needed to report it."""

    result: ValidationResult
    la: str
    year: int
    findings: list[dict]  # rule, message, table, file, line, child
    run_id: int | None = None
    kind: str = "ssda903"

    @property
    def children_affected(self) -> int:
        return len({f["child"] for f in self.findings if f["child"]})

    @property
    def label(self) -> str:
        """How the return is named: 'SSDA903' or 'CIN census'."""
        return RULESETS[self.kind].label


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


def _describe(
    con: duckdb.DuckDBPyConnection,
    result: ValidationResult,
    load_id: int,
    last_id: int | None = None,
    ssda903_id: int | None = None,
) -> list[dict]:
    """Each finding with the DfE's wording for the year and the file it is in.

    Rows of last year's return (``Last year: ...``) or of the SSDA903 a CIN census is cross-checked
    with (``SSDA903: ...``) are in those returns' files.
    """

    def names(load: int | None) -> dict[int, str]:
        if load is None:
            return {}
        return dict(con.execute("SELECT file_index, name FROM load_files WHERE load_id = ?", [load]).fetchall())

    files = names(load_id)
    other = {LAST_YEAR_PREFIX: names(last_id), SSDA903_PREFIX: names(ssda903_id)}
    ruleset = RULESETS[result.kind]
    wording_year = ruleset.ruleset_year(result.year)
    messages = {code: info.message_for(wording_year) for code, info in ruleset.catalogue().items()}

    def file_of(table: str, index: int) -> str:
        for prefix, found in other.items():
            if table.startswith(prefix):
                return found.get(index, "")
        return files.get(index, "")

    return [
        {
            "rule": r["rule"],
            "message": messages[r["rule"]],
            "table": r["tbl"],
            "file": file_of(r["tbl"], r["source_file"]),
            "line": r["source_row"],
            "child": r["child"],
        }
        for r in result.findings.to_pylist()
    ]


def validate_all_files(
    paths: list[Path],
    la: str | None,
    year: int | None,
    last_year: list[Path] | None = None,
    providers: list[Path] | None = None,
    kinds: list[str] | None = None,
) -> list[Checked]:
    """Check every return in the files (SSDA903, CIN census) without keeping them anywhere.

    A CIN census is cross-checked with an SSDA903 return among the files for the same authority
    and year.  ``kinds``: only these kinds of return.
    """
    found = _one_per_kind(read_returns(paths, la, year, strict=False), "the files given")
    if kinds is not None:
        found = {k: r for k, r in found.items() if k in kinds}
    if not found:
        wanted = " or ".join(RULESETS[k].label for k in (kinds or list(RULESETS)))
        raise ReturnError([Issue("the files given", f"expected one {wanted} return, found 0")])
    con = store_db.connect(":memory:")
    try:
        outcomes = {o.ret.kind: o for o in load_returns(con, list(found.values()))}
        have_providers = bool(providers) and load_provider_lists(con, providers) >= 0
        last_ids: dict[str, int] = {}
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
            last_ids = {o.ret.kind: o.load_id for o in load_returns(con, list(prev.values()))}
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
            result = run_rules(
                con, outcomes[kind].load_id, ret.year, ret.authority.code, last_id, ret.type_errors,
                providers=have_providers, ruleset=RULESETS[kind], ssda903_load_id=cross,
            )
            findings = _describe(con, result, outcomes[kind].load_id, last_id, cross)
            checked.append(Checked(result, ret.authority.code, ret.year, findings, kind=kind))
    finally:
        con.close()
    return checked


def validate_files(
    paths: list[Path],
    la: str | None,
    year: int | None,
    last_year: list[Path] | None = None,
    providers: list[Path] | None = None,
    kind: str | None = None,
) -> Checked:
    """Check the return of ``kind`` in the files; by default the one return they hold, or the SSDA903
    when they hold an SSDA903 return and a CIN census too (the web upload's single report).  To check
    and report every return, use :func:`validate_all_files`."""
    checked = validate_all_files(paths, la, year, last_year, providers, [kind] if kind else None)
    return next((c for c in checked if c.kind == "ssda903"), checked[0])


class NotLoaded(LookupError):
    """No loaded return for the authority and year asked for."""


def _current(con: duckdb.DuckDBPyConnection, kind: str, la: str, year: int) -> int | None:
    row = next(iter(con.execute(
        "SELECT load_id FROM loads WHERE kind = ? AND la = ? AND year = ? AND status = 'current'",
        [kind, la, year],
    ).fetchall()), None)
    return row[0] if row else None


def validate_loaded(
    con: duckdb.DuckDBPyConnection, la: str, year: int, providers: list[Path] | None = None,
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
    have_providers = bool(providers) and load_provider_lists(con, providers) >= 0
    (pseudonymised,) = con.execute("SELECT pseudonymised FROM loads WHERE load_id = ?", [load_id]).fetchone()
    result = run_rules(con, load_id, year, code, last_id, providers=have_providers, ruleset=ruleset,
                       ssda903_load_id=cross, pseudonymised=pseudonymised)
    findings = _describe(con, result, load_id, last_id, cross)
    checked = Checked(result, code, year, findings, kind=kind)
    checked.run_id = _store(con, checked, load_id, last_id)
    return checked


def validate_loaded_all(
    con: duckdb.DuckDBPyConnection, la: str, year: int, providers: list[Path] | None = None,
    kinds: list[str] | None = None,
) -> list[Checked]:
    """Check every loaded return of ``la`` and ``year`` (or only ``kinds``); store the findings."""
    code = authorities.resolve(la).code
    chosen = kinds or [k for k in RULESETS if _current(con, k, code, year) is not None]
    if not chosen:
        raise NotLoaded(f"no SSDA903 or CIN census return for {code} {years.label(year)} is loaded "
                        "(careboard load ...)")
    return [validate_loaded(con, code, year, providers, kind) for kind in chosen]


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
