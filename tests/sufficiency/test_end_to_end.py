"""``careboard forecast`` end to end on a small synthetic authority (returns loaded into DuckDB)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> tuple[Path, Path]:
    """(database, extracts folder): five years of a 200-child synthetic Kent's SSDA903 returns, loaded and
    brought up to date as a load's refresh leaves them, in a file careboard may only read.

    The refresh's steps are taken here one by one, all but the disclosure-controlled releases: the forecast
    reads none of them (it reads the care histories), and five years of releases were most of this module's
    time.  A database careboard may only read is taken as it is by its readers when everything else is
    current (refresh.open_current: its releases are built in memory by the readers that need them), so
    every `careboard forecast` below reads this file read-only, as it reads a refreshed writable one."""
    from careboard.measures.compute import ensure_computed
    from careboard.model.build import build
    from careboard.refresh import is_fresh, stale_validations
    from careboard.returns.reader import read_returns
    from careboard.store.db import connect, writable
    from careboard.store.load import load_returns
    from careboard.sufficiency import stored_plan
    from careboard.synth import generate
    from careboard.validate.runner import validate_loaded

    out = tmp_path_factory.mktemp("suff")
    generate(out, "886", 200, list(range(2022, 2027)), 11)
    db = out / "c.duckdb"
    con = connect(db)
    try:
        load_returns(con, read_returns([out / "886" / "ssda903"]))
        build(con)
        ensure_computed(con)
        for kind, la, year in stale_validations(con):
            validate_loaded(con, la, year, kind=kind)
        stored_plan.build_plans(con, 20, 5)  # the stored plans: small, as the tests' (the tests work out their own)
        assert is_fresh(con)  # nothing for a reader's refresh to do, so none of the commands below makes one
    finally:
        con.close()
    db.chmod(0o444)
    assert not writable(db)
    return db, out / "886" / "extracts"


@pytest.fixture
def app() -> typer.Typer:
    from careboard.sufficiency.command import forecast

    a = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    a.command("forecast")(forecast)
    a.command("other")(lambda: None)
    return a


def test_forecast_csv_capacity_and_cost(app, loaded, tmp_path):
    db, extracts = loaded
    runner = CliRunner()
    res = runner.invoke(app, ["forecast", "--la", "886", "--db", str(db), "--years-ahead", "2", "--simulations", "50",
                              "--format", "csv"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.output)))
    assert {r["months_ahead"] for r in rows} == {"0", "12", "24"}
    total0 = next(r for r in rows if r["category"] == "Total" and r["months_ahead"] == "0")
    cats0 = [r for r in rows if r["category"] != "Total" and r["months_ahead"] == "0"]
    assert float(total0["median"]) == sum(float(r["median"]) for r in cats0)
    assert all(float(r["p10"]) <= float(r["median"]) <= float(r["p90"]) for r in rows)

    charts = tmp_path / "charts"
    res = runner.invoke(app, ["forecast", "--la", "886", "--db", str(db), "--years-ahead", "1", "--simulations", "50",
                              "--capacity", str(extracts), "--costs", str(extracts / "unit_costs.csv"),
                              "--budget", "1000000", "--charts", str(charts)])
    assert res.exit_code == 0, res.output
    assert "ILLUSTRATIVE UNIT COSTS" in res.output
    assert "Places against children" in res.output
    assert "In-house foster households to recruit" in res.output
    svg = (charts / "forecast_total.svg").read_text()
    assert svg.startswith("<svg") and "<desc id=" in svg  # drawn by the members' renderer, with its description


def test_full_tables_as_csv_and_xlsx_with_a_recruitment_scenario(app, loaded, tmp_path):
    import openpyxl

    db, extracts = loaded
    scenario = tmp_path / "plan.yaml"
    scenario.write_text("name: More carers for teenagers\ncarers_leaving: 0.1\n"
                        "recruit:\n  - {area: Maidstone, households: 4, by: 2028, approval: teenagers}\n")
    base = ["forecast", "--la", "886", "--db", str(db), "--years-ahead", "2", "--simulations", "40",
            "--capacity", str(extracts), "--scenario", str(scenario)]
    runner = CliRunner()
    res = runner.invoke(app, [*base, "--format", "xlsx", "--out", str(tmp_path / "plan.xlsx")])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    assert {"contents", "forecast", "places", "needs", "shortfall", "cost", "recruitment"} <= set(wb.sheetnames)
    header = [c.value for c in wb["places"][1]]
    assert {"kind", "children_median", "places_median", "usable_places_median", "shortfall_p90"} <= set(header)
    res = runner.invoke(app, [*base, "--format", "csv", "--out", str(tmp_path / "plan.csv")])
    assert res.exit_code == 0, res.output
    places = list(csv.DictReader((tmp_path / "plan_places.csv").open()))
    assert {r["months_ahead"] for r in places} == {"0", "12", "24"}
    for r in places:
        assert float(r["matched_median"]) <= float(r["children_median"])
        assert float(r["usable_places_median"]) <= float(r["places_median"])
    # the terminal shows every table the files hold: spend too (example costs, labelled), as the plan needs costs
    res = runner.invoke(app, base)
    assert res.exit_code == 0, res.output
    assert "Projected placement spend" in res.output and "What moves 2026-27 spend" in res.output
    assert "Places against children" in res.output
    # an area the authority does not have is named, with the areas it does have
    scenario.write_text("recruit:\n  - {area: West Kent, households: 4, by: 2028}\n")
    res = runner.invoke(app, base)
    assert res.exit_code == 2
    assert "recruit[0].area: 'West Kent' is not an area of the authority (areas: Ashford" in res.output


def test_member_figures_are_aggregates_with_the_real_counts_marked(loaded):
    import duckdb

    from careboard.sufficiency.figures import member_figures
    from careboard.sufficiency.service import ForecastOptions, forecast

    db, extracts = loaded
    con = duckdb.connect(str(db))
    result = forecast(con, "886", ForecastOptions(years_ahead=2, simulations=40, capacity=extracts))
    con.close()
    fig = member_figures(result)
    assert fig["year_ends"] == ["2027-03-31", "2028-03-31"]
    assert fig["children_now"]["real"] is True
    assert fig["children_now"]["total"] == sum(fig["children_now"]["by_category"].values())
    assert {p["real"] for p in fig["places"] if p["months_ahead"] == 0} == {True}
    assert {p["real"] for p in fig["places"] if p["months_ahead"] > 0} == {False}
    over = {(r["months_ahead"], r["kind"]): r for r in result.plan.overview()}
    for p in fig["places"]:
        assert p["shortfall"]["median"] == over[(p["months_ahead"], p["kind"])]["shortfall_median"]
    # by area: the last year's shortfall by area adds up to at least the median shortfall of each kind
    last = [a for a in fig["by_area"] if a["months_ahead"] == 24]
    assert {a["area"] for a in last} <= set(fig["areas"])
    # nothing in it is a child's record: only numbers, names and dates
    def leaves(x):
        if isinstance(x, dict):
            for v in x.values():
                yield from leaves(v)
        elif isinstance(x, list):
            for v in x:
                yield from leaves(v)
        else:
            yield x
    assert all(isinstance(v, int | float | str | bool) or v is None for v in leaves(fig))


def test_backtest_command(app, loaded, tmp_path):
    db, _ = loaded
    out = tmp_path / "backtest.csv"
    res = CliRunner().invoke(app, ["forecast", "--la", "886", "--db", str(db), "--backtest-from", "2024-03-31",
                                   "--simulations", "50", "--out", str(out)])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(out.open()))
    assert {r["months_ahead"] for r in rows} == {"6", "12", "24"}
    summary = list(csv.DictReader((tmp_path / "backtest_summary.csv").open()))
    assert [r["horizon_months"] for r in summary] == ["6", "12", "24"]
    assert f"Wrote {tmp_path / 'backtest_summary.csv'}" in res.output
    res = CliRunner().invoke(app, ["forecast", "--la", "886", "--db", str(db), "--backtest-from", "2030-01-01"])
    assert res.exit_code == 2
    assert "--backtest-from: the backtest origin 2030-01-01 must fall inside the loaded data" in res.output


def test_every_table_in_every_format(app, loaded, tmp_path):
    """CSV writes one file per table (format taken from --out's extension), JSON one object, XLSX one workbook
    with the same tables; charts are reported."""
    import openpyxl

    db, extracts = loaded
    runner = CliRunner()
    base = ["forecast", "--la", "886", "--db", str(db), "--years-ahead", "1", "--simulations", "50",
            "--capacity", str(extracts), "--costs", str(extracts / "unit_costs.csv"), "--budget", "1000000"]
    res = runner.invoke(app, [*base, "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    # the forecast, its spend and the plan; a plan table with no rows (no gap anywhere) is left out
    order = ["forecast", "spend", "spend_drivers", "places", "needs", "shortfall", "cost", "recruitment",
             "recruitment_check"]
    assert {"forecast", "spend", "spend_drivers", "places", "needs", "cost"} <= set(data)
    assert list(data) == [name for name in order if name in data]
    assert all(data.values())

    out, charts = tmp_path / "f.csv", tmp_path / "charts"
    res = runner.invoke(app, [*base, "--out", str(out), "--charts", str(charts)])
    assert res.exit_code == 0, res.output
    names = ["f.csv"] + [f"f_{name}.csv" for name in list(data)[1:]]
    assert sorted(p.name for p in tmp_path.glob("*.csv")) == sorted(names)
    for name in names:
        assert f"Wrote {tmp_path / name} (" in res.output
    spend = list(csv.DictReader((tmp_path / "f_spend.csv").open()))
    assert spend[0]["financial_year"] == "2026-27" and float(spend[0]["budget"]) == 1000000
    assert float(spend[0]["p10"]) <= float(spend[0]["median"]) <= float(spend[0]["p90"])
    assert 0 <= float(spend[0]["chance_over_budget"]) <= 1
    places = list(csv.DictReader((tmp_path / "f_places.csv").open()))
    assert [r["kind"] for r in places if r["months_ahead"] == "0"] == ["Foster care", "Children's homes",
                                                                        "Supported accommodation"]
    # the same figures in the JSON and the CSV
    assert places == [{k: str(v) for k, v in r.items()} for r in data["places"]]
    svgs = sorted(p.name for p in charts.glob("*.svg"))
    assert "forecast_total.svg" in svgs
    assert all(f"Wrote {charts / name} (fan chart)" in res.output for name in svgs)

    book = tmp_path / "f.xlsx"
    res = runner.invoke(app, [*base, "--out", str(book)])  # xlsx from the extension
    assert res.exit_code == 0, res.output
    assert f"Wrote {book} (sheets: contents, " in res.output
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["contents", *data]
    sheet = [[c.value for c in row] for row in wb["places"].iter_rows()]
    assert sheet[0] == list(data["places"][0]) and len(sheet) == len(data["places"]) + 1
    assert [r[2] for r in sheet[1:]] == [r["kind"] for r in data["places"]]

    text = tmp_path / "f.txt"
    res = runner.invoke(app, [*base, "--out", str(text)])
    assert res.exit_code == 0, res.output
    written = text.read_text()
    assert "Children looked after, Base" in written and "Projected placement spend" in written
    assert "Places against children" in written and "Cost a year of the gap" in written
    assert "In-house foster households to recruit" in written and "\x1b" not in written


def test_every_terminal_table_fits_80_columns_and_cuts_no_figure(app, loaded):
    db, extracts = loaded
    res = CliRunner().invoke(app, ["forecast", "--la", "886", "--db", str(db), "--years-ahead", "3",
                                   "--simulations", "50", "--capacity", str(extracts), "--budget", "1000000"],
                             env={"COLUMNS": "80"})
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert all(len(ln) <= 80 for ln in lines), max(lines, key=len)
    assert "…" not in res.output
    for title in ("Children looked after", "Projected placement spend", "Places against children",
                  "Who would be without a suitable place", "Cost a year of the gap", "In-house foster households"):
        assert title in res.output
    assert "2029-03-31" in res.output  # the last year end, a figure column, whole


def test_year_names_the_31_march_to_forecast_from(app, loaded):
    db, _ = loaded
    runner = CliRunner()
    base = ["forecast", "--la", "886", "--db", str(db), "--years-ahead", "1", "--simulations", "50", "--format", "csv"]
    by_year = runner.invoke(app, [*base, "--year", "2024-25"])
    assert by_year.exit_code == 0, by_year.output
    rows = list(csv.DictReader(io.StringIO(by_year.output)))
    assert {r["date"] for r in rows if r["months_ahead"] == "0"} == {"2025-03-31"}
    assert {r["date"] for r in rows if r["months_ahead"] == "12"} == {"2026-03-31"}
    old_name = runner.invoke(app, [*base, "--from-year", "2025"])
    assert old_name.output == by_year.output
    help_text = runner.invoke(app, ["forecast", "--help"]).output
    assert "--year" in help_text and "--from-year" not in help_text


@pytest.fixture(scope="module")
def with_capacity(loaded, tmp_path_factory) -> tuple[Path, Path]:
    """The loaded authority with its capacity extracts loaded too, as `careboard load` stores them (a copy)."""
    import shutil

    from careboard.model.build import build
    from careboard.returns.reader import read_returns
    from careboard.store.db import connect
    from careboard.store.load import load_returns

    db, extracts = loaded
    out = tmp_path_factory.mktemp("suff_capacity")
    folder = out / "886" / "capacity"
    folder.mkdir(parents=True)
    for name in ("foster_households.csv", "placement_capacity.csv"):
        shutil.copy(extracts / name, folder / name)
    copy = out / "c.duckdb"
    shutil.copy(db, copy)
    copy.chmod(0o600)  # (the loaded database is read-only)
    con = connect(copy)
    load_returns(con, read_returns([folder], "886", year=2026))  # as `careboard load FOLDER --year 2026`
    build(con)  # as every load's refresh: the care histories are current again
    con.close()
    return copy, extracts


def test_the_stored_capacity_is_the_capacity_folder(with_capacity):
    """Issue 18.5: the web page and the pack plan from what `careboard load` stored; the same places as the
    files `careboard forecast --capacity` reads, and none before the extract's year."""
    import duckdb
    import numpy as np

    from careboard.sufficiency.capacity import read_capacity
    from careboard.sufficiency.stored import stored_capacity

    db, extracts = with_capacity
    con = duckdb.connect(str(db), read_only=True)
    try:
        found = stored_capacity(con, "886", 2026)
        assert stored_capacity(con, "886", 2025) is None  # the extract describes 31 March 2026
        assert stored_capacity(con, "358", 2026) is None
    finally:
        con.close()
    assert found is not None
    stored, needs, year = found.settings, found.needs, found.year
    assert found.changes == []  # no capacity_changes.csv loaded
    files = read_capacity(extracts)
    assert year == 2026 and needs is None and len(stored) == len(files) > 10
    for name in ("ident", "kind", "postcode", "places", "occupied", "age_from", "age_to", "skills", "in_la"):
        assert np.array_equal(getattr(stored, name), getattr(files, name)), name
    assert set(stored.kind) == {"fostering", "childrens_home", "supported"}


def test_the_members_plan_is_the_command_lines_plan(with_capacity):
    """`service.year_end_plan` (stored capacity) gives the same plan as `careboard forecast --capacity FOLDER`
    from the same day with the same futures; without a capacity extract for the year there is none."""
    import datetime as dt

    import duckdb

    from careboard.sufficiency.service import ForecastOptions, forecast, year_end_plan
    from careboard.sufficiency.tables import forecast_tables

    db, extracts = with_capacity
    con = duckdb.connect(str(db), read_only=True)
    try:
        stored = year_end_plan(con, "886", 2026, simulations=60, match_futures=20)
        files = forecast(con, "886", ForecastOptions(start=dt.date(2026, 3, 31), simulations=60, match_futures=20,
                                                     capacity=extracts, want_costs=True))
        assert year_end_plan(con, "886", 2025, simulations=20, match_futures=5) is None
    finally:
        con.close()
    assert stored is not None and stored.capacity_year == 2026 and stored.plan is not None
    a, b = forecast_tables(stored), forecast_tables(files)
    assert list(a) == list(b)
    for name in ("places", "shortfall", "cost", "recruitment", "recruitment_check"):
        assert a.get(name) == b.get(name), name


def test_no_member_figure_of_the_plan_reveals_a_small_count_today(with_capacity):
    """Issue 18.5's disclosure rule: a cell (home area x the approval a foster household would need, or a kind
    of place) with 1 to 5 children today is hidden whole, forecasts too; so is a kind of place the release hides,
    and a recruitment target for a hidden cell.  Every figure shown is a rounded forecast (a multiple of 5)."""
    import duckdb

    from careboard.publish.sufficiency_plan import APPROVAL_COLUMNS, AREA_NAMES, KIND_COLUMNS, build_plan_view
    from careboard.sufficiency.figures import member_figures
    from careboard.sufficiency.service import year_end_plan

    db, _ = with_capacity
    con = duckdb.connect(str(db), read_only=True)
    try:
        result = year_end_plan(con, "886", 2026, simulations=60, match_futures=20)
    finally:
        con.close()
    fig = member_figures(result)
    today: dict[tuple[str, str], float] = {}
    for r in fig["by_area_approval"]:
        if r["months_ahead"] == 0:
            assert r["real"] is True and r["children"]["p10"] == r["children"]["p90"]  # one today in every future
            today[(AREA_NAMES.get(r["area"], r["area"]), APPROVAL_COLUMNS[r["approval"]])] = r["children"]["median"]
    for r in fig["by_area"]:
        if r["months_ahead"] == 0 and r["kind"] in KIND_COLUMNS:
            today[(AREA_NAMES.get(r["area"], r["area"]), r["kind"])] = r["children"]["median"]

    view = build_plan_view(result, set())
    small = shown = 0
    for row in view.rows:
        for column, cell in zip(view.columns, row.cells, strict=True):
            n = today.get((row.area, column), 0)
            if 1 <= n <= 5:
                small += 1
                assert cell.hidden and cell.text == "c", (row.area, column, n, cell)
            if not cell.hidden and cell.forecast is not None:
                shown += 1
                f = cell.forecast
                assert f.central % 5 == f.lower % 5 == f.upper % 5 == 0 and f.lower <= f.central <= f.upper
    assert small > 0 and shown > 0  # the rule is exercised both ways on this authority
    hidden_cells = {(r.area, c) for r in view.rows for c, cell in zip(view.columns, r.cells, strict=True)
                    if cell.hidden}
    for t in view.recruitment:
        assert (t.area, APPROVAL_COLUMNS[t.approval]) not in hidden_cells
    for p in view.places:
        for f in (p.children, p.places, p.shortfall):
            assert f is None or f.central % 5 == 0
    # a placement type the release hides hides its kind of place: every cell, its places row, its sentences
    hidden = build_plan_view(result, {"Children's homes"})
    col = hidden.columns.index("Children's homes")
    assert all(r.cells[col].hidden for r in hidden.rows)
    assert all(p.hidden for p in hidden.places if p.kind == "Children's homes")
    assert not any("children's home places" in s for s in hidden.short)

