"""Run every rule that applies to a return's year, in one pass, and keep the findings.

All applicable rules (the DfE's and careboard's own format checks) are combined into one UNION ALL
query so DuckDB plans and parallelises the whole run at once (the row rules of each table as one
scan of it, ``_parts``); the same statement names the child and the file line of every finding. A
rule whose inputs are absent (last year's return, Ofsted provider lists, the SSDA903 a CIN census is
cross-checked with) is skipped and the reason recorded, never silently passed. Findings stay in
DuckDB (a TEMP table, spooled to Parquet for the reports); only counts and a capped listing come
back to Python, so memory does not grow with the number of findings. The same engine runs every kind
of return: a ``Ruleset`` (ruleset.py) says which rules and which views.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from careboard.returns.conform import INVALID_SCHEMA
from careboard.validate.context import kind_sql, prepare
from careboard.validate.rule import Rule
from careboard.validate.ruleset import SSDA903, Ruleset
from careboard.validate.side_by_side import side_by_side

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


LISTED_PER_RULE = 1000  # findings of each rule a result keeps in memory (reports list these)


@dataclass
class ValidationResult:
    """What a run found.  Only counts and a capped listing are held in memory: every finding is
    spooled to a private Parquet file (``spool``), streamed from there by the CSV report, and
    removed when the result is dropped."""

    year: int
    la: str
    rules_run: list[str]
    skipped: dict[str, str]  # rule code -> why it was not run
    counts: dict[str, tuple[int, int]]  # rule -> (findings, children affected)
    total: int  # findings
    children: int  # children affected
    listing: pa.Table  # FINDING_SCHEMA: the first ``LISTED_PER_RULE`` findings of each rule, file order
    spool: Path | None = None  # every finding (FINDING_SCHEMA, file order)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    kind: str = "ssda903"  # the kind of return checked, as in loads.kind (ruleset.RULESETS)

    def batches(self, size: int = 65_536) -> Iterator[pa.RecordBatch]:
        """Every finding, in file order, a batch at a time."""
        if self.spool is None or self.total == 0:
            return
        for batch in pq.ParquetFile(self.spool).iter_batches(batch_size=size):
            yield pa.RecordBatch.from_arrays(
                [batch.column(n).cast(f.type) for n, f in zip(FINDING_SCHEMA.names, FINDING_SCHEMA, strict=True)],
                schema=FINDING_SCHEMA,
            )

    @property
    def findings(self) -> pa.Table:
        """Every finding as one table: for tests and small runs (reports stream ``batches``)."""
        return pa.Table.from_batches(list(self.batches()), schema=FINDING_SCHEMA)


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
    for code, info in ruleset.rule_list().items():
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


def _register(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table, shared: bool = False) -> None:
    """TEMP table ``name`` holding ``table`` (copied, so the Arrow data can be let go); an ordinary
    table when ``shared`` (``context.kind_sql``)."""
    con.register(f"{name}_arrow", table)
    con.execute(kind_sql(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_arrow", shared))
    con.unregister(f"{name}_arrow")


def _cells_tables(
    con: duckdb.DuckDBPyConnection, rules: list[Rule], invalid: pa.Table | None, invalid_last: pa.Table | None,
    shared: bool = False,
) -> None:
    """TEMP tables invalid_cells and invalid_cells_last (cells given but not readable: NULL in the
    views, like blanks, so rules that must tell "not given" from "given but unreadable" look here),
    and invalid_rule_cells: the (table, field)s a DfE 'is not a valid ...' rule reports."""
    _register(con, "invalid_cells", invalid if invalid is not None else INVALID_SCHEMA.empty_table(), shared)
    _register(con, "invalid_cells_last",
              invalid_last if invalid_last is not None else INVALID_SCHEMA.empty_table(), shared)
    covered = [r.invalid for r in rules if r.invalid is not None] + [c for r in rules for c in r.covers]
    _register(
        con, "invalid_rule_cells",
        pa.table({"tbl": [t for t, _ in covered], "field": [f for _, f in covered]},
                 schema=pa.schema([("tbl", pa.string()), ("field", pa.string())])),
        shared,
    )


def _all_rows(ruleset: Ruleset) -> str:
    """Every row of this return: table, place and child (to name the child of a cell finding)."""
    return "\nUNION ALL\n".join(
        f"SELECT '{name}' AS tbl, source_file, source_row, {ruleset.child} AS row_child FROM {view}"
        for name, view in ruleset.views.items()
    )


def _finish(union: str, ruleset: Ruleset) -> str:
    """The run's findings: distinct, with the child and file line filled in from the row they name."""
    return f"""
        WITH found AS (SELECT DISTINCT * FROM ({union})),
        need_child AS (SELECT DISTINCT tbl, source_file, source_row FROM found WHERE child IS NULL),
        children AS (SELECT r.* FROM ({_all_rows(ruleset)}) r JOIN need_child USING (tbl, source_file, source_row))
        SELECT f.rule, f.tbl, f.source_file, f.source_row, coalesce(f.line, l.line) AS line,
               coalesce(f.child, c.row_child) AS child, f.field, f.value, f.note
        FROM found f
        LEFT JOIN row_lines l
          ON l.table_name = f.tbl AND l.source_file = f.source_file AND l.source_row = f.source_row
        LEFT JOIN children c
          ON c.tbl = f.tbl AND c.source_file = f.source_file AND c.source_row = f.source_row
    """


