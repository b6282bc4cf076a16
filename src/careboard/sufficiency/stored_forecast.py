"""The members' forecast summarised once, in the refresh after a load, for the sufficiency page and pack.

The members' sufficiency section (publish/sufficiency.py) shows the forecast of children looked after
(``service.year_end_simulation``: 500 futures from 31 March).  Simulating takes a second or more,
too slow for the first member to open the page after a load, and the section needs only a few
figures of the futures, not the futures themselves: today's children by placement category, the
10th, 25th, 50th, 75th and 90th percentiles of the total and of each category at every month end,
the recorded monthly totals before, and (at the authority's unit costs, ``cost.authority_costs``: the
council's own as loaded, else the example figures, as the plan prices its gap) the 10th, 50th and 90th
percentiles of spend by financial year.  :func:`summarise` works those out; the refresh stores them
in ``sufficiency_forecasts`` beside the plans (stored_plan.py, whose state and ``PLAN_VERSION`` they
share), one row for every authority and year with a current SSDA903 load (every year the page
offers).  The section reads them when they were made with its own size and seed (and, for spend,
the same unit costs), so the stored section is the computed one, figure for figure.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import duckdb
import numpy as np

from .cost import UnitCosts, project
from .service import MembersForecast
from .states import CATEGORIES

# The members' forecast as publish/sufficiency.py makes it by default: its size, horizon and seed.
SIMULATIONS, YEARS_AHEAD, SEED = 500, 3, 1
QUANTILES = (10, 25, 50, 75, 90)  # the fan charts' bands and middle
SPEND_QUANTILES = (10, 50, 90)  # a spend cell's range and middle

CREATE_SQL = """
CREATE TABLE IF NOT EXISTS sufficiency_forecasts (
    la VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    figures VARCHAR,       -- JSON: ForecastFigures (NULL when the returns cannot support a forecast)
    note VARCHAR,          -- why there is no forecast, when there is none
    simulations INTEGER NOT NULL,
    years_ahead INTEGER NOT NULL,
    seed INTEGER NOT NULL,
    built_at TIMESTAMP NOT NULL
)
"""

# Every authority and collection year with a current SSDA903 load: the years the members' page offers.
FORECAST_YEARS_SQL = "SELECT DISTINCT la, year FROM current_loads WHERE kind = 'ssda903' ORDER BY la, year"

READ_SQL = """
SELECT figures, note, simulations, years_ahead, seed FROM sufficiency_forecasts WHERE la = $la AND year = $year
"""


@dataclass(frozen=True)
class SpendFigures:
    """Spend percentiles by financial year at one set of unit costs (which it names, to be matched)."""

    years: list[int]  # financial years, named by the 31 March they end on
    complete: list[bool]  # the forecast covers the whole year
    weekly: list[float]  # the unit costs used, by category
    illustrative: bool
    source: str
    by_category: np.ndarray  # (SPEND_QUANTILES, year, category) GBP
    total: np.ndarray  # (SPEND_QUANTILES, year) GBP: the percentiles of each future's total
    examples: list[str] = field(default_factory=list)  # the categories priced at careboard's example figures

    def made_with(self, costs: UnitCosts) -> bool:
        return (self.weekly == [float(w) for w in costs.weekly] and self.illustrative == bool(costs.illustrative)
                and self.source == str(costs.source))


@dataclass(frozen=True)
class ForecastFigures:
    """What the members' section needs of the simulated futures (no future itself)."""

    dates: list[dt.date]  # month ends, dates[0] the forecast's start
    now: np.ndarray  # (category,) children looked after at the start (the same in every future)
    total: np.ndarray  # (QUANTILES, month) children looked after in all
    by_category: np.ndarray  # (category, QUANTILES, month)
    history_dates: list[dt.date]  # recorded month ends before the start
    history: np.ndarray  # children looked after on each
    spend: SpendFigures | None = None


@dataclass(frozen=True)
class StoredForecast:
    """One stored forecast: ``figures`` None (with ``note`` saying why) when it could not be made."""

    figures: ForecastFigures | None
    note: str | None
    simulations: int
    years_ahead: int
    seed: int


