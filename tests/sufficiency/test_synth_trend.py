"""``careboard synth --entry-trend``: a non-stationary synthetic authority for testing forecasts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from careboard.synth import generate
from careboard.synth.dates import day
from careboard.years import year_end, year_start


def entries_by_year(out: Path, trend: float) -> np.ndarray:
    lv = generate(out, "886", 400, list(range(2020, 2027)), 3, entry_trend=trend, keep_tables=True).lives
    starts = lv.periods["start"]
    return np.array([((starts >= day(year_start(y))) & (starts <= day(year_end(y)))).sum() for y in range(2020, 2027)])


def test_entries_rise_or_fall_by_the_trend(tmp_path: Path):
    flat = entries_by_year(tmp_path / "flat", 0.0)
    rising = entries_by_year(tmp_path / "up", 0.10)
    falling = entries_by_year(tmp_path / "down", -0.10)
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
