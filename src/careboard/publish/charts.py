"""Charts as hand-written SVG: one renderer for the web pages and the PDF pack.

Why hand-written: four small chart types do not justify a plotting library, and writing the SVG
ourselves lets every chart be accessible by construction:

* the root has ``role="img"`` and ``aria-labelledby`` pointing at a ``<title>`` and a ``<desc>``
  that state every number drawn, so a screen reader (or the PDF's alt text) gets the chart's content;
* colours are from the GOV.UK palette with at least 4.5:1 contrast on white, and meaning never
  rests on colour alone: series differ by line style and marker shape and are labelled directly;
* hidden figures (disclosure markers) are never drawn: a line breaks and a bar is replaced by 'c'.

All functions take disclosure-controlled values and return an SVG string.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from xml.sax.saxutils import escape

from careboard.publish.disclosure import figure, is_marker
from careboard.publish.narrative import fmt

FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"
TEXT = "#0b0c0c"  # 19:1 on white
OURS = "#1d70b8"  # GOV.UK blue, 5.2:1
ENGLAND = "#0b0c0c"
NEIGHBOURS = "#505a5f"  # GOV.UK secondary text, 7:1
BEST = "#00703c"  # GOV.UK green, 5.9:1 (the label carries the meaning, not the colour)
BEST_FILL = "#cce2d8"
GRID = "#b1b4b6"

Series = Sequence[tuple[int, object]]  # (year, value or marker)


def _a(text: object) -> str:
    return escape(str(text), {'"': "&quot;"})


def _svg(width: int, height: int, title: str, desc: str, body: str) -> str:
    uid = "c" + hashlib.sha1(f"{title}|{desc}|{body}".encode()).hexdigest()[:10]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{uid}-t {uid}-d" font-family="{_a(FONT)}" '
        f'font-size="12" fill="{TEXT}">'
        f'<title id="{uid}-t">{_a(title)}</title><desc id="{uid}-d">{_a(desc)}</desc>{body}</svg>'
    )


def _year_label(year: int) -> str:
    return f"{year - 1}-{year % 100:02d}"


def _series_text(series: Series, unit: str) -> str:
    return "; ".join(f"{_year_label(y)}: {fmt(v, unit) if (is_marker(v) or figure(v) is not None) else 'x'}"
                     for y, v in series)


def _nice_max(hi: float) -> float:
    """A round axis maximum at or above ``hi``."""
    if hi <= 0:
        return 1.0
    mag = 10 ** math.floor(math.log10(hi))
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * mag >= hi:
            return step * mag
    return 10 * mag


def _axis_max(values: list[float], unit: str) -> float:
    """An axis top with four round steps (0, 10, 20, 30, 40), a little above the largest value."""
    hi = max(values, default=0.0)
    if hi <= 0:
        return 100.0 if unit == "%" else 4.0
    top = 4 * _nice_max(hi * 1.1 / 4)
    return min(top, 100.0) if unit == "%" and hi <= 100 else top


def _segments(points: list[tuple[float, float | None]]) -> list[list[tuple[float, float]]]:
    """Runs of consecutive shown points: a hidden or missing value breaks the line."""
    runs: list[list[tuple[float, float]]] = [[]]
    for x, y in points:
        if y is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((x, y))
    return [r for r in runs if r]


def _path(run: list[tuple[float, float]]) -> str:
    return " ".join(("M" if i == 0 else "L") + f"{x:.1f},{y:.1f}" for i, (x, y) in enumerate(run))


def sparkline(series: Series, unit: str, title: str, width: int = 120, height: int = 28) -> str:
    """A small trend line of our figure over the years, with the latest shown value marked."""
    shown = [figure(v) for _, v in series]
    nums = [v for v in shown if v is not None]
    desc = f"Trend: {_series_text(series, unit)}."
    if not nums:
        return _svg(width, height, title, desc, f'<text x="2" y="{height - 8}">no figures to show</text>')
    lo, hi = min(nums), max(nums)
    span = (hi - lo) or 1.0
    n = max(len(series) - 1, 1)
    pts = [(3 + i * (width - 6) / n, None if v is None else height - 4 - (v - lo) / span * (height - 8))
           for i, v in enumerate(shown)]
    body = "".join(f'<path d="{_path(r)}" fill="none" stroke="{OURS}" stroke-width="2"/>' for r in _segments(pts))
    last = next((p for p in reversed(pts) if p[1] is not None), None)
    if last is not None:
        body += f'<circle cx="{last[0]:.1f}" cy="{last[1]:.1f}" r="3" fill="{OURS}"/>'
    return _svg(width, height, title, desc, body)


def _tick(v: float, unit: str) -> str:
    """An axis label: as short as the figure allows ('20%', '1,500')."""
    text = f"{v:,.1f}".rstrip("0").rstrip(".")
    return f"{text}%" if unit == "%" else text


LABEL_CHAR = 6.2  # the average width of a character at font size 11, in the charts' units (generous)


def _spread(ys: list[float], gap: float, lo: float, hi: float) -> list[float]:
    """Move label positions apart by at least ``gap``, keeping them within [lo, hi] and in order."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    placed = [ys[i] for i in order]
    for i in range(1, len(placed)):
        placed[i] = max(placed[i], placed[i - 1] + gap)
    overflow = placed[-1] - hi if placed else 0
    if overflow > 0:
        placed = [y - overflow for y in placed]
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = min(placed[i], placed[i + 1] - gap)
    placed = [max(y, lo) for y in placed]
    out = [0.0] * len(ys)
    for i, y in zip(order, placed, strict=True):
        out[i] = y
    return out


