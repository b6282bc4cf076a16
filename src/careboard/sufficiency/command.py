"""``careboard forecast``: the command line over sufficiency.service; it parses and presents, nothing more.

Registered by the CLI as ``app.command("forecast")(forecast)``.  Bad arguments end with one line on
stderr and exit code 2; problems in the data (nothing loaded, a bad extract) with exit code 1.  The
computing is ``service.forecast`` / ``service.backtest``; the tables are ``tables.forecast_tables`` /
``tables.backtest_tables``.

A run makes one or more tables (the forecast; spend and what drives it; with ``--capacity`` the plan:
places, needs, shortfall, cost, recruitment; or a backtest and its summary).  Every format carries
all of them: the terminal and ``--out x.txt`` show them laid out to fit (80 columns and up),
``--format csv --out plan.csv`` writes one file per table (``plan.csv``, ``plan_spend.csv``, ...),
``--format xlsx --out plan.xlsx`` one workbook, ``--format json`` one object keyed by table.  The
format is taken from the ``--out`` file's extension when ``--format`` is not given.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import RenderableType

from careboard import console as tty

out = tty.stdout()
err = tty.stderr()

FORMATS = (*tty.OUTPUT_FORMATS, "xlsx")
SHOWN_ROWS = 15  # rows of the long plan tables shown on a terminal (the files hold every row)


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
                                                  "placement_capacity.csv and optional capacity_changes.csv, "
                                                  "child_needs.csv, areas.csv")] = None,
    costs: Annotated[Path | None, typer.Option("--costs", help="Unit costs: YAML by category or unit_costs.csv")
                     ] = None,
    budget: Annotated[float | None, typer.Option("--budget", help="Placement budget for the first year (GBP)")] = None,
    fmt: Annotated[str | None, typer.Option("--format", help="table, csv, json or xlsx (default: from the --out "
                                            "file's extension, else table)")] = None,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write to this file (csv: the first table, each "
                                                  "other beside it named after it, e.g. plan_spend.csv; xlsx: one "
                                                  "workbook)")] = None,
    charts: Annotated[Path | None, typer.Option("--charts", help="Write SVG fan charts into this folder")] = None,
    by_age: Annotated[bool, typer.Option("--by-age", help="Break the forecast down by age band")] = False,
    max_miles: Annotated[float, typer.Option("--max-miles", help="Furthest a place can be from home")] = 20.0,
    window_years: Annotated[float, typer.Option("--window-years", help="Years of history to estimate from")] = 3.0,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same answer)")] = 1,
) -> None:
    """Forecast children looked after by placement category and age, with uncertainty, scenarios, capacity and cost."""
    from careboard import authorities, years

    from .scenarios import ScenarioError, load
    from .service import ForecastOptions, ServiceError

    try:
        fmt = tty.output_format(fmt, out_file, FORMATS)
    except ValueError as exc:
        raise _fail(str(exc)) from None
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
                    "give --out FILE.csv (one file per table), --format xlsx --out FILE.xlsx, or use --format json")
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
        with tty.progress(err) as progress:
            if backtest_d is not None:
                data, shown, drawn = _backtest(con, code, backtest_d, options, progress), None, []
                title = f"Backtest of {code} from {backtest_d}"
            else:
                data, shown, title, drawn = _forecast(con, code, options, charts, by_age, progress)
    except ServiceError as exc:
        if len(exc.problems) > 1:
            err.print(f"[bold red]error:[/] {len(exc.problems)} problems:", highlight=False)
            for p in exc.problems[:50]:
                err.print(f"  {p}", highlight=False, markup=False)
            raise typer.Exit(exc.code) from None
        option = {"start": "--year/--start", "origin": "--backtest-from"}.get(exc.about or "")
        raise _fail(f"{option}: {exc.problems[0]}" if option else exc.problems[0], exc.code) from None
    finally:
        con.close()
    _write(data, shown, fmt, out_file, title)
    # files written are named on standard output, unless it carries the results themselves (csv, json)
    note = out if fmt in ("table", "xlsx") or out_file is not None else err
    for path in drawn:
        note.print(f"Wrote {path} (fan chart)", highlight=False, markup=False)


def _open(db: Path | None):
    """The database read-only (the forecast only reads), with its care histories current.

    Through ``refresh.open_current``, so the forecast runs while ``careboard serve`` holds the file
    and on a read-only file (refreshed, if need be, in a private copy).
    """
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


# ----------------------------------------------------------------------------------------------
# Writing: every table in the chosen format
# ----------------------------------------------------------------------------------------------

def _write(data: dict[str, list[dict[str, object]]], shown: list[RenderableType] | None, fmt: str,
           out_file: Path | None, title: str) -> None:
    from . import tables

    if fmt == "table":
        laid_out = shown if shown is not None else _backtest_tables(data)
        if out_file is None:
            tty.show(out, *laid_out)
            return
        out_file.write_text(tty.render_text(laid_out), encoding="utf-8")
        out.print(f"Wrote {out_file} ({len(laid_out)} tables)", highlight=False, markup=False)
    elif fmt == "json":
        text = tables.to_json(data)
        if out_file is None:
            print(text, end="")
            return
        out_file.write_text(text, encoding="utf-8")
        out.print(f"Wrote {out_file} ({', '.join(data)})", highlight=False, markup=False)
    elif fmt == "xlsx":
        assert out_file is not None  # checked with the options
        tables.write_xlsx(data, out_file, title)
        out.print(f"Wrote {out_file} (sheets: contents, {', '.join(data)})", highlight=False, markup=False)
    elif out_file is None:  # csv of a single table (checked with the options)
        print(tables.to_csv(next(iter(data.values()))), end="")
    else:
        for path, name in zip(tables.write_csv_files(data, out_file), data, strict=True):
            out.print(f"Wrote {path} ({name}: {tables.TABLE_NOTES.get(name, name)})", highlight=False, markup=False)


# ----------------------------------------------------------------------------------------------
# The backtest
# ----------------------------------------------------------------------------------------------

def _backtest(con, code: str, origin: dt.date, options, progress) -> dict[str, list[dict[str, object]]]:
    from . import service, tables

    return tables.backtest_tables(service.backtest(con, code, origin, options, progress=progress))


def _backtest_tables(data: dict[str, list[dict[str, object]]]) -> list[RenderableType]:
    rows, summary = data["backtest"], data["summary"]
    origin = rows[0]["origin"] if rows else ""
    t = tty.fitted_table(
        f"Backtest from {origin}: forecast (median, 80% interval) against what happened",
        [("months", "figure"), ("category", "text"), ("actual", "figure"), ("forecast", "figure"),
         ("80% interval", "figure"), ("error", "figure"), ("abs %\nerror", "figure")],
        [(str(r["months_ahead"]), str(r["category"]), f"{r['actual']:,}", f"{r['forecast_median']:,.0f}",
          f"{r['p10']:,.0f}-{r['p90']:,.0f}", f"{r['error']:+,.0f}", f"{r['abs_pct_error']:.1f}") for r in rows],
    )
    s = tty.fitted_table(
        "Backtest summary by months ahead",
        [("months", "figure"), ("mean abs % error\nby category", "figure"), ("total abs\n% error", "figure"),
         ("80% interval\ncoverage", "figure")],
        [(str(x["horizon_months"]), f"{x['category_mape']:.1f}", f"{x['total_ape']:.1f}", f"{x['coverage_80']:.0%}")
         for x in summary],
    )
    return [t, s]


# ----------------------------------------------------------------------------------------------
# The forecast and its plan
# ----------------------------------------------------------------------------------------------

def _forecast(con, code: str, options, charts: Path | None, by_age: bool, progress
              ) -> tuple[dict[str, list[dict[str, object]]], list[RenderableType], str, list[Path]]:
    from . import service, tables

    result = service.forecast(con, code, options, progress=progress)
    drawn = _charts(result, charts) if charts is not None else []
    data = tables.forecast_tables(result, by_age=by_age)
    title = f"Placement sufficiency forecast for {code} from {result.start}"
    shown: list[RenderableType] = [_forecast_table(result.sim, f"Children looked after, {result.scenario}: median "
                                                               f"and 80% of {result.simulations:,} simulated futures")]
    illustrative = " - ILLUSTRATIVE UNIT COSTS, NOT REAL" if result.costs and result.costs.illustrative else ""
    if "spend" in data:  # every table the files hold is on the screen too
        shown += _spend_tables(result, data, illustrative)
    if result.plan is not None:
        shown += _plan_tables(result, data, options.max_miles, illustrative)
    return data, shown, title, drawn


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


def _n(v: object) -> str:
    """A figure for the screen: whole numbers with thousands separators, blank when missing."""
    return "" if v is None else f"{float(v):,.0f}"  # type: ignore[arg-type]


def _range(r: dict[str, object], name: str) -> str:
    """'median (p10-p90)' of ``name``, or the median alone when the 80% range is a single value."""
    mid, lo, hi = _n(r[f"{name}_median"]), _n(r[f"{name}_p10"]), _n(r[f"{name}_p90"])
    return mid if lo == hi == mid else f"{mid} ({lo}-{hi})"


def _interval(r: dict[str, object], name: str) -> str:
    """'p10-p90' of ``name``; blank when it is a single value (today's children are known, not simulated)."""
    lo, hi = _n(r[f"{name}_p10"]), _n(r[f"{name}_p90"])
    return "" if lo == hi else f"{lo}-{hi}"


def _spend_tables(result, data, illustrative: str) -> list[RenderableType]:
    spend = data["spend"]
    cells = [(str(r["financial_year"]) + ("" if r["complete_year"] else " (part year)"), _n(r["median"]),
              f"{_n(r['p10'])}-{_n(r['p90'])}",
              "" if r["median_minus_budget"] is None else f"{float(r['median_minus_budget']):+,.0f}",
              "" if r["chance_over_budget"] is None else f"{float(r['chance_over_budget']):.0%}") for r in spend]
    table = tty.fitted_table(f"Projected placement spend (GBP, financial years){illustrative}",
                             [("year", "text"), ("median", "figure"), ("80% interval", "figure"),
                              ("vs budget\n(median)", "figure"), ("chance over\nbudget", "figure")], cells)
    first = result.spend.years[0]
    d_title = (f"What moves {first - 1}-{str(first)[2:]} spend from today's run rate "
               f"({result.spend.run_rate.sum():,.0f} a year)")
    drivers = tty.fitted_table(d_title, [("driver", "text"), ("GBP a year", "figure")],
                               [(str(r["driver"]), f"{float(r['gbp_a_year']):+,.0f}")
                                for r in data.get("spend_drivers", [])])
    return [table, drivers]


def _plan_tables(result, data, max_miles: float, illustrative: str) -> list[RenderableType]:
    """The plan on a terminal: places against children, who is short, the cost, recruitment (first rows)."""
    plan = result.plan
    places = data["places"]
    out_tables: list[RenderableType] = [tty.fitted_table(
        f"Places against children (matched by age, needs, siblings, within {max_miles:g} miles; median and 80% "
        f"of {plan.futures} futures)",
        [("date", "code"), ("kind", "text"), ("children", "figure"), ("places", "figure"),
         ("usable\nplaces", "figure"), ("matched", "figure"), ("shortfall\n(80%)", "figure")],
        [(str(r["date"]), str(r["kind"]), _n(r["children_median"]), _n(r["places_median"]),
          _n(r["usable_places_median"]), _n(r["matched_median"]), _range(r, "shortfall")) for r in places],
    )]
    last = max(int(r["months_ahead"]) for r in places)  # type: ignore[call-overload]
    short = [r for r in data.get("shortfall", []) if r["months_ahead"] == last][:SHOWN_ROWS]
    out_tables.append(tty.fitted_table(
        f"Who would be without a suitable place within reach on {places[-1]['date']}, and where they would go "
        "instead (largest first; every row in the files)",
        [("kind", "text"), ("need", "text"), ("age", "code"), ("home area", "text"), ("short\n(80%)", "figure"),
         ("placed instead with", "text")],
        [(str(r["kind"]), str(r["need"]), str(r["age_band"]), str(r["home_area"]), _range(r, "shortfall"),
          str(r["placed_instead_with"])) for r in short],
    ))
    out_tables.append(tty.fitted_table(
        f"Cost a year of the gap (GBP){illustrative}",
        [("date", "code"), ("kind", "text"), ("placed\ninstead", "figure"), ("extra cost\n(median)", "figure"),
         ("80% interval", "figure")],
        [(str(r["date"]), str(r["kind"]), _n(r["placed_instead_median"]), _n(r["extra_cost_of_gap_median"]),
          _interval(r, "extra_cost_of_gap")) for r in data["cost"]],
    ))
    out_tables.append(tty.fitted_table(
        "In-house foster households to recruit (to close the last year's gap in 50% / 80% of futures)",
        [("home area", "text"), ("approved for", "text"), ("50%", "figure"), ("80%", "figure")],
        [(str(r["home_area"]), str(r["approved_for"]), _n(r["households_50"]), _n(r["households_80"]))
         for r in data.get("recruitment", [])[:SHOWN_ROWS]],
    ))
    out_tables.append(tty.fitted_table(
        "With those households (the last year matched again)",
        [("level", "code"), ("households\nadded", "figure"), ("foster gap\nbefore", "figure"),
         ("foster gap\nafter", "figure"), ("chance gap\nclosed", "figure"), ("saving a\nyear (GBP)", "figure")],
        [(str(r["level"]), _n(r["households_added"]), _n(r["foster_shortfall_before_median"]),
          _n(r["foster_shortfall_after_median"]), f"{float(r['chance_gap_closed']):.0%}",
          _n(r["saving_a_year_median_gbp"])) for r in data.get("recruitment_check", [])],
    ))
    return out_tables


def _charts(result, folder: Path) -> list[Path]:
    """SVG fan charts drawn by the members' renderer (publish.sufficiency.fan_chart) from the forecast's data."""
    import numpy as np

    from careboard.publish.sufficiency import fan_chart

    from .states import CATEGORIES

    folder.mkdir(parents=True, exist_ok=True)
    sim = result.sim
    series = [("Total", "Children looked after", sim.totals(), result.history.sum(axis=1))]
    series += [(c, c, sim.by_category()[:, :, i], result.history[:, i]) for i, c in enumerate(CATEGORIES)]
    written = []
    for name, title, values, hist in series:
        q = np.percentile(values, (10, 25, 50, 75, 90), axis=0)
        history = list(zip(result.history_dates, [int(v) for v in hist], strict=True))
        desc = (f"{int(hist[-1]):,} on {result.start}; in {sim.dates[-1]:%B %Y} about {q[2, -1]:,.0f} "
                f"(80% of futures {q[0, -1]:,.0f} to {q[4, -1]:,.0f}). Analysts' chart: exact counts.")
        path = folder / f"forecast_{name.lower().replace(' ', '_').replace(chr(39), '')}.svg"
        path.write_text(fan_chart(title, sim.dates, q, history, desc), "utf-8")
        written.append(path)
    return written
