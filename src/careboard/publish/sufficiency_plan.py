"""The sufficiency plan for members: where places will be short, for whom, what it costs, and what
recruitment would change, in plain words and a map-like table by area.

careboard.sufficiency computes the plan (``service.year_end_plan``: the forecast children, by needs
and home area, matched each year to the places the capacity extracts describe) and gives members'
figures only through ``figures.member_figures``.  This module only shapes them, under the same
disclosure rules as the forecast section (publish/sufficiency.py):

* **No count of real children is shown.**  The start date's figures (``"real": True``) are used
  only to decide what to hide: a cell (home area x the approval a foster household would need, or a
  kind of place) whose children *today* number 1 to 5 is hidden whole (``c``), forecasts included,
  because a forecast starts from today's number and would narrow it down.  A kind of place whose
  placement categories the release hides is hidden too, and so is a recruitment target for a
  hidden cell.
* **Forecasts are rounded** as the forecast section rounds them (``round_forecast``: to the nearest
  5, the 80% range outwards); costs to the nearest £1,000 (£100,000 from £1m); sentences are built
  from the rounded figures only.
* Households to recruit are modelled numbers of households, not children; they are shown as the
  plan computes them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from careboard.publish.disclosure import SMALL_MAX
from careboard.publish.sufficiency import Forecast, money, month_year, round_forecast
from careboard.sufficiency.cost import OUT_OF_AREA_AT_EXAMPLES

if TYPE_CHECKING:
    from careboard.sufficiency.service import ForecastResult

# The map-like table's columns: the approval a foster household would need, then the other kinds of place.
APPROVAL_COLUMNS = {
    "general": "Younger children",
    "teenagers": "Teenagers",
    "siblings": "Sibling groups",
    "disability": "Disabled children",
    "parent_and_child": "Parent and child",
    "uasc": "Asylum-seeking children on their own",
}
KIND_COLUMNS = {"Children's homes": "Children's homes", "Supported accommodation": "Supported accommodation"}
# "about 10 fewer <phrase> than children needing them"
PHRASES = {
    "general": "foster places for younger children",
    "teenagers": "foster places for teenagers",
    "siblings": "foster homes that can keep brothers and sisters together",
    "disability": "foster places for disabled children",
    "parent_and_child": "parent-and-child foster places",
    "uasc": "foster places for unaccompanied asylum-seeking children",
    "Children's homes": "children's home places",
    "Supported accommodation": "supported accommodation places",
}
AREA_NAMES = {"Unknown": "Home area not known", "Outside the authority": "Home outside the council's area"}
ANYWHERE = "Anywhere (home area unknown or outside)"
# The placement categories behind each kind of place (sufficiency/plan.py KIND_CATEGORIES)
KIND_CATEGORIES = {"Foster care": ("In-house fostering", "Agency fostering"),
                   "Children's homes": ("Children's homes",), "Supported accommodation": ("Supported accommodation",)}
HIDDEN = "c"


@dataclass(frozen=True)
class PlanCell:
    """One cell of the map-like table: a rounded forecast shortfall, 'c' (hidden) or '' (no such children)."""

    forecast: Forecast | None
    hidden: bool = False

    @property
    def text(self) -> str:
        if self.hidden:
            return HIDDEN
        if self.forecast is None:
            return ""
        f = self.forecast
        return "0" if f.upper == 0 else f"{f.central:,} ({f.lower:,} to {f.upper:,})"


@dataclass(frozen=True)
class PlanRow:
    area: str
    cells: list[PlanCell]


@dataclass(frozen=True)
class PlacesRow:
    """One kind of place on one year end: children needing it, places expected and the shortfall (rounded)."""

    kind: str
    when: dt.date
    children: Forecast | None  # None when hidden
    places: Forecast | None
    shortfall: Forecast | None

    @property
    def hidden(self) -> bool:
        return self.children is None


@dataclass(frozen=True)
class RecruitRow:
    area: str
    approved_for: str
    households_50: int
    households_80: int
    approval: str = ""  # recruit.py's key ('teenagers', ...)


@dataclass(frozen=True)
class PlanView:
    """Everything the plan section shows: rounded forecasts, sentences, 'c' where hidden; no real counts."""

    start: dt.date
    end: dt.date
    capacity_year: int | None
    max_miles: float | None
    columns: list[str]
    rows: list[PlanRow]
    short: list[str]  # "M33: about 10 fewer foster places for teenagers than children needing them by ..."
    places: list[PlacesRow]
    cost_sentence: str | None
    recruitment: list[RecruitRow]
    recruitment_sentences: list[str]
    illustrative: bool
    hidden_note: str | None
    notes: list[str] = field(default_factory=list)


def _fc(when: dt.date, q: dict[str, float]) -> Forecast:
    return round_forecast(when, q["p10"], q["median"], q["p90"])


def _small(n: float) -> bool:
    return 1 <= round(n) <= SMALL_MAX


def _money(q: dict[str, float]) -> tuple[str, str, str]:
    """Median, 10th and 90th percentile in one unit: £m to £0.1m once the range reaches £1m, else to £1,000."""
    millions = q["p90"] >= 1_000_000
    step = 100_000 if millions else 1_000
    mid, lo, hi = (round(q[k] / step) * step for k in ("median", "p10", "p90"))
    return money(mid, millions), money(lo, millions), money(hi, millions)


def no_plan_note(year: int) -> str:
    """What members read when no capacity extract is loaded for the year."""
    return (f"No capacity figures are loaded for 31 March {year}, so this page cannot yet say where places will be "
            "short. To see it, load the council's in-house foster households (foster_households.csv) and its "
            "children's homes and supported accommodation (placement_capacity.csv) with the returns.")


def not_stored_note(year: int, reason: str | None = None) -> str:
    """What members read when capacity figures are loaded but no plan is stored for the year."""
    if reason:
        return (f"The plan of places from 31 March {year} could not be worked out from the loaded figures "
                f"({reason}), so this page cannot yet say where places will be short.")
    return (f"The plan of places from 31 March {year} has not been worked out yet, so this page cannot yet say where "
            "places will be short. It is worked out when the returns or capacity figures are loaded: an analyst "
            "makes it by loading them again with careboard load (or by starting the web app with careboard serve, "
            "which brings an older database up to date).")


def _out_of_area_note(source: str | None) -> str:
    """The sentence saying which out-of-area extras a week are careboard's example figures, if any
    (cost.OUT_OF_AREA_AT_EXAMPLES, with the categories after " for " when the council gave the others)."""
    if source is None or OUT_OF_AREA_AT_EXAMPLES not in source:
        return ""
    which = source.split(OUT_OF_AREA_AT_EXAMPLES, 1)[1].removeprefix(" for ").strip()
    if which:
        return (f" The extra a week for a place out of area (beyond the distance limit) is careboard's example figure "
                f"for {which.lower()}, for which the loaded unit_costs.csv gives none (OUT_OF_AREA_EXTRA_GBP).")
    return (" The extra a week for a place out of area (beyond the distance limit) is careboard's example "
            "figure, since the loaded unit_costs.csv gives none (column OUT_OF_AREA_EXTRA_GBP).")


def costs_note(illustrative: bool, source: str | None = None) -> str:
    """Whose unit costs the plan's costs use, and how a council uses its own.  ``source`` is the costs'
    (cost.UnitCosts.source): a loaded unit_costs.csv lacking some placement types is completed with the
    example figures, and says for which."""
    how = ("to use its own, an analyst loads the council's weekly costs for every placement type as unit_costs.csv "
           "with the capacity figures (careboard load; docs/extracts.md).")
    extra = _out_of_area_note(source)
    if not illustrative:
        return "Costs are the council's own weekly unit costs, loaded as unit_costs.csv." + extra
    if source is not None and source.startswith("unit_costs.csv") and "(example figures for" not in source:
        return ("Costs are the council's own weekly unit costs, loaded as unit_costs.csv, which marks them "
                "illustrative: check them before using these figures for budgeting." + extra)
    if source is not None and source.startswith("unit_costs.csv"):
        which = source.split(OUT_OF_AREA_AT_EXAMPLES, 1)[0]
        return f"Costs are partly example figures (illustrative), not all the council's own ({which}): {how}" + extra
    return f"Costs are example figures (illustrative), not the council's own: {how}"


def _places_note(fig: dict) -> str:
    """Which places the plan counts over the years ahead: the capacity figures, with the known changes loaded."""
    head = (f"Places are the council's foster households and the homes in its capacity figures as at 31 March "
            f"{fig.get('capacity_year')}")
    changes = int(fig.get("capacity_changes") or 0)
    if changes:
        return (f"{head}, with the {changes:,} known openings, closures and carers leaving the council loaded "
                "(capacity_changes.csv) on their dates; other carers who stop fostering are not included, so the "
                "shortfall may be larger.")
    return (f"{head}, kept over the years ahead: no openings, closures or carers leaving are loaded "
            "(capacity_changes.csv), so the shortfall may be larger.")


def build_plan_view(result: ForecastResult, hidden_categories: set[str], top: int = 8) -> PlanView:
    """The members' plan from a forecast with a plan (``service.year_end_plan``).  ``hidden_categories``
    are the placement categories the release hides today (their kinds of place are hidden whole)."""
    from careboard.sufficiency.figures import member_figures

    return plan_view_from(member_figures(result, top=50), hidden_categories, top)


def plan_view_from(fig: dict, hidden_categories: set[str], top: int = 8) -> PlanView:
    """The members' plan from its figures (``figures.member_figures``, as a refresh stores them)."""
    last = max(p["months_ahead"] for p in fig["places"])  # type: ignore[union-attr]
    end = dt.date.fromisoformat(next(p["date"] for p in fig["places"] if p["months_ahead"] == last))  # type: ignore
    start = dt.date.fromisoformat(str(fig["start"]))

    # Today's real counts: only to decide what is hidden.
    now_cell: dict[tuple[str, str], float] = {}
    for r in fig["by_area_approval"]:  # type: ignore[union-attr]
        if r["months_ahead"] == 0:
            now_cell[(r["area"], r["approval"])] = r["children"]["median"]
    for r in fig["by_area"]:  # type: ignore[union-attr]
        if r["months_ahead"] == 0 and r["kind"] in KIND_COLUMNS:
            now_cell[(r["area"], r["kind"])] = r["children"]["median"]
    now_kind = {p["kind"]: p["children"]["median"] for p in fig["places"] if p["months_ahead"] == 0}  # type: ignore
    hidden_kinds = {k for k, cats in KIND_CATEGORIES.items()
                    if _small(now_kind.get(k, 0)) or any(c in hidden_categories for c in cats)}

    def hidden(area: str, col: str) -> bool:
        kind = col if col in KIND_COLUMNS else "Foster care"
        return kind in hidden_kinds or _small(now_cell.get((area, col), 0))

    # The last year's shortfall by area and column.
    later: dict[tuple[str, str], dict[str, float]] = {}
    for r in fig["by_area_approval"]:  # type: ignore[union-attr]
        if r["months_ahead"] == last:
            later[(r["area"], r["approval"])] = r["shortfall"]
    for r in fig["by_area"]:  # type: ignore[union-attr]
        if r["months_ahead"] == last and r["kind"] in KIND_COLUMNS:
            later[(r["area"], r["kind"])] = r["shortfall"]
    keys = [*APPROVAL_COLUMNS, *KIND_COLUMNS]
    cols = [c for c in keys if any(k[1] == c for k in later) or any(k[1] == c for k in now_cell)]
    names = fig["areas"]  # type: ignore[assignment]
    order = [a for a in names[2:]] + [a for a in names[:2]]  # the council's areas first, unknown and outside last
    rows, cells_hidden, sentences = [], False, []
    for area in order:
        if not any((area, c) in later or (area, c) in now_cell for c in cols):
            continue
        cells = []
        for c in cols:
            if hidden(area, c):
                cells.append(PlanCell(None, hidden=True))
                cells_hidden = True
            elif (area, c) in later:
                f = _fc(end, later[(area, c)])
                cells.append(PlanCell(f))
                if f.central > 0:
                    sentences.append((f.central, area, c, f))
            else:
                cells.append(PlanCell(None))
        rows.append(PlanRow(AREA_NAMES.get(area, area), cells))
    sentences.sort(key=lambda x: (-x[0], order.index(x[1]), keys.index(x[2])))
    short = [f"{AREA_NAMES.get(area, area)}: about {f.central:,} fewer {PHRASES[c]} than children needing them "
             f"by {month_year(end)} (between {f.lower:,} and {f.upper:,})." for _, area, c, f in sentences[:top]]

    places = []
    for p in fig["places"]:  # type: ignore[union-attr]
        if p["months_ahead"] == 0:
            continue
        when = dt.date.fromisoformat(p["date"])
        if p["kind"] in hidden_kinds:
            places.append(PlacesRow(p["kind"], when, None, None, None))
        else:
            places.append(PlacesRow(p["kind"], when, _fc(when, p["children"]), _fc(when, p["places"]),
                                    _fc(when, p["shortfall"])))

    illustrative = bool(fig["costs_illustrative"])
    cost_sentence = None
    total = next((c for c in fig["cost_of_gap_total"] if c["months_ahead"] == last), None)  # type: ignore
    if total is not None and total["extra_cost_of_gap"]["p90"] > 0:
        mid, lo, hi = _money(total["extra_cost_of_gap"])
        label = "illustrative costs" if illustrative else "the council's unit costs"
        cost_sentence = (f"Placing those children with agency foster carers, or in children's homes and supported "
                         f"accommodation further away, would cost about {mid} a year more by {month_year(end)} "
                         f"(between {lo} and {hi}) than local in-house places, at {label}.")

    recruit, recruit_sentences = [], []
    for t in fig["recruitment_targets"]:  # type: ignore[union-attr]
        area, appr = str(t["home_area"]), str(t["approval"])
        secret = any(hidden(a, appr) for a in names[:2]) if area == ANYWHERE else hidden(area, appr)
        if secret or int(t["households_80"]) == 0:
            continue
        recruit.append(RecruitRow("Anywhere (home area not known or outside)" if area == ANYWHERE
                                  else AREA_NAMES.get(area, area), str(t["approved_for"]),
                                  int(t["households_50"]), int(t["households_80"]), appr))
    recruit = recruit[:top]
    if not hidden_kinds & {"Foster care"}:
        for c in fig["recruitment_check"]:  # type: ignore[union-attr]
            b = float(c["foster_shortfall_before_median"])
            before = _fc(end, {"p10": b, "median": b, "p90": b}).central
            after = _fc(end, {"p10": c["foster_shortfall_after_p10"], "median": c["foster_shortfall_after_median"],
                              "p90": c["foster_shortfall_after_p90"]})
            saving = _money({k: float(c["saving_a_year_median_gbp"]) for k in ("p10", "median", "p90")})[0]
            level = str(c["level"])
            recruit_sentences.append(
                f"Recruiting {int(c['households_added']):,} more in-house foster households where they are needed "
                f"(enough to close the gap in {'half' if level == '50%' else 'four in five'} of the simulated "
                f"futures) would cut the children without a suitable foster home from about {before:,} to "
                f"{'almost none' if after.central == 0 else f'about {after.central:,}'} by {month_year(end)} "
                f"and save about {saving} a year"
                f"{' (illustrative costs)' if illustrative else ''}; the gap would be closed in "
                f"{round(float(c['chance_gap_closed']) * 100):.0f}% of the futures.")

    note = None
    if cells_hidden or hidden_kinds:
        note = (f"Figures shown as c are hidden: fewer than {SMALL_MAX + 1} children in that area have those needs "
                "now, or the placement type is hidden on the scorecard. A forecast starts from today's number, so "
                "it is hidden too.")
    miles = fig.get("max_miles")
    notes = [
        "A child counts as short of a place when no suitable in-house foster household, children's home or supported "
        f"accommodation within {miles:g} miles of their home area has room for them (with the approvals their needs "
        "call for, and brothers and sisters together): they would go to agency foster carers or further away instead."
        if miles else "A child counts as short of a place when no suitable place has room for them.",
        _places_note(fig),
        "Needs are estimated from the returns (age, category of need, placement history), not from assessments.",
        costs_note(illustrative, fig.get("costs_source")),  # type: ignore[arg-type]
    ]
    return PlanView(start=start, end=end, capacity_year=fig.get("capacity_year"), max_miles=miles,  # type: ignore
                    columns=[APPROVAL_COLUMNS.get(c) or KIND_COLUMNS[c] for c in cols], rows=rows, short=short,
                    places=places, cost_sentence=cost_sentence, recruitment=recruit,
                    recruitment_sentences=recruit_sentences, illustrative=illustrative, hidden_note=note, notes=notes)
