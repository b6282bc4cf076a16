"""One service function per job: the forecast with its plan, and the backtest.

The command line (``command.py``), and later the web page and the members' pack, call these and
only present what they return.  Nothing here prints, formats or draws; problems are raised as
``ServiceError`` with the exit code a command line should use (2: a bad argument or option file,
1: the data cannot support the job), and every message names the file, line and field at fault.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np

from careboard.progress import SILENT, Progress

from .areas import AREA_FILE, AreaError, Areas, build_areas, read_area_map, sectors_of
from .backtest import BacktestRow
from .capacity import CapacityError, read_capacity, read_changes, read_needs
from .cost import CostError, Spend, UnitCosts, authority_costs, load_costs, project
from .estimate import EstimateError, Spells, data_span, fit, load_spells, stock_at
from .plan import PlanInputs, SufficiencyPlan, build_plan
from .scenarios import Scenario
from .simulate import Adjustments, Simulation, simulate
from .states import add_months, day_number
from .stored import stored_capacity, stored_extract_year
from .supply import Capacity, SupplyPlan


class ServiceError(Exception):
    """The job cannot be done: ``problems`` lists every reason; ``code`` 2 for bad input, 1 for the data.

    ``about`` names the ``ForecastOptions`` field (or ``origin``) at fault, so a command line can
    name its own option for it.
    """

    def __init__(self, problems: list[str] | str, code: int = 1, about: str | None = None):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        self.code = code
        self.about = about
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(self.problems[0] + more)


@dataclass
class ForecastOptions:
    """What to forecast and with which assumptions (the command line's options, checked)."""

    start: dt.date | None = None  # forecast from the end of this day (default: the data's last 31 March)
    years_ahead: int = 3
    simulations: int = 1000
    seed: int = 1
    window_years: float = 3.0
    scenario: Scenario | None = None
    capacity: Path | None = None  # folder with foster_households.csv, placement_capacity.csv, ...
    capacity_from_store: bool = False  # without a folder: the capacity extracts ``careboard load`` stored
    costs: Path | None = None  # YAML or unit_costs.csv; example figures when None and costs are wanted
    want_costs: bool = False
    costs_from_store: bool = False  # without a costs file: the unit_costs.csv extract loaded, if any
    budget: float | None = None
    max_miles: float = 20.0
    match_futures: int = 200
    history_months: int = 36
    workers: int = 2


@dataclass
class ForecastResult:
    """Everything the forecast computed, as data (no text, no charts)."""

    la: str
    start: dt.date
    data_first: dt.date
    data_last: dt.date
    scenario: str
    simulations: int
    sim: Simulation
    history_dates: list[dt.date]
    history: np.ndarray  # (date, category) children looked after, recorded
    costs: UnitCosts | None = None
    spend: Spend | None = None
    budget: float | None = None
    plan: SufficiencyPlan | None = None
    areas: Areas | None = None
    supply: SupplyPlan = field(default_factory=SupplyPlan)
    max_miles: float = 20.0
    capacity_year: int | None = None  # the stored capacity extract's collection year (capacity_from_store)
    capacity_changes: int = 0  # known openings, closures and carers leaving the plan counts (capacity_changes.csv)


def _span(con: duckdb.DuckDBPyConnection, la: str, progress: Progress) -> tuple[dt.date, dt.date]:
    from careboard.model.build import build

    build(con, progress=progress)  # a no-op when the last load's refresh built it (always, on the command line)
    progress.begin("Reading care histories")
    try:
        return data_span(con, la)
    except EstimateError as exc:
        raise ServiceError(str(exc), 1) from None


def _read_capacity(folder: Path) -> tuple[Capacity, dict[str, dict[str, object]] | None, dict[str, str]]:
    try:
        settings = read_capacity(folder)
        changes = read_changes(folder / "capacity_changes.csv", settings) \
            if (folder / "capacity_changes.csv").exists() else []
        needs = read_needs(folder / "child_needs.csv") if (folder / "child_needs.csv").exists() else None
        mapping = read_area_map(folder / AREA_FILE) if (folder / AREA_FILE).exists() else {}
    except CapacityError as exc:
        raise ServiceError(exc.problems, 1) from None
    except AreaError as exc:
        raise ServiceError(str(exc), 1) from None
    return Capacity(settings, changes), needs, mapping


def forecast(con: duckdb.DuckDBPyConnection, la: str, options: ForecastOptions,
             progress: Progress = SILENT) -> ForecastResult:
    """Forecast children looked after by category and age with uncertainty; with a capacity folder, the
    plan (needs and home areas matched to the places expected each year, cost, recruitment); with
    costs, projected spend.  ``progress`` hears of each step (careboard.progress)."""
    first, last = _span(con, la, progress)
    start = options.start or last
    if not first < start <= last:
        raise ServiceError(f"the forecast start {start} must fall inside the loaded data ({first} to {last})", 2,
                           about="start")
    scenario = options.scenario or Scenario("Base", Adjustments(), SupplyPlan())
    capacity = needs = None
    mapping: dict[str, str] = {}
    capacity_year = None
    if options.capacity is not None:
        capacity, needs, mapping = _read_capacity(options.capacity)
    elif options.capacity_from_store:
        try:
            stored = stored_capacity(con, la, collection_year(start))
        except CapacityError as exc:
            raise ServiceError(exc.problems, 1) from None
        if stored is not None and len(stored.settings):
            capacity, needs, capacity_year = Capacity(stored.settings, stored.changes), stored.needs, stored.year
    spells = load_spells(con, la, start, needs)
    areas = None
    if capacity is not None:
        setting_sectors = sectors_of(con, capacity.settings.postcode)
        opened = [c.setting for c in capacity.changes if c.setting is not None]
        opened_sectors = [sectors_of(con, s.postcode) for s in opened]
        areas = build_areas(con, la, np.concatenate([spells.home_sector, setting_sectors, *opened_sectors]), mapping)
        _check_recruit_areas(scenario, areas)
        spells.area = areas.index(spells.home_sector)
        capacity.settings.xy, capacity.settings.area = areas.location(setting_sectors), areas.index(setting_sectors)
        for s, sec in zip(opened, opened_sectors, strict=True):
            s.xy, s.area = areas.location(sec), areas.index(sec)
    progress.begin("Estimating rates of entry, moves and leaving care")
    try:
        rates = fit(spells, start, window_years=options.window_years, data_start=first)
    except EstimateError as exc:
        raise ServiceError(str(exc), 1) from None
    months = 12 * options.years_ahead
    kept = tuple(range(0, months + 1, 12)) if capacity is not None else ()
    progress.begin(f"Simulating {options.simulations:,} futures")
    sim = simulate(rates, months, n_sims=options.simulations, seed=options.seed, adjustments=scenario.adjustments,
                   workers=options.workers, detail_months=kept, detail_futures=options.match_futures)
    hist_dates = [d for d in (add_months(start, -k) for k in range(options.history_months, -1, -1)) if d >= first]
    history = stock_at(spells, np.array([day_number(d) for d in hist_dates])).sum(axis=2)
    result = ForecastResult(la, start, first, last, scenario.name, options.simulations, sim, hist_dates, history,
                            budget=options.budget, areas=areas, supply=scenario.supply, max_miles=options.max_miles,
                            capacity_year=capacity_year,
                            capacity_changes=len(capacity.changes) if capacity is not None else 0)
    if options.want_costs or options.costs is not None or options.budget is not None or capacity is not None:
        progress.begin("Projecting spend")
        try:
            result.costs = (authority_costs(con, la, start) if options.costs is None and options.costs_from_store
                            else load_costs(options.costs, con, la, start))
        except CostError as exc:
            raise ServiceError(str(exc), 1) from None
        result.spend = project(sim, result.costs)
    if capacity is not None and areas is not None and result.costs is not None:
        inputs = PlanInputs(capacity, areas, result.costs, scenario.supply, options.max_miles, options.match_futures,
                            options.seed)
        progress.begin(f"Matching children to places each year ({min(options.match_futures, options.simulations)} "
                       "futures) and setting recruitment targets")
        result.plan = build_plan(sim, inputs)
    return result


@dataclass
class MembersForecast:
    """What the members' sufficiency section shows: the simulated futures and the recorded monthly totals
    over up to three years before 31 March (the months, and children looked after on each)."""

    sim: Simulation
    history_dates: list[dt.date]
    history: np.ndarray


def year_end_simulation(con: duckdb.DuckDBPyConnection, la: str, year: int, years_ahead: int = 3,
                        simulations: int = 500, seed: int = 1,
                        spells_of: dict[str, Spells] | None = None) -> MembersForecast:
    """The members' forecast: ``simulations`` futures of ``la``'s children looked after from 31 March of
    ``year``, ``years_ahead`` years on, with the base scenario (no plan, no costs), and the recorded history
    before it.  publish/sufficiency.py only shapes this for people.  Raises EstimateError when the loaded
    returns cannot support it.  ``spells_of``: the authorities' care spells read so far (the refresh
    forecasts every year of an authority from the same spells: read once, kept there)."""
    from careboard.model.build import build

    start = dt.date(year, 3, 31)
    build(con)  # a no-op when the last load's refresh built it
    first, last = data_span(con, la)
    if not first < start <= last:
        raise EstimateError(f"31 March {year} is outside the loaded returns ({first} to {last})")
    spells = spells_of.get(la) if spells_of is not None else None
    if spells is None:
        spells = load_spells(con, la)
        if spells_of is not None:
            spells_of[la] = spells
    rates = fit(spells, start, data_start=first)
    sim = simulate(rates, 12 * years_ahead, n_sims=simulations, seed=seed)
    dates = [d for d in (add_months(start, -k) for k in range(36, 0, -1)) if d >= first]
    history = stock_at(spells.cut(day_number(start)), np.array([day_number(d) for d in dates],
                                                               dtype=np.int64)).sum(axis=(1, 2))
    return MembersForecast(sim, dates, history)


def collection_year(day: dt.date) -> int:
    """The collection year a day falls in, named by the 31 March it ends on."""
    return day.year + (1 if (day.month, day.day) > (3, 31) else 0)


def year_end_plan(con: duckdb.DuckDBPyConnection, la: str, year: int, simulations: int = 1000,
                  match_futures: int = 200, seed: int = 1) -> ForecastResult | None:
    """The full plan from 31 March ``year`` with the capacity extracts ``careboard load`` stored (the
    same tables as ``careboard forecast --capacity FOLDER``, with the council's unit costs if it loaded
    unit_costs.csv, else the example ones, labelled illustrative); None when no capacity extract is loaded
    for that year or before.  Raises ServiceError when the loaded returns cannot support a forecast from
    that day.  The refresh after each load stores it (stored_plan.py): the web page and the pack present
    ``figures.member_figures`` of it; commissioners download its tables."""
    if stored_extract_year(con, la, year) is None:
        return None
    options = ForecastOptions(start=dt.date(year, 3, 31), simulations=simulations, match_futures=match_futures,
                              seed=seed, capacity_from_store=True, want_costs=True, costs_from_store=True)
    result = forecast(con, la, options)
    return result if result.plan is not None else None


def _check_recruit_areas(scenario: Scenario, areas: Areas) -> None:
    known = areas.names[2:]
    bad = [f"{scenario.name}: recruit[{i}].area: {r.area!r} is not an area of the authority "
           f"(areas: {', '.join(known)}; add areas.csv to the capacity folder to name your own)"
           for i, r in enumerate(scenario.supply.recruit) if r.area not in known]
    if bad:
        raise ServiceError(bad, 2)


def backtest(con: duckdb.DuckDBPyConnection, la: str, origin: dt.date, options: ForecastOptions,
             groups: dict[str, tuple[str, ...]] | None = None, progress: Progress = SILENT) -> list[BacktestRow]:
    """Cut the history at ``origin``, forecast as ``forecast`` would have that day, and score it."""
    from .backtest import backtest as run

    first, last = _span(con, la, progress)
    if not first < origin < last:
        raise ServiceError(f"the backtest origin {origin} must fall inside the loaded data ({first} to {last})", 2,
                           about="origin")
    spells: Spells = load_spells(con, la)
    adj = options.scenario.adjustments if options.scenario else None
    progress.begin(f"Backtesting from {origin}: {options.simulations:,} simulated futures")
    try:
        return run(spells, origin, first, last, n_sims=options.simulations, seed=options.seed,
                   window_years=options.window_years, adjustments=adj, groups=groups)
    except (ValueError, EstimateError) as exc:
        raise ServiceError(str(exc), 2) from None
