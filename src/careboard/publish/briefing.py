"""Everything a pack or a web page needs for one authority and year, council-wide or for one local area.

A :class:`Briefing` is the single hand-over from the data to the renderers (pack.py, web/, the CLI):
the measures grouped by the Panel's themes (measures/themes.py), each with its disclosure-controlled
figure, benchmarks, trend series, charts (SVG), breakdowns in their natural order and in words, and
its narrative, plus the page-1 summary and the council's local areas.  Renderers format; they never
fetch or compute, so nothing can reach a page without passing disclosure control.

Every figure comes from a :class:`~careboard.publish.release.Release`, which controls all the
figures of an authority and year together.  A local-area briefing (``area`` = a value of the
``local_area`` breakdown) is cut from the same release, never controlled on its own, so the
council pack and every area briefing hide the same cells and cannot be played off against each other.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from careboard import authorities, years
from careboard.benchmark.compare import Published, benchmark
from careboard.measures.measure import BREAKDOWNS, Measure, all_measures
from careboard.measures.themes import order
from careboard.measures.themes import theme as declared_theme
from careboard.publish import categories, charts, cohorts, narrative, wording
from careboard.publish.areas import UNKNOWN_AREA, Area, AreaNames, own_areas
from careboard.publish.disclosure import MARKERS, apply_release, figure
from careboard.publish.release import Releases

if TYPE_CHECKING:
    from careboard.publish.iro import IroSection
    from careboard.publish.missing_themes import MissingThemesView
    from careboard.publish.sufficiency import SufficiencyView

__all__ = ["UNKNOWN_AREA", "Briefing", "MeasureView", "Theme", "build_briefing"]

ATTRIBUTION = (
    "Figures for this council are computed by careboard from the council's own SSDA903 and CIN census returns. "
    "England, regional and statistical-neighbour figures are from the Department for Education's published "
    "statistics (Local Authority Interactive Tool), used under the Open Government Licence v3.0, as are the "
    "council's own figures in rows marked \"published only\", which its returns cannot give."
)
TARGET_TEXT = {"green": "On target", "amber": "Near target", "red": "Off target"}


@dataclass(frozen=True)
class MeasureView:
    """One measure as a page shows it; every figure already disclosure-controlled.

    ``cells`` are display strings; a comparator that does not apply to the measure, or that the DfE has
    not published, is absent (None) rather than a code, so pages can leave it out.
    """

    id: str
    title: str
    explainer: str  # the catalogue's one plain-English sentence
    unit: str
    polarity: str | None
    theme: str
    row: dict  # the controlled row (headline, or the area's breakdown row with previous filled in)
    narrative: list[str]
    series: list[tuple[int, object]]
    england_series: list[tuple[int, object]]
    sn_series: list[tuple[int, object]]
    cells: dict[str, str | None]
    charts: dict[str, str] = field(default_factory=dict)  # 'sparkline', 'trend', 'strip', 'compare', 'local_area'
    breakdowns: dict[str, list[tuple[str, object]]] = field(default_factory=dict)  # name -> [(label, value)], ordered
    breakdown_charts: dict[str, str] = field(default_factory=dict)  # name -> SVG bar chart
    best_series: list[tuple[int, object]] = field(default_factory=list)
    # "Published only: published 2026, academic year 2024/25" for a published-only row (published_views.py)
    published: str = ""

    @property
    def featured(self) -> bool:
        """Measures with a direction (high or low is good) get the full treatment: charts and narrative."""
        return self.polarity is not None

    @property
    def year_columns(self) -> list[tuple[str, list[tuple[int, object]]]]:
        """The published comparators worth a column beside our figure by year: those with a figure."""
        found = (("England", self.england_series), ("Neighbours' average", self.sn_series),
                 ("Best quarter starts at", self.best_series))
        return [(heading, s) for heading, s in found if any(figure(v) is not None for _, v in s)]

    @property
    def breakdown_names(self) -> list[tuple[str, str]]:
        """(breakdown, its heading) for each breakdown shown, in the catalogue's order."""
        return [(name, BREAKDOWNS[name]) for name in self.breakdowns]


