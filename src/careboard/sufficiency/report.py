"""Forecast tables, CSV and SVG fan charts, and the aggregate-only summary for the web app and member pack.

Everything here works on counts already aggregated over simulated futures: no child-level record
leaves this module, so its output can go to members as it stands.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from html import escape

import numpy as np

from careboard import safe_export

from .simulate import Simulation
from .states import AGE_BANDS, CATEGORIES

QUANTILES = (10, 25, 50, 75, 90)


def forecast_rows(sim: Simulation, by_age: bool = False, every: int = 12) -> list[dict[str, object]]:
    """Quantiles of children looked after by category (and age band) every ``every`` months, plus the total."""
    rows = []
    months = list(range(0, len(sim.dates), every))
    if months[-1] != len(sim.dates) - 1:
        months.append(len(sim.dates) - 1)
    series: list[tuple[str, str, np.ndarray]] = []
    for i, c in enumerate(CATEGORIES):
        if by_age:
            series += [(c, b, sim.counts[:, :, i, j]) for j, b in enumerate(AGE_BANDS)]
        else:
            series.append((c, "All ages", sim.counts[:, :, i, :].sum(axis=2)))
    series.append(("Total", "All ages", sim.totals()))
    for cat, band, values in series:
        q = np.percentile(values, QUANTILES, axis=0)
        for m in months:
            rows.append({"date": sim.dates[m].isoformat(), "months_ahead": m, "category": cat, "age_band": band,
                         "p10": round(float(q[0, m]), 1), "p25": round(float(q[1, m]), 1),
                         "median": round(float(q[2, m]), 1), "p75": round(float(q[3, m]), 1),
                         "p90": round(float(q[4, m]), 1)})
    return rows


def to_csv(rows: list[dict[str, object]]) -> str:
    if not rows:
        return ""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(safe_export.csv_dict(r) for r in rows)
    return buf.getvalue()


def fan_chart(title: str, history: list[tuple[dt.date, float]], dates: list[dt.date], quantiles: np.ndarray,
              width: int = 640, height: int = 300) -> str:
    """An SVG fan chart: history as a solid line, then the median and 50% / 80% bands of the futures.

    ``quantiles`` is (5, len(dates)) for the 10th, 25th, 50th, 75th and 90th percentiles.
    """
    left, right, top, bottom = 56, 16, 34, 36
    all_days = [d for d, _ in history] + list(dates)
    d0, d1 = min(all_days).toordinal(), max(all_days).toordinal()
    values = [v for _, v in history] + list(np.ravel(quantiles))
    vmax = max(values) * 1.1 if values and max(values) > 0 else 1.0

    def x(d: dt.date) -> float:
        return left + (d.toordinal() - d0) / max(d1 - d0, 1) * (width - left - right)

    def y(v: float) -> float:
        return top + (1 - v / vmax) * (height - top - bottom)

    def band(lo: np.ndarray, hi: np.ndarray) -> str:
        pts = [f"{x(d):.1f},{y(v):.1f}" for d, v in zip(dates, hi, strict=True)]
        pts += [f"{x(d):.1f},{y(v):.1f}" for d, v in zip(reversed(dates), lo[::-1], strict=True)]
        return " ".join(pts)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
             'font-family="Arial" font-size="12">',
             f"<title>{escape(title)}</title>",
             f'<text x="{left}" y="20" font-size="14" font-weight="bold">{escape(title)}</text>']
    for k in range(5):
        v = vmax / 1.1 * k / 4
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v:,.0f}</text>')
    for year in range(min(all_days).year + 1, max(all_days).year + 1):
        d = dt.date(year, 1, 1)
        parts.append(f'<text x="{x(d):.1f}" y="{height - 14}" text-anchor="middle">{year}</text>')
    parts.append(f'<polygon points="{band(quantiles[0], quantiles[4])}" fill="#1d70b8" fill-opacity="0.18">'
                 "<title>80% of simulated futures</title></polygon>")
    parts.append(f'<polygon points="{band(quantiles[1], quantiles[3])}" fill="#1d70b8" fill-opacity="0.30">'
                 "<title>50% of simulated futures</title></polygon>")
    med = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in zip(dates, quantiles[2], strict=True))
    parts.append(f'<polyline points="{med}" fill="none" stroke="#1d70b8" stroke-width="2" stroke-dasharray="6 3"/>')
    if history:
        hist = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in history)
        parts.append(f'<polyline points="{hist}" fill="none" stroke="#0b0c0c" stroke-width="2"/>')
    parts.append(f'<text x="{width - right}" y="{height - 2}" text-anchor="end" fill="#505a5f">'
                 "Solid: recorded. Dashed: median forecast. Shaded: 50% and 80% of simulated futures.</text>")
    parts.append("</svg>")
    return "\n".join(parts)


def charts(sim: Simulation, history_dates: list[dt.date], history: np.ndarray) -> dict[str, str]:
    """Fan charts for the total and each category; ``history`` is (date, category) counts."""
    out = {}
    tot_q = np.percentile(sim.totals(), QUANTILES, axis=0)
    out["Total"] = fan_chart("Children looked after", list(zip(history_dates, history.sum(axis=1).tolist(),
                                                                   strict=True)), sim.dates, tot_q)
    cats = sim.by_category()
    for i, c in enumerate(CATEGORIES):
        q = np.percentile(cats[:, :, i], QUANTILES, axis=0)
        out[c] = fan_chart(c, list(zip(history_dates, history[:, i].tolist(), strict=True)), sim.dates, q)
    return out


def member_summary(sim: Simulation, spend_rows: list[dict[str, object]] | None = None,
                   capacity_rows: list[dict[str, object]] | None = None) -> dict[str, object]:
    """The sufficiency section for the web app and member pack: aggregates and plain-English sentences only."""
    tot = sim.totals()
    last = len(sim.dates) - 1
    q = np.percentile(tot[:, last], [10, 50, 90])
    by_cat = np.median(sim.by_category()[:, last], axis=0)
    now = sim.by_category()[0, 0]
    years = last // 12
    span = f"{years} year{'s' if years != 1 else ''}" if last % 12 == 0 else f"{last} months"
    lines = [
        f"{int(tot[0, 0]):,} children were looked after on {sim.dates[0]:%d %B %Y}. In {span} the model expects "
        f"about {q[1]:,.0f} (80% of simulated futures between {q[0]:,.0f} and {q[2]:,.0f}).",
    ]
    change = by_cat - now
    for i in np.argsort(-np.abs(change))[:3]:
        if abs(change[i]) >= 1:
            lines.append(f"{CATEGORIES[i]}: {now[i]:,.0f} now, about {by_cat[i]:,.0f} by {sim.dates[last]:%B %Y}.")
    return {
        "start": sim.dates[0].isoformat(), "end": sim.dates[last].isoformat(),
        "total_now": int(tot[0, 0]), "total_end": {"p10": float(q[0]), "median": float(q[1]), "p90": float(q[2])},
        "by_category": [{"category": c, "now": int(now[i]), "median_end": float(by_cat[i])}
                        for i, c in enumerate(CATEGORIES)],
        "sentences": lines, "spend": spend_rows or [], "capacity": capacity_rows or [],
    }
