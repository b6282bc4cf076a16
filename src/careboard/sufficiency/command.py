"""``careboard forecast``: the command line over sufficiency.service; it parses and presents, nothing more.

Registered by the CLI as ``app.command("forecast")(forecast)``.  Bad arguments end with one line on
stderr and exit code 2; problems in the data (nothing loaded, a bad extract) with exit code 1.  The
computing is ``service.forecast`` / ``service.backtest``; the tables are ``tables.forecast_tables``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

out = Console()
err = Console(stderr=True)


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True, markup=True)
    return typer.Exit(code)


def _date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise _fail(f"{option}: {text!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY)")


def forecast(
    la: Annotated[str, typer.Option("--la", help="Authority: 3-digit DfE code (886) or ONS code")],
    db: Annotated[Path | None, typer.Option("--db", help="DuckDB database (default: $CAREBOARD_DB or "
                                            "./careboard.duckdb)")] = None,
    start: Annotated[str | None, typer.Option("--start", help="Forecast from the end of this day (default: the data's "
                                                               "last 31 March)")] = None,
    from_year: Annotated[int | None, typer.Option("--from-year", help="Forecast from 31 March of this year")] = None,
    years_ahead: Annotated[int, typer.Option("--years-ahead", help="1 to 5")] = 3,
    simulations: Annotated[int, typer.Option("--simulations", help="Simulated futures (10 to 20000)")] = 1000,
    backtest_from: Annotated[str | None, typer.Option("--backtest-from", help="Cut the history at this date, "
                                                      "forecast, and compare with what happened")] = None,
    scenario: Annotated[Path | None, typer.Option("--scenario", help="Scenario YAML (docs/sufficiency.md)")] = None,
    capacity: Annotated[Path | None, typer.Option("--capacity", help="Folder with foster_households.csv, "
                                                  "placement_capacity.csv and optional capacity_changes.csv, "
                                                  "child_needs.csv, areas.csv")] = None,
    costs: Annotated[Path | None, typer.Option("--costs", help="Unit costs: YAML by category or unit_costs.csv")
                     ] = None,
    budget: Annotated[float | None, typer.Option("--budget", help="Placement budget for the first year (GBP)")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table; csv (the forecast table, or every table with "
                                                      "--out FOLDER); xlsx (every table, --out FILE.xlsx)")] = "table",
    out_file: Annotated[Path | None, typer.Option("--out", help="Write the output to this file (or folder)")] = None,
    charts: Annotated[Path | None, typer.Option("--charts", help="Write SVG fan charts into this folder")] = None,
    by_age: Annotated[bool, typer.Option("--by-age", help="Break the forecast down by age band")] = False,
    max_miles: Annotated[float, typer.Option("--max-miles", help="Furthest a place can be from home")] = 20.0,
    window_years: Annotated[float, typer.Option("--window-years", help="Years of history to estimate from")] = 3.0,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same answer)")] = 1,
) -> None:
    """Forecast children looked after by placement category and age, with uncertainty, scenarios, capacity and cost."""
    from careboard import authorities

    from .scenarios import ScenarioError, load
    from .service import ForecastOptions, ServiceError

    if fmt not in ("table", "csv", "xlsx"):
        raise _fail("--format must be table, csv or xlsx")
    if fmt == "xlsx" and (out_file is None or out_file.suffix.lower() != ".xlsx"):
        raise _fail("--format xlsx needs --out FILE.xlsx")
    if not 1 <= years_ahead <= 5:
        raise _fail("--years-ahead must be 1 to 5")
    if not 10 <= simulations <= 20000:
        raise _fail("--simulations must be 10 to 20000")
    if not 0.5 <= window_years <= 10:
        raise _fail("--window-years must be 0.5 to 10")
    if not 0 < max_miles <= 500:
        raise _fail("--max-miles must be more than 0 and at most 500")
    if budget is not None and budget < 0:
        raise _fail("--budget must be 0 or more")
    if start is not None and from_year is not None:
        raise _fail("give --start or --from-year, not both")
    start_d = _date(start, "--start")
    if from_year is not None:
        if not 2000 <= from_year <= 2100:
            raise _fail("--from-year must be a year like 2025")
        start_d = dt.date(from_year, 3, 31)
    backtest_d = _date(backtest_from, "--backtest-from")
    for path, option in ((scenario, "--scenario"), (costs, "--costs")):
        if path is not None and not path.is_file():
            raise _fail(f"{option}: {path} is not a file")
    if capacity is not None and not capacity.is_dir():
        raise _fail(f"--capacity: {capacity} is not a folder")
    try:
        code = authorities.resolve(la).code
    except authorities.AuthorityError as exc:
        raise _fail(str(exc)) from None
    try:
        sc = load(scenario) if scenario is not None else None
    except ScenarioError as exc:
        raise _fail(str(exc)) from None
    options = ForecastOptions(start=start_d, years_ahead=years_ahead, simulations=simulations, seed=seed,
                              window_years=window_years, scenario=sc, capacity=capacity, costs=costs,
                              budget=budget, max_miles=max_miles)
    con = _open(db)
    try:
        if backtest_d is not None:
            _backtest(con, code, backtest_d, options, fmt, out_file)
        else:
            _forecast(con, code, options, fmt, out_file, charts, by_age)
    except ServiceError as exc:
        if len(exc.problems) > 1:
            err.print(f"[bold red]error:[/] {len(exc.problems)} problems:", highlight=False)
            for p in exc.problems[:50]:
                err.print(f"  {p}", highlight=False, markup=False)
            raise typer.Exit(exc.code) from None
        raise _fail(exc.problems[0], exc.code) from None
    finally:
        con.close()


def _open(db: Path | None):
    import os

    from careboard.store.db import StoreError, connect

    path = db or Path(os.environ.get("CAREBOARD_DB", "careboard.duckdb"))
    if not path.exists():
        raise _fail(f"--db: {path} does not exist (load returns first: careboard load ...)", 1)
    try:
        return connect(path)
    except StoreError as exc:
        raise _fail(str(exc), 1) from None


def _backtest(con, code: str, origin: dt.date, options, fmt: str, out_file: Path | None) -> None:
    from . import service, tables
    from .backtest import summarise

    rows = service.backtest(con, code, origin, options)
    data = {"backtest": tables.backtest_rows(rows)}
    if _write(data, fmt, out_file, f"Backtest of {code} from {origin}", "backtest"):
        return
    t = Table(title=f"Backtest from {origin}: forecast (median, 80% interval) against what happened")
    for col in ("months", "category", "actual", "forecast", "80% interval", "error", "abs % error"):
        t.add_column(col, justify="left" if col == "category" else "right")
    for r in rows:
        t.add_row(str(r.horizon_months), r.category, f"{r.actual:,}", f"{r.forecast:,.0f}",
                  f"{r.lower:,.0f}-{r.upper:,.0f}", f"{r.error:+,.0f}", f"{r.abs_pct_error:.1f}")
    s = Table(title="Summary")
    for col in ("months", "mean abs % error by category", "total abs % error", "80% interval coverage"):
        s.add_column(col, justify="right")
    for x in summarise(rows):
        s.add_row(str(x["horizon_months"]), f"{x['category_mape']:.1f}", f"{x['total_ape']:.1f}",
                  f"{x['coverage_80']:.0%}")
    _show([t, s], out_file)


def _write(data: dict[str, list[dict[str, object]]], fmt: str, out_file: Path | None, title: str, main: str) -> bool:
    """CSV or XLSX output; False when the format is a table for the screen."""
    from . import tables

    if fmt == "xlsx" and out_file is not None:
        tables.write_xlsx(data, out_file, title)
        out.print(f"Wrote {out_file} ({len(data)} tables)", highlight=False)
        return True
    if fmt == "csv":
        if out_file is not None and out_file.suffix.lower() != ".csv":  # a folder: every table
            paths = tables.write_csv_folder(data, out_file)
            out.print(f"Wrote {len(paths)} tables into {out_file}", highlight=False)
        else:
            _emit(tables.to_csv(data[main]), out_file)
        return True
    return False


def _forecast(con, code: str, options, fmt: str, out_file: Path | None, charts: Path | None, by_age: bool) -> None:
    import numpy as np

    from . import service, tables
    from .states import CATEGORIES

    result = service.forecast(con, code, options)
    if charts is not None:
        _charts(result, charts)
    data = tables.forecast_tables(result, by_age=by_age)
    if _write(data, fmt, out_file, f"Placement sufficiency forecast for {code} from {result.start}", "forecast"):
        return
    sim = result.sim
    shown: list[Table] = []
    t = Table(title=f"Children looked after, {result.scenario}: median and 80% of {result.simulations:,} "
                    "simulated futures")
    t.add_column("category")
    ends = sorted({int(r["months_ahead"]) for r in data["forecast"]})
    for m in ends:
        t.add_column(sim.dates[m].isoformat(), justify="right")
    series = {c: sim.by_category()[:, :, i] for i, c in enumerate(CATEGORIES)} | {"Total": sim.totals()}
    for cat, values in series.items():
        cells = []
        for m in ends:
            q = np.percentile(values[:, m], [10, 50, 90])
            cells.append(f"{q[1]:,.0f}" if m == 0 else f"{q[1]:,.0f} ({q[0]:,.0f}-{q[2]:,.0f})")
        t.add_row(cat, *cells)
    shown.append(t)
    if result.spend is not None and (options.costs is not None or options.budget is not None):
        illustrative = " - ILLUSTRATIVE UNIT COSTS, NOT REAL" if result.costs and result.costs.illustrative else ""
        shown.append(_table(f"Projected placement spend (GBP, financial years){illustrative}", data["spend"],
                            ("financial_year", "median", "p10", "p90", "median_minus_budget", "chance_over_budget")))
        shown.append(_table("What moves the first year's spend from today's run rate", data["spend_drivers"],
                            ("driver", "gbp_a_year")))
    if result.plan is not None:
        miles = f"{options.max_miles:g}"
        shown.append(_table(f"Places against children (matched by age, needs, siblings, within {miles} miles; "
                            f"{result.plan.futures} futures)", data["places"],
                            ("date", "kind", "children_median", "places_median", "usable_places_median",
                             "matched_median", "shortfall_median", "shortfall_p10", "shortfall_p90")))
        last = max(int(r["months_ahead"]) for r in data["places"])
        short = [r for r in data.get("shortfall", []) if r["months_ahead"] == last][:15]
        shown.append(_table("Who would be without a suitable place within reach, and where they would go instead",
                            short, ("kind", "need", "age_band", "home_area", "shortfall_median", "shortfall_p10",
                                    "shortfall_p90", "placed_instead_with")))
        shown.append(_table("Cost a year of the gap (GBP)" + (" - ILLUSTRATIVE UNIT COSTS" if result.costs and
                                                             result.costs.illustrative else ""),
                            data["cost"], ("date", "kind", "placed_instead_median", "extra_cost_of_gap_median",
                                           "extra_cost_of_gap_p10", "extra_cost_of_gap_p90")))
        shown.append(_table("In-house foster households to recruit (to close the last year's gap in 50% / 80% of "
                            "futures)", data.get("recruitment", [])[:15],
                            ("home_area", "approved_for", "households_50", "households_80")))
        shown.append(_table("With those households", data.get("recruitment_check", []),
                            ("level", "households_added", "foster_shortfall_before_median",
                             "foster_shortfall_after_median", "chance_gap_closed", "saving_a_year_median_gbp")))
    _show(shown, out_file)


def _table(title: str, rows: list[dict[str, object]], cols: tuple[str, ...]) -> Table:
    t = Table(title=title)
    for c in cols:
        t.add_column(c.replace("_", " "), justify="left" if c in ("kind", "need", "home_area", "driver",
                                                                  "approved_for", "placed_instead_with", "level",
                                                                  "age_band", "date", "financial_year")
                     else "right")
    for r in rows:
        t.add_row(*[_cell(r.get(c)) for c in cols])
    return t


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.0%}" if 0 < abs(v) < 1 and v != round(v) else f"{v:,.0f}"
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}"
    return str(v)


def _charts(result, folder: Path) -> None:
    """SVG fan charts drawn by the members' renderer (publish.sufficiency.fan_chart) from the forecast's data."""
    import numpy as np

    from careboard.publish.sufficiency import fan_chart

    from .states import CATEGORIES

    folder.mkdir(parents=True, exist_ok=True)
    sim = result.sim
    series = [("Total", "Children looked after", sim.totals(), result.history.sum(axis=1))]
    series += [(c, c, sim.by_category()[:, :, i], result.history[:, i]) for i, c in enumerate(CATEGORIES)]
    for name, title, values, hist in series:
        q = np.percentile(values, (10, 25, 50, 75, 90), axis=0)
        history = list(zip(result.history_dates, [int(v) for v in hist], strict=True))
        desc = (f"{int(hist[-1]):,} on {result.start}; in {sim.dates[-1]:%B %Y} about {q[2, -1]:,.0f} "
                f"(80% of futures {q[0, -1]:,.0f} to {q[4, -1]:,.0f}). Analysts' chart: exact counts.")
        svg = fan_chart(title, sim.dates, q, history, desc)
        (folder / f"forecast_{name.lower().replace(' ', '_').replace(chr(39), '')}.svg").write_text(svg, "utf-8")


def _emit(text: str, out_file: Path | None) -> None:
    if out_file is None:
        print(text, end="")
    else:
        out_file.write_text(text, encoding="utf-8")
        out.print(f"Wrote {out_file}", highlight=False)


def _show(tables: list[Table], out_file: Path | None) -> None:
    if out_file is None:
        for t in tables:
            out.print(t)
        return
    console = Console(record=True, width=160, file=open("/dev/null", "w"))  # noqa: SIM115
    for t in tables:
        console.print(t)
    out_file.write_text(console.export_text(), encoding="utf-8")
    out.print(f"Wrote {out_file}", highlight=False)