def _part(rule: Rule, ruleset: Ruleset) -> str:
    return (
        f"SELECT '{rule.code}' AS rule, tbl::VARCHAR AS tbl, source_file::SMALLINT AS source_file, "
        "source_row::INTEGER AS source_row, line::INTEGER AS line, child::VARCHAR AS child, "
        "field::VARCHAR AS field, value::VARCHAR AS value, note::VARCHAR AS note "
        f"FROM ({rule.query(ruleset.views, ruleset.child)})"
    )


# A condition that holds its own query (``IN (SELECT ...)``, ``EXISTS``): its rule keeps a statement of
# its own in the run (measured: folding such rules in as well saves nothing).
_HAS_QUERY = re.compile(r"\bselect\b", re.IGNORECASE)


def _parts(rules: list[Rule], ruleset: Ruleset) -> list[str]:
    """The run's parts: one per rule, except that the ``table`` + ``where`` rules of each table (or
    table the run derives from it, ``Rule.view``) whose condition reads only the row are checked
    together, in one scan of it naming the rules whose condition holds (``CASE WHEN condition THEN
    code END`` for each, unnested; a NULL condition finds nothing, as in WHERE).  DuckDB then plans
    a dozen scans instead of well over a hundred: about a tenth of the CPU of the run's query, the
    same findings."""
    parts: list[str] = []
    together: dict[tuple[str, str], list[Rule]] = {}
    for rule in rules:
        if rule.where is not None and rule.table is not None and not _HAS_QUERY.search(rule.where):
            together.setdefault((rule.table, rule.view or ruleset.views[rule.table]), []).append(rule)
        else:
            parts.append(_part(rule, ruleset))
    for (table, view), group in together.items():
        if len(group) == 1:
            parts.append(_part(group[0], ruleset))
            continue
        codes = ", ".join(f"CASE WHEN ({r.where}) THEN '{r.code}' END" for r in group)
        parts.append(
            "SELECT found_rule AS rule, "
            f"'{table}'::VARCHAR AS tbl, source_file::SMALLINT AS source_file, source_row::INTEGER AS source_row, "
            f"NULL::INTEGER AS line, {ruleset.child}::VARCHAR AS child, NULL::VARCHAR AS field, "
            "NULL::VARCHAR AS value, NULL::VARCHAR AS note "
            f"FROM (SELECT *, unnest([{codes}]) AS found_rule FROM {view}) "
            "WHERE found_rule IS NOT NULL"
        )
    return parts


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
    ruleset: Ruleset = SSDA903,
    ssda903_load_id: int | None = None,
    pseudonymised: bool = False,
    prepared: bool = False,
    shared: bool = False,
) -> ValidationResult:
    """Run the rules for one loaded return (and its predecessor, if given).

    ``invalid`` / ``invalid_last``: the cells the reader could not type in this year's and last
    year's return (``ParsedReturn.invalid_cells``; a loaded return has none).  The findings are left
    in the TEMP table ``run_findings`` (the caller may store them) and spooled to Parquet.
    ``ruleset``: the kind of return (SSDA903 or CIN census); ``ssda903_load_id``: for a CIN census,
    the SSDA903 return of the same authority and year, for careboard's cross-checks;
    ``pseudonymised``: the load's identifiers were replaced, so rules on their form are not run;
    ``prepared``: ``context.prepare`` has just been run for these loads on this connection (a profile
    timing the two apart), so it is not run again; ``shared``: the connection's database is private
    to this run (files checked in memory), so the run's tables are made ordinary tables of it and the
    rules' query is run in two halves on two connections at once (``_run_in_halves``).
    """
    started = time.perf_counter()
    if not prepared:
        prepare(con, load_id, last_load_id, year, la, ruleset, ssda903_load_id, shared)
    rules, skipped = applicable(
        year, last_load_id is not None, providers, ruleset, ssda903_load_id is not None, pseudonymised
    )
    _cells_tables(con, rules, invalid, invalid_last, shared)
    if only is not None:
        rules = [r for r in rules if r.code in only]
    con.execute(_RUN_FINDINGS)
    if rules:
        with _planning(con):
            try:
                if shared and len(rules) > 1:
                    _run_in_halves(con, _parts(rules, ruleset), ruleset)
                else:
                    union = "\nUNION ALL\n".join(_parts(rules, ruleset))
                    con.execute("INSERT INTO run_findings " + _finish(union, ruleset))
            except duckdb.Error:
                con.execute(_RUN_FINDINGS)  # a half may have been kept before the other failed
                # One rule's query failed: run them one by one so the others still report, and say
                # which rule could not run rather than passing it silently.
                for rule in rules:
                    try:
                        con.execute("INSERT INTO run_findings " + _finish(_part(rule, ruleset), ruleset))
                    except duckdb.Error as exc:
                        skipped[rule.code] = f"rule could not run: {str(exc).splitlines()[0]}"
                rules = [r for r in rules if r.code not in skipped]
    counts = {r: (n, c) for r, n, c in con.execute(
        "SELECT rule, count(*), count(DISTINCT child) FROM run_findings GROUP BY rule").fetchall()}
    (total, children), = con.execute("SELECT count(*), count(DISTINCT child) FROM run_findings").fetchall()
    listing = con.sql(
        f"""
        SELECT * EXCLUDE (n) FROM (
            SELECT *, row_number() OVER (PARTITION BY rule ORDER BY {_FILE_ORDER}) AS n FROM run_findings)
        WHERE n <= {int(LISTED_PER_RULE)} ORDER BY {_FILE_ORDER}
        """
    ).to_arrow_table().cast(FINDING_SCHEMA)
    result = ValidationResult(
        year=year, la=la, rules_run=[r.code for r in rules], skipped=skipped, counts=counts, total=total,
        children=children, listing=listing, kind=ruleset.kind,
    )
    if total:
        result.spool = _spool(con, result)
    result.seconds = time.perf_counter() - started
    return result


