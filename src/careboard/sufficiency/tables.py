"""The forecast's full tables for commissioners: plain rows, written as CSV files, JSON or one XLSX workbook.

Every table is a list of flat dicts (same keys in every row), so a CSV, a worksheet, a JSON array
and a web table are the same thing.  Figures are aggregates over simulated futures; the only counts
of real children are those on the start date (``months_ahead`` 0), which are for analysts and
commissioners, not for publication (publish/ applies disclosure control to what members see).

Files, the same design as every careboard command with several tables (docs/sufficiency.md):

* CSV: ``--out plan.csv`` holds the first table (the forecast, or the backtest) and each other
  table goes beside it, named after it: ``plan_spend.csv``, ``plan_places.csv``, ...;
* XLSX: one workbook, a contents sheet then one sheet per table;
* JSON: one object keyed by table name.

Every text cell leaving for a spreadsheet goes through careboard.safe_export (formula injection).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np

from careboard import safe_export

from .backtest import BacktestRow, summarise
from .cost import drivers
from .service import ForecastResult
from .simulate import Simulation
from .states import AGE_BANDS, CATEGORIES

QUANTILES = (10, 25, 50, 75, 90)

TABLE_NOTES = {
    "forecast": "Children looked after by placement category (and age band): quantiles of the simulated futures.",
    "spend": "Projected placement spend by financial year (GBP): median and 80% of futures.",
    "spend_drivers": "What moves the first year's spend from today's run rate (GBP a year, mean over futures).",
    "places": "Places against children by kind of place and year: all places, places usable by the children "
              "who need them, children matched within reach, shortfall.",
    "needs": "Children needing each kind of place by need, age band and home area.",
    "shortfall": "Children without a suitable place within reach, by need, age band and home area, and where "
                 "they would be placed instead.",
    "cost": "Cost a year at each year end's numbers: places used locally and instead, and the extra cost of the gap.",
    "recruitment": "In-house foster households to recruit, by home area and approval, to close the last year's "
                   "gap in half (50%) or four in five (80%) of the futures.",
    "recruitment_check": "The last year matched again with each level's households added.",
    "backtest": "Forecast from a past date against what happened.",
    "summary": "Backtest error and 80% interval coverage by months ahead (categories and total).",
}


def forecast_rows(sim: Simulation, by_age: bool = False, every: int = 12) -> list[dict[str, object]]:
    """Quantiles of children looked after by category (and age band) every ``every`` months, plus the total."""
    rows = []
    months = list(range(0, len(sim.dates), every))
    if months[-1] != len(sim.dates) - 1:
        months.append(len(sim.dates) - 1)
    series: list[tuple[str, str, np.ndarray]] = []
    for i, c in enumerate(CATEGORIES):
        if by_age:
            series += [(c, b, sim.counts[:, :, i, j]) for j, b in enumerate(AGE_BANDS)]
        else:
            series.append((c, "All ages", sim.counts[:, :, i, :].sum(axis=2)))
    series.append(("Total", "All ages", sim.totals()))
    for cat, band, values in series:
        q = np.percentile(values, QUANTILES, axis=0)
        for m in months:
            rows.append({"date": sim.dates[m].isoformat(), "months_ahead": m, "category": cat, "age_band": band,
                         "p10": round(float(q[0, m]), 1), "p25": round(float(q[1, m]), 1),
                         "median": round(float(q[2, m]), 1), "p75": round(float(q[3, m]), 1),
                         "p90": round(float(q[4, m]), 1)})
    return rows


def spend_rows(result: ForecastResult) -> list[dict[str, object]]:
    if result.spend is None:
        return []
    spend, budget = result.spend, result.budget
    rows = []
    for j, y in enumerate(spend.years):
        tot = spend.by_future[:, j].sum(axis=1)
        q = np.percentile(tot, [10, 50, 90])
        rows.append({"financial_year": f"{y - 1}-{str(y)[2:]}", "complete_year": bool(spend.complete[j]),
                     "p10": round(float(q[0])), "median": round(float(q[1])), "p90": round(float(q[2])),
                     "budget": budget if budget is not None and j == 0 else None,
                     "median_minus_budget": round(float(q[1] - budget)) if budget is not None and j == 0 else None,
                     "chance_over_budget": round(float((tot > budget).mean()), 3)
                     if budget is not None and j == 0 else None,
                     "illustrative_costs": bool(result.costs.illustrative) if result.costs else None})
    return rows


def driver_rows(result: ForecastResult) -> list[dict[str, object]]:
    if result.spend is None:
        return []
    y = result.spend.years[0]
    return [{"financial_year": f"{y - 1}-{str(y)[2:]}", "driver": label, "gbp_a_year": round(v)}
            for label, v in drivers(result.spend) if v == v]


def backtest_tables(rows: list[BacktestRow]) -> dict[str, list[dict[str, object]]]:
    """A backtest's tables: every forecast against what happened, and the summary by months ahead."""
    summary = [{"horizon_months": x["horizon_months"], "category_mape": round(x["category_mape"], 1),
                "category_mae": round(x["category_mae"], 1), "total_ape": round(x["total_ape"], 1),
                "coverage_80": round(x["coverage_80"], 3)} for x in summarise(rows)]
    return {"backtest": backtest_rows(rows), "summary": summary}


