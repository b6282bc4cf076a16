"""Validation reports for the people who fix the data: by rule (what is most wrong) and by child
(work through one case record at a time).  CSV for tools, an Excel workbook and an HTML page for
people.

Every report gives each finding's ``row`` (the data row: row 1 is the first row under the header;
the record number in XML) and ``line`` (the physical line in the file, counting the header), as
``careboard load`` names places: "row 5 (line 6)".  careboard's own checks (codes ``CB-...``) are
listed beside the DfE rules and labelled as careboard's, with the field and the value found.  An
SSDA903 return and a CIN census are reported the same way, each with its own rule list.

Size is bounded: the CSV is written in batches streamed from the run's spool (every finding); the
workbook and the page list at most ``LISTED_PER_RULE`` findings of each rule and show every rule's
exact count.  Every cell a spreadsheet would run as a formula is neutralised
(``careboard.safe_export``).
"""

from __future__ import annotations

import io
from importlib import resources
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from careboard import authorities, safe_export, years
from careboard.validate import engine
from careboard.validate.ruleset import RULESETS
from careboard.validate.runner import Checked

CSV_COLUMNS = ["table", "file", "row", "line", "field", "child", "rule", "source", "message", "found", "detail"]
LISTED_PER_RULE = engine.LISTED_PER_RULE
_BATCH = 65_536


def by_rule(checked: Checked) -> list[dict]:
    """One row per rule that fired: findings and children affected (exact), most findings first."""
    ruleset = RULESETS[checked.kind]
    info, wording_year = ruleset.rule_list(), ruleset.ruleset_year(checked.year)
    rows = [
        {"rule": code, "source": info[code].source if code in info else "",
         "message": info[code].message_for(wording_year) if code in info else "", "findings": n,
         "children": children}
        for code, (n, children) in checked.result.counts.items()
    ]
    return sorted(rows, key=lambda r: (-r["findings"], r["rule"]))


def listed(checked: Checked, per_rule: int = LISTED_PER_RULE) -> pa.Table:
    """The findings a workbook or page lists: the first ``per_rule`` of each rule (in file order),
    ordered by child, table, row and rule."""
    con = duckdb.connect()
    try:
        con.register("findings", checked.listing)
        return con.sql(
            """
            SELECT * EXCLUDE (n) FROM (
                SELECT *, row_number() OVER (PARTITION BY rule ORDER BY "table", file, "row", field, value) AS n
                FROM findings)
            WHERE n <= ?
            ORDER BY child NULLS LAST, "table", "row", rule, field
            """,
            params=[min(per_rule, engine.LISTED_PER_RULE)],
        ).to_arrow_table()
    finally:
        con.close()


def by_child(checked: Checked, per_rule: int = LISTED_PER_RULE) -> list[dict]:
    """One entry per child with their listed findings in file order; children with most findings first."""
    groups: dict[str, list[dict]] = {}
    for f in listed(checked, per_rule).to_pylist():
        groups.setdefault(f["child"] or "(no child ID)", []).append(f)
    entries = [{"child": child, "findings": fs} for child, fs in groups.items()]
    return sorted(entries, key=lambda e: (-len(e["findings"]), e["child"]))


def _csv_batch(batch: pa.Table) -> pa.Table:
    """One batch of findings in the CSV's columns, every text cell neutralised."""
    row = batch.column("row")
    columns = {
        "table": batch.column("table"),
        "file": batch.column("file"),
        "row": pc.if_else(pc.equal(row, 0), pa.scalar(None, row.type), row),  # 0: the whole file
        "line": batch.column("line"),
        "field": batch.column("field"),
        "child": batch.column("child"),
        "rule": batch.column("rule"),
        "source": batch.column("source"),
        "message": batch.column("message"),
        "found": batch.column("value"),
        "detail": batch.column("note"),
    }
    return pa.table([safe_export.csv_text_column(_plain(c)) for c in columns.values()], names=CSV_COLUMNS)


def _plain(values: pa.ChunkedArray) -> pa.ChunkedArray:
    """Dictionary-encoded text decoded (one batch at a time) for the CSV writer."""
    return values.cast(pa.string()) if pa.types.is_dictionary(values.type) else values


def write_csv(checked: Checked, path: Path) -> None:
    """Every finding, one per line, in file order: ``table,file,row,line,field,child,rule,source,
    message,found,detail`` (``row`` blank for a finding about the whole file)."""
    schema = _csv_batch(checked.describe(engine.FINDING_SCHEMA.empty_table())).schema
    with path.open("wb") as f:
        f.write((",".join(CSV_COLUMNS) + "\n").encode())
        with pacsv.CSVWriter(f, schema, write_options=pacsv.WriteOptions(include_header=False)) as writer:
            for batch in checked.batches(_BATCH):
                writer.write_table(_csv_batch(batch))


def write_xlsx(checked: Checked, path: Path, per_rule: int = LISTED_PER_RULE) -> None:
    """A workbook with a sheet by child, a sheet by rule (exact counts) and a sheet of rules not run."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)

    def sheet(title: str, header: list[str]):
        ws = wb.create_sheet(title)
        ws.freeze_panes = "A2"
        cells = []
        for h in header:
            c = WriteOnlyCell(ws, value=h)
            c.font = Font(bold=True)
            cells.append(c)
        ws.append(cells)
        return ws

    ws = sheet("By child", ["Child", "Table", "File", "Row", "Line", "Field", "Rule", "Source", "Message",
                            "Found", "Detail"])
    for entry in by_child(checked, per_rule):
        for f in entry["findings"]:
            ws.append(safe_export.xlsx_row(ws, [
                entry["child"], f["table"], f["file"], f["row"] or None, f["line"], f["field"],
                f["rule"], f["source"], f["message"], f["value"], f["note"],
            ]))
    rules = sheet("By rule", ["Rule", "Source", "Message", "Findings", "Children affected", "Listed in this workbook"])
    for r in by_rule(checked):
        rules.append(safe_export.xlsx_row(rules, [
            r["rule"], r["source"], r["message"], r["findings"], r["children"], min(r["findings"], per_rule),
        ]))
    skipped = sheet("Rules not run", ["Rule", "Why not run"])
    for code, why in sorted(checked.result.skipped.items()):
        skipped.append(safe_export.xlsx_row(skipped, [code, why]))
    # Saved in memory, then written: a path that cannot be written fails once, cleanly, after the workbook is
    # finished (saving to it directly left openpyxl's streamed sheets half-closed, each reporting an error).
    # The workbook is small: at most ``per_rule`` findings of each rule are listed.
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(buffer.getvalue())


def write_html(checked: Checked, path: Path, per_rule: int = LISTED_PER_RULE) -> None:
    """A self-contained page a data officer can work through child by child."""
    from jinja2 import Environment, select_autoescape  # only the HTML report needs templates

    env = Environment(autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    template = env.from_string(
        (resources.files("careboard.validate") / "templates" / "report.html").read_text("utf-8")
    )
    rules = by_rule(checked)
    html = template.render(
        authority=authorities.resolve(checked.la),
        year_label=years.label(checked.year),
        checked=checked,
        rules=rules,
        per_rule=per_rule,
        capped=[r for r in rules if r["findings"] > per_rule],
        children=by_child(checked, per_rule),
        skipped=sorted(checked.result.skipped.items()),
    )
    path.write_text(html, encoding="utf-8")
