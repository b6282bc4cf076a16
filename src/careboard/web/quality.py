"""Data quality for the web app: the summary from publish/ (members' counts released, analysts' exact),
and the findings by child for analysts (each view audited by the route).

Members' counts are never computed here: :func:`careboard.publish.quality.summary` takes them from the
year's release, where they are controlled together with every other figure members see.  Each kind
of return (SSDA903, CIN census) has its own summary and findings.
"""

from __future__ import annotations

import duckdb

from careboard.publish import quality as published
from careboard.publish.quality import Quality, messages
from careboard.publish.release import Releases

__all__ = ["Quality", "findings_by_child", "summary"]

_LATEST_RUNS = """
SELECT r.run_id, r.year
FROM validation_runs r JOIN current_loads l ON l.load_id = r.load_id
WHERE r.la = ? AND l.kind = ?
QUALIFY row_number() OVER (PARTITION BY r.year ORDER BY r.run_id DESC) = 1
"""


def summary(cur: duckdb.DuckDBPyConnection, la: str, year: int | None, child_level: bool,
            releases: Releases, kind: str = "ssda903") -> Quality:
    """The summary of ``kind``'s validation: released counts for members, exact ones for analysts (``child_level``)."""
    return published.summary(cur, la, year, releases, exact=child_level, kind=kind)


def findings_by_child(
    cur: duckdb.DuckDBPyConnection, la: str, year: int, limit: int = 2000, kind: str = "ssda903"
) -> list[dict]:
    """Child-level findings of ``year``'s latest run (analysts only; the caller audits the view)."""
    runs = {y: run_id for run_id, y in cur.execute(_LATEST_RUNS, [la, kind]).fetchall()}
    if year not in runs:
        return []
    wording = messages(kind, year)
    c = cur.execute("SELECT coalesce(child, '(no child ID)') AS child, table_name, source_row AS \"row\", line, rule "
                    "FROM validation_findings WHERE run_id = ? ORDER BY child, table_name, source_row, rule LIMIT ?",
                    [runs[year], limit])
    names = [d[0] for d in c.description]
    rows = [dict(zip(names, r, strict=True)) for r in c.fetchall()]
    for r in rows:
        r["message"] = wording.get(r["rule"], "")
    return rows
