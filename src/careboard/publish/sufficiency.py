"""The sufficiency section of the members' pack: placement demand forecast, as aggregates fit for councillors.

careboard.sufficiency forecasts children looked after by placement category with a simulation of
every child (docs/sufficiency.md).  Its own outputs are for analysts: exact counts, unrounded
quantiles, every category.  This module turns one forecast into what members may see:

* **Today's counts are the release's** (publish/release.py): the children-looked-after breakdown by
  placement type, hidden (``c``) exactly where the scorecard and every other page hide it.  A
  category whose count today is hidden is hidden *whole*: its forecasts, chart and spend are not
  shown either, because a forecast starts from today's number and would narrow it down.
* **Forecasts are rounded** (to the nearest 5; 10 from 1,000), the central figure to the
  nearest step and the 80% interval *outwards*, so the rounded central figure always lies inside
  the rounded interval and nobody reads "57" as a count of real children.
* **Sentences are built from the rounded figures only**, and claim a rise or a fall only when the
  whole 80% interval lies above or below today's number.
* **Charts** are drawn here (careboard's one fan-chart renderer; ``careboard forecast --charts``
  uses it too, for analysts' exact charts) so they carry role="img", a
  <title> and a <desc> stating the numbers, and so that only aggregates that passed the control
  are drawn: the total's monthly history (never 1-5), and each shown category's forecast from today.
* **Spend** uses the authority's unit costs (``cost.authority_costs``: the council's own loaded as
  unit_costs.csv, else the example figures shipped with careboard.sufficiency; the plan prices its gap
  with the same), projected by financial year and rounded; the section says which costs are example
  figures ("illustrative costs"); a hidden category's spend is folded into the total only.

:func:`build_sufficiency` returns None when the history is too short to forecast (or the
authority is too small to show anything), and the pack then leaves the section out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

import duckdb
import numpy as np

from careboard.publish.charts import GRID, NEIGHBOURS, OURS, TEXT, _svg, _tick
from careboard.publish.disclosure import SMALL_MAX, SUPPRESSED, figure, is_marker
from careboard.publish.release import ALL, Releases

if TYPE_CHECKING:  # the forecast's modules are imported only when a section is built
    from careboard.publish.sufficiency_plan import PlanView
    from careboard.sufficiency.cost import UnitCosts
    from careboard.sufficiency.service import ForecastResult
    from careboard.sufficiency.stored_forecast import ForecastFigures, SpendFigures
    from careboard.sufficiency.stored_plan import StoredPlan

log = logging.getLogger(__name__)

REASON_HIDDEN = "hidden in the release, as on the scorecard"

# What a child in each category is doing, for "We expect about 60 children (...) <phrase> in March 2029".
PHRASES = {
    "Kinship fostering": "to be living with relatives or friends as kinship foster carers",
    "In-house fostering": "to be living with the council's own foster carers",
    "Agency fostering": "to be living with agency foster carers",
    "Children's homes": "to need children's homes",
    "Supported accommodation": "to be in supported accommodation",
    "With parents": "to be placed with their parents",
    "Placed for adoption": "to be placed for adoption",
    "Other": "to be in other placements",
}


@dataclass(frozen=True)
class Forecast:
    """One rounded forecast: the middle of the simulated futures and the range holding 80% of them."""

    when: dt.date
    central: int
    lower: int
    upper: int

    @property
    def text(self) -> str:
        return f"{self.central:,} ({self.lower:,} to {self.upper:,})"


@dataclass(frozen=True)
class CategoryView:
    """One placement category (or the total) as members see it; hidden ones carry 'c' and nothing else."""

    category: str
    now: int | str  # today's count, or 'c'
    forecasts: list[Forecast]  # at 1, 2, 3 ... years; empty when hidden
    sentence: str | None
    chart: str | None
    suppressed: str | None = None  # why it is hidden (disclosure's reason), or None

    @property
    def hidden(self) -> bool:
        return self.suppressed is not None


@dataclass(frozen=True)
class SpendCell:
    """Projected spend in one financial year: median and 80% interval, rounded (GBP)."""

    central: int
    lower: int
    upper: int

    @property
    def millions(self) -> bool:
        """One unit for the whole cell, chosen by the central figure, so "£1.0m (£0.9m to £1.1m)" reads evenly."""
        return self.central >= 1_000_000

    @property
    def central_text(self) -> str:
        return money(self.central, self.millions)

    @property
    def range_text(self) -> str:
        return f"{money(self.lower, self.millions)} to {money(self.upper, self.millions)}"

    @property
    def text(self) -> str:
        return f"{self.central_text} ({self.range_text})"


@dataclass(frozen=True)
class SpendRow:
    category: str
    weekly_cost: float | None  # the unit cost used (None for the total)
    years: list[SpendCell]
    example: bool = False  # the unit cost is careboard's example figure, not the council's own


@dataclass(frozen=True)
class SpendView:
    """Projected placement spend by financial year; ``illustrative`` when the unit costs are examples."""

    years: list[str]  # '2026-27', ...
    rows: list[SpendRow]  # shown categories, then the total (which includes hidden categories)
    illustrative: bool
    source: str
    sentence: str
    note: str = ""  # whose costs these are and which are examples (sufficiency_plan.costs_note)

    @property
    def whose(self) -> str:
        """The note's heading: whether the weekly costs shown are careboard's examples, some of them, or none."""
        shown = [r for r in self.rows if r.weekly_cost is not None]
        examples = [r for r in shown if r.example]
        if examples and len(examples) == len(shown):
            return "Illustrative costs, not this council's."
        if examples:
            return "Illustrative costs, some not this council's."
        return "Illustrative costs."


@dataclass(frozen=True)
class SufficiencyView:
    """Everything the pack's sufficiency section shows: controlled, rounded aggregates and sentences only."""

    la: str
    start: dt.date
    horizons: list[dt.date]
    simulations: int
    total: CategoryView
    categories: list[CategoryView]
    summary: list[str]  # the overall sentences
    hidden_note: str | None
    chart: str  # the total's fan chart (SVG)
    spend: SpendView | None
    notes: list[str] = field(default_factory=list)
    # The plan (publish/sufficiency_plan.py): where places will be short; None with ``plan_note`` saying why.
    plan: PlanView | None = None
    plan_note: str | None = None

    @property
    def shown(self) -> list[CategoryView]:
        return [c for c in self.categories if not c.hidden]

    @property
    def end(self) -> dt.date:
        return self.horizons[-1]


