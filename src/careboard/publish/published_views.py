"""Published-only rows as members see them: the DfE's figure for the council, labelled as such.

A published-only row (measures/published_only.py) is the DfE's own published figure for the council,
benchmarked by benchmark/compare.sql like a computed measure.  Here it becomes a
:class:`~careboard.publish.briefing.MeasureView` for the scorecard, the measure page and the pack:
figures at the precision the DfE publishes them to, the trend by the academic years the DfE published,
and a label saying it is published only, when it was published and for which academic year.  Its rows
pass :func:`~careboard.publish.disclosure.published_rows`, not a release: they are public already and
carry no counts (docs/disclosure.md).
"""

from __future__ import annotations

from collections.abc import Mapping

from careboard.benchmark.compare import Benchmarked
from careboard.measures.published_only import PublishedOnly, published_only
from careboard.publish import charts, narrative, wording
from careboard.publish.briefing import MeasureView, _cells
from careboard.publish.disclosure import figure, published_rows

LABEL = "Published only"
NOT_PUBLISHED = "Not published"


def label(unit: PublishedOnly, lait_year: object) -> str:
    """'Published only: published 2026, academic year 2024/25' (no year when LAIT has none)."""
    return f"{LABEL}: {unit.published(lait_year)}" if isinstance(lait_year, int) else LABEL


def views(card: list[Mapping], bench: Benchmarked, la_name: str) -> list[MeasureView]:
    """The published-only headlines of one authority and year, in declaration order."""
    units = published_only()
    rows = {r["measure"]: r for r in published_rows(r for r in card if r["measure"] in units)}
    return [_view(u, rows[u.id], bench, la_name) for u in units.values() if u.id in rows]


def _view(u: PublishedOnly, row: dict, bench: Benchmarked, la_name: str) -> MeasureView:
    shown_year = row.get("benchmark_year")
    lait_years = sorted(y for (m, y) in bench.published if m == u.id)
    ours = [(y, bench.published.get((u.id, y))) for y in lait_years]

    def published(what: str) -> list[tuple[int, object]]:
        return [(y, getattr(bench.history.get((u.id, y)), what, None)) for y in lait_years]

    eng, sn = published("england"), published("sn_mean")
    best = published("best_quartile") if u.polarity else []
    cells = _cells(row, u, None)  # type: ignore[arg-type]  # a unit reads like a Measure
    for key, field in (("value", "value"), ("previous", "previous"), ("england", "england"), ("sn_mean", "sn_mean"),
                       ("best_quartile", "best_quartile")):
        if cells.get(key) is not None:
            cells[key] = u.show(figure(row.get(field))) or "x"
    cells["counted"] = ""
    cells["published"] = label(u, shown_year)
    if isinstance(shown_year, int):  # the measure page names the academic years, not careboard's year
        cells["year"], cells["previous_year"] = u.academic_year(shown_year), u.academic_year(shown_year - 1)
    if figure(row.get("value")) is None:  # LAIT's '-': the DfE published no figure for the council (too few children)
        cells["value"] = NOT_PUBLISHED
        cells["change"], cells["verdict"], cells["trend"] = "No comparison", None, "No comparison"
    units = wording.unit_words(u.unit)
    svgs = {"sparkline": charts.sparkline(ours, u.unit, f"{u.title}: trend for {la_name}")}
    lines = [(la_name, ours)] + [(name, s) for name, s in (("England", eng), ("Neighbours", sn), ("Best quarter", best))
                                 if any(figure(v) is not None for _, v in s)]
    svgs["trend"] = charts.trend_chart(lines, u.unit, f"{u.title}{units}: {la_name}, academic years (DfE)")
    if u.polarity is not None:
        svgs["strip"] = charts.benchmark_strip(
            row.get("value"), u.unit, u.polarity, f"{u.title}{units}: where {la_name} stands",
            others=[("England", row.get("england")), ("Neighbours' average", row.get("sn_mean"))],
            best_quartile=row.get("best_quartile"), ours_label=la_name)
    # no breakdowns are published: compare the council's figure with the published comparators
    items = [(la_name, row.get("value"))] + [(n, row.get(k)) for n, k in (("England", "england"),
                                                                           ("Neighbours' average", "sn_mean"))
                                             if figure(row.get(k)) is not None]
    if u.polarity and figure(row.get("best_quartile")) is not None:
        items.append(("Best quarter starts at", row.get("best_quartile")))
    svgs["compare"] = charts.bar_chart(items, u.unit, f"{u.title}{units}: {la_name} compared", highlight=la_name)
    return MeasureView(
        id=u.id, title=u.title, explainer=u.sentence, unit=u.unit, polarity=u.polarity, theme=u.theme, row=row,
        narrative=_narrative(u, row, la_name), series=ours, england_series=eng, sn_series=sn, best_series=best,
        cells=cells, charts=svgs, published=cells["published"],
    )


def _narrative(u: PublishedOnly, row: dict, la_name: str) -> list[str]:
    year = row.get("benchmark_year")
    if not isinstance(year, int):
        return [f"{u.title}: the Department for Education has published no figure yet."]
    source = (f"Published by the Department for Education in {year + u.published_lag} for the "
              f"{u.academic_year(year)} academic year; the council's own returns cannot give this figure.")
    value = figure(row.get("value"))
    if value is None:
        return [f"{u.title}: the Department for Education published no figure for {la_name} for "
                f"{u.academic_year(year)} (too few children, or not available).", source]
    first = narrative.change_sentence(u.title, value, row.get("previous"), u.unit, u.polarity,
                                      then=f"in {u.academic_year(year - 1)}", now=f"in {u.academic_year(year)}")
    out = [first or f"{u.title}: {u.show(value)} in {u.academic_year(year)}."]
    out += narrative.benchmark_sentences(row, u)  # type: ignore[arg-type]
    return [*out, source]
