"""The Corporate Parenting Panel information pack as a PDF, rendered from a Briefing with WeasyPrint.

The HTML comes from the Jinja2 templates in ``publish/templates``; the pack body lives in partials
(``partials/body.html`` and what it includes) so the web app renders the same content from the same
Briefing.  Use :func:`environment` to get a Jinja2 environment with the filters the partials need,
and render ``partials/body.html`` (or any partial) with ``briefing``, ``markers=briefing.markers``
and ``inline_svg=True`` (inline SVG with its own role/title/desc on the web; the PDF uses <img>
with the same text as alt, which WeasyPrint tags as a figure).

The pack is laid out for a Panel to read: page 1 the summary, page 2 how to read it, then one page
per theme (the measures as rows with small trend lines, and charts for the measures that most need
attention), then the placement forecast.  No page may be left nearly empty by a section that spills
over: :func:`layout` renders the pack, finds each section that ends on a page it barely uses, gives
it one chart (or summary item) fewer, and renders again until every page carries at least
:data:`MIN_FILL` of a page.  Everything left out of print is on the web pages.

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

MIN_FILL = 0.4  # of a page's content height; the test allows a third, this leaves room for rounding
DETAIL_CHARTS = 4  # the most charts a theme page starts with (the web shows these too)
SUMMARY_ITEMS = 5

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


def render_html(briefing: Briefing, inline_svg: bool = False, fit: dict | None = None,
                business: object | None = None) -> str:
    """The pack as one HTML document (what WeasyPrint prints); ``fit`` sizes the sections (see :func:`layout`).

    ``business`` (careboard.panel.section.PanelBusiness) adds the Panel's business after page 1, and
    its overdue actions to page 1.
    """
    return environment().get_template("pack.html").render(
        briefing=briefing, markers=briefing.markers, inline_svg=inline_svg, css=_css(), fit=fit or {},
        business=business,
    )


def _css() -> str:
    return (resources.files("careboard.publish") / "templates" / "pack.css").read_text("utf-8")


def _boxes(box):
    yield box
    for child in getattr(box, "children", None) or []:
        if type(child).__name__ != "MarginBox":  # running headers and footers are not content
            yield from _boxes(child)


def page_fill(page) -> float:
    """How much of a page's content area (between the margins) holds text or images, from the top: 0 to 1."""
    box = page._page_box
    top, height = box.content_box_y(), box.height
    bottoms = [b.position_y + b.height for b in _boxes(box)
               if type(b).__name__ in ("TextBox", "InlineReplacedBox", "BlockReplacedBox")]
    return max(0.0, (max(bottoms, default=top) - top) / height) if height else 0.0


def _where(document, anchor: str) -> tuple[int, float] | None:
    """(page index, how far down the page's content area, 0 to 1) of an element with id ``anchor``."""
    for i, page in enumerate(document.pages):
        if anchor in page.anchors:
            box = page._page_box
            bottom = page.anchors[anchor][3]
            return i, (bottom - box.content_box_y()) / box.height
    return None


def _fit_theme(document, theme, fit: dict) -> bool:
    """Trim one theme's charts to those that fit on the page where its table ends; True if ``fit`` changed.

    A theme whose table spills onto a page it barely fills keeps the charts that fill that page, or, if
    they are too few, is set densely (smaller rows) so that the table fits the pages before.
    """
    slug = theme.slug
    start, table_end, end = (_where(document, f"cb-theme-{slug}{suffix}") for suffix in ("", "-table-end", "-end"))
    if start is None or table_end is None or end is None:
        return False
    charts = [(m.id, _where(document, f"cb-detail-{slug}-{m.id}")) for m in theme.detail[:fit.get(slug, 0)]]
    fits = [where for _, where in charts if where is not None and where[0] == table_end[0]]
    old = (fit.get(slug), fit.get(f"{slug}:dense"))
    fit[slug] = len(fits)
    fill = max([table_end[1], *(w[1] for w in fits)])
    if table_end[0] > start[0] and fill < MIN_FILL and not fit.get(f"{slug}:dense"):
        fit[f"{slug}:dense"] = 1
        fit[slug] = min(DETAIL_CHARTS, len(theme.detail))  # laid out again from the start
    return (fit.get(slug), fit.get(f"{slug}:dense")) != old