def trend_chart(lines: Sequence[tuple[str, Series]], unit: str, title: str, width: int = 440, height: int = 180) -> str:
    """Our figure over the years against England and statistical neighbours, each line labelled.

    ``lines`` is [(label, series)], ours first; up to three lines, drawn solid with dots, dashed
    with diamonds, and dotted with squares, so they can be told apart without colour.
    """
    styles = [(OURS, "", "circle"), (ENGLAND, "6 4", "diamond"), (NEIGHBOURS, "2 3", "square")]
    years = sorted({y for _, s in lines for y, _ in s})
    values = [figure(v) for _, s in lines for _, v in s]
    nums = [v for v in values if v is not None]
    desc = " ".join(f"{label}: {_series_text(s, unit)}." for label, s in lines)
    if not years or not nums:
        return _svg(width, 40, title, desc, '<text x="4" y="24">no figures to show</text>')
    ends = [f"{label}: {fmt(shown[-1], unit)}" for label, s in lines
            if (shown := [v for _, v in s if figure(v) is not None])]
    # the labels sit right of the plot: room for the longest ("Neighbours: 42 per 10,000" overflowed 118)
    left, top, bottom = 44, 10, 26
    right = max(118, 14 + round(LABEL_CHAR * max((len(t) for t in ends), default=0)))
    plot_w, plot_h = width - left - right, height - top - bottom
    ymax = _axis_max(nums, unit)

    def x_of(year: int) -> float:
        return left + (plot_w * (years.index(year) / max(len(years) - 1, 1)) if len(years) > 1 else plot_w / 2)

    def y_of(v: float) -> float:
        return top + plot_h * (1 - v / ymax)

    parts = []
    for i in range(5):
        v = ymax * i / 4
        y = y_of(v)
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" '
                     'stroke-width="0.5"/>')
        parts.append(f'<text x="{left - 5}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
                     f'{_a(_tick(v, unit))}</text>')
    slot = plot_w / max(len(years) - 1, 1)
    for i, year in enumerate(years):
        if slot < 30 and i % 2 and i != len(years) - 1:
            continue
        text = _year_label(year) if slot >= 46 else f"{(year - 1) % 100:02d}-{year % 100:02d}"
        parts.append(f'<text x="{x_of(year):.1f}" y="{height - 8}" text-anchor="middle" font-size="11">{text}</text>')
    labels: list[tuple[float, str, str]] = []
    for (label, series), (colour, dash, shape) in zip(lines, styles, strict=False):
        pts = [(x_of(y), None if figure(v) is None else y_of(figure(v))) for y, v in series]  # type: ignore[arg-type]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for run in _segments(pts):
            parts.append(f'<path d="{_path(run)}" fill="none" stroke="{colour}" stroke-width="2"{dash_attr}/>')
        for (x, y), (_, v) in zip(pts, series, strict=True):
            if y is not None:
                parts.append(_marker(shape, x, y, colour))
            elif is_marker(v):
                parts.append(f'<text x="{x:.1f}" y="{top + plot_h - 4:.1f}" text-anchor="middle" font-size="11" '
                             f'fill="{colour}">{_a(v)}</text>')
        shown = [(y, v) for (_, y), (_, v) in zip(pts, series, strict=True) if y is not None]
        last = shown[-1] if shown else None
        if last is not None:
            labels.append((last[0], f"{label}: {fmt(last[1], unit)}", colour))
    spread = _spread([lab[0] for lab in labels], 13, top + 4, top + plot_h)
    for (_, text, colour), y in zip(labels, spread, strict=True):
        weight = ' font-weight="bold"' if colour == OURS else ""
        parts.append(f'<text x="{left + plot_w + 8}" y="{y + 4:.1f}" font-size="11" fill="{colour}"{weight}>'
                     f'{_a(text)}</text>')
    return _svg(width, height, title, desc, "".join(parts))


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "diamond":
        d = f"M{x:.1f},{y - 5:.1f} L{x + 5:.1f},{y:.1f} L{x:.1f},{y + 5:.1f} L{x - 5:.1f},{y:.1f} Z"
        return f'<path d="{d}" fill="{colour}"/>'
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def bar_chart(items: Sequence[tuple[str, object]], unit: str, title: str, width: int = 440,
              highlight: str | None = None) -> str:
    """Horizontal bars for a breakdown; hidden figures show 'c' and no bar; ``highlight`` is outlined and bold."""
    row_h, left, right = 22, 200, 80
    height = max(row_h * len(items) + 10, 30)
    desc = "; ".join(f"{label}: {fmt(v, unit) if (is_marker(v) or figure(v) is not None) else 'x'}"
                     for label, v in items) + "."
    nums = [figure(v) for _, v in items]
    vmax = _axis_max([v for v in nums if v is not None], unit)
    plot_w = width - left - right
    parts = []
    for i, ((label, v), num) in enumerate(zip(items, nums, strict=True)):
        y = 5 + i * row_h
        weight = ' font-weight="bold"' if label == highlight else ""
        short = label if len(label) <= 32 else label[:31] + "…"
        parts.append(f'<text x="{left - 6}" y="{y + 15}" text-anchor="end"{weight}>{_a(short)}</text>')
        if num is None:
            parts.append(f'<text x="{left + 4}" y="{y + 15}" fill="{NEIGHBOURS}">{_a(fmt(v, unit))}</text>')
            continue
        w = max(plot_w * num / vmax, 1.0)
        stroke = f' stroke="{TEXT}" stroke-width="2"' if label == highlight else ""
        parts.append(f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" fill="{OURS}"{stroke}/>')
        parts.append(f'<text x="{left + w + 5:.1f}" y="{y + 15}"{weight}>{_a(fmt(v, unit))}</text>')
    return _svg(width, height, title, desc, "".join(parts))


def _strip_range(nums: list[float], unit: str) -> tuple[float, float]:
    """A scale around the figures, not from zero: a strip compares positions, so it can zoom in."""
    lo, hi = min(nums), max(nums)
    pad = max((hi - lo) * 0.25, 2.0 if unit == "%" else abs(hi) * 0.05, 0.5)
    lo, hi = lo - pad, hi + pad
    step = _nice_max((hi - lo) / 4)
    lo, hi = math.floor(lo / step) * step, math.ceil(hi / step) * step
    if unit == "%":
        lo, hi = max(lo, 0.0), min(hi, 100.0)
    return (max(lo, 0.0) if min(nums) >= 0 else lo), hi


def benchmark_strip(value: object, unit: str, polarity: str | None, title: str, *,
                    others: Sequence[tuple[str, object]] = (), best_quartile: object = None,
                    ours_label: str = "Us", width: int = 440) -> str:
    """Where we stand on one scale: our figure against ``others`` (e.g. England, the neighbours' average)
    and, when the measure has a polarity, the shaded best quarter of councils."""
    styles = [(ENGLAND, "diamond"), (NEIGHBOURS, "square")]
    marks = [(ours_label, value, OURS, "circle")] + [
        (lab, v, *styles[i % len(styles)]) for i, (lab, v) in enumerate(others)]
    shown = [(lab, figure(v), c, s) for lab, v, c, s in marks if figure(v) is not None]
    bq = figure(best_quartile) if polarity else None
    desc_parts = [f"{lab}: {fmt(v, unit)}" for lab, v, _, _ in marks if figure(v) is not None or is_marker(v)]
    if bq is not None:
        more = "or more" if polarity == "high" else "or less"
        desc_parts.append(f"best quarter of councils in England: {fmt(bq, unit)} {more}")
    desc = "; ".join(desc_parts) + "." if desc_parts else "No figures to show."
    height = 100
    nums = [v for _, v, _, _ in shown] + ([bq] if bq is not None else [])
    if not nums:
        return _svg(width, 30, title, desc, '<text x="4" y="20">no figures to show</text>')
    left, right = 16, 16
    vmin, vmax = _strip_range(nums, unit)
    plot_w = width - left - right
    axis_y = 40

    def x_of(v: float) -> float:
        return left + plot_w * min(max((v - vmin) / (vmax - vmin), 0.0), 1.0)

    parts = []
    if bq is not None:
        x0, x1 = (x_of(bq), left + plot_w) if polarity == "high" else (left, x_of(bq))
        parts.append(f'<rect x="{x0:.1f}" y="{axis_y - 10}" width="{max(x1 - x0, 1):.1f}" height="20" '
                     f'fill="{BEST_FILL}"/>')
        anchor = "start" if polarity == "high" else "end"
        tx = x0 + 3 if polarity == "high" else x1 - 3
        if polarity == "high" and x0 > left + plot_w - 120:
            anchor, tx = "end", left + plot_w
        if polarity != "high" and x1 < left + 120:
            anchor, tx = "start", left
        parts.append(f'<text x="{tx:.1f}" y="{axis_y + 38}" text-anchor="{anchor}" font-size="11" fill="{BEST}">'
                     f'best quarter ({fmt(bq, unit)} {"or more" if polarity == "high" else "or less"})</text>')
    parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{axis_y}" y2="{axis_y}" stroke="{TEXT}" '
                 'stroke-width="1"/>')
    parts.append(f'<text x="{left}" y="{axis_y + 24}" font-size="10" fill="{NEIGHBOURS}">'
                 f'{_a(_tick(vmin, unit))}</text>')
    parts.append(f'<text x="{left + plot_w}" y="{axis_y + 24}" text-anchor="end" font-size="10" fill="{NEIGHBOURS}">'
                 f'{_a(_tick(vmax, unit))}</text>')
    # Labels: ours above the axis; the others above too, on another row where their text would meet
    # (widths estimated from the text: "Neighbours' average: 42 per 10,000" is far wider than "Us: 5%").
    placed: list[tuple[float, float, int]] = []
    for label, v, colour, shape in shown:
        x = x_of(v)  # type: ignore[arg-type]
        parts.append(_marker(shape, x, axis_y, colour))
        w = LABEL_CHAR * len(f"{label}: {fmt(v, unit)}")
        anchor = "start" if x - w / 2 < 2 else "end" if x + w / 2 > width - 2 else "middle"
        x0 = x if anchor == "start" else x - w if anchor == "end" else x - w / 2
        row = 0
        while any(pr == row and x0 - 8 < b and a < x0 + w + 8 for a, b, pr in placed):
            row += 1
        placed.append((x0, x0 + w, row))
        ty = axis_y - 14 - 13 * row if row < 2 else axis_y + 54 + 13 * (row - 2)
        weight = ' font-weight="bold"' if label == ours_label else ""
        parts.append(f'<text x="{x:.1f}" y="{ty}" text-anchor="{anchor}" font-size="11" fill="{colour}"{weight}>'
                     f'{_a(label)}: {_a(fmt(v, unit))}</text>')
    return _svg(width, height, title, desc, "".join(parts))