@dataclass(frozen=True)
class Theme:
    name: str
    measures: list[MeasureView]
    meaning: str = ""  # "what this means", from measures/themes.py
    question: str = ""

    @property
    def slug(self) -> str:
        """The theme's name as an HTML id: 'numbers-and-flow'."""
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")

    @property
    def detail(self) -> list[MeasureView]:
        """The measures worth a chart in the pack, most telling first: in the worst quarter or worse than last
        year, then the other measures where high or low is good, then the rest with a figure to draw."""
        def interest(m: MeasureView) -> tuple:
            worse = m.cells.get("trend", "").endswith("worse")
            band = m.cells.get("band") or ""
            return (not (band == "D" or worse), not m.featured, not worse, band != "C", m.title)

        drawn = [m for m in self.measures if any(figure(v) is not None for _, v in m.series)]
        return sorted(drawn, key=interest)

    @property
    def flagged(self) -> bool:
        """True when a measure of the theme is in the worst quarter or got worse: the theme's question applies."""
        return any(m.cells.get("band") == "D" or (m.cells.get("trend") or "").endswith("worse") for m in self.measures)

    def has(self, cell: str) -> bool:
        """True when at least one measure of the theme has the comparator ``cell`` (a column worth showing)."""
        return any(m.cells.get(cell) for m in self.measures)


@dataclass(frozen=True)
class Briefing:
    la: str
    la_name: str
    year: int
    year_label: str
    area: str | None
    area_name: str | None
    themes: list[Theme]
    summary: narrative.Summary
    produced: date
    markers: dict[str, str] = field(default_factory=lambda: dict(MARKERS))
    attribution: str = ATTRIBUTION
    areas: list[Area] = field(default_factory=list)  # the council's own local areas with figures this year
    # The placement forecast section (publish.sufficiency); None unless asked for, as it runs a simulation.
    sufficiency: SufficiencyView | None = None
    # The common themes of children who go missing (publish.missing_themes); None unless asked for (it links
    # every incident of the year), shown inside the "Missing and away" theme.
    missing_themes: MissingThemesView | None = None
    # The IRO annual report's figures (publish.iro), shown on the IRO theme's page; None unless asked for.
    iro: IroSection | None = None

    @property
    def place(self) -> str:
        """Who the briefing is about: the council, or the local area within it."""
        return self.la_name if self.area is None else f"{self.area_name} ({self.la_name})"

    def measures(self) -> list[MeasureView]:
        return [m for t in self.themes for m in t.measures]

    def measure(self, measure_id: str) -> MeasureView | None:
        return next((m for m in self.measures() if m.id == measure_id), None)

    @property
    def at_a_glance(self) -> list[MeasureView]:
        """The counts that open page 1: the first theme's measures that are plain numbers (at most four)."""
        if not self.themes:
            return []
        return [m for m in self.themes[0].measures if m.unit == "number"][:4]


def noun(measure_id: str) -> tuple[str, str]:
    """What a share's "n of d" counts ("children", "care leavers", "reviews"), from what the measure counts."""
    counts = cohorts.declared(measure_id)
    return wording.NOUNS.get(counts.population, ("child", "children")) if counts else ("child", "children")


def _full_time_equivalent(measure_id: str) -> bool:
    """A share of the workforce census's FTE quantities (agency FTE over all FTE): not a count of people, so
    never stated as "n of d children" (its parts are FTE to two decimals, and LAIT publishes the rate)."""
    counts = cohorts.declared(measure_id)
    return counts is not None and counts.population.startswith("csww:")