def step_for(value: float) -> int:
    """The rounding step for a forecast: 5, or 10 once the figures reach the thousands."""
    return 10 if value >= 1000 else 5


def round_forecast(when: dt.date, p10: float, p50: float, p90: float) -> Forecast:
    """Central figure to the nearest step; interval outwards, so lower <= central <= upper always holds."""
    step = step_for(p90)
    lo, mid, hi = (round(float(v), 6) for v in (p10, p50, p90))
    return Forecast(when, math.floor(mid / step + 0.5) * step, math.floor(lo / step) * step,
                    math.ceil(hi / step) * step)


def money(gbp: float, millions: bool | None = None) -> str:
    """'£12.8m' or '£78,000': spend as a budget paper states it (it is a projection, not a bill)."""
    if millions is None:
        millions = gbp >= 1_000_000
    return f"£{gbp / 1_000_000:,.1f}m" if millions else f"£{gbp:,.0f}"


def _spend_cell(q: np.ndarray) -> SpendCell:
    """Median and 80% interval (``q``: the 10th, 50th and 90th percentiles), to the nearest £100,000 from £1m
    (as shown in £m) and £1,000 below."""
    step = 100_000 if q[1] >= 1_000_000 else 1_000
    lo, mid, hi = (round(float(v) / step) * step for v in (q[0], q[1], q[2]))
    return SpendCell(mid, lo, hi)


def month_year(d: dt.date) -> str:
    return f"{d:%B %Y}"


def sentence(phrase: str, fc: Forecast, now: int) -> str:
    """One deterministic sentence from rounded figures: a rise or fall only when the whole interval says so."""
    when = month_year(fc.when)
    now_text = "none" if now == 0 else f"{now:,}"
    if fc.upper == 0:
        return f"We do not expect any children {phrase} in {when}" + (
            "; none are now." if now == 0 else f", down from {now_text} now.")
    if fc.central == 0:
        head = f"We expect very few children, if any (between 0 and {fc.upper:,}), {phrase} in {when}"
    else:
        head = f"We expect about {fc.central:,} children (between {fc.lower:,} and {fc.upper:,}) {phrase} in {when}"
    if fc.lower > now:
        return f"{head}, up from {now_text} now."
    if fc.upper < now:
        return f"{head}, down from {now_text} now."
    return f"{head}, compared with {now_text} now: the range includes no change."