def summarise(forecast: MembersForecast, costs: UnitCosts | None = None) -> ForecastFigures:
    """The percentiles the section draws and states, and with ``costs`` projected spend's."""
    sim = forecast.sim
    by_cat = sim.by_category()  # (future, month, category)
    spend = None
    if costs is not None:
        projected = project(sim, costs)
        spend = SpendFigures([int(y) for y in projected.years], [bool(c) for c in projected.complete],
                             [float(w) for w in costs.weekly],
                             bool(costs.illustrative), str(costs.source),
                             np.percentile(projected.by_future, SPEND_QUANTILES, axis=0),
                             np.percentile(projected.by_future.sum(axis=2), SPEND_QUANTILES, axis=0),
                             list(costs.examples))
    return ForecastFigures(
        dates=list(sim.dates), now=by_cat[0, 0].astype(int),
        total=np.percentile(sim.totals(), QUANTILES, axis=0),
        by_category=np.stack([np.percentile(by_cat[:, :, i], QUANTILES, axis=0) for i in range(len(CATEGORIES))]),
        history_dates=list(forecast.history_dates), history=np.asarray(forecast.history, dtype=np.int64),
        spend=spend)


def to_json(figures: ForecastFigures) -> str:
    """JSON that :func:`from_json` reads back exactly (floats round-trip)."""
    spend = figures.spend
    return json.dumps({
        "dates": [d.isoformat() for d in figures.dates], "now": figures.now.tolist(),
        "total": figures.total.tolist(), "by_category": figures.by_category.tolist(),
        "history_dates": [d.isoformat() for d in figures.history_dates], "history": figures.history.tolist(),
        "spend": None if spend is None else {
            "years": spend.years, "complete": spend.complete, "weekly": spend.weekly,
            "illustrative": spend.illustrative, "source": spend.source,
            "by_category": spend.by_category.tolist(), "total": spend.total.tolist(),
            "examples": spend.examples},
    })


def from_json(text: str) -> ForecastFigures:
    data = json.loads(text)
    s = data["spend"]
    spend = None if s is None else SpendFigures(
        [int(y) for y in s["years"]], [bool(c) for c in s["complete"]], [float(w) for w in s["weekly"]],
        bool(s["illustrative"]), str(s["source"]), np.array(s["by_category"], dtype=np.float64),
        np.array(s["total"], dtype=np.float64), [str(c) for c in s.get("examples", [])])
    return ForecastFigures(
        dates=[dt.date.fromisoformat(d) for d in data["dates"]], now=np.array(data["now"], dtype=int),
        total=np.array(data["total"], dtype=np.float64),
        by_category=np.array(data["by_category"], dtype=np.float64),
        history_dates=[dt.date.fromisoformat(d) for d in data["history_dates"]],
        history=np.array(data["history"], dtype=np.int64), spend=spend)


def forecast_years(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """(authority, collection year) of every members' forecast a refresh works out."""
    return [(la, int(year)) for la, year in con.execute(FORECAST_YEARS_SQL).fetchall()]


def work_out(con: duckdb.DuckDBPyConnection, years: list[tuple[str, int]] | None = None
             ) -> list[tuple[str, int, str | None, str | None, int, int, int]]:
    """The rows to store: every members' forecast (or those of ``years``), summarised (``con`` with the model
    current)."""
    from .cost import CostError, authority_costs
    from .estimate import EstimateError
    from .service import year_end_simulation

    rows = []
    spells_of: dict = {}  # each authority's care spells, read once for all its years
    for la, year in forecast_years(con) if years is None else years:
        figures = note = None
        try:
            costs: UnitCosts | None = authority_costs(con, la, dt.date(year, 3, 31))  # as the section prices it
        except (CostError, OSError):
            costs = None
        try:
            figures = to_json(summarise(year_end_simulation(con, la, year, YEARS_AHEAD, SIMULATIONS, SEED,
                                                          spells_of=spells_of), costs))
        except EstimateError as exc:
            note = str(exc)
        rows.append((la, year, figures, note, SIMULATIONS, YEARS_AHEAD, SEED))
    return rows


def store(con: duckdb.DuckDBPyConnection, rows: list, kept: list[str] | None = None) -> None:
    """Replace the stored forecasts, but those of the authorities ``kept`` (inside the caller's transaction)."""
    con.execute(CREATE_SQL)
    con.execute("DELETE FROM sufficiency_forecasts WHERE NOT list_contains($kept, la)", {"kept": kept or []})
    if rows:
        con.executemany("INSERT INTO sufficiency_forecasts VALUES (?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP)", rows)


def read_forecast(con: duckdb.DuckDBPyConnection, la: str, year: int) -> StoredForecast | None:
    """The stored members' forecast for ``la`` from 31 March ``year``; None when none is stored."""
    try:
        found = con.execute(READ_SQL, {"la": la, "year": year}).fetchone()
    except duckdb.CatalogException:  # no refresh has stored a forecast in this database
        return None
    if found is None:
        return None
    figures, note, simulations, years_ahead, seed = found
    return StoredForecast(from_json(figures) if figures else None, note, int(simulations), int(years_ahead),
                          int(seed))