def _cells(row: dict, m: Measure, council_row: dict | None) -> dict[str, str | None]:
    """The display strings of one measure's figures; None where a comparator does not apply or was not published."""
    def show(key: str) -> str | None:
        v = row.get(key)
        return wording.fmt(v, m.unit) if wording.shown(v) else None

    value = wording.fmt(row.get("value"), m.unit) if wording.shown(row.get("value")) else "x"
    num, den = figure(row.get("numerator")), figure(row.get("denominator"))
    counted = ""
    if m.unit == "%" and num is not None and den is not None and not _full_time_equivalent(m.id):
        one, many = noun(m.id)
        counted = f"{num:,.0f} of {den:,.0f} {wording.plural(den, one, many)}"
    cells: dict[str, str | None] = {
        "value": value, "counted": counted, "previous": show("previous") or "x",
        "trend": wording.trend(row.get("value"), row.get("previous"), m.unit, m.polarity),
    }
    cells["change"], cells["verdict"] = wording.trend_parts(row.get("value"), row.get("previous"), m.unit, m.polarity)
    if council_row is None:
        comparable = m.unit != "number"  # a count is not comparable with England's count
        cells["england"] = show("england") if comparable else None
        cells["sn_mean"] = show("sn_mean") if comparable else None
        cells["best_quartile"] = show("best_quartile") if m.polarity else None
        band = row.get("quartile_band")
        cells["band"] = str(band) if m.polarity and band in ("A", "B", "C", "D") else None
        rank, of = figure(row.get("rank")), figure(row.get("ranked_of"))
        cells["rank"] = f"{rank:.0f} of {of:.0f}" if m.polarity and rank is not None and of is not None else None
        cells["target"] = TARGET_TEXT.get(str(row.get("target_status")))
        cells["target_status"] = str(row.get("target_status")) if cells["target"] else None
    else:
        v = council_row.get("value")
        cells["council"] = wording.fmt(v, m.unit) if wording.shown(v) else "x"
    return cells