def _dates_text(forecasts: list[Forecast]) -> str:
    return "; ".join(f"{month_year(f.when)}: about {f.text}" for f in forecasts)


def fan_chart(title: str, dates: list[dt.date], q: np.ndarray, history: list[tuple[dt.date, int]], desc: str,
              width: int = 560, height: int = 220, heading: str | None = None, key: bool = True) -> str:
    """A fan chart: the recorded line (solid), the median forecast (dashed), and the 50% and 80% bands.

    ``q`` is (5, len(dates)): the 10th, 25th, 50th, 75th and 90th percentiles at each month end,
    dates[0] being today.  ``history`` must hold only figures that may be published.  ``heading``
    is drawn at the top (the <title> is not visible); small multiples leave out the ``key`` and
    the page explains the bands once.
    """
    left, right, bottom = 40, 26, 24 + (16 if key else 0)
    top = 26 if heading else 10
    plot_w, plot_h = width - left - right, height - top - bottom
    d0 = (history[0][0] if history else dates[0]).toordinal()
    d1 = dates[-1].toordinal()
    ymax, ystep = axis([float(v) for _, v in history] + [float(v) for v in np.ravel(q)])

    def x(d: dt.date) -> float:
        return left + (d.toordinal() - d0) / max(d1 - d0, 1) * plot_w

    def y(v: float) -> float:
        return top + plot_h * (1 - v / ymax)

    def band(lo: np.ndarray, hi: np.ndarray) -> str:
        pts = [(x(d), y(v)) for d, v in zip(dates, hi, strict=True)]
        pts += [(x(d), y(v)) for d, v in zip(reversed(dates), lo[::-1], strict=True)]
        return " ".join(f"{a:.1f},{b:.1f}" for a, b in pts)

    parts = []
    if heading:
        parts.append(f'<text x="0" y="14" font-size="12" font-weight="bold">{escape(heading)}</text>')
    for i in range(round(ymax / ystep) + 1):
        v = ystep * i
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="{GRID}" '
                     'stroke-width="0.5"/>'
                     f'<text x="{left - 5}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="11">'
                     f'{_tick(v, "number")}</text>')
    marches = [dt.date(yr, 3, 31) for yr in range(dt.date.fromordinal(d0).year, dates[-1].year + 1)]
    marches = [d for d in marches if d0 <= d.toordinal() <= d1]
    slot = plot_w / max(len(marches) - 1, 1)
    for d in marches:
        label = f"Mar {d.year}" if slot >= 56 else f"{d.year}"
        parts.append(f'<line x1="{x(d):.1f}" x2="{x(d):.1f}" y1="{top + plot_h}" y2="{top + plot_h + 4}" '
                     f'stroke="{TEXT}"/><text x="{x(d):.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                     f'font-size="11">{label}</text>')
    parts.append(f'<polygon points="{band(q[0], q[4])}" fill="{OURS}" fill-opacity="0.18"/>')
    parts.append(f'<polygon points="{band(q[1], q[3])}" fill="{OURS}" fill-opacity="0.35"/>')
    med = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in zip(dates, q[2], strict=True))
    parts.append(f'<polyline points="{med}" fill="none" stroke="{OURS}" stroke-width="2" stroke-dasharray="6 3"/>')
    if history:
        line = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in history)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{TEXT}" stroke-width="2"/>')
        parts.append(f'<line x1="{x(dates[0]):.1f}" x2="{x(dates[0]):.1f}" y1="{top}" y2="{top + plot_h}" '
                     f'stroke="{NEIGHBOURS}" stroke-dasharray="2 2"/>'
                     f'<text x="{x(dates[0]) - 4:.1f}" y="{top + 10}" text-anchor="end" font-size="10" '
                     f'fill="{NEIGHBOURS}">now</text>')
    if key:
        text = ("Solid: recorded. Dashed: middle forecast. Shaded: 50% and 80% of simulated futures." if history
                else "Dashed: middle forecast. Shaded: 50% and 80% of futures.")
        parts.append(f'<text x="{left}" y="{height - 4}" font-size="10" fill="{NEIGHBOURS}">{escape(text)}</text>')
    return _svg(width, height, title, desc, "".join(parts))


