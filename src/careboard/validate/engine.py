"""Run every DfE rule that applies to a return's year, in one pass, and keep the findings.

All applicable rules are combined into one UNION ALL query so DuckDB plans and parallelises the
whole run at once; a rule whose inputs are absent (last year's return, Ofsted provider lists, the
SSDA903 a CIN census is cross-checked with) is skipped and the reason recorded, never silently
passed.  The same engine runs every kind of return: a ``Ruleset`` (ruleset.py) says which rules
and which views.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from careboard.returns.issues import Issue
from careboard.validate.context import prepare
from careboard.validate.rule import Rule
from careboard.validate.ruleset import SSDA903, Ruleset

FINDING_SCHEMA = pa.schema(
    [
        ("rule", pa.string()),
        ("tbl", pa.string()),
        ("source_file", pa.int16()),
        ("source_row", pa.int32()),
        ("child", pa.string()),
    ]
)


@dataclass
class ValidationResult:
    year: int
    la: str
    findings: pa.Table  # rule, tbl, source_file, source_row, child
    rules_run: list[str]
    skipped: dict[str, str]  # rule code -> why it was not run
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    kind: str = "ssda903"


def applicable(
    year: int,
    have_last_year: bool,
    have_providers: bool,
    ruleset: Ruleset = SSDA903,
    have_ssda903: bool = False,
    pseudonymised: bool = False,
) -> tuple[list[Rule], dict[str, str]]:
    """Rules to run for ``year`` and, for the listed rules not run, the reason."""
    implemented = ruleset.rules()
    run: list[Rule] = []
    skipped: dict[str, str] = {}
    for code, info in ruleset.catalogue().items():
        if not info.applies_to(ruleset.ruleset_year(year)):
            continue
        if code not in implemented:
            skipped[code] = ruleset.not_run.get(code, "not yet implemented in careboard")
        elif info.last_year == "required" and not have_last_year:
            skipped[code] = "needs last year's return (give --last-year or load it)"
        elif info.needs_providers and not have_providers:
            skipped[code] = "needs the Ofsted provider lists (give --providers)"
        elif info.needs_ssda903 and not have_ssda903:
            skipped[code] = "needs the SSDA903 return of the same year (give its files too, or load it)"
        elif pseudonymised and code in ruleset.identifier_rules:
            skipped[code] = "checks the form of an identifier, which a pseudonymised load replaced"
        else:
            run.append(implemented[code])
    return run, skipped


def _type_findings(rules: list[Rule], type_errors: list[Issue], file_index: dict[str, int]) -> pa.Table:
    """Findings for 'not a valid date'-style rules, from the cells the reader could not type.

    Per problem cell, not per child: these come from the reader's list, not from a table scan.
    A rule with ``invalid=("*", "*")`` takes every cell no other rule names.
    """
    by_cell = {r.invalid: r.code for r in rules if r.invalid is not None}
    anywhere = by_cell.get(("*", "*"))
    rows = [
        (by_cell.get((e.table, e.field), anywhere), e.table, file_index.get(e.file, 0), e.row, None)
        for e in type_errors
        if (e.table, e.field) in by_cell or anywhere is not None
    ]
    cols = list(zip(*rows, strict=True)) if rows else [[] for _ in FINDING_SCHEMA]
    return pa.table([pa.array(c, f.type) for c, f in zip(cols, FINDING_SCHEMA, strict=True)], schema=FINDING_SCHEMA)


def _invalid_cells(con: duckdb.DuckDBPyConnection, type_errors: list[Issue], file_index: dict[str, int]) -> None:
    """TEMP table invalid_cells(tbl, field, source_file, source_row): cells given but not readable.

    Such cells are NULL in the views, like blanks; rules that must tell "not given" from "given but
    unreadable" check this table.
    """
    table = pa.table(
        {
            "tbl": pa.array([e.table for e in type_errors], pa.string()),
            "field": pa.array([e.field for e in type_errors], pa.string()),
            "source_file": pa.array([file_index.get(e.file, 0) for e in type_errors], pa.int16()),
            "source_row": pa.array([e.row for e in type_errors], pa.int32()),
        }
    )
    con.register("invalid_cells_arrow", table)
    con.execute("CREATE OR REPLACE TEMP TABLE invalid_cells AS SELECT * FROM invalid_cells_arrow")
    con.unregister("invalid_cells_arrow")


def _with_children(con: duckdb.DuckDBPyConnection, found: pa.Table, ruleset: Ruleset) -> pa.Table:
    """Fill in the child of each finding from the row it points at (in the run's views)."""
    if found.num_rows == 0:
        return found
    con.register("type_findings", found)
    views, child = ruleset.views, ruleset.child
    try:
        parts = [
            f"SELECT f.rule, f.tbl, f.source_file, f.source_row, t.{child} AS child FROM type_findings f "
            f"LEFT JOIN {views[tbl]} t USING (source_file, source_row) WHERE f.tbl = '{tbl}'"
            for tbl in sorted(set(found["tbl"].to_pylist()))
            if tbl in views
        ]
        return con.sql(" UNION ALL ".join(parts)).to_arrow_table().cast(FINDING_SCHEMA)
    finally:
        con.unregister("type_findings")


def run_rules(
    con: duckdb.DuckDBPyConnection,
    load_id: int,
    year: int,
    la: str,
    last_load_id: int | None = None,
    type_errors: list[Issue] | None = None,
    providers: bool = False,
    only: list[str] | None = None,
    ruleset: Ruleset = SSDA903,
    ssda903_load_id: int | None = None,
    pseudonymised: bool = False,
) -> ValidationResult:
    """Run the rules for one loaded return (and its predecessor, if given).

    ``ruleset``: the kind of return (SSDA903 or CIN census); ``ssda903_load_id``: for a CIN
    census, the SSDA903 return of the same authority and year, for careboard's cross-checks.
    """
    started = time.perf_counter()
    prepare(con, load_id, last_load_id, year, la, ruleset, ssda903_load_id)
    rules, skipped = applicable(
        year, last_load_id is not None, providers, ruleset, ssda903_load_id is not None, pseudonymised
    )
    if only is not None:
        rules = [r for r in rules if r.code in only]
    queries = {r.code: r.query(ruleset.views, ruleset.child) for r in rules}
    parts = [
        f"SELECT '{r.code}' AS rule, tbl, source_file::SMALLINT AS source_file, "
        f"source_row::INTEGER AS source_row, child::VARCHAR AS child FROM ({queries[r.code]})"
        for r in rules
        if queries[r.code] is not None
    ]
    file_index = dict(con.execute("SELECT name, file_index FROM load_files WHERE load_id = ?", [load_id]).fetchall())
    _invalid_cells(con, type_errors or [], file_index)
    tables = [_with_children(con, _type_findings(rules, type_errors or [], file_index), ruleset)]
    if parts:
        sql = "SELECT DISTINCT * FROM (" + "\nUNION ALL\n".join(parts) + ") ORDER BY ALL"
        try:
            tables.append(con.sql(sql).to_arrow_table().cast(FINDING_SCHEMA))
        except duckdb.Error:
            # One rule's query failed: run them one by one so the others still report, and say
            # which rule could not run rather than passing it silently.
            for rule, part in zip([r for r in rules if queries[r.code] is not None], parts, strict=True):
                try:
                    tables.append(con.sql(f"SELECT DISTINCT * FROM ({part})").to_arrow_table().cast(FINDING_SCHEMA))
                except duckdb.Error as exc:
                    skipped[rule.code] = f"rule could not run: {str(exc).splitlines()[0]}"
            rules = [r for r in rules if r.code not in skipped]
    order = [("rule", "ascending"), ("tbl", "ascending"), ("source_row", "ascending")]
    findings = pa.concat_tables(tables).sort_by(order)
    return ValidationResult(
        year=year,
        la=la,
        findings=findings,
        rules_run=[r.code for r in rules],
        skipped=skipped,
        seconds=time.perf_counter() - started,
        kind=ruleset.kind,
    )
