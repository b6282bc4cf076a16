"""Data quality from the stored validation runs: by rule, the trend over years, and (analysts) by child.

Members see counts only, and those counts pass :func:`careboard.publish.disclosure.control` like
every other figure on a member page, so a rule that fired for one to five records shows ``c``.
Analysts see the same tables unsuppressed plus the findings with child IDs (each view audited).
The latest run for each year's current load is the one reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from careboard.publish import charts
from careboard.publish.disclosure import control
from careboard.validate.catalogue import all_rules_info

_LATEST_RUNS = """
SELECT r.run_id, r.year, r.rules_run, r.rules_skipped, r.finding_count, r.children_affected, r.run_at
FROM validation_runs r JOIN loads l ON l.load_id = r.load_id AND l.status = 'current'
WHERE r.la = ?
QUALIFY row_number() OVER (PARTITION BY r.year ORDER BY r.run_id DESC) = 1
ORDER BY r.year
"""


@dataclass
class Quality:
    """What the data quality page shows; every count a number (analysts) or a controlled figure (members)."""

    years: list[dict]  # year, rules_run, findings, children
    year: int | None
    rules: list[dict] = field(default_factory=list)  # rule, message, findings, children
    skipped: list[tuple[str, str]] = field(default_factory=list)
    chart: str = ""


def _rows(cur: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[dict]:
    c = cur.execute(sql, params)
    names = [d[0] for d in c.description]
    return [dict(zip(names, r, strict=True)) for r in c.fetchall()]


def _controlled(la: str, key: str, year: int, count: int) -> object:
    """One count through disclosure control, as a headline cell of its own pseudo-measure."""
    (row,) = control([{"measure": key, "la": la, "year": year, "breakdown": "all", "breakdown_value": "All",
                       "numerator": count, "value": count}])
    return row["value"]


def summary(cur: duckdb.DuckDBPyConnection, la: str, year: int | None, child_level: bool) -> Quality:
    """Validation summary for ``la``: the trend over every loaded year, and ``year``'s rules."""
    runs = _rows(cur, _LATEST_RUNS, [la])
    if not runs:
        return Quality(years=[], year=None)
    by_year = {r["year"]: r for r in runs}
    year = year if year in by_year else runs[-1]["year"]

    def show(key: str, y: int, n: int) -> object:
        return n if child_level else _controlled(la, key, y, n)

    trend = [{"year": r["year"], "rules_run": r["rules_run"], "findings": show("dq_findings", r["year"],
              r["finding_count"]), "children": show("dq_children", r["year"], r["children_affected"])}
             for r in runs]
    messages = {code: info.message for code, info in all_rules_info().items()}
    run_id = by_year[year]["run_id"]
    counts = _rows(cur, "SELECT rule, count(*) AS findings, count(DISTINCT child) AS children "
                        "FROM validation_findings WHERE run_id = ? GROUP BY rule ORDER BY findings DESC, rule",
                   [run_id])
    rules = [{"rule": c["rule"], "message": messages.get(c["rule"], ""),
              "findings": show(f"dq_rule_{c['rule']}", year, c["findings"]),
              "children": show(f"dq_rule_children_{c['rule']}", year, c["children"])} for c in counts]
    skipped = ([(r, why) for r, why in cur.execute(
        "SELECT rule, reason FROM validation_skipped WHERE run_id = ? ORDER BY rule", [run_id]).fetchall()]
        if child_level else [])
    chart = charts.trend_chart([("Findings", [(t["year"], t["findings"]) for t in trend])], "number",
                               "Validation findings by year", width=440)
    return Quality(years=trend, year=year, rules=rules, skipped=skipped, chart=chart)


def findings_by_child(cur: duckdb.DuckDBPyConnection, la: str, year: int, limit: int = 2000) -> list[dict]:
    """Child-level findings of ``year``'s latest run (analysts only; the caller audits the view)."""
    runs = {r["year"]: r for r in _rows(cur, _LATEST_RUNS, [la])}
    if year not in runs:
        return []
    messages = {code: info.message for code, info in all_rules_info().items()}
    rows = _rows(cur, "SELECT coalesce(child, '(no child ID)') AS child, table_name, source_row AS \"row\", line, rule "
                      "FROM validation_findings WHERE run_id = ? ORDER BY child, table_name, source_row, rule LIMIT ?",
                 [runs[year]["run_id"], limit])
    for r in rows:
        r["message"] = messages.get(r["rule"], "")
    return rows