def axis(values: list[float]) -> tuple[float, float]:
    """(top, step) of a y axis from 0: a whole, round step (1, 2, 2.5 or 5 x 10^k) about a quarter of the
    largest value, and the first multiple of it above that value, so a fan around 300 is not squashed
    into the bottom half of an axis running to 600."""
    hi = max(values, default=0.0)
    if hi <= 0:
        return 4.0, 1.0
    mag = 10 ** math.floor(math.log10(hi / 4))
    step = next((m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= hi / 4 and float(m * mag).is_integer()), 1.0)
    return math.ceil(hi * 1.05 / step) * step, step


def _publishable(values: list[int]) -> bool:
    """A history line may be drawn only if no point on it is a count of 1 to 5."""
    return all(v == 0 or v > SMALL_MAX for v in values)


def build_sufficiency(con: duckdb.DuckDBPyConnection, la: str, year: int, simulations: int = 500,
                      years_ahead: int = 3, seed: int = 1, costs: bool = True,
                      unit_costs: UnitCosts | None = None, releases: Releases | None = None,
                      plan: ForecastResult | StoredPlan | bool | None = True,
                      stored: bool = True) -> SufficiencyView | None:
    """The pack's sufficiency section for ``la``, forecast from 31 March of ``year``; None if it cannot be made.

    Today's counts are the release's (``releases``, built here when not given): children looked after
    on 31 March by placement type, hidden exactly where the scorecard hides them.
    ``costs`` adds projected spend with ``unit_costs`` (a sufficiency.cost.UnitCosts), by default the
    authority's (``cost.authority_costs``: the council's own as loaded, else the example figures shipped with
    careboard); the section says which are examples.  The same
    ``seed`` gives the same section, so a re-printed pack does not change.

    ``plan`` adds where places will be short (publish/sufficiency_plan.py): True reads the plan the
    last load's refresh stored (sufficiency/stored_plan.py), or works it out from the capacity extracts
    ``careboard load`` stored when none is (``service.year_end_plan``); a StoredPlan or a ForecastResult
    is used as given (the web app reads the stored plan, never working one out); None or False leaves
    it out with a note saying why.

    ``stored`` reads the forecast the last load's refresh summarised (sufficiency/stored_forecast.py)
    when it was made with this size, horizon, seed and unit costs, so a member's first view simulates
    nothing; otherwise (or with ``stored`` False) the futures are simulated here, to the same figures.
    """
    from careboard.sufficiency.states import CATEGORIES

    start = dt.date(year, 3, 31)
    uc = _unit_costs(con, la, start, unit_costs) if costs else None
    found = _forecast(con, la, year, simulations, years_ahead, seed, uc, stored)
    if isinstance(found, str):
        log.warning("No sufficiency section for %s %s: too little history to forecast (%s).", la, year, found)
        return None
    dates = found.dates
    months = [12 * k for k in range(1, years_ahead + 1)]
    horizons = [dates[m] for m in months]
    now = found.now  # every future starts from the same children
    total_now = int(now.sum())

    # Today's counts as the release publishes them (the children-looked-after breakdown by placement type).
    releases = releases if releases is not None else Releases(la)
    release = releases.get(con, year)
    released = release.placements
    exact = {c: release.count(_placement_key(c)) or 0 for c in CATEGORIES}
    total_released = figure(released.get(ALL))
    if total_released is None or release.count(_placement_key(None)) != total_now:
        log.warning("No sufficiency section for %s %s: the number of children looked after on 31 March is not "
                    "published for this year.", la, year)
        return None
    if any(exact[c] != int(n) for c, n in zip(CATEGORIES, now, strict=True)):
        # The forecast counts children differently from the scorecard (it should not): show no category's count.
        log.warning("Sufficiency section for %s %s: the forecast's counts by placement type differ from the "
                    "scorecard's, so none is shown.", la, year)
        released = {c: SUPPRESSED for c in CATEGORIES}
    controlled = {c: _released_cell(released.get(c, 0)) for c in CATEGORIES}

    def forecasts(q: np.ndarray) -> tuple[np.ndarray, list[Forecast]]:
        """``q``: the 10th, 25th, 50th, 75th and 90th percentiles of the futures at each month end."""
        return q, [round_forecast(dates[m], q[0, m], q[2, m], q[4, m]) for m in months]

    # The total's history: monthly counts over up to three years before today (only if none is 1-5).
    history = [(d, int(v)) for d, v in zip(found.history_dates, found.history, strict=True)]
    history.append((start, total_now))
    if not _publishable([v for _, v in history]) or not _march_totals_released(con, releases, history):
        history = []
    tot_q, tot_fc = forecasts(found.total)
    end = tot_fc[-1]
    recorded = [(d, v) for d, v in history if d.month == 3 and d.day == 31]
    desc = (("Children looked after on 31 March: " + "; ".join(f"{d.year}: {v:,}" for d, v in recorded) + ". ")
            if recorded else f"Children looked after on {start:%d %B %Y}: {total_now:,}. ")
    desc += ("Forecast, rounded, with the range that holds 80% of the simulated futures: "
             + _dates_text(tot_fc) + ".")
    chart = fan_chart("Children looked after: recorded and forecast", dates, tot_q, history, desc)
    total = CategoryView("All children looked after", total_now, tot_fc,
                         sentence("to be looked after", end, total_now), chart)

    rows: list[CategoryView] = []
    for i, c in enumerate(CATEGORIES):
        cell = controlled[c]
        if cell["suppressed"]:
            rows.append(CategoryView(c, str(cell["value"]), [], None, None, suppressed=cell["suppressed"]))
            continue
        q, fc = forecasts(found.by_category[i])
        n = int(now[i])
        desc = (f"{n:,} children on {start:%d %B %Y}. Forecast, rounded, with the range that holds 80% of the "
                f"simulated futures: {_dates_text(fc)}.")
        svg = fan_chart(f"{c}: forecast", dates, q, [], desc, width=300, height=165,
                        heading=f"{c} ({n:,} now)", key=False)
        rows.append(CategoryView(c, n, fc, sentence(PHRASES[c], fc[-1], n), svg))

    hidden = [r.category for r in rows if r.hidden]
    hidden_note = None
    if hidden:
        names = _join([f"‘{h}’" for h in hidden])
        hidden_note = (f"Figures for {names} are not shown (c): fewer than {SMALL_MAX + 1} children are placed "
                       "this way now, or showing them would let a hidden figure be worked out. Their forecasts and "
                       "costs are left out too, because a forecast starts from today's number; they are counted in "
                       "the total.")

    summary = [f"{total_now:,} children were looked after on {start:%d %B %Y}.", total.sentence or ""]
    spend = _spend(found.spend, rows, years_ahead) if found.spend is not None else None
    notes = [
        f"These are forecasts, not counts of real children: each figure is the middle of {simulations:,} simulated "
        "futures, rounded to the nearest 5 (10 from 1,000), and the range in brackets holds 80% of them. In tests "
        "on past data the ranges for single placement types were somewhat too narrow, so treat them as a guide.",
        "The forecast assumes that children keep entering care, moving and leaving at the rates of the last three "
        "years; it does not know about new policies, new homes or changes in the child population.",
    ]
    plan_view, plan_note = _plan(con, la, year, plan, {r.category for r in rows if r.hidden})
    return SufficiencyView(la=la, start=start, horizons=horizons, simulations=simulations, total=total,
                           categories=rows, summary=summary, hidden_note=hidden_note, chart=chart, spend=spend,
                           notes=notes, plan=plan_view, plan_note=plan_note)


