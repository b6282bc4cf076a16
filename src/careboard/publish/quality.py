"""The data-quality summary: validation findings by year and by rule, as members (or analysts) see it.

One summary per kind of return (the SSDA903, the CIN census), each with the DfE's wording of its
rules for the year.  Members' counts are the releases' (publish/release.py): each year's findings
and children affected, in total and by rule, controlled together with every other figure of that
year, so a rule that fired for one to five records shows ``c`` and no total or other rule gives it
away.  Analysts see the same tables with exact counts (``exact=True``), and the rules that were not
run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from careboard.publish import charts
from careboard.publish.release import KINDS, QualityCounts, Releases, read_quality
from careboard.validate.ruleset import RULESETS


@dataclass
class Quality:
    """What the data quality page shows; every count a number (analysts) or a released figure (members)."""

    years: list[dict]  # year, rules_run, findings, children
    year: int | None
    rules: list[dict] = field(default_factory=list)  # rule, message, findings, children
    skipped: list[tuple[str, str]] = field(default_factory=list)
    chart: str = ""
    kind: str = "ssda903"
    kinds: list[tuple[str, str]] = field(default_factory=list)  # (kind, label) of every return validated

    @property
    def label(self) -> str:
        return RULESETS[self.kind].label


_SKIPPED = """
SELECT s.rule, s.reason FROM validation_skipped s
WHERE s.run_id = (SELECT r.run_id FROM validation_runs r JOIN current_loads l ON l.load_id = r.load_id
                  WHERE r.la = ? AND r.year = ? AND l.kind = ? ORDER BY r.run_id DESC LIMIT 1)
ORDER BY s.rule
"""


def messages(kind: str, year: int) -> dict[str, str]:
    """Each rule's wording for ``kind`` in the ruleset that checks a return of ``year``."""
    ruleset = RULESETS[kind]
    return {code: info.message_for(ruleset.ruleset_year(year)) for code, info in ruleset.rule_list().items()}


def summary(con: duckdb.DuckDBPyConnection, la: str, year: int | None, releases: Releases,
            exact: bool = False, kind: str = "ssda903") -> Quality:
    """Validation summary for ``la``'s returns of ``kind``: the trend over every validated year, and ``year``'s
    rules (the latest if ``year`` was not validated).  ``exact`` gives analysts the counts before disclosure
    control."""
    counts: dict[str, dict[int, QualityCounts]] = {k: {} for k in KINDS}
    for y in releases.years(con):
        for k in KINDS:
            q = read_quality(con, la, y, k) if exact else releases.get(con, y).qualities.get(k)
            if q is not None:
                counts[k][y] = q
    kinds = [(k, RULESETS[k].label) for k in KINDS if counts[k]]
    by_year = counts[kind]
    if not by_year:
        return Quality(years=[], year=None, kind=kind, kinds=kinds)
    year = year if year in by_year else max(by_year)
    trend = [{"year": y, "rules_run": q.rules_run, "findings": q.findings, "children": q.children}
             for y, q in sorted(by_year.items())]
    wording = messages(kind, year)
    chosen = by_year[year]
    exact_counts = read_quality(con, la, year, kind)
    order = sorted(exact_counts.rules.items(), key=lambda kv: (-kv[1][0], kv[0])) if exact_counts else []
    rules = [{"rule": rule, "message": wording.get(rule, ""), "findings": chosen.rules[rule][0],
              "children": chosen.rules[rule][1]} for rule, _ in order]
    if not exact:  # members see the rules in code order: an order by count would rank the hidden ones
        rules.sort(key=lambda r: r["rule"])
    skipped = [(r, why) for r, why in con.execute(_SKIPPED, [la, year, kind]).fetchall()] if exact else []
    chart = charts.trend_chart([("Findings", [(t["year"], t["findings"]) for t in trend])], "number",
                               "Validation findings by year", width=440)
    return Quality(years=trend, year=year, rules=rules, skipped=skipped, chart=chart, kind=kind, kinds=kinds)
