"""Run one CIN census rule over a small hand-built census and say which rows it flags.

Rows are given per CIN table (``Child``, ``CINEpisode``, ``Assessment`` ...) as text cells, as the
reader would find them in the XML.  A row with ``"_flag": True`` is expected to be flagged and
every other row must not be.  Last year's census (``last``) and the SSDA903 return of the same
year (``ssda903``) are given the same way; their flagged rows are expected under the table names
``Last year: <table>`` and ``SSDA903: <table>``.  A finding about the whole return is expected as
``("Header", 1)`` (``whole_return=True``).
"""

from __future__ import annotations

from careboard.returns.reader import return_from_rows
from careboard.store.load import load_returns
from careboard.validate.engine import run_rules
from careboard.validate.ruleset import CIN
from fresh_db import fresh

Rows = dict[str, list[dict[str, str | None]]]


def child(cid: str = "1", **cells: str | None) -> dict:
    """A child record with everything the rules expect filled in (override any cell)."""
    return {"LAchildID": cid, "PersonBirthDate": "2015-01-01", "Sex": "M", "Ethnicity": "WBRI", **cells}


def episode(cid: str = "1", no: int = 1, **cells: str | None) -> dict:
    """A referral that went on to further action, open, referred in May 2025."""
    return {"LAchildID": cid, "EpisodeNo": str(no), "CINreferralDate": "2025-05-01", "ReferralSource": "1A",
            "PrimaryNeedCode": "N1", "ReferralNFA": "0", **cells}


def in_episode(cid: str = "1", no: int = 1, **cells: str | None) -> dict:
    """A row of a table below the episode (assessment, plan, section 47 ...)."""
    return {"LAchildID": cid, "EpisodeNo": str(no), **cells}


def header(year: int, **fields: str | None) -> dict[str, str | None]:
    return {"Collection": "CIN", "Year": str(year), "ReferenceDate": f"{year}-03-31", "LEA": "886", **fields}


def _strip(rows: Rows, prefix: str = "") -> tuple[Rows, set[tuple[str, int]]]:
    clean: Rows = {}
    expected: set[tuple[str, int]] = set()
    for table, table_rows in rows.items():
        clean[table] = []
        for i, row in enumerate(table_rows, start=1):
            if row.get("_flag"):
                expected.add((prefix + table, i))
            clean[table].append({k: v for k, v in row.items() if k != "_flag"})
    return clean, expected


def flagged(
    code: str,
    rows: Rows,
    year: int = 2026,
    last: Rows | None = None,
    ssda903: Rows | None = None,
    head: dict[str, str | None] | None = None,
) -> set[tuple[str, int]]:
    """(table, record) of every row rule ``code`` flags."""
    ret = return_from_rows("cin", "886", year, rows, strict=False)
    ret.header = header(year) if head is None else head
    returns = [ret]
    last_ret = None
    if last is not None:
        last_ret = return_from_rows("cin", "886", year - 1, last, strict=False)
        returns.append(last_ret)
    if ssda903 is not None:
        returns.append(return_from_rows("ssda903", "886", year, ssda903, strict=False))
    with fresh() as con:
        ids = {(o.ret.kind, o.ret.year): o.load_id for o in load_returns(con, returns)}
        result = run_rules(
            con, ids[("cin", year)], year, "886", ids.get(("cin", year - 1)), invalid=ret.invalid_cells,
            invalid_last=last_ret.invalid_cells if last_ret is not None else None,
            only=[code], ruleset=CIN, ssda903_load_id=ids.get(("ssda903", year)),
        )
    assert code in result.rules_run, f"rule {code} did not run: {result.skipped.get(code)}"
    return {(r["tbl"], r["source_row"]) for r in result.findings.to_pylist()}


def check(
    code: str,
    rows: Rows,
    year: int = 2026,
    last: Rows | None = None,
    ssda903: Rows | None = None,
    head: dict[str, str | None] | None = None,
    whole_return: bool = False,
) -> None:
    """Assert that exactly the rows marked ``_flag`` (and the return, if ``whole_return``) are flagged."""
    clean, expected = _strip(rows)
    last_clean, last_expected = _strip(last, "Last year: ") if last is not None else (None, set())
    other_clean, other_expected = _strip(ssda903, "SSDA903: ") if ssda903 is not None else (None, set())
    expected |= last_expected | other_expected
    if whole_return:
        expected.add(("Header", 1))
    got = flagged(code, clean, year, last_clean, other_clean, head)
    assert got == expected, f"rule {code}: flagged {sorted(got)}, expected {sorted(expected)}"
