"""``careboard forecast``: placement demand by category and age, backtests, capacity matching and cost.

Registered by the CLI as ``app.command("forecast")(forecast)``.  Bad arguments end with one line on
stderr and exit code 2; problems in the data (nothing loaded, a bad extract) with exit code 1.
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
                                                  "placement_capacity.csv and optional child_needs.csv")] = None,
    costs: Annotated[Path | None, typer.Option("--costs", help="Unit costs: YAML by category or unit_costs.csv")
                     ] = None,
    budget: Annotated[float | None, typer.Option("--budget", help="Placement budget for the first year (GBP)")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or csv")] = "table",
    out_file: Annotated[Path | None, typer.Option("--out", help="Write the CSV (or table text) to this file")] = None,
    charts: Annotated[Path | None, typer.Option("--charts", help="Write SVG fan charts into this folder")] = None,
    by_age: Annotated[bool, typer.Option("--by-age", help="Break the forecast down by age band")] = False,
    max_miles: Annotated[float, typer.Option("--max-miles", help="Furthest a place can be from home")] = 20.0,
    window_years: Annotated[float, typer.Option("--window-years", help="Years of history to estimate from")] = 3.0,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same answer)")] = 1,
) -> None:
    """Forecast children looked after by placement category and age, with uncertainty, scenarios, capacity and cost."""
    from careboard import authorities

    if fmt not in ("table", "csv"):
        raise _fail("--format must be table or csv")
    if not 1 <= years_ahead <= 5:
        raise _fail("--years-ahead must be 1 to 5")
    if not 10 <= simulations <= 20000:
        raise _fail("--simulations must be 10 to 20000")
    if not 0.5 <= window_years <= 10:
        raise _fail("--window-years must be 0.5 to 10")
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

    from .scenarios import ScenarioError, load

    name, adj = "Base", None
    if scenario is not None:
        try:
            name, adj = load(scenario)
        except ScenarioError as exc:
            raise _fail(str(exc)) from None

    con = _open(db)
    try:
        _run(con, code, start_d, years_ahead, simulations, backtest_d, name, adj, capacity, costs, budget, fmt,
             out_file, charts, by_age, max_miles, window_years, seed)
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


def _run(con, code, start_d, years_ahead, simulations, backtest_d, name, adj, capacity, costs, budget, fmt,
         out_file, charts, by_age, max_miles, window_years, seed) -> None:
    import numpy as np

    from careboard.model.build import build

    from . import report
    from .estimate import EstimateError, data_span, fit, load_spells, stock_at
    from .simulate import simulate
    from .states import CATEGORIES, add_months, day_number

    build(con)
    try:
        first, last = data_span(con, code)
        spells = load_spells(con, code)
    except EstimateError as exc:
        raise _fail(str(exc), 1) from None

    if backtest_d is not None:
        from .backtest import backtest, summarise

        if not first < backtest_d < last:
            raise _fail(f"--backtest-from must fall inside the loaded data ({first} to {last})")
        try:
            rows = backtest(spells, backtest_d, first, last, n_sims=simulations, seed=seed, window_years=window_years,
                            adjustments=adj)
        except (ValueError, EstimateError) as exc:
            raise _fail(str(exc)) from None
        data = [{"origin": r.origin.isoformat(), "months_ahead": r.horizon_months, "date": r.date.isoformat(),
                 "category": r.category, "actual": r.actual, "forecast_median": r.forecast, "p10": r.lower,
                 "p90": r.upper, "error": round(r.error, 1), "abs_pct_error": round(r.abs_pct_error, 1)} for r in rows]
        if fmt == "csv":
            _emit(report.to_csv(data), out_file)
            return
        t = Table(title=f"Backtest from {backtest_d}: forecast (median, 80% interval) against what happened")
        for col in ("months", "category", "actual", "forecast", "80% interval", "error", "abs % error"):
            t.add_column(col, justify="right" if col not in ("category",) else "left")
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
        return

    start_d = start_d or last
    if not first < start_d <= last:
        raise _fail(f"--start must fall inside the loaded data ({first} to {last})")
    try:
        rates = fit(spells, start_d, window_years=window_years, data_start=first)
    except EstimateError as exc:
        raise _fail(str(exc), 1) from None
    sim = simulate(rates, 12 * years_ahead, n_sims=simulations, seed=seed, adjustments=adj)
    rows = report.forecast_rows(sim, by_age=by_age)
    tables: list[Table] = []
    t = Table(title=f"Children looked after, {name}: median and 80% of {simulations:,} simulated futures")
    t.add_column("category")
    ends = sorted({int(r["months_ahead"]) for r in rows})
    for m in ends:
        t.add_column(sim.dates[m].isoformat(), justify="right")
    series = {c: sim.by_category()[:, :, i] for i, c in enumerate(CATEGORIES)} | {"Total": sim.totals()}
    for cat, values in series.items():
        cells = []
        for m in ends:
            q = np.percentile(values[:, m], [10, 50, 90])
            cells.append(f"{q[1]:,.0f}" if m == 0 else f"{q[1]:,.0f} ({q[0]:,.0f}-{q[2]:,.0f})")
        t.add_row(cat, *cells)
    tables.append(t)

    if charts is not None:
        charts.mkdir(parents=True, exist_ok=True)
        hist_dates = [add_months(start_d, -k) for k in range(36, -1, -1)]
        hist_dates = [d for d in hist_dates if d >= first]
        hist = stock_at(spells, np.array([day_number(d) for d in hist_dates])).sum(axis=2)
        for cat, svg in report.charts(sim, hist_dates, hist).items():
            (charts / f"forecast_{cat.lower().replace(' ', '_').replace(chr(39), '')}.svg").write_text(svg, "utf-8")

    if costs is not None or budget is not None:
        from .cost import CostError, drivers, load_costs, project

        try:
            uc = load_costs(costs, con, code, start_d)
        except CostError as exc:
            raise _fail(str(exc), 1) from None
        spend = project(sim, uc)
        c = Table(title="Projected placement spend (GBP, financial years)"
                  + (" - ILLUSTRATIVE UNIT COSTS, NOT REAL" if uc.illustrative else ""))
        for col in ("year", "median", "80% interval", "vs budget (median)", "chance over budget"):
            c.add_column(col, justify="right")
        for j, y in enumerate(spend.years):
            tot = spend.by_future[:, j].sum(axis=1)
            q = np.percentile(tot, [10, 50, 90])
            part = "" if spend.complete[j] else " (part year)"
            gap = f"{q[1] - budget:+,.0f}" if budget is not None and j == 0 else ""
            chance = f"{(tot > budget).mean():.0%}" if budget is not None and j == 0 else ""
            c.add_row(f"{y - 1}-{str(y)[2:]}{part}", f"{q[1]:,.0f}", f"{q[0]:,.0f}-{q[2]:,.0f}", gap, chance)
        tables.append(c)
        d = Table(title=f"What moves {spend.years[0] - 1}-{str(spend.years[0])[2:]} spend from today's run rate "
                        f"({spend.run_rate.sum():,.0f} a year)")
        d.add_column("driver")
        d.add_column("GBP a year", justify="right")
        for label, v in drivers(spend):
            d.add_row(label, f"{v:+,.0f}")
        tables.append(d)

    if capacity is not None:
        from .capacity import CapacityError, read_capacity, read_needs
        from .match import children_needing_places, locate, match, summarise

        try:
            settings = read_capacity(capacity)
            needs = read_needs(capacity / "child_needs.csv") if (capacity / "child_needs.csv").exists() else None
        except CapacityError as exc:
            err.print(f"[bold red]error:[/] {len(exc.problems)} problem(s) in the capacity extracts:", highlight=False)
            for p in exc.problems[:50]:
                err.print(f"  {p}", highlight=False, markup=False)
            raise typer.Exit(1) from None
        xy, _ = locate(con, list(settings.postcode))
        units = children_needing_places(con, code, start_d, needs)
        m = match(units, settings, xy, max_miles=max_miles)
        summary = summarise(m)
        o = Table(title=f"Places against children on {start_d} (matched by age, needs, siblings, within "
                        f"{max_miles:g} miles; {m.status})")
        for col in ("kind", "places", "children", "places usable by them", "matched", "shortfall"):
            o.add_column(col, justify="right" if col != "kind" else "left")
        for r in summary["overview"]:
            o.add_row(str(r["kind"]), f"{r['places']:,}", f"{r['children']:,}",
                      f"{r['places_usable_by_these_children']:,}", f"{r['children_matched']:,}", f"{r['shortfall']:,}")
        tables.append(o)
        rc = Table(title="Where recruitment would help most (children without a suitable place)")
        for col in ("kind", "area", "need", "children"):
            rc.add_column(col)
        for r in summary["recruit"]:
            rc.add_row(str(r["kind"]), str(r["area"]), str(r["need"]), str(r["children_unmatched"]))
        tables.append(rc)

    if fmt == "csv":
        _emit(report.to_csv(rows), out_file)
    else:
        _show(tables, out_file)


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
    console = Console(record=True, width=140, file=open("/dev/null", "w"))  # noqa: SIM115
    for t in tables:
        console.print(t)
    out_file.write_text(console.export_text(), encoding="utf-8")
    out.print(f"Wrote {out_file}", highlight=False)
