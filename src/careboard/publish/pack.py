"""The Corporate Parenting Panel information pack as a PDF, rendered from a Briefing with WeasyPrint.

The HTML comes from the Jinja2 templates in ``publish/templates``; the pack body lives in partials
(``partials/body.html`` and what it includes) so the web app renders the same content from the same
Briefing.  Use :func:`environment` to get a Jinja2 environment with the filters the partials need,
and render ``partials/body.html`` (or any partial) with ``briefing``, ``markers=briefing.markers``
and ``inline_svg=True`` (inline SVG with its own role/title/desc on the web; the PDF uses <img>
with the same text as alt, which WeasyPrint tags as a figure).

The PDF is tagged (PDF/UA-1 where WeasyPrint supports it) so headings, lists, tables and the
charts' alternative text reach screen readers; GOV.UK guidance still prefers the HTML version.
"""

from __future__ import annotations

import base64
import re
from importlib import resources
from pathlib import Path
from xml.sax.saxutils import unescape

import jinja2

from careboard.publish.briefing import Briefing

_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.S)
_DESC = re.compile(r"<desc[^>]*>(.*?)</desc>", re.S)
_WIDTH = re.compile(r'<svg[^>]*\swidth="(\d+)"')


def svg_alt(svg: str) -> str:
    """An SVG chart's title and description, as the alt text of its <img> in the PDF."""
    title, desc = _TITLE.search(svg), _DESC.search(svg)
    text = " ".join(unescape(m.group(1), {"&quot;": '"'}) for m in (title, desc) if m)
    return text or "Chart"


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def svg_width(svg: str) -> str:
    found = _WIDTH.search(svg)
    return found.group(1) if found else ""


def environment() -> jinja2.Environment:
    """The Jinja2 environment for the pack and the web pages that reuse its partials."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("careboard.publish", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(svg_alt=svg_alt, svg_data_uri=svg_data_uri, svg_width=svg_width)
    return env


def render_html(briefing: Briefing, inline_svg: bool = False, business: object | None = None) -> str:
    """The pack as one HTML document (what WeasyPrint prints).

    ``business`` (careboard.panel.section.PanelBusiness) adds the Panel's business after page 1, and
    its overdue actions to page 1.
    """
    css = (resources.files("careboard.publish") / "templates" / "pack.css").read_text("utf-8")
    return environment().get_template("pack.html").render(
        briefing=briefing, markers=briefing.markers, inline_svg=inline_svg, css=css, business=business
    )


def write_pack(briefing: Briefing, out: Path, business: object | None = None) -> None:
    """Write the PDF pack for ``briefing`` (and the Panel's ``business``) to ``out``, tagged for screen readers."""
    from weasyprint import HTML  # imported here: it needs Pango, which only PDF output requires

    document = HTML(string=render_html(briefing, business=business), base_url=str(out.parent)).render()
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        document.write_pdf(out, pdf_variant="pdf/ua-1", pdf_tags=True)
    except (TypeError, ValueError):  # older WeasyPrint without the PDF/UA variant
        document.write_pdf(out)
