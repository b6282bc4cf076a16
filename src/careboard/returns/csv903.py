"""Read an SSDA903 CSV set: one file per table, each recognised by its header row, not its name.

The header row must hold every column of exactly one table (the DfE's column names; case and
surrounding spaces are forgiven with a warning), except columns the spec marks optional.  Extra
columns are ignored with a warning, since case-system exports often add columns such as LA or YEAR.
Each row keeps its 1-based data row number and its physical line in the file so that every later
message can point at it.
"""

from __future__ import annotations

import csv
import io

import pyarrow as pa
import pyarrow.csv as pacsv

from careboard.returns.issues import Issue, ReturnError
from careboard.returns.raw import RawTable, SourceFile
from careboard.returns.spec import ReturnSpec, Table
from careboard.returns.text import decode


def read_csv_table(file: SourceFile, spec: ReturnSpec) -> RawTable:
    """One table's raw cells from one CSV file; ReturnError if the file cannot be read as such."""
    text, warnings = decode(file)
    fast = _fast_path(file, text, spec, warnings)
    if fast is not None:
        return fast
    records, lines = _records(file, text)
    if not records or not any(cell.strip() for cell in records[0]):
        raise ReturnError(
            [Issue(file.name, "the file is empty: no header row", expected="a header row naming the columns")]
        )
    header = records[0]
    table, positions, header_warnings = identify(file, header, spec)
    warnings += header_warnings
    body, body_lines = records[1:], lines[1:]
    width = len(header)
    widths = set(map(len, body))
    if widths - {width}:
        body, ragged = _square(body, width)
    else:
        ragged = []
    if ragged:
        raise ReturnError(
            [
                Issue(
                    file.name,
                    f"this row has {len(body[i])} cells but the header has {width} columns",
                    row=i + 1,
                    line=body_lines[i],
                    table=table.name,
                    value=",".join(body[i])[:80],
                    expected=f"{width} comma-separated cells",
                    count=len(ragged) if n == 0 else 1,
                )
                for n, i in enumerate(ragged[:10])
            ]
        )
    columns_text = list(zip(*body, strict=True)) if body else [() for _ in header]
    arrays = {
        name: pa.array(columns_text[pos], pa.string()) for name, pos in positions.items()
    }
    rows = pa.array(range(1, len(body) + 1), pa.int32())
    line_array = pa.array(body_lines, pa.int32())
    raw = RawTable(table.name, file, arrays, rows, line_array, warnings)
    return drop_blank_rows(raw)