def _plan(con: duckdb.DuckDBPyConnection, la: str, year: int, plan: ForecastResult | StoredPlan | bool | None,
          hidden: set[str]) -> tuple[PlanView | None, str | None]:
    """The plan view and, without one, the note members read instead."""
    from careboard.publish.sufficiency_plan import build_plan_view, no_plan_note, not_stored_note, plan_view_from
    from careboard.sufficiency.service import ServiceError, year_end_plan
    from careboard.sufficiency.stored_plan import StoredPlan, read_plan

    if plan is True:
        plan = read_plan(con, la, year)  # worked out by the last load's refresh
        if plan is None:
            try:
                plan = year_end_plan(con, la, year)
            except ServiceError as exc:
                log.warning("No sufficiency plan for %s %s: %s", la, year, exc)
                plan = None
    if isinstance(plan, StoredPlan):
        if plan.figures is None:
            return None, not_stored_note(year, plan.note)
        return plan_view_from(plan.figures, hidden), None
    if plan is None or plan is False or plan.plan is None:
        return None, no_plan_note(year)
    return build_plan_view(plan, hidden), None


def _placement_key(category: str | None):
    """The release's count of children looked after on 31 March (of one placement type, or all)."""
    from careboard.publish.cohorts import COUNTS

    counts = COUNTS["cla_31_march"]
    return counts.key("num") if category is None else counts.key("num", "placement_type", category)


