"""The linked groups of children who go missing as small network drawings, one per group, drawn here as
SVG (no script, no external library) for the managers' missing-children view.

Each drawing is an image with a title and a description that says every link in words, and the page
puts the same links in a table beneath, so a screen-reader or keyboard user loses nothing: the
drawing is a picture of the table, never the only place a link is shown.  Children are circles and
places (postcode sectors where children were found) squares, evenly spaced round a circle; a solid
line joins two children who went missing together, a dashed line a child and a place they were
repeatedly found at.  The layout is fixed (no force simulation), so the same group is drawn the same.
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape, quoteattr

WIDTH, HEIGHT, RADIUS = 320, 240, 80
_TOGETHER = "went missing together"
_FOUND = "repeatedly found at"


def _positions(nodes: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[float, float]]:
    cx, cy = WIDTH / 2, HEIGHT / 2
    n = len(nodes)
    out = {}
    for i, node in enumerate(nodes):
        angle = -math.pi / 2 + 2 * math.pi * i / max(n, 1)
        out[node] = (round(cx + RADIUS * math.cos(angle), 1), round(cy + RADIUS * math.sin(angle), 1))
    return out


def link_sentence(link: dict) -> str:
    """One link in words: 'child 123 and child 456 went missing together 4 times (placement SC1 M1 1AA)'."""
    if link["link"] == "together":
        where = f" ({link['level']} {link['setting']})" if link.get("setting") else ""
        return f"child {link['child_a']} and child {link['child_b']} {_TOGETHER} {link['occasions']} times{where}"
    return f"child {link['child_a']} {_FOUND} {link['place']} {link['occasions']} times"


def group_svg(group: dict, links: list[dict], svg_id: str) -> str:
    """The drawing of one linked group (``group`` from oversight.missing.missing_links, and its links)."""
    nodes = [("child", c) for c in group["children"]] + [("place", p) for p in group["places"]]
    at = _positions(nodes)
    title = (f"Linked group {group['group_id']}: {len(group['children'])} children"
             + (f" and {len(group['places'])} places" if group["places"] else ""))
    desc = "; ".join(link_sentence(link) for link in links) + "."
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cb-network" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="{svg_id}-t {svg_id}-d">',
        f'<title id="{svg_id}-t">{escape(title)}</title>',
        f'<desc id="{svg_id}-d">{escape(desc)}</desc>',
    ]
    for link in links:
        a = at.get(("child", link["child_a"]))
        b = at.get(("child", link["child_b"])) if link["link"] == "together" else at.get(("place", link["place"]))
        if a is None or b is None:
            continue
        dash = "" if link["link"] == "together" else ' stroke-dasharray="6 4"'
        parts.append(f'<line x1="{a[0]}" y1="{a[1]}" x2="{b[0]}" y2="{b[1]}" stroke="#0b0c0c" stroke-width="2"{dash}/>')
    for (kind, ident), (x, y) in at.items():
        if kind == "child":
            parts.append(f'<circle cx="{x}" cy="{y}" r="11" fill="#1d70b8" stroke="#0b0c0c"/>')
        else:
            parts.append(f'<rect x="{x - 11}" y="{y - 11}" width="22" height="22" fill="#f47738" stroke="#0b0c0c"/>')
        anchor = "start" if x >= WIDTH / 2 else "end"
        dx = 15 if anchor == "start" else -15
        label = ident if kind == "child" else f"{ident}"
        parts.append(f'<text x="{x + dx}" y="{y + 5}" text-anchor={quoteattr(anchor)} font-size="14" '
                     f'fill="#0b0c0c">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
