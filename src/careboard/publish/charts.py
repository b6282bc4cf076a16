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
from careboard.publish.wording import fmt, short

FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"
FONT_SIZE = 14  # every label: at least 14 px where a chart is shown at its own width (desktop pages)
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


def _svg(width: float, height: float, title: str, desc: str, body: str) -> str:
    uid = "c" + hashlib.sha1(f"{title}|{desc}|{body}".encode()).hexdigest()[:10]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" aria-labelledby="{uid}-t {uid}-d" font-family="{_a(FONT)}" '
        f'font-size="{FONT_SIZE}" fill="{TEXT}">'
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


def _text_width(text: str, size: float = FONT_SIZE) -> float:
    """Roughly how wide ``text`` is in Arial at ``size``: enough to keep labels apart and inside the chart."""
    return len(text) * size * 0.55


def _wrap(text: str, chars: int) -> list[str]:
    """``text`` in lines of at most ``chars`` characters, broken at spaces (a long word stays whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def sparkline(series: Series, unit: str, title: str, width: int = 160, height: int = 38) -> str:
    """A small trend line of our figure over the years, labelled with its first and latest shown values,
    so that its scale can be read (the years are in the description and in the table beside it)."""
    shown = [figure(v) for _, v in series]
    nums = [v for v in shown if v is not None]
    desc = f"Trend: {_series_text(series, unit)}."
    if not nums:
        return _svg(width, height, title, desc, f'<text x="2" y="{height - 14}">no figures to show</text>')
    points = [(i, v) for i, v in enumerate(shown) if v is not None]
    first_text, last_text = short(points[0][1], unit), short(points[-1][1], unit)
    left = _text_width(first_text) + 8 if len(points) > 1 else 4
    right = _text_width(last_text) + 10
    lo, hi = min(nums), max(nums)
    span = (hi - lo) or 1.0
    n = max(len(series) - 1, 1)
    plot_w = max(width - left - right, 20)
    pts = [(left + i * plot_w / n, None if v is None else height - 8 - (v - lo) / span * (height - 16))
           for i, v in enumerate(shown)]
    body = "".join(f'<path d="{_path(r)}" fill="none" stroke="{OURS}" stroke-width="2"/>' for r in _segments(pts))
    first = pts[points[0][0]]
    last = pts[points[-1][0]]
    body += f'<circle cx="{last[0]:.1f}" cy="{last[1]:.1f}" r="3.5" fill="{OURS}"/>'
    if len(points) > 1:
        body += (f'<circle cx="{first[0]:.1f}" cy="{first[1]:.1f}" r="2.5" fill="{OURS}"/>'
                 f'<text x="{first[0] - 6:.1f}" y="{first[1] + 5:.1f}" text-anchor="end">{_a(first_text)}</text>')
    body += (f'<text x="{last[0] + 7:.1f}" y="{last[1] + 5:.1f}" font-weight="bold" fill="{OURS}">'
             f'{_a(last_text)}</text>')
    return _svg(width, height, title, desc, body)


def _tick(v: float, unit: str) -> str:
    """An axis label: as short as the figure allows ('20%', '1,500')."""
    text = f"{v:,.1f}".rstrip("0").rstrip(".")
    return f"{text}%" if unit == "%" else text


LABEL_CHAR = 7.9  # the average width of a character at the charts' label size (14 px), generous
# Line styles for up to four series, told apart without colour: solid with dots, dashed with diamonds,
# dotted with squares, dash-dot with no markers (the best-quarter threshold).
LINE_STYLES = ((OURS, "", "circle"), (ENGLAND, "6 4", "diamond"), (NEIGHBOURS, "2 3", "square"),
               (BEST, "9 3 2 3", "none"))


def trend_chart(lines: Sequence[tuple[str, Series]], unit: str, title: str, width: int = 600, height: int = 220) -> str:
    """Our figure over the years against England, statistical neighbours and the best quarter, with a legend.

    ``lines`` is [(label, series)], ours first; up to four lines, drawn solid with dots, dashed with
    diamonds, dotted with squares and dash-dotted, so they can be told apart without colour.  The
    legend below the plot names each line and its latest shown value.
    """
    lines = [(label, s) for label, s in lines if s][:4]
    years = sorted({y for _, s in lines for y, _ in s})
    values = [figure(v) for _, s in lines for _, v in s]
    nums = [v for v in values if v is not None]
    desc = " ".join(f"{label}: {_series_text(s, unit)}." for label, s in lines)
    if not years or not nums:
        return _svg(width, 40, title, desc, '<text x="4" y="26">no figures to show</text>')
    ymax = _axis_max(nums, unit)
    left = max(_text_width(_tick(ymax, unit)) + 12, 40)
    right, top, plot_h = 30, 12, height - 50
    plot_w = width - left - right

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
        parts.append(f'<text x="{left - 6}" y="{y + 5:.1f}" text-anchor="end">{_a(_tick(v, unit))}</text>')
    slot = plot_w / max(len(years) - 1, 1)
    for i, year in enumerate(years):
        if slot < 70 and i % 2 and i != len(years) - 1:
            continue
        parts.append(f'<text x="{x_of(year):.1f}" y="{top + plot_h + 22}" text-anchor="middle">'
                     f'{_year_label(year)}</text>')
    legend: list[str] = []
    for (label, series), (colour, dash, shape) in zip(lines, LINE_STYLES, strict=False):
        pts = [(x_of(y), None if figure(v) is None else y_of(figure(v))) for y, v in series]  # type: ignore[arg-type]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for run in _segments(pts):
            parts.append(f'<path d="{_path(run)}" fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr}/>')
        for (x, y), (_, v) in zip(pts, series, strict=True):
            if y is not None:
                parts.append(_marker(shape, x, y, colour))
            elif is_marker(v) and colour == OURS:
                parts.append(f'<text x="{x:.1f}" y="{top + plot_h - 6:.1f}" text-anchor="middle" '
                             f'fill="{colour}">{_a(v)}</text>')
        latest = [(y, v) for y, v in series if figure(v) is not None]
        legend.append((label, colour, dash, shape, short(latest[-1][1], unit) if latest else "no figure"))
    # The legend: one line per series, sample line and marker, then "label: latest value".
    legend_top = top + plot_h + 36
    rows = []
    x, y = left, legend_top
    for label, colour, dash, shape, last in legend:
        text = f"{label}: {last}"
        item_w = 40 + _text_width(text)
        if x + item_w > width and x > left:
            x, y = left, y + 22
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        weight = ' font-weight="bold"' if colour == OURS else ""
        rows.append(f'<line x1="{x:.1f}" x2="{x + 28:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="{colour}" '
                    f'stroke-width="2.5"{dash_attr}/>{_marker(shape, x + 14, y, colour)}'
                    f'<text x="{x + 34:.1f}" y="{y + 5:.1f}" fill="{colour}"{weight}>{_a(text)}</text>')
        x += item_w + 18
    total_h = y + 14
    return _svg(width, total_h, title, desc, "".join(parts + rows))


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "none":
        return ""
    if shape == "diamond":
        d = f"M{x:.1f},{y - 5:.1f} L{x + 5:.1f},{y:.1f} L{x:.1f},{y + 5:.1f} L{x - 5:.1f},{y:.1f} Z"
        return f'<path d="{d}" fill="{colour}"/>'
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def bar_chart(items: Sequence[tuple[str, object]], unit: str, title: str, width: int = 600,
              highlight: str | None = None) -> str:
    """Horizontal bars for a breakdown, in the order given; hidden figures show 'c' and no bar;
    ``highlight`` is outlined and bold.  Long labels wrap onto a second line, so rows stay aligned."""
    label_w = 230
    chars = int(label_w / (FONT_SIZE * 0.55))
    wrapped = [_wrap(label, chars)[:2] for label, _ in items]
    heights = [14 + 18 * len(lines) for lines in wrapped]
    height = max(sum(heights) + 8, 34)
    desc = "; ".join(f"{label}: {fmt(v, unit) if (is_marker(v) or figure(v) is not None) else 'x'}"
                     for label, v in items) + "."
    nums = [figure(v) for _, v in items]
    vmax = _axis_max([v for v in nums if v is not None], unit)
    value_w = max([_text_width(short(v, unit)) for _, v in items] + [30]) + 10
    plot_w = width - label_w - 10 - value_w
    parts = []
    y = 4
    for (label, v), num, lines, h in zip(items, nums, wrapped, heights, strict=True):
        weight = ' font-weight="bold"' if label == highlight else ""
        mid = y + h / 2
        for k, line in enumerate(lines):
            ty = mid + 5 + (k - (len(lines) - 1) / 2) * 18
            parts.append(f'<text x="{label_w}" y="{ty:.1f}" text-anchor="end"{weight}>{_a(line)}</text>')
        x0 = label_w + 10
        if num is None:
            parts.append(f'<text x="{x0 + 4}" y="{mid + 5:.1f}" fill="{NEIGHBOURS}">{_a(short(v, unit))}</text>')
        else:
            w = max(plot_w * num / vmax, 1.0)
            stroke = f' stroke="{TEXT}" stroke-width="2"' if label == highlight else ""
            parts.append(f'<rect x="{x0}" y="{mid - 10:.1f}" width="{w:.1f}" height="20" fill="{OURS}"{stroke}/>')
            parts.append(f'<text x="{x0 + w + 6:.1f}" y="{mid + 5:.1f}"{weight}>{_a(short(v, unit))}</text>')
        y += h
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
                    ours_label: str = "Us", width: int = 600) -> str:
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
    height = 120
    nums = [v for _, v, _, _ in shown] + ([bq] if bq is not None else [])
    if not nums:
        return _svg(width, 30, title, desc, '<text x="4" y="20">no figures to show</text>')
    left, right = 16, 16
    vmin, vmax = _strip_range(nums, unit)
    plot_w = width - left - right
    axis_y = 50

    def x_of(v: float) -> float:
        return left + plot_w * min(max((v - vmin) / (vmax - vmin), 0.0), 1.0)

    parts = []
    if bq is not None:
        x0, x1 = (x_of(bq), left + plot_w) if polarity == "high" else (left, x_of(bq))
        parts.append(f'<rect x="{x0:.1f}" y="{axis_y - 10}" width="{max(x1 - x0, 1):.1f}" height="20" '
                     f'fill="{BEST_FILL}"/>')
        anchor = "start" if polarity == "high" else "end"
        tx = x0 + 3 if polarity == "high" else x1 - 3
        if polarity == "high" and x0 > left + plot_w - 220:
            anchor, tx = "end", left + plot_w
        if polarity != "high" and x1 < left + 220:
            anchor, tx = "start", left
        parts.append(f'<text x="{tx:.1f}" y="{axis_y + 44}" text-anchor="{anchor}" fill="{BEST}">'
                     f'best quarter ({short(bq, unit)} {"or more" if polarity == "high" else "or less"})</text>')
    parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{axis_y}" y2="{axis_y}" stroke="{TEXT}" '
                 'stroke-width="1"/>')
    parts.append(f'<text x="{left}" y="{axis_y + 26}" fill="{NEIGHBOURS}">'
                 f'{_a(_tick(vmin, unit))}</text>')
    parts.append(f'<text x="{left + plot_w}" y="{axis_y + 26}" text-anchor="end" fill="{NEIGHBOURS}">'
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
        ty = axis_y - 16 - 17 * row if row < 2 else axis_y + 64 + 17 * (row - 2)
        weight = ' font-weight="bold"' if label == ours_label else ""
        parts.append(f'<text x="{x:.1f}" y="{ty}" text-anchor="{anchor}" fill="{colour}"{weight}>'
                     f'{_a(label)}: {_a(short(v, unit))}</text>')
    return _svg(width, height, title, desc, "".join(parts))
