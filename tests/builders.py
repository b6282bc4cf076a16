"""Builders for small hand-made 903 returns used across the tests."""

from __future__ import annotations

from pathlib import Path

from careboard.returns.spec import ssda903


def write_table(folder: Path, table: str, rows: list[dict[str, str]], name: str | None = None,
                year: int = 2026, newline: str = "\n", encoding: str = "utf-8") -> Path:
    """Write one 903 table as the DfE CSV layout: spec columns, blank where a row omits a column."""
    cols = ssda903().tables[table].column_names
    lines = [",".join(cols)] + [",".join(r.get(c) or "" for c in cols) for r in rows]
    path = folder / (name or f"{table}.csv")
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


HEADER_ROWS = [
    {"CHILD": "1001", "SEX": "M", "DOB": "01/05/2012", "ETHNIC": "WBRI", "UPN": "UN1"},
    {"CHILD": "1002", "SEX": "F", "DOB": "14/11/2019", "ETHNIC": "BAFR", "UPN": "UN2", "MOTHER": "0"},
]
EPISODE_ROWS = [
    {"CHILD": "1001", "DECOM": "03/06/2024", "RNE": "S", "LS": "C1", "CIN": "N1", "PLACE": "U6",
     "PLACE_PROVIDER": "PR1", "DEC": "10/10/2025", "REC": "X1", "REASON_PLACE_CHANGE": "",
     "HOME_POST": "ME14 1XX", "PL_POST": "ME15 6YY"},
    {"CHILD": "1001", "DECOM": "10/10/2025", "RNE": "L", "LS": "C2", "CIN": "N1", "PLACE": "U6",
     "PLACE_PROVIDER": "PR1", "HOME_POST": "ME14 1XX", "PL_POST": "ME15 6YY"},
    {"CHILD": "1002", "DECOM": "01/02/2026", "RNE": "S", "LS": "V2", "CIN": "N4", "PLACE": "U3",
     "PLACE_PROVIDER": "PR1", "HOME_POST": "CT1 2AA", "PL_POST": "CT2 7BB"},
]
REVIEW_ROWS = [{"CHILD": "1001", "DOB": "01/05/2012", "REVIEW": "01/07/2025", "REVIEW_CODE": "PN1"}]


def cli_load_small_set(root: Path) -> Path:
    """Write the small 2025-26 set (Header, Episodes, Reviews) under ``root``/886/2025-26 and run the real
    `careboard load` of it into ``root``/c.duckdb: the database as the command leaves it.  Module fixtures
    make it once and hand each test a copy (tests/test_refresh.py, tests/test_load_safety.py)."""
    from typer.testing import CliRunner

    from careboard.cli import app

    folder = root / "886" / "2025-26"
    folder.mkdir(parents=True)
    write_table(folder, "Header", HEADER_ROWS)
    write_table(folder, "Episodes", EPISODE_ROWS)
    write_table(folder, "Reviews", REVIEW_ROWS)
    db = root / "c.duckdb"
    res = CliRunner().invoke(app, ["load", str(folder), "--db", str(db)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return db
