"""Refuse input that is not a return before any rule runs.

A file can carry a 903 table's header row and still not be that table: random data, another system's
export under the right column names, a file filled by a script.  Run through the rules, every cell
of such a file is a finding of several rules: a million rows gave 16.5 million findings, 139 seconds
and 14.7 GB, and a report no one can use.  So before the rules run, each table of the return is
checked for being readable at all.

A table is refused when at least half of its rows (and at least ``MIN_ROWS`` rows) hold a value the
reader cannot read as that table's field: a date that is not a date, text in a number field.  A
real return has a handful of such cells (each one a DfE finding worth fixing); a table where most
rows are unreadable is the wrong file, and the user is told which file, how many rows, and the first
unreadable value, instead of millions of findings.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from careboard.returns.issues import Issue, ReturnError
from careboard.returns.reader import ParsedReturn

MIN_ROWS = 20  # below this a table is too small to judge: its findings are few anyway
MAX_UNREADABLE_SHARE = 0.5


def check(ret: ParsedReturn) -> None:
    """ReturnError naming every table of ``ret`` that is not readable as that table."""
    bad = unreadable_tables(ret)
    if bad:
        raise ReturnError(bad)


def unreadable_tables(ret: ParsedReturn) -> list[Issue]:
    """One issue per (table, file) where most rows hold a value that cannot be read."""
    if ret.invalid_cells.num_rows == 0:
        return []
    positions, invalid = ret.positions.unify_dictionaries(), ret.invalid_cells.unify_dictionaries()
    rows = positions.group_by(["table_name", "source_file"]).aggregate([("source_row", "count")])
    bad_rows = (
        invalid.group_by(["table_name", "source_file"])
        .aggregate([("source_row", "count_distinct")])
        .join(rows, ["table_name", "source_file"])
    )
    share = pc.divide(bad_rows["source_row_count_distinct"].cast(pa.float64()), bad_rows["source_row_count"])
    refused = bad_rows.filter(
        pc.and_(pc.greater_equal(bad_rows["source_row_count"], MIN_ROWS),
                pc.greater_equal(share, MAX_UNREADABLE_SHARE))
    )
    issues = []
    for r in refused.to_pylist():  # one per refused table, not per row
        here = pc.and_(pc.equal(invalid["table_name"], r["table_name"]),
                       pc.equal(invalid["source_file"], r["source_file"]))
        first = invalid.filter(here).slice(0, 1).to_pylist()[0]
        name = ret.files[r["source_file"]].name
        n_bad, n = r["source_row_count_distinct"], r["source_row_count"]
        issues.append(
            Issue(
                name,
                f"this file does not look like the {r['table_name']} table of an SSDA903 return, so no rules "
                f"were run (is it the file exported from the case management system?): {n_bad:,} of its "
                f"{n:,} rows ({n_bad / n:.0%}) hold values careboard cannot read, like this one",
                row=first["source_row"],
                line=first["line"],
                table=r["table_name"],
                field=first["field"],
                value=first["value"],
                expected=first["expected"],
            )
        )
    return issues
