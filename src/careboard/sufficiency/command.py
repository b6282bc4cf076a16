"""``careboard forecast``: placement demand by category and age, backtests, capacity matching and cost.

Registered by the CLI as ``app.command("forecast")(forecast)``.  Bad arguments end with one line on
stderr and exit code 2; problems in the data (nothing loaded, a bad extract) with exit code 1.

A run makes one or more result tables (the forecast; projected spend and what drives it; places
against children and where to recruit; or a backtest and its summary).  Every format carries all
of them: the terminal and ``--out x.txt`` show every table, ``--format json`` writes one object
keyed by table, and ``--format csv`` writes one file per table next to ``--out``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import RenderableType

from careboard import console as tty

out = tty.stdout()
err = tty.stderr()


@dataclass
class Result:
    """One table of a run: its rows as data (CSV, JSON) and as laid out for a terminal."""

    name: str  # JSON key, and the suffix of its CSV file: forecast_spend.csv
    title: str
    rows: list[dict]
    table: RenderableType
    columns: tuple[str, ...] = ()  # CSV header when there are no rows to take it from

    def csv(self) -> str:
        return tty.csv_text(self.rows, self.columns or list(self.rows[0]) if self.rows or self.columns else [])


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
    year: Annotated[str | None, typer.Option("--year", help="Forecast from 31 March of this collection year "
                                             "(2026 = 2025-26; default: the data's last 31 March)")] = None,
    start: Annotated[str | None, typer.Option("--start", help="Forecast from the end of this day instead "
                                              "(YYYY-MM-DD)")] = None,
    from_year: Annotated[str | None, typer.Option("--from-year", hidden=True, help="Old name of --year")] = None,
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
    fmt: Annotated[str | None, typer.Option("--format", help="table, csv or json (default: from the --out file's "
                                            "extension, else table)")] = None,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write to this file (csv: one file per table, "
                                                  "named after it)")] = None,
    charts: Annotated[Path | None, typer.Option("--charts", help="Write SVG fan charts into this folder")] = None,
    by_age: Annotated[bool, typer.Option("--by-age", help="Break the forecast down by age band")] = False,
    max_miles: Annotated[float, typer.Option("--max-miles", help="Furthest a place can be from home")] = 20.0,
    window_years: Annotated[float, typer.Option("--window-years", help="Years of history to estimate from")] = 3.0,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same answer)")] = 1,
) -> None:
    """Forecast children looked after by placement category and age, with uncertainty, scenarios, capacity and cost."""
    from careboard import authorities, years

    try:
        fmt = tty.output_format(fmt, out_file)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    if not 1 <= years_ahead <= 5:
        raise _fail("--years-ahead must be 1 to 5")
    if not 10 <= simulations <= 20000:
        raise _fail("--simulations must be 10 to 20000")
    if not 0.5 <= window_years <= 10:
        raise _fail("--window-years must be 0.5 to 10")
    if budget is not None and budget < 0:
        raise _fail("--budget must be 0 or more")
    if year is not None and from_year is not None:
        raise _fail("--from-year is the old name of --year: give one of them")
    year = year if year is not None else from_year
    if start is not None and year is not None:
        raise _fail("give --start or --year, not both")
    start_d = _date(start, "--start")
    if year is not None:
        try:
            start_d = dt.date(years.parse_year(year), 3, 31)
        except years.YearError as exc:
            raise _fail(f"--year: {exc}") from None
    backtest_d = _date(backtest_from, "--backtest-from")
    several = backtest_d is not None or costs is not None or budget is not None or capacity is not None
    if fmt == "csv" and out_file is None and several:
        raise _fail("with --backtest-from, --costs, --budget or --capacity there is more than one table: "
                    "give --out FILE.csv (one file per table) or use --format json")
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
        with tty.progress(err) as progress:
            if backtest_d is not None:
                results, written = _backtest(con, code, backtest_d, simulations, adj, window_years, seed, progress), []
            else:
                results, written = _forecast(con, code, start_d, years_ahead, simulations, name, adj, capacity,
                                             costs, budget, charts, by_age, max_miles, window_years, seed, progress)
    finally:
        con.close()
    _write(results, fmt, out_file)
    for path in written:
        out.print(f"Wrote {path} (fan chart)", highlight=False, markup=False)


def _open(db: Path | None):
    """The database read-only (the forecast only reads), with its care histories current."""
    import os

    from careboard.refresh import open_current
    from careboard.store.db import LOCK_WAIT, StoreError

    path = db or Path(os.environ.get("CAREBOARD_DB", "careboard.duckdb"))
    if not path.exists():
        raise _fail(f"--db: {path} does not exist (load returns first: careboard load ...)", 1)
    try:
        return open_current(path, wait=LOCK_WAIT, on_wait=lambda m: err.print(m.capitalize(), highlight=False),
                            on_step=lambda m: err.print(f"Updating: {m}", highlight=False))
    except StoreError as exc:
        raise _fail(str(exc), 1) from None


def _history(con, code, progress):
    from careboard.model.build import build

    from .estimate import EstimateError, data_span, load_spells

    build(con, progress=progress)
    progress.begin("Reading care histories")
    try:
        first, last = data_span(con, code)
        spells = load_spells(con, code)
    except EstimateError as exc:
        raise _fail(str(exc), 1) from None
    return first, last, spells


def _backtest(con, code, backtest_d, simulations, adj, window_years, seed, progress) -> list[Result]:
    from .backtest import backtest, summarise
    from .estimate import EstimateError

    first, last, spells = _history(con, code, progress)
    if not first < backtest_d < last:
        raise _fail(f"--backtest-from must fall inside the loaded data ({first} to {last})")
    progress.begin(f"Backtesting from {backtest_d}: {simulations:,} simulated futures")
    try:
        rows = backtest(spells, backtest_d, first, last, n_sims=simulations, seed=seed, window_years=window_years,
                        adjustments=adj)
    except (ValueError, EstimateError) as exc:
        raise _fail(str(exc)) from None
    data = [{"origin": r.origin.isoformat(), "months_ahead": r.horizon_months, "date": r.date.isoformat(),
             "category": r.category, "actual": r.actual, "forecast_median": r.forecast, "p10": r.lower,
             "p90": r.upper, "error": round(r.error, 1), "abs_pct_error": round(r.abs_pct_error, 1)} for r in rows]
    title = f"Backtest from {backtest_d}: forecast (median, 80% interval) against what happened"
    table = tty.fitted_table(
        title,
        [("months", "figure"), ("category", "text"), ("actual", "figure"), ("forecast", "figure"),
         ("80% interval", "figure"), ("error", "figure"), ("abs %\nerror", "figure")],
        [(str(r.horizon_months), r.category, f"{r.actual:,}", f"{r.forecast:,.0f}", f"{r.lower:,.0f}-{r.upper:,.0f}",
          f"{r.error:+,.0f}", f"{r.abs_pct_error:.1f}") for r in rows],
    )
    summary = summarise(rows)
    s_title = "Backtest summary by months ahead"
    s_table = tty.fitted_table(
        s_title,
        [("months", "figure"), ("mean abs % error\nby category", "figure"), ("total abs\n% error", "figure"),
         ("80% interval\ncoverage", "figure")],
        [(str(x["horizon_months"]), f"{x['category_mape']:.1f}", f"{x['total_ape']:.1f}", f"{x['coverage_80']:.0%}")
         for x in summary],
    )
    return [Result("backtest", title, data, table), Result("summary", s_title, summary, s_table)]


def _forecast(con, code, start_d, years_ahead, simulations, name, adj, capacity, costs, budget, charts, by_age,
              max_miles, window_years, seed, progress) -> tuple[list[Result], list[Path]]:
    from . import report
    from .estimate import EstimateError, fit
    from .simulate import simulate

    first, last, spells = _history(con, code, progress)
    start_d = start_d or last
    if not first < start_d <= last:
        raise _fail(f"--start must fall inside the loaded data ({first} to {last})")
    progress.begin("Estimating rates of entry, moves and leaving care")
    try:
        rates = fit(spells, start_d, window_years=window_years, data_start=first, trend=bool(adj and adj.trend))
    except EstimateError as exc:
        raise _fail(str(exc), 1) from None
    progress.begin(f"Simulating {simulations:,} futures")
    sim = simulate(rates, 12 * years_ahead, n_sims=simulations, seed=seed, adjustments=adj)
    title = f"Children looked after, {name}: median and 80% of {simulations:,} simulated futures"
    results = [Result("forecast", title, report.forecast_rows(sim, by_age=by_age), _forecast_table(sim, title))]
    written = _charts(sim, spells, start_d, first, charts) if charts is not None else []
    if costs is not None or budget is not None:
        progress.begin("Projecting spend")
        results += _spend(con, code, start_d, sim, costs, budget)
    if capacity is not None:
        progress.begin("Matching children to places")
        results += _capacity(con, code, start_d, capacity, max_miles)
    return results, written


def _forecast_table(sim, title: str) -> tty.FirstFit:
    """Categories by date; in a narrow terminal, one line per category and date instead."""
    import numpy as np

    from .states import CATEGORIES

    months = sorted({0, *range(12, len(sim.dates), 12), len(sim.dates) - 1})
    series = {c: sim.by_category()[:, :, i] for i, c in enumerate(CATEGORIES)} | {"Total": sim.totals()}
    quantiles = {cat: [np.percentile(v[:, m], [10, 50, 90]) for m in months] for cat, v in series.items()}
    dates = [sim.dates[m].isoformat() for m in months]

    def cell(q, first: bool) -> str:
        return f"{q[1]:,.0f}" if first else f"{q[1]:,.0f} ({q[0]:,.0f}-{q[2]:,.0f})"

    wide = tty.fitted_table(
        title, [("category", "text"), *((d, "figure") for d in dates)],
        [(cat, *(cell(q, k == 0) for k, q in enumerate(qs))) for cat, qs in quantiles.items()],
    )
    long = tty.compact_table(title)
    long.add_column("category")
    for header in ("date", "median", "80% interval"):
        tty.figure_column(long, header)
    for cat, qs in quantiles.items():
        for k, q in enumerate(qs):
            long.add_row(cat if k == 0 else "", dates[k], f"{q[1]:,.0f}", "" if k == 0 else f"{q[0]:,.0f}-{q[2]:,.0f}")
    return tty.FirstFit(*wide.layouts, long)


def _charts(sim, spells, start_d, first, folder: Path) -> list[Path]:
    import numpy as np

    from . import report
    from .estimate import stock_at
    from .states import add_months, day_number

    folder.mkdir(parents=True, exist_ok=True)
    hist_dates = [add_months(start_d, -k) for k in range(36, -1, -1)]
    hist_dates = [d for d in hist_dates if d >= first]
    hist = stock_at(spells, np.array([day_number(d) for d in hist_dates])).sum(axis=2)
    written = []
    for cat, svg in report.charts(sim, hist_dates, hist).items():
        path = folder / f"forecast_{cat.lower().replace(' ', '_').replace(chr(39), '')}.svg"
        path.write_text(svg, "utf-8")
        written.append(path)
    return written


def _spend(con, code, start_d, sim, costs, budget) -> list[Result]:
    import numpy as np

    from .cost import CostError, drivers, load_costs, project

    try:
        uc = load_costs(costs, con, code, start_d)
    except CostError as exc:
        raise _fail(str(exc), 1) from None
    spend = project(sim, uc)
    rows, cells = [], []
    for j, y in enumerate(spend.years):
        tot = spend.by_future[:, j].sum(axis=1)
        q = np.percentile(tot, [10, 50, 90])
        first_budget = budget is not None and j == 0
        rows.append({"financial_year": f"{y - 1}-{str(y)[2:]}", "part_year": not spend.complete[j],
                     "median": round(float(q[1])), "p10": round(float(q[0])), "p90": round(float(q[2])),
                     "budget": budget if first_budget else None,
                     "median_minus_budget": round(float(q[1] - budget)) if first_budget else None,
                     "chance_over_budget": round(float((tot > budget).mean()), 3) if first_budget else None,
                     "illustrative_unit_costs": uc.illustrative})
        part = "" if spend.complete[j] else " (part year)"
        gap = f"{q[1] - budget:+,.0f}" if first_budget else ""
        chance = f"{(tot > budget).mean():.0%}" if first_budget else ""
        cells.append((f"{y - 1}-{str(y)[2:]}{part}", f"{q[1]:,.0f}", f"{q[0]:,.0f}-{q[2]:,.0f}", gap, chance))
    title = ("Projected placement spend (GBP, financial years)"
             + (" - ILLUSTRATIVE UNIT COSTS, NOT REAL" if uc.illustrative else ""))
    table = tty.fitted_table(title, [("year", "text"), ("median", "figure"), ("80% interval", "figure"),
                                     ("vs budget\n(median)", "figure"), ("chance over\nbudget", "figure")], cells)
    d_title = (f"What moves {spend.years[0] - 1}-{str(spend.years[0])[2:]} spend from today's run rate "
               f"({spend.run_rate.sum():,.0f} a year)")
    moved = drivers(spend)
    d_rows = [{"driver": label, "gbp_a_year": round(float(v))} for label, v in moved]
    d_table = tty.fitted_table(d_title, [("driver", "text"), ("GBP a year", "figure")],
                               [(label, f"{v:+,.0f}") for label, v in moved])
    return [Result("spend", title, rows, table), Result("spend_drivers", d_title, d_rows, d_table)]


def _capacity(con, code, start_d, capacity: Path, max_miles: float) -> list[Result]:
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
    title = (f"Places against children on {start_d} (matched by age, needs, siblings, within {max_miles:g} miles; "
             f"{m.status})")
    table = tty.fitted_table(
        title,
        [("kind", "text"), ("places", "figure"), ("children", "figure"), ("places usable\nby them", "figure"),
         ("matched", "figure"), ("shortfall", "figure")],
        [(str(r["kind"]), f"{r['places']:,}", f"{r['children']:,}", f"{r['places_usable_by_these_children']:,}",
          f"{r['children_matched']:,}", f"{r['shortfall']:,}") for r in summary["overview"]],
    )
    r_title = "Where recruitment would help most (children without a suitable place)"
    r_table = tty.fitted_table(
        r_title, [("kind", "text"), ("area", "text"), ("need", "text"), ("children", "figure")],
        [(str(r["kind"]), str(r["area"]), str(r["need"]), str(r["children_unmatched"])) for r in summary["recruit"]],
    )
    return [Result("capacity", title, summary["overview"], table),
            Result("recruitment", r_title, summary["recruit"], r_table, ("kind", "area", "need", "children_unmatched"))]


def csv_paths(out_file: Path, results: list[Result]) -> list[Path]:
    """``--out forecast.csv``: the first table there, each other beside it (``forecast_spend.csv``)."""
    suffix = out_file.suffix or ".csv"
    return [out_file] + [out_file.with_name(f"{out_file.stem}_{r.name}{suffix}") for r in results[1:]]


def _write(results: list[Result], fmt: str, out_file: Path | None) -> None:
    if fmt == "table":
        if out_file is None:
            tty.show(out, *(r.table for r in results))
            return
        out_file.write_text(tty.render_text([r.table for r in results]), encoding="utf-8")
        out.print(f"Wrote {out_file} ({len(results)} table(s))", highlight=False, markup=False)
    elif fmt == "json":
        text = json.dumps({r.name: r.rows for r in results}, indent=1, default=str) + "\n"
        if out_file is None:
            print(text, end="")
            return
        out_file.write_text(text, encoding="utf-8")
        out.print(f"Wrote {out_file} ({', '.join(r.name for r in results)})", highlight=False, markup=False)
    elif out_file is None:  # csv of a single table
        print(results[0].csv(), end="")
    else:
        for path, r in zip(csv_paths(out_file, results), results, strict=True):
            path.write_text(r.csv(), encoding="utf-8")
            out.print(f"Wrote {path} ({r.title})", highlight=False, markup=False)