def layout(briefing: Briefing, business: object | None = None):
    """The rendered pack (a WeasyPrint Document) with one page per theme where it fits and no near-empty page,
    and the ``fit`` that made it.

    The first rendering gives every theme its full set of charts; each theme then keeps only the charts
    that fit on the page where its table ends (removing later content moves nothing before it), and the
    pack is rendered again.  The summary loses one item of each list while it spills off page 1, and the
    placement forecast one chart while it ends on a page it barely fills (worked out first on the section
    alone, :func:`_fit_sufficiency`, so the whole pack is not rendered once per chart given up).
    """
    from weasyprint import HTML  # imported here: it needs Pango, which only PDF output requires

    fit: dict[str, int] = {"summary": SUMMARY_ITEMS, "questions": SUMMARY_ITEMS}
    fit |= {t.slug: min(DETAIL_CHARTS, len(t.detail)) for t in briefing.themes}
    images: dict = {}  # the charts, decoded once for every rendering
    if briefing.sufficiency is not None:
        fit["sufficiency"] = len(briefing.sufficiency.shown)
        fit["sufficiency"] = _fit_sufficiency(briefing, fit["sufficiency"], images)
    document = None
    for _ in range(ROUNDS):
        document = HTML(string=render_html(briefing, fit=fit, business=business)).render(cache=images)
        changed = False
        for theme in briefing.themes:
            changed |= _fit_theme(document, theme, fit)
        summary = _where(document, "cb-summary-end")
        if summary is not None and summary[0] > 0 and fit["summary"] > 1:
            fit["summary"] -= 1
            fit["questions"] = max(fit["questions"] - 1, 3)
            changed = True
        if _sufficiency_spills(document, fit):
            fit["sufficiency"] -= 1
            changed = True
        if not changed:
            break
    return document, fit


ROUNDS = 8  # the most times layout() renders the whole pack


def _sufficiency_spills(document, fit: dict) -> bool:
    """The placement forecast ends on a page it barely fills, and has a chart left to give up."""
    start, end = _where(document, "cb-sufficiency-heading"), _where(document, "cb-sufficiency-end")
    return bool(start and end and end[0] > start[0] and page_fill(document.pages[end[0]]) < MIN_FILL
                and fit.get("sufficiency", 0) > 0)


def _fit_sufficiency(briefing: Briefing, charts: int, images: dict) -> int:
    """The placement forecast's charts, one fewer while the section spills onto a page it barely fills.

    The section starts on a page of its own and nothing before it depends on it, so it is laid out alone
    (a few pages, not the whole pack) for each number of charts tried, and the whole pack is rendered only
    for the number found: the same pages as giving up one chart per rendering of the whole pack, as
    :func:`layout` does when more charts than its rounds allow would have to go (it then starts from
    ``charts`` as before).
    """
    from weasyprint import HTML

    template = environment().get_template("pack_sufficiency.html")
    fit = {"sufficiency": charts}
    while charts - fit["sufficiency"] < ROUNDS - 1:
        if fit["sufficiency"] == 0:  # nothing left to give up
            return 0
        html = template.render(briefing=briefing, markers=briefing.markers, inline_svg=False, css=_css(), fit=fit)
        if not _sufficiency_spills(HTML(string=html).render(cache=images), fit):
            return fit["sufficiency"]
        fit["sufficiency"] -= 1
    return charts


def pdf_bytes(briefing: Briefing, business: object | None = None) -> bytes:
    """The pack for ``briefing`` (and the Panel's ``business``) as a tagged PDF."""
    document, _ = layout(briefing, business)
    try:
        return document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    except (TypeError, ValueError):  # older WeasyPrint without the PDF/UA variant
        return document.write_pdf()


def write_pack(briefing: Briefing, out: Path, business: object | None = None) -> None:
    """Write the PDF pack for ``briefing`` (and the Panel's ``business``) to ``out``, tagged for screen readers."""
    data = pdf_bytes(briefing, business)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