def build_briefing(con: duckdb.DuckDBPyConnection, la: str, year: int, area: str | None = None,
                   targets_file: Path | None = None, with_sufficiency: bool = False,
                   releases: Releases | None = None, with_missing_themes: bool = False) -> Briefing:
    """The disclosure-controlled briefing for ``la`` in ``year``, council-wide or for one local ``area``.

    Every figure comes from the authority's releases (``releases``, built here when not given):
    ``year``'s for the year itself, each earlier year's for the trends and last year's figures.
    ``with_sufficiency`` adds the placement forecast section and the IRO annual report's figures
    (council-wide only).  It is off by default because it simulates hundreds of futures: the printed
    pack wants it, a web page does not.  ``with_missing_themes`` adds the linked groups of children who
    go missing (council-wide only), off by default for the same reason (it links every missing incident
    of the year).
    """
    authority = authorities.resolve(la)
    la = authority.code
    releases = releases if releases is not None else Releases(la)
    measures = all_measures()
    bench = benchmark(con, la, year, targets_file)
    year_span = [y for y in releases.years(con) if y <= year]
    released = releases.rows(con, year) or []
    # published-only rows (the DfE's figures, public already) pass no release: published_views.py
    rows = apply_release([r for r in bench.rows if r["measure"] in measures], released, releases.rows(con, year - 1))
    names = AreaNames(con, la)

    # Released figures by (measure, breakdown, value) -> {year: value}, each year from its own release.
    series: dict[tuple[str, str, str], dict[int, object]] = defaultdict(dict)
    for y in year_span:
        for r in releases.get(con, y).rows:
            series[(r["measure"], r["breakdown"], r["breakdown_value"])][y] = r["value"]
    by_breakdown: dict[tuple[str, str], list[dict]] = defaultdict(list)
    headline: dict[str, dict] = {}
    for r in rows:
        if r["breakdown"] == "all":
            headline[r["measure"]] = r
        else:
            by_breakdown[(r["measure"], r["breakdown"])].append(r)
    area_codes = {r["breakdown_value"] for r in rows if r["breakdown"] == "local_area"}
    areas = own_areas(names, area_codes)
    if area is not None and area not in {a.code for a in areas}:
        raise ValueError(f"no local area {area!r} for {authority.name} in {years.label(year)}")

    context = _Context(la, authority.name, names.name(area) if area else None, year_span, bench.history,
                       by_breakdown, names, series)
    grouped: dict[str, list[MeasureView]] = {}
    for mid, m in measures.items():
        head = headline.get(mid)
        if head is None:
            continue
        if area is None:
            row, key = head, (mid, "all", "All")
        else:
            found = [r for r in by_breakdown.get((mid, "local_area"), []) if r["breakdown_value"] == area]
            if not found:
                continue
            key = (mid, "local_area", area)
            row = {**found[0], "previous": series[key].get(year - 1)}
        ours = [(y, series[key].get(y)) for y in year_span]
        view = _view(m, row, head if area is not None else None, year, ours, context)
        grouped.setdefault(m.theme, []).append(view)

    if area is None and headline:  # no local figures are published; nothing beside a year with no figures
        from careboard.publish.published_views import views

        for view in views(bench.rows, bench, authority.name):
            grouped.setdefault(view.theme, []).append(view)
    theme_list = []
    for name in sorted(grouped, key=order):
        found = declared_theme(name)
        theme_list.append(Theme(name, grouped[name], found.meaning if found else "", found.question if found else ""))
    summary_rows = [v.row for t in theme_list for v in t.measures]
    briefing = Briefing(
        la=la, la_name=authority.name, year=year, year_label=years.label(year), area=area,
        area_name=names.name(area) if area else None, themes=theme_list,
        summary=narrative.summarise([{**r, "breakdown": "all"} for r in summary_rows], measures),
        produced=date.today(), areas=areas,
        sufficiency=_sufficiency(con, la, year, releases) if with_sufficiency and area is None else None,
        missing_themes=_missing_themes(con, la, year) if with_missing_themes and area is None else None,
    )
    if with_sufficiency and area is None:  # the printed pack: the IRO annual report's figures too
        from careboard.publish.iro import build_iro_section

        briefing = dataclasses.replace(briefing, iro=build_iro_section(con, briefing))
    return briefing


def _missing_themes(con: duckdb.DuckDBPyConnection, la: str, year: int) -> MissingThemesView | None:
    from careboard.publish.missing_themes import build_missing_themes

    return build_missing_themes(con, la, year)


def _sufficiency(con: duckdb.DuckDBPyConnection, la: str, year: int, releases: Releases) -> SufficiencyView | None:
    """The forecast section, imported here so briefings without it never load the simulation."""
    from careboard.publish.sufficiency import build_sufficiency

    return build_sufficiency(con, la, year, releases=releases)


@dataclass(frozen=True)
class _Context:
    """What every measure view of one briefing shares."""

    la: str
    la_name: str
    area_name: str | None
    year_span: list[int]
    history: dict[tuple[str, int], Published]
    by_breakdown: dict[tuple[str, str], list[dict]]
    names: AreaNames
    series: dict[tuple[str, str, str], dict[int, object]]

    def council_series(self, mid: str) -> list[tuple[int, object]]:
        found = self.series.get((mid, "all", "All"), {})
        return [(y, found.get(y)) for y in self.year_span]

    def published(self, mid: str, what: str) -> list[tuple[int, object]]:
        return [(y, getattr(self.history.get((mid, y)), what, None)) for y in self.year_span]


