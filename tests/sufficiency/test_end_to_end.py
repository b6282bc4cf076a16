"""``careboard forecast`` end to end on a small synthetic authority (returns loaded into DuckDB)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> tuple[Path, Path]:
    from careboard.model.build import build
    from careboard.returns.reader import read_returns
    from careboard.store.db import connect
    from careboard.store.load import load_returns
    from careboard.synth import generate

    out = tmp_path_factory.mktemp("suff")
    generate(out, "886", 200, list(range(2022, 2027)), 11)
    db = out / "c.duckdb"
    con = connect(db)
    load_returns(con, read_returns([out / "886" / "ssda903"]))
    build(con)
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


def test_backtest_command(app, loaded):
    db, _ = loaded
    res = CliRunner().invoke(app, ["forecast", "--la", "886", "--db", str(db), "--backtest-from", "2024-03-31",
                                   "--simulations", "50", "--format", "csv"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.output)))
    assert {r["months_ahead"] for r in rows} == {"6", "12", "24"}
    res = CliRunner().invoke(app, ["forecast", "--la", "886", "--db", str(db), "--backtest-from", "2030-01-01"])
    assert res.exit_code == 2
    assert "must fall inside the loaded data" in res.output
