"""Everything a pack or a web page needs for one authority and year, council-wide or for one local area.

A :class:`Briefing` is the single hand-over from the data to the renderers (pack.py, web/): the
measures grouped by theme, each with its disclosure-controlled figure, benchmarks, trend series,
charts (SVG) and narrative, plus the page-1 summary.  Renderers format; they never fetch or
compute, so nothing can reach a page without passing disclosure control.

Every figure comes from a :class:`~careboard.publish.release.Release`, which controls all the
figures of an authority and year together.  A local-area briefing (``area`` = a district code of
the ``local_area`` breakdown) is cut from the same release, never controlled on its own, so the
county pack and every area briefing hide the same cells and cannot be played off against each other.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from careboard import authorities, years
from careboard.benchmark.compare import scorecard
from careboard.measures.measure import BREAKDOWNS, Measure, all_measures
from careboard.publish import charts, narrative
from careboard.publish.disclosure import MARKERS, NOT_APPLICABLE, NOT_AVAILABLE, apply_release, figure, is_marker
from careboard.publish.release import Releases

if TYPE_CHECKING:
    from careboard.publish.sufficiency import SufficiencyView

UNKNOWN_AREA = "Unknown"
ATTRIBUTION = (
    "Figures for this council are computed by careboard from the council's own SSDA903 and CIN census returns. "
    "England, regional and statistical-neighbour figures are from the Department for Education's published "
    "statistics (Local Authority Interactive Tool), used under the Open Government Licence v3.0."
)


@dataclass(frozen=True)
class MeasureView:
    """One measure as a page shows it; every figure already disclosure-controlled."""

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
    cells: dict[str, str]  # display strings for the numbers table
    charts: dict[str, str] = field(default_factory=dict)  # 'sparkline', 'trend', 'strip', 'local_area': SVG
    breakdowns: dict[str, list[tuple[str, object]]] = field(default_factory=dict)  # breakdown -> [(label, value)]

    @property
    def featured(self) -> bool:
        """Measures with a direction (high or low is good) get the full treatment: charts and narrative."""
        return self.polarity is not None


@dataclass(frozen=True)
class Theme:
    name: str
    measures: list[MeasureView]


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
    # The placement forecast section (publish.sufficiency); None unless asked for, as it runs a simulation.
    sufficiency: SufficiencyView | None = None

    @property
    def place(self) -> str:
        """Who the briefing is about: the council, or the local area within it."""
        return self.la_name if self.area is None else f"{self.area_name} ({self.la_name})"

    def measures(self) -> list[MeasureView]:
        return [m for t in self.themes for m in t.measures]

    @property
    def at_a_glance(self) -> list[MeasureView]:
        """The counts that open page 1: the first theme's measures that are plain numbers (at most four)."""
        if not self.themes:
            return []
        return [m for m in self.themes[0].measures if m.unit == "number"][:4]


@cache
def _district_names() -> dict[str, tuple[str, str]]:
    path = resources.files("careboard.reference") / "data" / "ltla_utla_apr23.csv"
    with path.open(encoding="utf-8-sig") as f:
        return {r["LTLA23CD"]: (r["LTLA23NM"], r["UTLA23CD"]) for r in csv.DictReader(f)}


def area_label(code: str, la: str | None = None) -> str:
    """A district code as members know it: 'Maidstone'; '(outside the council)' for other councils' districts."""
    if code == UNKNOWN_AREA:
        return "Home area not recorded"
    name, utla = _district_names().get(code, (code, ""))
    if la is not None:
        ons = authorities.resolve(la).ons_code
        if utla and utla != ons and code != ons:
            return f"{name} (outside the council)"
    return name


def _benchmark_history(con: duckdb.DuckDBPyConnection, la: str, year: int) -> dict[tuple[str, int], tuple]:
    """(measure, year) -> (england, sn_mean) as published for that year, from the table scorecard() builds.

    Keyed by the benchmark's own year, so a year whose figures the DfE has not published yet has
    no England point (the scorecard compares it with the latest published year instead).
    """
    rows = con.execute(
        "SELECT DISTINCT measure, benchmark_year, england, sn_mean FROM scorecard_rows "
        "WHERE la = ? AND benchmark_year <= ? AND breakdown = 'all'", [la, year]).fetchall()
    return {(m, y): (e, s) for m, y, e, s in rows}


def _cells(row: dict, m: Measure, council_row: dict | None) -> dict[str, str]:
    """The numbers-table cells; 'z' where a column does not apply, 'x' where a figure does not exist."""
    def show(key: str) -> str:
        v = row.get(key)
        return narrative.fmt(v, m.unit, compact=True) if (is_marker(v) or figure(v) is not None) else NOT_AVAILABLE

    value = show("value")
    num, den = figure(row.get("numerator")), figure(row.get("denominator"))
    counted = f"{num:,.0f} of {den:,.0f}" if (m.unit == "%" and num is not None and den is not None) else ""
    move = narrative.direction(row.get("value"), row.get("previous"), m.unit)
    change = {None: NOT_AVAILABLE, "same": "about the same"}.get(move) or narrative.judgement(move, m.polarity) or move
    if is_marker(row.get("value")) or is_marker(row.get("previous")):
        change = str(row.get("value") if is_marker(row.get("value")) else row.get("previous"))
    cells = {"value": value, "counted": counted, "previous": show("previous"), "change": str(change)}
    if council_row is None:
        comparable = m.unit != "number"
        cells["england"] = show("england") if comparable else NOT_APPLICABLE
        cells["sn_mean"] = show("sn_mean") if comparable else NOT_APPLICABLE
        cells["best_quartile"] = show("best_quartile") if m.polarity else NOT_APPLICABLE
        band = row.get("quartile_band")
        cells["band"] = NOT_APPLICABLE if not m.polarity else (str(band) if band else NOT_AVAILABLE)
    else:
        v = council_row.get("value")
        shown = is_marker(v) or figure(v) is not None
        cells["council"] = narrative.fmt(v, m.unit, compact=True) if shown else NOT_AVAILABLE
    return cells


