"""``careboard synth --entry-trend``: a non-stationary synthetic authority for testing forecasts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from careboard.authorities import resolve
from careboard.synth import generate
from careboard.synth.dates import day
from careboard.synth.lives import Lives, simulate
from careboard.synth.postcodes import Geography, load_postcodes
from careboard.years import year_end, year_start

YEARS = list(range(2020, 2027))


def entries(lv: Lives) -> np.ndarray:
    starts = lv.periods["start"]
    return np.array([((starts >= day(year_start(y))) & (starts <= day(year_end(y)))).sum() for y in YEARS])


def simulated(trend: float) -> Lives:
    """The lives ``generate`` starts from for these arguments (its simulation), without writing any returns."""
    kent = resolve("886")
    return simulate(kent.code, kent.ons_code, Geography(load_postcodes(), kent.ons_code), 400, YEARS[0], YEARS[-1], 3,
                    trend)


def test_entries_rise_or_fall_by_the_trend(tmp_path: Path):
    # The rising authority through generate() (what `careboard synth --entry-trend` runs), so the option is seen
    # to reach the simulation; the other two straight from the simulation generate() runs, without writing seven
    # years of returns each.
    rising = entries(generate(tmp_path / "up", "886", 400, YEARS, 3, entry_trend=0.10, keep_tables=True).lives)
    flat = entries(simulated(0.0))
    falling = entries(simulated(-0.10))
    # fitted yearly growth of entries (log-linear), against 0, +10% and -10% a year
    growth = [np.polyfit(np.arange(7), np.log(n), 1)[0] for n in (flat, rising, falling)]
    assert abs(growth[0]) < 0.04
    assert 0.06 < growth[1] < 0.14
    assert -0.14 < growth[2] < -0.06


def test_entry_trend_option_is_checked(tmp_path: Path):
    import typer

    from careboard.synth.command import synth

    app = typer.Typer()
    app.command()(synth)
    res = CliRunner().invoke(app, [str(tmp_path), "--la", "886", "--entry-trend", "0.5"])
    assert res.exit_code == 2
    assert "--entry-trend is a yearly change between -0.3 and 0.3" in res.output
    with pytest.raises(ValueError, match="entry_trend"):
        generate(tmp_path, "886", 10, [2026], 1, entry_trend=-0.4)
