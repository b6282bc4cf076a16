"""Turn raw text cells into typed columns, set-based, recording every normalisation.

Real returns carry artefacts that are not errors: padded cells, lower-case codes, Excel's '1234.0'
identifiers and '1,234' thousands separators, ISO dates.  Each is repaired here, column at a time
with Arrow compute (no per-row Python), and reported once per column as a warning with a count and
the first place it happens (what ``careboard load`` prints).  Every place each repair was made is
also kept, as Arrow arrays of row positions (``Conformed.normalisations``), because the return that
goes to the DfE still holds the original text: validation reports every one of them so the data
manager can fix the source system.

What cannot be read without guessing (an impossible date, a two-digit year, text in a number column)
is an error naming file, row, field, value and what was expected.  Every such cell is kept in
``Conformed.invalid`` (set-based, however many there are); only the first few per column are
itemised as ``Issue``s.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from careboard.returns.issues import Issue
from careboard.returns.raw import RawTable
from careboard.returns.spec import Column, Table

ARROW_TYPES = {"date": pa.date32(), "integer": pa.int32(), "decimal": pa.float64(), "time": pa.time32("s")}
MAX_ERRORS_PER_COLUMN = 50

_DMY = r"^\d{1,2}/\d{1,2}/\d{4}$"
_DMY_PADDED = r"^\d{2}/\d{2}/\d{4}$"
_ISO = r"^\d{4}-\d{2}-\d{2}$"
_MIDNIGHT = r"^(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})[ T]00:00(:00(\.0+)?)?$"
_EXCEL_INT = r"^-?\d+\.0+$"
_THOUSANDS = r"^\d{1,3}(,\d{3})+$"
_INTEGER = r"^-?\d+$"
_DECIMAL = r"^-?(\d+(\.\d*)?|\.\d+)$"
_TIME = r"^\d{1,2}[:.]\d{2}([:.]\d{2})?$"


# Text that is the same for every cell of one repair (table, field, kind, message) is
# dictionary-encoded: a million repaired cells cost a few bytes each, not a copy of the text each.
_LABEL = pa.dictionary(pa.int32(), pa.string())

# Every normalisation made, one row per cell (``kind`` names the repair; ``message`` says what was
# found and what was done, as in the load warning).
NORMALISATION_SCHEMA = pa.schema(
    [
        ("kind", _LABEL),
        ("table_name", _LABEL),
        ("field", _LABEL),
        ("source_file", pa.int16()),
        ("source_row", pa.int32()),
        ("line", pa.int32()),
        ("value", pa.string()),
        ("message", _LABEL),
    ]
)

# Every cell that could not be typed (null in the typed table), one row per cell.
INVALID_SCHEMA = pa.schema(
    [
        ("table_name", _LABEL),
        ("field", _LABEL),
        ("source_file", pa.int16()),
        ("source_row", pa.int32()),
        ("line", pa.int32()),
        ("value", pa.string()),
        ("message", _LABEL),
        ("expected", _LABEL),
    ]
)

# Where each row of the typed table came from: data row and physical line (null when unknown).
POSITION_SCHEMA = pa.schema(
    [
        ("table_name", _LABEL),
        ("source_file", pa.int16()),
        ("source_row", pa.int32()),
        ("line", pa.int32()),
    ]
)

# The kinds of repair, as ``NORMALISATION_SCHEMA.kind`` names them, and what the DfE expects instead.
NORMALISATION_KINDS = {
    "SPACE": "the value alone, with no spaces around it",
    "CASE": "codes as the DfE writes them (upper case; 'zz' for an unknown day or month)",
    "EXCEL": "a whole number or identifier with no decimal ending ('1234', not '1234.0')",
    "THOUSANDS": "an identifier with no thousands separators ('12345', not '12,345')",
    "DATE": "dates written dd/mm/yyyy",
    "POSTCODE": "postcodes in upper case with one space between the two parts",
    "FLAG": "0 or 1",
    "TIME": "times of day written HH:MM (24-hour)",
}


@dataclass
class Conformed:
    table: pa.Table
    warnings: list[Issue]
    errors: list[Issue]
    normalisations: pa.Table = field(default_factory=NORMALISATION_SCHEMA.empty_table)
    invalid: pa.Table = field(default_factory=INVALID_SCHEMA.empty_table)
    positions: pa.Table = field(default_factory=POSITION_SCHEMA.empty_table)


def arrow_type(column: Column) -> pa.DataType:
    return ARROW_TYPES.get(column.type, pa.string())


def conform(
    raw: RawTable,
    spec_table: Table,
    file_index: int,
    max_errors: int = MAX_ERRORS_PER_COLUMN,
    date_format: str = "dmy",
) -> Conformed:
    """Type every column of ``raw`` as ``spec_table`` says; see the module docstring.

    At most ``max_errors`` errors are itemised per column (the last carries the remaining count);
    validation asks for all of them.  ``date_format`` is the return's own date format ('dmy' for
    the 903, 'iso' for the CIN census): the other one is read too, with a warning.
    """
    ctx = _Context(raw, spec_table.name, max_errors, file_index)
    ctx.date_format = date_format
    arrays: dict[str, pa.Array] = {
        "source_file": _repeat(file_index, raw.num_rows, pa.int16()),
        "source_row": raw.rows,
    }
    for column in spec_table.columns:
        cells = raw.columns.get(column.name)
        if cells is None:  # an optional column the file does not have: blank throughout
            cells = pa.nulls(raw.num_rows, pa.string())
        arrays[column.name] = _conform_column(ctx, column, cells)
    positions = pa.table(
        [
            _label(spec_table.name, raw.num_rows),
            arrays["source_file"],
            raw.rows.cast(pa.int32()),
            ctx.lines,
        ],
        schema=POSITION_SCHEMA,
    )
    return Conformed(
        pa.table(arrays), ctx.warnings, ctx.errors,
        normalisations=_concat(ctx.normalised, NORMALISATION_SCHEMA),
        invalid=_concat(ctx.invalid, INVALID_SCHEMA),
        positions=positions,
    )


def _repeat(value: object, n: int, type_: pa.DataType) -> pa.Array:
    return pa.repeat(pa.scalar(value, type_), n)


def _label(text: str, n: int) -> pa.DictionaryArray:
    """``text`` n times, dictionary-encoded (4 bytes a row)."""
    return pa.DictionaryArray.from_arrays(_repeat(0, n, pa.int32()), pa.array([text], pa.string()))


def _concat(parts: list[pa.Table], schema: pa.Schema) -> pa.Table:
    return pa.concat_tables(parts) if parts else schema.empty_table()


class _Context:
    def __init__(self, raw: RawTable, table: str, max_errors: int, file_index: int = 0) -> None:
        self.max_errors = max_errors
        self.raw = raw
        self.table = table
        self.file_index = file_index
        self.warnings: list[Issue] = list(raw.warnings)
        self.date_format = "dmy"
        self.errors: list[Issue] = []
        self.normalised: list[pa.Table] = []
        self.invalid: list[pa.Table] = []
        self.lines = (
            raw.lines.cast(pa.int32()) if raw.lines is not None else pa.nulls(raw.num_rows, pa.int32())
        )

    def _cells(self, indices: pa.Array, column: str, values: pa.Array, message: str) -> dict[str, pa.Array]:
        """The place and value of every cell at ``indices`` (Arrow takes, no per-row Python)."""
        n = len(indices)
        return {
            "table_name": _label(self.table, n),
            "field": _label(column, n),
            "source_file": _repeat(self.file_index, n, pa.int16()),
            "source_row": self.raw.rows.take(indices).cast(pa.int32()),
            "line": self.lines.take(indices),
            "value": values.take(indices).cast(pa.string()),
            "message": _label(message, n),
        }

    def _locate(self, index: int) -> tuple[int, int | None]:
        row = self.raw.rows[index].as_py()
        line = self.raw.lines[index].as_py() if self.raw.lines is not None else None
        return row, line

    def _issue(self, index: int, column: str, values: pa.Array, message: str, **extra: object) -> Issue:
        row, line = self._locate(index)
        return Issue(
            file=self.raw.file.name, message=message, row=row, line=line, table=self.table, field=column,
            value=values[index].as_py(), **extra,
        )

    def note(self, kind: str, mask: pa.Array, column: str, values: pa.Array, message: str) -> None:
        """Record a repair of ``kind`` at every cell where ``mask`` is true.

        One warning with a count and the first place (for the load's messages), and every place
        in ``normalisations`` (for validation reports).
        """
        if not _any(mask):  # nearly every column of a real return: one pass, nothing allocated
            return
        indices = pc.indices_nonzero(pc.fill_null(mask, False))
        if len(indices):
            first = indices[0].as_py()
            self.warnings.append(self._issue(first, column, values, message, count=len(indices)))
            cells = self._cells(indices, column, values, message)
            cells = {"kind": _label(kind, len(indices)), **cells}
            self.normalised.append(pa.table(cells, schema=NORMALISATION_SCHEMA))

    def fail(self, mask: pa.Array, column: str, values: pa.Array, message: str, expected: str) -> None:
        """Every cell where ``mask`` is true cannot be read: all kept in ``invalid``, the first few
        itemised as errors (the last of them carrying the remaining count)."""
        if not _any(mask):
            return
        indices = pc.indices_nonzero(pc.fill_null(mask, False))
        count = len(indices)
        if not count:
            return
        cells = self._cells(indices, column, values, message)
        cells["expected"] = _label(expected, count)
        self.invalid.append(pa.table(cells, schema=INVALID_SCHEMA))
        listed = indices[: self.max_errors].to_pylist()
        for n, i in enumerate(listed):
            rest = count - len(listed) + 1 if n == len(listed) - 1 else 1
            self.errors.append(self._issue(i, column, values, message, expected=expected, count=rest))


def _conform_column(ctx: _Context, column: Column, cells: pa.Array) -> pa.Array:
    cells = cells.cast(pa.string())
    trimmed = pc.utf8_trim_whitespace(cells)
    ctx.note("SPACE", pc.not_equal(cells, trimmed), column.name, cells, "spaces around the value removed")
    text = pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)
    handler = _HANDLERS[column.type]
    return handler(ctx, column, text)


def _as_id(ctx: _Context, column: Column, text: pa.Array) -> pa.Array:
    if _holds(text, "."):
        excel = pc.match_substring_regex(text, _EXCEL_INT)
        ctx.note("EXCEL", excel, column.name, text, "Excel decimal ending ('.0') removed from identifier")
        text = pc.replace_substring_regex(text, r"\.0+$", "", max_replacements=None) if _any(excel) else text
    if _holds(text, ","):
        thousands = pc.match_substring_regex(text, _THOUSANDS)
        ctx.note("THOUSANDS", thousands, column.name, text, "thousands separators removed from identifier")
        if _any(thousands):
            text = pc.if_else(thousands, pc.replace_substring(text, ",", ""), text)
    return text


def _as_code(ctx: _Context, column: Column, text: pa.Array) -> pa.Array:
    upper = pc.utf8_upper(text)
    ctx.note("CASE", pc.not_equal(text, upper), column.name, text, "code written in lower case; upper-cased")
    if _holds(upper, "."):
        excel = pc.match_substring_regex(upper, _EXCEL_INT)
        ctx.note("EXCEL", excel, column.name, upper, "Excel decimal ending ('.0') removed from code")
        if _any(excel):
            upper = pc.if_else(excel, pc.replace_substring_regex(upper, r"\.0+$", ""), upper)
    return upper


# What the pattern ``\s`` matches (RE2's whitespace), doubled spaces: a postcode column holding none
# of these has no spacing to tidy, and skips the pattern's pass.
_UNTIDY = ("  ", "\t", "\n", "\f", "\r")


def _as_postcode(ctx: _Context, column: Column, text: pa.Array) -> pa.Array:
    upper = pc.utf8_upper(text)
    untidy = any(_holds(upper, part) for part in _UNTIDY)
    spaced = pc.replace_substring_regex(upper, r"\s+", " ") if untidy else upper
    ctx.note("POSTCODE", pc.not_equal(text, spaced), column.name, text, "postcode upper-cased and spacing tidied")
    return spaced


def _as_text(ctx: _Context, column: Column, text: pa.Array) -> pa.Array:
    return text


def _as_partial_date(ctx: _Context, column: Column, text: pa.Array) -> pa.Array:
    """DfE allows 'zz' for an unknown day or month here (e.g. zz/zz/2019); kept as text."""
    lower = pc.utf8_lower(text)
    ok = pc.match_substring_regex(lower, r"^(\d{1,2}|zz)/(\d{1,2}|zz)/\d{4}$")
    ctx.note("CASE", pc.and_(ok, pc.not_equal(text, lower)), column.name, text,
             "unknown day or month written 'ZZ'; read as 'zz'")
    ctx.fail(pc.invert(ok), column.name, text, "not a date", "dd/mm/yyyy, with zz for an unknown day or month")
    return lower


def _as_date(ctx: _Context, column: Column, text: pa.Array) -> pa.Array:
    if ctx.date_format != "iso" and pc.all(pc.match_substring_regex(text, _DMY_PADDED)).as_py() is not False:
        # Every date given is written in full as dd/mm/yyyy, as nearly every column of a real return
        # is: nothing to note (no time of day, no ISO date, no one-digit day or month), so one
        # pattern pass stands in for the four below.  Only an impossible date (31/02/2025) fails.
        parsed = _strict_strptime(text, "%d/%m/%Y")
        ctx.fail(pc.and_(pc.is_valid(text), pc.is_null(parsed)), column.name, text, "not a valid date",
                 "dd/mm/yyyy")
        return parsed
    midnight = pc.match_substring_regex(text, _MIDNIGHT)
    ctx.note("DATE", midnight, column.name, text, "time of day (midnight) removed from date")
    if _any(midnight):
        text = pc.if_else(midnight, pc.replace_substring_regex(text, r"[ T]00:00.*$", ""), text)
    dmy = pc.match_substring_regex(text, _DMY)
    iso = pc.match_substring_regex(text, _ISO)
    short = pc.and_(dmy, pc.invert(pc.match_substring_regex(text, _DMY_PADDED)))
    if ctx.date_format == "iso":
        ctx.note("DATE", dmy, column.name, text, "dd/mm/yyyy date read as a date (the census uses yyyy-mm-dd)")
    else:
        ctx.note("DATE", iso, column.name, text, "ISO date (yyyy-mm-dd) read as a date")
        ctx.note("DATE", short, column.name, text, "day or month written with one digit; read as dd/mm/yyyy")
    padded = text
    if _any(short):  # most returns write every date in full: no padding to do
        padded = pc.replace_substring_regex(
            pc.replace_substring_regex(text, r"^(\d)/", "0\\1/"), r"/(\d)/", "/0\\1/"
        )
    parsed = _strict_strptime(pc.if_else(dmy, padded, None), "%d/%m/%Y")
    if _any(iso):
        parsed = pc.coalesce(parsed, _strict_strptime(pc.if_else(iso, text, None), "%Y-%m-%d"))
    bad = pc.and_(pc.is_valid(text), pc.is_null(parsed))
    if not _any(bad):
        return parsed
    two_digit = pc.match_substring_regex(text, r"^\d{1,2}/\d{1,2}/\d{2}$")
    ctx.fail(
        pc.and_(bad, two_digit), column.name, text,
        "two-digit year: the century cannot be known for certain", "dd/mm/yyyy",
    )
    ctx.fail(
        pc.and_(bad, pc.invert(two_digit)), column.name, text, "not a valid date", "dd/mm/yyyy",
    )
    return parsed


def _as_flag(ctx: _Context, column: Column, text: pa.Array) -> pa.Array:
    """0/1 indicators; 'true'/'false' (as some case systems write them) become 1/0 with a warning."""
    upper = pc.utf8_upper(text)
    words = pc.is_in(upper, pa.array(["TRUE", "FALSE"]))
    ctx.note("FLAG", words, column.name, text, "true/false written for a 0/1 indicator; read as 1/0")
    mapped = pc.if_else(pc.equal(upper, "TRUE"), "1", pc.if_else(pc.equal(upper, "FALSE"), "0", upper))
    bad = pc.and_(pc.is_valid(mapped), pc.invert(pc.is_in(mapped, pa.array(["0", "1"]))))
    ctx.fail(bad, column.name, text, "not a 0/1 indicator", "0 or 1 (true/false accepted)")
    return pc.if_else(bad, pa.scalar(None, pa.string()), mapped)


# Where the day is in a date of each format ``_strict_strptime`` reads.
_DAY_AT = {"%d/%m/%Y": (0, 2), "%Y-%m-%d": (8, 10)}


def _strict_strptime(text: pa.Array, fmt: str) -> pa.Array:
    """Parse dates, refusing day overflow (Arrow reads 31/02/2020 as 2 March).

    ``text`` holds only nulls and dates written in full in ``fmt`` (the callers' patterns).  Arrow
    refuses a day outside 1-31 and a month outside 1-12 (tests/test_conform_messages.py holds it to
    that), so the one date it misreads is a day the month lacks (29 to 31), which it carries into
    the next month as day 1 to 3: a date is kept when the day Arrow read is the day written.
    Comparing the day alone is a third of the work of comparing day, month and year (issue 17)."""
    parsed = pc.strptime(text, format=fmt, unit="s", error_is_null=True)
    start, stop = _DAY_AT[fmt]
    written = pc.cast(pc.utf8_slice_codeunits(text, start, stop), pa.int64())
    return pc.if_else(pc.equal(pc.day(parsed), written), parsed, None).cast(pa.date32())


def _as_integer(ctx: _Context, column: Column, text: pa.Array) -> pa.Array:
    if _holds(text, "."):
        excel = pc.match_substring_regex(text, _EXCEL_INT)
        ctx.note("EXCEL", excel, column.name, text, "Excel decimal ending ('.0') removed from whole number")
        if _any(excel):
            text = pc.if_else(excel, pc.replace_substring_regex(text, r"\.0+$", ""), text)
    ok = pc.match_substring_regex(text, _INTEGER)
    bad = pc.and_(pc.is_valid(text), pc.invert(ok))
    ctx.fail(bad, column.name, text, "not a whole number", "a whole number")
    return pc.if_else(ok, text, None).cast(pa.int32())


def _as_decimal(ctx: _Context, column: Column, text: pa.Array) -> pa.Array:
    """A number with or without a fractional part ('0.5', '12', '15.31'); thousands separators go."""
    if _holds(text, ","):
        thousands = pc.match_substring_regex(text, r"^\d{1,3}(,\d{3})+(\.\d+)?$")
        ctx.note("THOUSANDS", thousands, column.name, text, "thousands separators removed from number")
        if _any(thousands):
            text = pc.if_else(thousands, pc.replace_substring(text, ",", ""), text)
    ok = pc.match_substring_regex(text, _DECIMAL)
    bad = pc.and_(pc.is_valid(text), pc.invert(ok))
    ctx.fail(bad, column.name, text, "not a number", "a number such as 0.5 or 12")
    return pc.if_else(ok, text, None).cast(pa.float64())


def _as_time(ctx: _Context, column: Column, text: pa.Array) -> pa.Array:
    """A time of day, HH:MM (24-hour); seconds are dropped and '14.30' is read as 14:30 with a warning."""
    ok = pc.match_substring_regex(text, _TIME)
    dotted = pc.and_(ok, pc.match_substring(text, "."))
    ctx.note("TIME", dotted, column.name, text, "time written with a full stop; read as HH:MM")
    tidy = pc.replace_substring(pc.if_else(ok, text, None), ".", ":")
    tidy = pc.replace_substring_regex(tidy, r"^(\d):", "0\\1:")
    tidy = pc.utf8_slice_codeunits(tidy, 0, 5)
    parsed = pc.strptime(pc.binary_join_element_wise(tidy, ":00", ""), format="%H:%M:%S", unit="s",
                         error_is_null=True)
    valid = pc.and_(pc.is_valid(parsed), pc.equal(pc.strftime(parsed, format="%H:%M"), tidy))
    bad = pc.and_(pc.is_valid(text), pc.invert(pc.fill_null(valid, False)))
    ctx.fail(bad, column.name, text, "not a valid time of day", "HH:MM, 24-hour (00:00 to 23:59)")
    seconds = pc.add(pc.multiply(pc.cast(pc.utf8_slice_codeunits(tidy, 0, 2), pa.int32()), 3600),
                     pc.multiply(pc.cast(pc.utf8_slice_codeunits(tidy, 3, 5), pa.int32()), 60))
    return pc.if_else(pc.fill_null(valid, False), seconds, None).cast(pa.int32()).cast(pa.time32("s"))


_HANDLERS = {
    "id": _as_id,
    "code": _as_code,
    "flag": _as_flag,
    "postcode": _as_postcode,
    "text": _as_text,
    "partial_date": _as_partial_date,
    "date": _as_date,
    "integer": _as_integer,
    "decimal": _as_decimal,
    "time": _as_time,
}


def _holds(text: pa.Array, part: str) -> bool:
    """Whether any cell holds ``part``: a plain search, several times cheaper than a pattern, that
    spares a repair's pattern pass over a column none of whose cells could need it (every Excel
    ending holds '.', every thousands separator ',')."""
    return _any(pc.match_substring(text, part))


def _any(mask: pa.Array) -> bool:
    """Whether ``mask`` is true anywhere (a null is not true): one pass, nothing allocated."""
    return bool(pc.any(mask, skip_nulls=True, min_count=0).as_py())
