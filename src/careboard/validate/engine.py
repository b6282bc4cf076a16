"""Run every rule that applies to a return's year, in one pass, and keep the findings.

All applicable rules (the DfE's and careboard's own format checks) are combined into one UNION ALL
query so DuckDB plans and parallelises the whole run at once; the same statement names the child
and the file line of every finding.  A rule whose inputs are absent (last year's return, Ofsted
provider lists) is skipped and the reason recorded, never silently passed.  Findings come back as
one Arrow table (compact, however many there are); nothing here builds a Python object per finding.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from careboard.returns.conform import INVALID_SCHEMA
from careboard.validate.catalogue import all_rules_info
from careboard.validate.context import prepare
from careboard.validate.rule import NOT_RUN, VIEW_NAMES, Rule, all_rules

FINDING_SCHEMA = pa.schema(
    [
        ("rule", pa.string()),
        ("tbl", pa.string()),
        ("source_file", pa.int16()),
        ("source_row", pa.int32()),  # 1-based data row (CSV) or record (XML); 0 = the whole file
        ("line", pa.int32()),  # physical line in the file, where known
        ("child", pa.string()),
        ("field", pa.string()),  # the cell, value found and what careboard did: careboard's own
        ("value", pa.string()),  # checks and 'not a valid date' rules say; other DfE rules leave
        ("note", pa.string()),  # them blank
    ]
)


@dataclass
class ValidationResult:
    year: int
    la: str
    findings: pa.Table  # FINDING_SCHEMA, ordered by table, file, row, rule
    rules_run: list[str]
    skipped: dict[str, str]  # rule code -> why it was not run
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


def applicable(year: int, have_last_year: bool, have_providers: bool) -> tuple[list[Rule], dict[str, str]]:
    """Rules to run for ``year`` and, for the rules not run, the reason."""
    implemented = all_rules()
    run: list[Rule] = []
    skipped: dict[str, str] = {}
    for code, info in all_rules_info().items():
        if not info.applies_to(year):
            continue
        if code not in implemented:
            skipped[code] = NOT_RUN.get(code, "not yet implemented in careboard")
        elif info.last_year == "required" and not have_last_year:
            skipped[code] = "needs last year's return (give --last-year or load it)"
        elif info.needs_providers and not have_providers:
            skipped[code] = "needs the Ofsted provider lists (give --providers)"
        else:
            run.append(implemented[code])
    return run, skipped


def _register(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    """TEMP table ``name`` holding ``table`` (copied, so the Arrow data can be let go)."""
    con.register(f"{name}_arrow", table)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
    con.unregister(f"{name}_arrow")


def _cells_tables(
    con: duckdb.DuckDBPyConnection, rules: list[Rule], invalid: pa.Table | None, invalid_last: pa.Table | None
) -> None:
    """TEMP tables invalid_cells and invalid_cells_last (cells given but not readable: NULL in the
    views, like blanks, so rules that must tell "not given" from "given but unreadable" look here),
    and invalid_rule_cells: the (table, field)s a DfE 'is not a valid ...' rule reports."""
    _register(con, "invalid_cells", invalid if invalid is not None else INVALID_SCHEMA.empty_table())
    _register(con, "invalid_cells_last", invalid_last if invalid_last is not None else INVALID_SCHEMA.empty_table())
    covered = [r.invalid for r in rules if r.invalid is not None] + [c for r in rules for c in r.covers]
    _register(
        con, "invalid_rule_cells",
        pa.table({"tbl": [t for t, _ in covered], "field": [f for _, f in covered]},
                 schema=pa.schema([("tbl", pa.string()), ("field", pa.string())])),
    )


def _all_rows() -> str:
    """Every row of this return: table, place and child (to name the child of a cell finding)."""
    return "\nUNION ALL\n".join(
        f"SELECT '{name}' AS tbl, source_file, source_row, CHILD AS row_child FROM {view}"
        for name, view in VIEW_NAMES.items()
    )


def _finish(union: str) -> str:
    """The run's findings: distinct, with the child and file line filled in from the row they name."""
    return f"""
        WITH found AS (SELECT DISTINCT * FROM ({union})),
        need_child AS (SELECT DISTINCT tbl, source_file, source_row FROM found WHERE child IS NULL),
        children AS (SELECT r.* FROM ({_all_rows()}) r JOIN need_child USING (tbl, source_file, source_row))
        SELECT f.rule, f.tbl, f.source_file, f.source_row, coalesce(f.line, l.line) AS line,
               coalesce(f.child, c.row_child) AS child, f.field, f.value, f.note
        FROM found f
        LEFT JOIN row_lines l
          ON l.table_name = f.tbl AND l.source_file = f.source_file AND l.source_row = f.source_row
        LEFT JOIN children c
          ON c.tbl = f.tbl AND c.source_file = f.source_file AND c.source_row = f.source_row
        ORDER BY f.tbl, f.source_file, f.source_row, f.rule, f.field, f.value
    """


def _part(rule: Rule) -> str:
    return (
        f"SELECT '{rule.code}' AS rule, tbl::VARCHAR AS tbl, source_file::SMALLINT AS source_file, "
        "source_row::INTEGER AS source_row, line::INTEGER AS line, child::VARCHAR AS child, "
        f"field::VARCHAR AS field, value::VARCHAR AS value, note::VARCHAR AS note FROM ({rule.query()})"
    )


def run_rules(
    con: duckdb.DuckDBPyConnection,
    load_id: int,
    year: int,
    la: str,
    last_load_id: int | None = None,
    invalid: pa.Table | None = None,
    invalid_last: pa.Table | None = None,
    providers: bool = False,
    only: list[str] | None = None,
) -> ValidationResult:
    """Run the rules for one loaded return (and its predecessor, if given).

    ``invalid`` / ``invalid_last``: the cells the reader could not type in this year's and last
    year's return (``ParsedReturn.invalid_cells``; a loaded return has none).
    """
    started = time.perf_counter()
    prepare(con, load_id, last_load_id, year, la)
    rules, skipped = applicable(year, last_load_id is not None, providers)
    _cells_tables(con, rules, invalid, invalid_last)
    if only is not None:
        rules = [r for r in rules if r.code in only]
    parts = [_part(r) for r in rules]
    tables = []
    if parts:
        try:
            tables.append(con.sql(_finish("\nUNION ALL\n".join(parts))).to_arrow_table().cast(FINDING_SCHEMA))
        except duckdb.Error:
            # One rule's query failed: run them one by one so the others still report, and say
            # which rule could not run rather than passing it silently.
            for rule, part in zip(rules, parts, strict=True):
                try:
                    tables.append(con.sql(_finish(part)).to_arrow_table().cast(FINDING_SCHEMA))
                except duckdb.Error as exc:
                    skipped[rule.code] = f"rule could not run: {str(exc).splitlines()[0]}"
            rules = [r for r in rules if r.code not in skipped]
    findings = pa.concat_tables(tables) if tables else FINDING_SCHEMA.empty_table()
    return ValidationResult(
        year=year,
        la=la,
        findings=findings,
        rules_run=[r.code for r in rules],
        skipped=skipped,
        seconds=time.perf_counter() - started,
    )
