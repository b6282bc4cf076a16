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
    from careboard.refresh import refresh
    from careboard.returns.reader import read_returns
    from careboard.store.db import connect
    from careboard.store.load import load_returns
    from careboard.synth import generate

    out = tmp_path_factory.mktemp("suff")
    generate(out, "886", 200, list(range(2022, 2027)), 11)
    db = out / "c.duckdb"
    con = connect(db)
    load_returns(con, read_returns([out / "886" / "ssda903"]))
    refresh(con)  # as every load ends
    con.close()
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
    assert (charts / "forecast_total.svg").read_text().startswith("<svg")


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
    assert "--backtest-from must fall inside the loaded data" in res.output


def test_every_table_in_every_format(app, loaded, tmp_path):
    """CSV writes one file per table (format taken from --out's extension), JSON one object; charts are reported."""
    db, extracts = loaded
    runner = CliRunner()
    base = ["forecast", "--la", "886", "--db", str(db), "--years-ahead", "1", "--simulations", "50",
            "--capacity", str(extracts), "--costs", str(extracts / "unit_costs.csv"), "--budget", "1000000"]
    out, charts = tmp_path / "f.csv", tmp_path / "charts"
    res = runner.invoke(app, [*base, "--out", str(out), "--charts", str(charts)])
    assert res.exit_code == 0, res.output
    names = ["f.csv", "f_spend.csv", "f_spend_drivers.csv", "f_capacity.csv", "f_recruitment.csv"]
    assert sorted(p.name for p in tmp_path.glob("*.csv")) == sorted(names)
    for name in names:
        assert f"Wrote {tmp_path / name} (" in res.output
    spend = list(csv.DictReader((tmp_path / "f_spend.csv").open()))
    assert spend[0]["financial_year"] == "2026-27" and float(spend[0]["budget"]) == 1000000
    assert float(spend[0]["p10"]) <= float(spend[0]["median"]) <= float(spend[0]["p90"])
    assert 0 <= float(spend[0]["chance_over_budget"]) <= 1
    capacity = list(csv.DictReader((tmp_path / "f_capacity.csv").open()))
    assert [r["kind"] for r in capacity] == ["fostering", "childrens_home", "supported"]
    svgs = sorted(p.name for p in charts.glob("*.svg"))
    assert "forecast_total.svg" in svgs
    assert all(f"Wrote {charts / name} (fan chart)" in res.output for name in svgs)

    res = runner.invoke(app, [*base, "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert list(data) == ["forecast", "spend", "spend_drivers", "capacity", "recruitment"]
    assert data["capacity"] == [{k: int(v) if k != "kind" else v for k, v in r.items()} for r in capacity]

    text = tmp_path / "f.txt"
    res = runner.invoke(app, [*base, "--out", str(text)])
    assert res.exit_code == 0, res.output
    written = text.read_text()
    assert "Children looked after, Base" in written and "Projected placement spend" in written
    assert "Where recruitment would help most" in written and "\x1b" not in written


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