def _view(m: Measure, row: dict, council_row: dict | None, year: int, ours: list, ctx: _Context) -> MeasureView:
    area_name = ctx.area_name
    label = area_name or ctx.la_name
    text = narrative.describe(row, m, year, area_name=area_name,
                              council_value=council_row.get("value") if council_row else None)
    units = wording.unit_words(m.unit)
    comparable = council_row is None and m.unit != "number"  # no England count beside ours, no local benchmarks
    eng = ctx.published(m.id, "england") if comparable else []
    sn = ctx.published(m.id, "sn_mean") if comparable else []
    best = ctx.published(m.id, "best_quartile") if comparable and m.polarity else []
    svgs = {"sparkline": charts.sparkline(ours, m.unit, f"{m.title}: trend for {label}")}

    # The trend chart, on every measure: ours, and England, the neighbours and the best quarter where they exist.
    lines: list[tuple[str, list]] = [(label, ours)]
    if council_row is None:
        lines += [(name, s) for name, s in (("England", eng), ("Neighbours", sn), ("Best quarter", best))
                  if any(figure(v) is not None for _, v in s)]
    else:
        lines.append((f"{ctx.la_name} overall", ctx.council_series(m.id)))
    svgs["trend"] = charts.trend_chart(lines, m.unit, f"{m.title}{units}: {label} over time")

    if m.polarity is not None:
        if council_row is None:
            others = [("England", row.get("england")), ("Neighbours' average", row.get("sn_mean"))]
            best_now = row.get("best_quartile")
        else:
            others = [(f"{ctx.la_name} overall", council_row.get("value"))]
            best_now = None
        svgs["strip"] = charts.benchmark_strip(row.get("value"), m.unit, m.polarity,
                                               f"{m.title}{units}: where {label} stands", others=others,
                                               best_quartile=best_now, ours_label=label)

    breakdowns: dict[str, list[tuple[str, object]]] = {}
    breakdown_charts: dict[str, str] = {}
    local = ctx.by_breakdown.get((m.id, "local_area"), [])
    if council_row is None:
        for name in m.breakdowns:
            cells = ctx.by_breakdown.get((m.id, name))
            if not cells:
                continue
            labelled = [(_label(name, c["breakdown_value"], ctx.names), c["breakdown_value"], c["value"])
                        for c in cells]
            labelled.sort(key=lambda t: ctx.names.sort_key(t[1]) if name == "local_area"
                          else categories.sort_key(name, t[1], t[0]))
            breakdowns[name] = [(lab, v) for lab, _, v in labelled]
            breakdown_charts[name] = charts.bar_chart(breakdowns[name], m.unit,
                                                      f"{m.title}{units}: by {BREAKDOWNS[name].lower()}")
    elif local:
        # An area's measure page compares the areas: this one highlighted among the council's areas.
        inside = sorted((c for c in local if ctx.names.area(c["breakdown_value"]).inside),
                        key=lambda c: ctx.names.sort_key(c["breakdown_value"]))
        items = [(ctx.names.name(c["breakdown_value"]), c["value"]) for c in inside]
        if len(items) > 1:
            breakdowns["local_area"] = items
            breakdown_charts["local_area"] = charts.bar_chart(items, m.unit, f"{m.title}{units}: by local area",
                                                              highlight=area_name)
    if not breakdown_charts and council_row is None:
        # No breakdown (a rate per 10,000 children has no population by group): compare with the benchmarks.
        items = [(label, row.get("value"))]
        items += [(n, row.get(k)) for n, k in (("England", "england"), ("Neighbours' average", "sn_mean"))
                  if m.unit != "number" and wording.shown(row.get(k))]
        if m.polarity and figure(row.get("best_quartile")) is not None:
            items.append(("Best quarter starts at", row.get("best_quartile")))
        svgs["compare"] = charts.bar_chart(items, m.unit, f"{m.title}{units}: {label} compared", highlight=label)
    return MeasureView(
        id=m.id, title=m.title, explainer=m.sentence, unit=m.unit, polarity=m.polarity, theme=m.theme, row=row,
        narrative=text, series=ours, england_series=eng, sn_series=sn, best_series=best,
        cells=_cells(row, m, council_row), charts=svgs, breakdowns=breakdowns, breakdown_charts=breakdown_charts,
    )


def _label(breakdown: str, value: str, names: AreaNames) -> str:
    return categories.label(breakdown, value, names.name)