def build_briefing(con: duckdb.DuckDBPyConnection, la: str, year: int, area: str | None = None,
                   targets_file: Path | None = None, with_sufficiency: bool = False,
                   releases: Releases | None = None) -> Briefing:
    """The disclosure-controlled briefing for ``la`` in ``year``, council-wide or for one local ``area``.

    Every figure comes from the authority's releases (``releases``, built here when not given):
    ``year``'s for the year itself, each earlier year's for the trends and last year's figures.
    ``with_sufficiency`` adds the placement forecast section (council-wide only).  It is off by
    default because it simulates hundreds of futures: the printed pack wants it, a web page does not.
    """
    authority = authorities.resolve(la)
    la = authority.code
    releases = releases if releases is not None else Releases(la)
    measures = all_measures()
    card = scorecard(con, la, year, targets_file)
    history = _benchmark_history(con, la, year)
    year_span = [y for y in releases.years(con) if y <= year]
    released = releases.rows(con, year) or []
    rows = apply_release(card, released, releases.rows(con, year - 1))

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

    if area is not None:
        known = {r["breakdown_value"] for r in rows if r["breakdown"] == "local_area"}
        if area not in known:
            raise ValueError(f"no local area {area!r} for {authority.name} in {years.label(year)}")
    themes: dict[str, list[MeasureView]] = {}
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
        eng = [(y, history.get((mid, y), (None, None))[0]) for y in year_span]
        sn = [(y, history.get((mid, y), (None, None))[1]) for y in year_span]
        view = _view(m, row, head if area is not None else None, year, authority.name,
                     area_label(area, la) if area else None, ours, eng, sn, by_breakdown, la)
        themes.setdefault(m.theme or "Other", []).append(view)

    theme_list = [Theme(name, views) for name, views in themes.items()]
    summary_rows = [v.row for t in theme_list for v in t.measures]
    return Briefing(
        la=la, la_name=authority.name, year=year, year_label=years.label(year), area=area,
        area_name=area_label(area, la) if area else None, themes=theme_list,
        summary=narrative.summarise([{**r, "breakdown": "all"} for r in summary_rows], measures),
        produced=date.today(),
        sufficiency=_sufficiency(con, la, year, releases) if with_sufficiency and area is None else None,
    )


def _sufficiency(con: duckdb.DuckDBPyConnection, la: str, year: int, releases: Releases) -> SufficiencyView | None:
    """The forecast section, imported here so briefings without it never load the simulation."""
    from careboard.publish.sufficiency import build_sufficiency

    return build_sufficiency(con, la, year, releases=releases)


def _view(m: Measure, row: dict, council_row: dict | None, year: int, la_name: str, area_name: str | None,
          ours: list, eng: list, sn: list, by_breakdown: dict, la: str) -> MeasureView:
    label = area_name or la_name
    text = narrative.describe(row, m, year, area_name=area_name,
                              council_value=council_row.get("value") if council_row else None)
    svgs = {"sparkline": charts.sparkline(ours, m.unit, f"{m.title}: trend for {label}")}
    if m.polarity is not None:
        lines: list[tuple[str, list]] = [(label, ours)]
        if council_row is None and m.unit != "number":
            lines += [("England", eng), ("Neighbours", sn)]
        svgs["trend"] = charts.trend_chart(lines, m.unit, f"{m.title}: {label} over time", width=380)
        if council_row is None:
            others = [("England", row.get("england")), ("Neighbours' average", row.get("sn_mean"))]
            best = row.get("best_quartile")
        else:
            others = [(f"{la_name} overall", council_row.get("value"))]
            best = None
        svgs["strip"] = charts.benchmark_strip(row.get("value"), m.unit, m.polarity, f"{m.title}: where {label} stands",
                                               others=others, best_quartile=best, ours_label=label, width=280)
    breakdowns = {}
    if council_row is None:
        for name in BREAKDOWNS:
            cells = by_breakdown.get((m.id, name))
            if cells:
                breakdowns[name] = [
                    (area_label(c["breakdown_value"], la) if name == "local_area" else c["breakdown_value"], c["value"])
                    for c in cells]
        shown = [v for _, v in breakdowns.get("local_area", []) if figure(v) is not None]
        if m.polarity is not None and len(shown) > 1:
            svgs["local_area"] = charts.bar_chart(breakdowns["local_area"], m.unit, f"{m.title}: by local area",
                                                  width=380)
    return MeasureView(
        id=m.id, title=m.title, explainer=m.sentence, unit=m.unit, polarity=m.polarity, theme=m.theme, row=row,
        narrative=text, series=ours, england_series=eng, sn_series=sn, cells=_cells(row, m, council_row),
        charts=svgs, breakdowns=breakdowns,
    )
