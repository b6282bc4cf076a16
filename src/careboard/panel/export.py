"""``careboard export-business``: every table of the Panel's business as CSV or JSON files, for backup,
for the council's records, or to take the business elsewhere.

The tables are read in one read transaction, so the files agree with one another even while the web
app is taking writes (SQLite's WAL gives the reader a snapshot and never blocks a writer).  CSV cells
that a spreadsheet would run as a formula are neutralised (safe_export.py): questions and cards are
free text typed by people.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from careboard.safe_export import csv_row
from careboard.store.webdb import WebDB

# The business, in an order where each table's references come before it.
TABLES = ("meetings", "agenda_items", "questions", "plans", "recommendations", "actions", "action_updates",
          "scores", "challenge_cards")
FORMATS = ("csv", "json")


def export(web: WebDB, out: Path, fmt: str = "csv") -> list[tuple[str, int]]:
    """Write ``<table>.csv`` (or ``.json``) for every table into ``out``; returns (file name, rows) per table."""
    if fmt not in FORMATS:
        raise ValueError(f"--format must be csv or json, not {fmt!r}")
    con = web.con()
    con.execute("BEGIN")  # one snapshot for every table
    try:
        tables = {}
        for table in TABLES:
            cur = con.execute(f'SELECT * FROM "{table}" ORDER BY rowid')  # names from TABLES only
            tables[table] = ([d[0] for d in cur.description], cur.fetchall())
    finally:
        con.execute("COMMIT")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table, (columns, rows) in tables.items():
        path = out / f"{table}.{fmt}"
        if fmt == "csv":
            with path.open("w", newline="", encoding="utf-8") as f:
                writer = csv.writer(f)
                writer.writerow(columns)
                writer.writerows(csv_row(r) for r in rows)
        else:
            path.write_text(json.dumps([dict(zip(columns, r, strict=True)) for r in rows], indent=1,
                                       ensure_ascii=False) + "\n", encoding="utf-8")
        written.append((path.name, len(rows)))
    return written