def _released_cell(value: object) -> dict:
    """A category's 'now' cell: the released count, or the marker with why."""
    if is_marker(value):
        return {"value": value, "suppressed": REASON_HIDDEN}
    return {"value": int(figure(value) or 0), "suppressed": None}


def _march_totals_released(con: duckdb.DuckDBPyConnection, releases: Releases, history: list) -> bool:
    """The total's history may be drawn only if every 31 March on it is a published headline count."""
    known = set(releases.years(con))
    for d, v in history:
        if d.month == 3 and d.day == 31 and d.year in known:
            head = releases.get(con, d.year).row("cla_31_march")
            if head is None or figure(head["value"]) != v:
                return False
    return True


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _unit_costs(con: duckdb.DuckDBPyConnection, la: str, start: dt.date, given: UnitCosts | None
                ) -> UnitCosts | None:
    """The unit costs spend is projected at: ``given``, else the authority's (its own as loaded, else careboard's
    examples, as the plan's); None when unusable."""
    from careboard.sufficiency.cost import CostError, authority_costs

    try:
        return given if given is not None else authority_costs(con, la, start)
    except (CostError, OSError) as exc:
        log.warning("No spend projection in the sufficiency section: %s", exc)
        return None


def _forecast(con: duckdb.DuckDBPyConnection, la: str, year: int, simulations: int, years_ahead: int, seed: int,
              costs: UnitCosts | None, stored: bool) -> ForecastFigures | str:
    """The forecast's figures (stored when they fit, else simulated now), or why there are none."""
    from careboard.sufficiency.estimate import EstimateError
    from careboard.sufficiency.service import year_end_simulation
    from careboard.sufficiency.stored_forecast import read_forecast, summarise

    if stored:
        found = read_forecast(con, la, year)
        if found is not None and (found.simulations, found.years_ahead, found.seed) == (simulations, years_ahead, seed):
            if found.figures is None:
                return found.note or "no forecast"
            spend = found.figures.spend
            if costs is None:
                return dataclasses.replace(found.figures, spend=None)
            if spend is not None and spend.made_with(costs):
                return found.figures
    try:
        return summarise(year_end_simulation(con, la, year, years_ahead, simulations, seed), costs)
    except EstimateError as exc:
        return str(exc)


def _spend(spend: SpendFigures, rows: list[CategoryView], years_ahead: int) -> SpendView | None:
    """Projected spend by financial year for the shown categories and in total; None without a whole year."""
    from careboard.publish.sufficiency_plan import costs_note
    from careboard.sufficiency.states import CAT_INDEX

    cols = [j for j, done in enumerate(spend.complete) if done][:years_ahead]
    if not cols:
        return None
    labels = [f"{spend.years[j] - 1}-{spend.years[j] % 100:02d}" for j in cols]
    out = []
    for r in rows:
        if r.hidden:
            continue
        i = CAT_INDEX[r.category]
        out.append(SpendRow(r.category, float(spend.weekly[i]),
                            [_spend_cell(spend.by_category[:, j, i]) for j in cols],
                            example=spend.illustrative and r.category in spend.examples))
    total = SpendRow("All placements", None, [_spend_cell(spend.total[:, j]) for j in cols])
    out.append(total)
    first = total.years[0]
    label = "illustrative costs" if spend.illustrative else "the council's unit costs"
    text = (f"At {label}, placements for the children we expect to look after would cost about "
            f"{money(first.central)} in {labels[0]} (between {money(first.lower)} and {money(first.upper)}).")
    return SpendView(labels, out, spend.illustrative, spend.source, text, costs_note(spend.illustrative, spend.source))