def _fast_path(file: SourceFile, text: str, spec: ReturnSpec, warnings: list[Issue]) -> RawTable | None:
    """Arrow's CSV parser, for the usual file: no quotes, one record per line, every row full width.

    Then data row n is physical line n + 1 exactly.  Anything else (quoted cells, ragged or
    whitespace-only lines) returns None and the careful path reads the file, so both paths give the
    same cells, rows, lines and messages.
    """
    if '"' in text or text.count("\r") != text.count("\r\n"):  # quotes, or a carriage return alone
        return None
    first_newline = text.find("\n")
    header_text = text if first_newline < 0 else text[:first_newline]
    header = next(csv.reader([header_text.rstrip("\r")]), [])
    if not any(cell.strip() for cell in header):
        return None
    table, positions, header_warnings = identify(file, header, spec)
    bad_rows: list[object] = []
    # One thread: a return's files are small (a few MB), and Arrow's thread pool costs more to start in a fresh
    # process than it saves (both years of the 20,000-child bench return: 0.40 s against 0.45 s, median of 7
    # cold reads on 2 cores, bench note in docs/benchmarks.md).
    try:
        parsed = pacsv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=[f"c{i}" for i in range(len(header))], skip_rows=1,
                                           use_threads=False),
            parse_options=pacsv.ParseOptions(
                ignore_empty_lines=False, invalid_row_handler=lambda row: bad_rows.append(row) or "skip"
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={f"c{i}": pa.string() for i in range(len(header))}, strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        return None
    if bad_rows:
        return None
    n = parsed.num_rows
    arrays = {name: parsed.column(pos).combine_chunks() for name, pos in positions.items()}
    rows = pa.array(range(1, n + 1), pa.int32())
    lines = pa.array(range(2, n + 2), pa.int32())
    return drop_blank_rows(RawTable(table.name, file, arrays, rows, lines, warnings + header_warnings))


def _square(body: list[list[str]], width: int) -> tuple[list[list[str]], list[int]]:
    """Pad wholly blank records (Excel's empty rows) to the header width; list the ragged ones.

    Only reached when some record has the wrong number of cells, so the common path stays
    free of per-row Python.
    """
    squared, ragged = [], []
    for i, rec in enumerate(body):
        if len(rec) != width:
            if any(c.strip() for c in rec):
                ragged.append(i)
            else:
                rec = [""] * width
        squared.append(rec)
    return squared, ragged


def _records(file: SourceFile, text: str) -> tuple[list[list[str]], list[int]]:
    """CSV records and the physical line each starts on."""
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ReturnError([Issue(file.name, f"the file is not valid CSV: {exc}", expected="CSV text")]) from None
    newlines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    if len(records) == newlines:
        return records, list(range(1, len(records) + 1))
    # Quoted cells span lines: track where each record starts (rare; per-record, not per-child work).
    reader = csv.reader(io.StringIO(text, newline=""))
    lines, out, start = [], [], 1
    for rec in reader:
        out.append(rec)
        lines.append(start)
        start = reader.line_num + 1
    return out, lines


def identify(file: SourceFile, header: list[str], spec: ReturnSpec) -> tuple[Table, dict[str, int], list[Issue]]:
    """Which table a header row belongs to, and where each of its columns is."""
    warnings: list[Issue] = []
    cleaned = [h.strip().lstrip("\ufeff") for h in header]
    upper = [h.upper() for h in cleaned]
    dupes = sorted({h for h in upper if h and upper.count(h) > 1})
    if dupes:
        raise ReturnError(
            [
                Issue(
                    file.name,
                    f"column {d} appears {upper.count(d)} times in the header",
                    line=1,
                    field=d,
                    expected="each column once",
                )
                for d in dupes
            ]
        )
    present = set(upper)
    matches = [t for t in spec.tables.values() if set(t.required_names) <= present]
    if not matches:
        raise ReturnError([_no_match(file, cleaned, present, spec)])
    table = max(matches, key=lambda t: len(t.required_names))
    # Optional columns a header leaves out are blank in every row (conform fills them in).
    positions = {name: upper.index(name) for name in table.column_names if name in present}
    if any(cleaned[i] != name for name, i in positions.items()):
        warnings.append(
            Issue(file.name, "column names written in lower or mixed case; matched ignoring case", line=1)
        )
    extra = [cleaned[i] for i, h in enumerate(upper) if h and h not in table.column_names]
    if extra:
        warnings.append(
            Issue(
                file.name,
                f"column(s) {', '.join(extra)} are not part of the {table.name} table; ignored",
                line=1,
                table=table.name,
            )
        )
    return table, positions, warnings


def _no_match(file: SourceFile, cleaned: list[str], present: set[str], spec: ReturnSpec) -> Issue:
    def score(t: Table) -> float:
        cols = set(t.column_names)
        return len(cols & present) / len(cols | present)

    best = max(spec.tables.values(), key=score)
    missing = [c for c in best.required_names if c not in present]
    hint = ""
    if score(best) >= 0.4:
        hint = f"; closest is {best.name}, which also needs {', '.join(missing)}"
    return Issue(
        file.name,
        f"the header row matches no {spec.name} table{hint}",
        line=1,
        value=",".join(cleaned)[:120],
        expected="the column names of one table, e.g. " + ",".join(spec.tables["Header"].column_names)
        if "Header" in spec.tables
        else "the column names of one table",
    )


def drop_blank_rows(raw: RawTable) -> RawTable:
    """Rows whose every cell is empty (Excel leaves these at the end) are dropped, with a warning."""
    import pyarrow.compute as pc

    if raw.num_rows == 0 or not raw.columns:
        return raw

    def has(arr: pa.Array) -> pa.Array:
        return pc.fill_null(pc.not_equal(pc.utf8_trim_whitespace(arr), ""), False)

    columns = list(raw.columns.values())
    filled = has(columns[0])
    if pc.all(filled).as_py():  # no row lacks its first cell, so none is blank: one column read, not all
        return raw
    for arr in columns[1:]:
        filled = pc.or_(filled, has(arr))
    blank = pc.invert(filled)
    count = pc.sum(blank).as_py() or 0
    if not count:
        return raw
    first = pc.index(blank, True).as_py()
    raw.warnings.append(
        Issue(
            raw.file.name,
            "blank row(s) ignored",
            row=raw.rows[first].as_py(),
            line=raw.lines[first].as_py() if raw.lines is not None else None,
            table=raw.table,
            count=count,
        )
    )
    return RawTable(
        raw.table,
        raw.file,
        {k: pc.filter(v, filled) for k, v in raw.columns.items()},
        pc.filter(raw.rows, filled),
        pc.filter(raw.lines, filled) if raw.lines is not None else None,
        raw.warnings,
    )
