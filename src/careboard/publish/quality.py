"""The data-quality summary: validation findings by year and by DfE rule, as members (or analysts) see it.

Members' counts are the releases' (publish/release.py): each year's findings and children affected,
in total and by rule, controlled together with every other figure of that year, so a rule that
fired for one to five records shows ``c`` and no total or other rule gives it away.  Analysts see the
same tables with exact counts (``exact=True``), and the rules that were not run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from careboard.publish import charts
from careboard.publish.release import QualityCounts, Releases, read_quality
from careboard.validate.catalogue import all_rules_info


@dataclass
class Quality:
    """What the data quality page shows; every count a number (analysts) or a released figure (members)."""

    years: list[dict]  # year, rules_run, findings, children
    year: int | None
    rules: list[dict] = field(default_factory=list)  # rule, message, findings, children
    skipped: list[tuple[str, str]] = field(default_factory=list)
    chart: str = ""


_SKIPPED = """
SELECT s.rule, s.reason FROM validation_skipped s
WHERE s.run_id = (SELECT r.run_id FROM validation_runs r JOIN loads l ON l.load_id = r.load_id AND l.status = 'current'
                  WHERE r.la = ? AND r.year = ? ORDER BY r.run_id DESC LIMIT 1)
ORDER BY s.rule
"""


def summary(con: duckdb.DuckDBPyConnection, la: str, year: int | None, releases: Releases,
            exact: bool = False) -> Quality:
    """Validation summary for ``la``: the trend over every validated year, and ``year``'s rules (the latest if
    ``year`` was not validated).  ``exact`` gives analysts the counts before disclosure control."""
    by_year: dict[int, QualityCounts] = {}
    for y in releases.years(con):
        counts = read_quality(con, la, y) if exact else releases.get(con, y).quality
        if counts is not None:
            by_year[y] = counts
    if not by_year:
        return Quality(years=[], year=None)
    year = year if year in by_year else max(by_year)
    trend = [{"year": y, "rules_run": q.rules_run, "findings": q.findings, "children": q.children}
             for y, q in sorted(by_year.items())]
    messages = {code: info.message for code, info in all_rules_info().items()}
    chosen = by_year[year]
    exact_counts = read_quality(con, la, year)
    order = sorted(exact_counts.rules.items(), key=lambda kv: (-kv[1][0], kv[0])) if exact_counts else []
    rules = [{"rule": rule, "message": messages.get(rule, ""), "findings": chosen.rules[rule][0],
              "children": chosen.rules[rule][1]} for rule, _ in order]
    if not exact:  # members see the rules in code order: an order by count would rank the hidden ones
        rules.sort(key=lambda r: r["rule"])
    skipped = [(r, why) for r, why in con.execute(_SKIPPED, [la, year]).fetchall()] if exact else []
    chart = charts.trend_chart([("Findings", [(t["year"], t["findings"]) for t in trend])], "number",
                               "Validation findings by year", width=440)
    return Quality(years=trend, year=year, rules=rules, skipped=skipped, chart=chart)
