"""Run one DfE rule over a small hand-built return and say which rows it flags.

Rows are given as they would appear in the CSV set (text cells).  A row with ``"_flag": True`` is
expected to be flagged; every other row must not be.  Last year's return, when a rule needs it,
is given the same way and loaded as the previous collection year.
"""

from __future__ import annotations

from careboard.returns.reader import return_from_rows
from careboard.store.load import load_returns
from careboard.validate.engine import run_rules
from fresh_db import fresh

Rows = dict[str, list[dict[str, str | None]]]


def _strip(rows: Rows) -> tuple[Rows, set[tuple[str, int]]]:
    clean: Rows = {}
    expected: set[tuple[str, int]] = set()
    for table, table_rows in rows.items():
        clean[table] = []
        for i, row in enumerate(table_rows, start=1):
            if row.get("_flag"):
                expected.add((table, i))
            clean[table].append({k: v for k, v in row.items() if k != "_flag"})
    return clean, expected


def flagged(code: str, rows: Rows, year: int = 2026, last: Rows | None = None, la: str = "886") -> set[tuple[str, int]]:
    """(table, data row) of every row rule ``code`` flags."""
    with fresh() as con:
        ret = return_from_rows("ssda903", la, year, rows, strict=False)
        (outcome,) = load_returns(con, [ret])
        last_id, invalid_last = None, None
        if last is not None:
            last_ret = return_from_rows("ssda903", la, year - 1, last, strict=False)
            (prev,) = load_returns(con, [last_ret])
            last_id, invalid_last = prev.load_id, last_ret.invalid_cells
        result = run_rules(
            con, outcome.load_id, year, la, last_id, invalid=ret.invalid_cells, invalid_last=invalid_last, only=[code]
        )
    assert code in result.rules_run, f"rule {code} did not run: {result.skipped.get(code)}"
    return {(r["tbl"], r["source_row"]) for r in result.findings.to_pylist()}


def check(code: str, rows: Rows, year: int = 2026, last: Rows | None = None) -> None:
    """Assert that exactly the rows marked ``_flag`` are flagged by rule ``code``."""
    clean, expected = _strip(rows)
    last_clean = _strip(last)[0] if last is not None else None
    got = flagged(code, clean, year, last_clean)
    assert got == expected, f"rule {code}: flagged {sorted(got)}, expected {sorted(expected)}"
