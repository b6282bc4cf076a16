"""Cost projection against hand-worked figures, and the forecast command's argument errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from careboard.sufficiency.cost import CostError, drivers, example_costs, load_costs, project
from careboard.sufficiency.simulate import Simulation
from careboard.sufficiency.states import CAT_INDEX, N_BAND, N_CAT, add_months


def flat_sim(per_month: list[dict[str, int]], start: dt.date = dt.date(2025, 3, 31)) -> Simulation:
    counts = np.zeros((1, len(per_month), N_CAT, N_BAND), dtype=np.int32)
    for m, cats in enumerate(per_month):
        for c, n in cats.items():
            counts[0, m, CAT_INDEX[c], 3] = n
    return Simulation([add_months(start, k) for k in range(len(per_month))], counts)


def costs(**weekly: float):
    uc = example_costs()
    uc.weekly = np.zeros(N_CAT)
    for k, v in weekly.items():
        uc.weekly[CAT_INDEX[k.replace("_", " ")]] = v
    return uc


def test_constant_population_costs_child_weeks_times_unit_cost():
    sim = flat_sim([{"In-house fostering": 10}] * 13)
    spend = project(sim, costs(**{"In-house_fostering": 100.0}))
    # 1 April 2025 - 31 March 2026 is 365 days: 10 children x 365/7 weeks x 100
    assert spend.years == [2026]
    assert spend.by_future[0, 0].sum() == pytest.approx(10 * 365 / 7 * 100)


def test_mix_shift_to_agency_is_separated_from_volume():
    # 10 in-house (100/wk) become 10 agency (300/wk) straight away: no change in numbers fostered
    sim = flat_sim([{"In-house fostering": 10}] + [{"Agency fostering": 10}] * 12)
    spend = project(sim, costs(**{"In-house_fostering": 100.0, "Agency_fostering": 300.0}))
    d = dict(drivers(spend))
    first_month = 30 / 7 * (10 * 100 + 10 * 300) / 2  # trapezium over April (30 days)
    year = first_month + (365 - 30) / 7 * 10 * 300
    run_rate = 10 * 100 * 365.25 / 7
    assert d["More or fewer children in foster care"] + d["Fostering mix (kinship / in-house / agency)"] == \
        pytest.approx(year - run_rate)
    assert d["Fostering mix (kinship / in-house / agency)"] > 0.9 * (year - run_rate)


def test_unit_cost_files_checked(tmp_path: Path):
    bad = tmp_path / "costs.yaml"
    bad.write_text("weekly_cost:\n  Kinship fostering: 300\n  Fostering: 1\n")
    with pytest.raises(CostError, match="unknown placement category 'Fostering'"):
        load_costs(bad)
    csv_bad = tmp_path / "unit_costs.csv"
    csv_bad.write_text("PLACE,PROVIDER_GROUP,WEEKLY_COST_GBP,ILLUSTRATIVE\nU1,any,350,1\nK2,any,lots,1\n")
    with pytest.raises(CostError, match="line 3: WEEKLY_COST_GBP 'lots' is not a number"):
        load_costs(csv_bad)
    assert example_costs().illustrative


@pytest.fixture
def app() -> typer.Typer:
    from careboard.sufficiency.command import forecast

    a = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    a.command("forecast")(forecast)
    a.command("other")(lambda: None)
    return a


@pytest.mark.parametrize(("args", "message"), [
    (["--years-ahead", "7"], "--years-ahead must be 1 to 5"),
    (["--format", "xml"], "--format must be table, csv, json or xlsx"),
    (["--format", "xlsx"], "--format xlsx needs --out FILE.xlsx"),
    (["--format", "xlsx", "--out", "plan.txt"], "--format xlsx needs --out FILE.xlsx"),
    (["--max-miles", "0"], "--max-miles must be more than 0"),
    (["--simulations", "3"], "--simulations must be 10 to 20000"),
    (["--backtest-from", "31/13/2023"], "--backtest-from: '31/13/2023' is not a date"),
    (["--start", "2024-03-31", "--year", "2024"], "give --start or --year, not both"),
    (["--start", "2024-03-31", "--from-year", "2024"], "give --start or --year, not both"),
    (["--year", "2024", "--from-year", "2024"], "--from-year is the old name of --year"),
    (["--year", "24"], "--year: cannot read '24'"),
    (["--format", "csv", "--budget", "1000"], "give --out FILE.csv (one file per table), --format xlsx --out "
                                              "FILE.xlsx, or use --format json"),
    (["--scenario", "nope.yaml"], "--scenario: nope.yaml is not a file"),
    (["--la", "999"], "999"),
])
def test_bad_arguments_give_one_line_and_exit_2(app, args, message, tmp_path):
    base = ["forecast", "--la", "886", "--db", str(tmp_path / "none.duckdb")]
    result = CliRunner().invoke(app, base + args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert len([ln for ln in result.output.splitlines() if ln.strip()]) == 1


def test_scenario_file_mistake_exits_2(app, tmp_path):
    sc = tmp_path / "s.yaml"
    sc.write_text("entries: {all: lots}\n")
    result = CliRunner().invoke(app, ["forecast", "--la", "886", "--scenario", str(sc)])
    assert result.exit_code == 2
    assert "entries.all: expected a number" in result.output


def test_the_plan_note_says_the_out_of_area_extra_is_an_example_when_the_councils_costs_are_loaded():
    from careboard.publish.sufficiency_plan import costs_note
    from careboard.sufficiency.cost import OUT_OF_AREA_AT_EXAMPLES

    own = "unit_costs.csv loaded as at 31 March 2026"
    assert costs_note(False, own) == "Costs are the council's own weekly unit costs, loaded as unit_costs.csv."
    note = costs_note(False, own + OUT_OF_AREA_AT_EXAMPLES)
    assert note.startswith("Costs are the council's own weekly unit costs, loaded as unit_costs.csv. ")
    assert "out of area (beyond the distance limit) is careboard's example figure" in note


BINARY = b"\x00\xa6\x9a\xff" * 200 + b"\n"


def test_planning_inputs_that_are_not_text_name_the_file_not_a_decoding_error(tmp_path):
    """A scenario, unit costs (YAML or the CSV extract) or a capacity extract holding binary data (or another
    encoding) is the loader's own error, naming the file and asking for UTF-8 (each raised UnicodeDecodeError,
    a traceback at the command line)."""
    from careboard.sufficiency import scenarios
    from careboard.sufficiency.capacity import CapacityError, read_capacity

    for name in ("s.yaml", "unit_costs.csv"):
        (tmp_path / name).write_bytes(BINARY)
    with pytest.raises(scenarios.ScenarioError, match=r"s\.yaml: not UTF-8 text"):
        scenarios.load(tmp_path / "s.yaml")
    with pytest.raises(CostError, match=r"s\.yaml: not UTF-8 text"):
        load_costs(tmp_path / "s.yaml")
    with pytest.raises(CostError, match=r"unit_costs\.csv: byte 0x.. is not UTF-8 text \(save it as 'CSV UTF-8'\)"):
        load_costs(tmp_path / "unit_costs.csv")
    folder = tmp_path / "capacity"
    folder.mkdir()
    (folder / "placement_capacity.csv").write_bytes(b"PROVIDER_ID,PLACES\n" + BINARY)
    with pytest.raises(CapacityError) as raised:
        read_capacity(folder)
    assert any("placement_capacity.csv: byte 0x" in p and "not UTF-8 text" in p for p in raised.value.problems)