# Optimizer passes that cost more to plan the run's one large query than they save running it:
# DuckDB's projection pull-up alone took most of the optimizer's time on the run's query of some 300
# rules (its profiler, profiling_mode 'detailed'), more than running the query over tables of a few
# thousand rows.
_SLOW_TO_PLAN = ("projection_pullup",)


@contextmanager
def _planning(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Leave out ``_SLOW_TO_PLAN`` for the run's query, then restore the connection's setting."""
    (before,) = con.execute("SELECT current_setting('disabled_optimizers')").fetchone()
    chosen = sorted({p.strip() for p in str(before or "").split(",") if p.strip()} | set(_SLOW_TO_PLAN))
    try:
        con.execute(f"SET disabled_optimizers = '{','.join(chosen)}'")
    except duckdb.Error:  # a DuckDB without that pass: plan as it does
        yield
        return
    try:
        yield
    finally:
        con.execute(f"SET disabled_optimizers = '{before or ''}'")


# The share of the rules' parts in the first half: the later parts cost more to plan and run (the
# first 60 % took as long as the rest on both bench returns; an even split left one half 0.25 s and
# the other 0.42 s on the 20,000-child return).
_FIRST_SHARE = 0.6


def _run_in_halves(con: duckdb.DuckDBPyConnection, parts: list[str], ruleset: Ruleset) -> None:
    """The rules' one query as two queries of half the rules each, one on ``con`` and one on a second
    connection to its database, at once.  Planning the query of some 300 rules takes DuckDB one core
    (about 0.4 s for a 20,000-child return) and it releases Python's lock while it works, so two
    halves planned and run side by side finish sooner on two cores, for about the same CPU (measured:
    bench/validate.py).  The second half's findings are kept in an ordinary table (``con``'s
    ``run_findings`` is TEMP, its own) and added to ``run_findings``; every reader orders them."""
    half = round(len(parts) * _FIRST_SHARE)

    def second(other: duckdb.DuckDBPyConnection) -> None:
        with _planning(other):
            other.execute("CREATE OR REPLACE TABLE run_findings_half AS "
                          + _finish("\nUNION ALL\n".join(parts[half:]), ruleset))

    def first(c: duckdb.DuckDBPyConnection) -> None:
        c.execute("INSERT INTO run_findings " + _finish("\nUNION ALL\n".join(parts[:half]), ruleset))

    side_by_side(con, second, first, "careboard-rules-half")
    con.execute("INSERT INTO run_findings SELECT * FROM run_findings_half")
    con.execute("DROP TABLE run_findings_half")


_FILE_ORDER = "tbl, source_file, source_row, rule, field, value"
_RUN_FINDINGS = """
    CREATE OR REPLACE TEMP TABLE run_findings (
        rule VARCHAR, tbl VARCHAR, source_file SMALLINT, source_row INTEGER, line INTEGER, child VARCHAR,
        field VARCHAR, value VARCHAR, note VARCHAR)
"""


def _spool(con: duckdb.DuckDBPyConnection, result: ValidationResult) -> Path:
    """Every finding, in file order, to a Parquet file in a private folder (DuckDB streams it)."""
    folder = Path(tempfile.mkdtemp(prefix="careboard-findings-"))
    weakref.finalize(result, shutil.rmtree, folder, True)
    path = folder / "findings.parquet"
    con.execute(f"COPY (SELECT * FROM run_findings ORDER BY {_FILE_ORDER}) TO '{path}' (FORMAT parquet)")
    return path
