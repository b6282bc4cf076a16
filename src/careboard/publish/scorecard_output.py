"""The scorecard as analysts take it away: CSV, JSON or a terminal table.

These outputs carry exact numerators and denominators and are for analysts; anything members or
the public see goes through the disclosure-controlled briefing renderers instead.
"""

from __future__ import annotations

import csv
import io
import json

from rich.table import Table

from careboard import authorities, safe_export, years
from careboard.benchmark.compare import SCORECARD_COLUMNS, scorecard_units
from careboard.console import FirstFit, figure_column
from careboard.measures import themes
from careboard.measures.published_only import PublishedOnly

EXTRA_COLUMNS = ["theme", "title", "unit", "polarity", "benchmark_year", "best_sn_name", "ranked_of", "previous_source",
                 "source", "published"]
PUBLISHED_ONLY = "published only"  # the source of a row the DfE published and careboard did not compute


def _source(m: object, benchmark_year: object) -> tuple[str, str]:
    """('careboard', '') for a computed measure; ('published only', 'published 2026, academic year 2024/25')."""
    if isinstance(m, PublishedOnly):
        return PUBLISHED_ONLY, m.published(benchmark_year) if isinstance(benchmark_year, int) else ""
    return "careboard", ""


def _with_meta(rows: list[dict]) -> list[dict]:
    """Rows with each measure's theme, title, unit, polarity and source, grouped by theme in the Panel's order."""
    measures = scorecard_units()
    out = []
    for r in rows:
        m = measures[r["measure"]]
        source, published = _source(m, r.get("benchmark_year"))
        out.append({**r, "theme": m.theme, "title": m.title, "unit": m.unit, "polarity": m.polarity or "",
                    "source": source, "published": published})
    position = {mid: i for i, mid in enumerate(measures)}
    return sorted(out, key=lambda r: (themes.order(r["theme"]), position.get(r["measure"], 0)))


def render_scorecard(rows: list[dict], fmt: str, la: str, year: int) -> str:
    rows = _with_meta(rows)
    columns = SCORECARD_COLUMNS + EXTRA_COLUMNS
    if fmt == "json":
        return json.dumps([{c: r.get(c) for c in columns} for r in rows], indent=1, default=str) + "\n"
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow(safe_export.csv_row("" if r.get(c) is None else r.get(c) for c in columns))
    return buf.getvalue()


def _fmt(value: float | None, unit: str, dp: int = 1) -> str:
    """A figure for the terminal; ``dp`` is a published-only row's published precision."""
    if value is None:
        return "-"
    if unit in ("number", "days", "per 10,000"):
        return f"{value:,.0f}"
    return f"{value:.{dp}f}"


def scorecard_table(rows: list[dict], la: str, year: int) -> FirstFit:
    """Headline rows only, one line per measure, under a heading row per theme (measures/themes.py).

    Full layout (value, England, neighbours, best quarter, band, trend) when the terminal has room;
    in 80 columns the neighbours' and best-quarter columns give way so that the essential ones
    (measure, value, England, band, trend) show whole.
    """
    name = authorities.resolve(la).name
    title = f"Children in care scorecard: {name} ({la}), {years.label(year)}"
    cells = []
    units = scorecard_units()
    for r in _with_meta(rows):
        if r["breakdown"] != "all":
            continue
        if not cells or cells[-1]["theme"] != r["theme"]:
            cells.append({"theme": r["theme"], "heading": True})
        unit = r["unit"]
        suffix = "%" if unit == "%" else ""
        m = units[r["measure"]]
        dp = m.precision if isinstance(m, PublishedOnly) else 1
        band = f"{r['quartile_band']} ({r['rank']}/{r['ranked_of']})" if r.get("quartile_band") else "-"
        cells.append({
            "theme": r["theme"],
            "measure": r["title"] + (f" ({PUBLISHED_ONLY}: {r['published']})" if r["published"] else ""),
            "value": _fmt(r["value"], unit, dp) + suffix if r["value"] is not None else "-",
            # the comparators in the value's own unit, so "7.4% beside 10.0" cannot be read as unlike figures
            "England": _fmt(r["england"], unit, dp) + suffix if r["england"] is not None else "-",
            "neighbours": _fmt(r["sn_mean"], unit, dp) + suffix if r["sn_mean"] is not None else "-",
            "best 25%": _fmt(r["best_quartile"], unit, dp) + suffix if r["best_quartile"] is not None else "-",
            "band": band,
            "trend": r["trend"] or "-",
        })

    def layout(columns: tuple[str, ...], measure_width: int) -> Table:
        t = Table(title=title)
        t.add_column("measure", min_width=measure_width, ratio=1)
        for col in columns:
            figure_column(t, col, justify="left" if col in ("band", "trend") else "right")
        for c in cells:
            if c.get("heading"):  # the theme, as a heading row: the same groups as the web and the pack
                if t.row_count:
                    t.add_section()
                t.add_row(f"[bold]{c['theme']}[/bold]", *("" for _ in columns))
            else:
                t.add_row(c["measure"], *(c[col] for col in columns))
        return t

    return FirstFit(
        layout(("value", "England", "neighbours", "best 25%", "band", "trend"), 30),
        layout(("value", "England", "band", "trend"), 24),
    )