def backtest_rows(rows: list[BacktestRow]) -> list[dict[str, object]]:
    return [{"origin": r.origin.isoformat(), "months_ahead": r.horizon_months, "date": r.date.isoformat(),
             "category": r.category, "actual": r.actual, "forecast_median": r.forecast, "p10": r.lower,
             "p90": r.upper, "error": round(r.error, 1), "abs_pct_error": round(r.abs_pct_error, 1),
             "inside_80pct": r.covered} for r in rows]


def forecast_tables(result: ForecastResult, by_age: bool = False) -> dict[str, list[dict[str, object]]]:
    """Every table of a forecast, by name (tables with no rows are left out)."""
    tables: dict[str, list[dict[str, object]]] = {"forecast": forecast_rows(result.sim, by_age=by_age)}
    tables["spend"] = spend_rows(result)
    tables["spend_drivers"] = driver_rows(result)
    if result.plan is not None:
        plan = result.plan
        tables |= {"places": plan.overview(), "needs": plan.needs(), "shortfall": plan.shortfall(),
                   "cost": plan.cost(), "recruitment": plan.targets, "recruitment_check": plan.checks}
    return {k: v for k, v in tables.items() if v}


def to_csv(rows: list[dict[str, object]]) -> str:
    """CSV with a header row; empty cells for missing values; risky text neutralised (safe_export)."""
    if not rows:
        return ""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(safe_export.csv_dict(r) for r in rows)
    return buf.getvalue()


def csv_paths(out: Path, names: list[str]) -> list[Path]:
    """``plan.csv``: the first table there, each other beside it named after the table (``plan_spend.csv``)."""
    suffix = out.suffix or ".csv"
    return [out] + [out.with_name(f"{out.stem}_{name}{suffix}") for name in names[1:]]


def write_csv_files(tables: dict[str, list[dict[str, object]]], out: Path) -> list[Path]:
    """Every table as CSV: the first at ``out``, the others beside it (``csv_paths``)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    paths = csv_paths(out, list(tables))
    for path, rows in zip(paths, tables.values(), strict=True):
        path.write_text(to_csv(rows), encoding="utf-8")
    return paths


def to_json(tables: dict[str, list[dict[str, object]]]) -> str:
    """One object keyed by table name (numbers as numbers; no spreadsheet, so nothing neutralised)."""
    return json.dumps(tables, indent=1, default=plain_value) + "\n"


def plain_value(value: object) -> object:
    """A value JSON can hold: numpy scalars as Python ones, anything else as text."""
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


def write_xlsx(tables: dict[str, list[dict[str, object]]], path: Path, title: str = "") -> Path:
    """One workbook: a contents sheet saying what each table is, then one sheet per table (header row frozen)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    contents = wb.active
    contents.title = "contents"
    if title:
        contents.append(safe_export.xlsx_row(contents, [title]))
        contents["A1"].font = Font(bold=True)
    contents.append(["sheet", "what it holds", "rows"])
    for name, rows in tables.items():
        contents.append(safe_export.xlsx_row(contents, [name, TABLE_NOTES.get(name, ""), len(rows)]))
        ws = wb.create_sheet(name[:31])
        cols = list(rows[0])
        ws.append(safe_export.xlsx_row(ws, cols))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for r in rows:
            ws.append(safe_export.xlsx_row(ws, [_xlsx_value(r.get(c)) for c in cols]))
        ws.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _xlsx_value(value: object) -> object:
    """A cell openpyxl can write: numpy scalars as Python ones, lists joined."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return value
