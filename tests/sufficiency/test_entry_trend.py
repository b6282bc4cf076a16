"""Where entries stand and where they are heading: the local linear trend of ``estimate.entry_state``.

Small generated series with a known answer: entries a Poisson process whose rate is flat, grows by a
planted amount a year, or steps up a year before the forecast starts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pytest

from careboard.sufficiency.estimate import OPEN, Spells, entry_state, entry_variation, fit
from careboard.sufficiency.simulate import simulate
from careboard.sufficiency.states import CAT_INDEX, day_number

T1 = day_number(dt.date(2024, 3, 31))
YEARS = 6


def entries(seed: int, growth: float = 0.0, step: float = 1.0, lam: float = 1.0) -> np.ndarray:
    """Entry days over the ``YEARS`` years to T1: ``lam`` a day, times (1 + growth) a year, times ``step``
    in the last year."""
    rng = np.random.default_rng(seed)
    days = np.arange(T1 - YEARS * 365, T1) + 1
    rate = lam * np.exp(np.log1p(growth) * (days - T1) / 365.25) * np.where(days > T1 - 365, step, 1.0)
    return np.repeat(days, rng.poisson(rate))


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_a_planted_trend_is_recovered(seed: int):
    planted = np.log(1.10)  # entries 10% up a year
    mean, cov = entry_state(entries(seed, growth=0.10), T1 - YEARS * 365, T1, level_sd=0.02)
    sd = np.sqrt(np.diag(cov))
    # the slope's 90% interval holds the planted trend, and the slope is clearly a rise
    assert mean[1] - 1.645 * sd[1] <= planted <= mean[1] + 1.645 * sd[1]
    assert mean[1] > 0.04
    # and the level is where the rate is at the end (1 a day), not the six years' average (0.76 a day)
    assert np.exp(mean[0]) == pytest.approx(1.0, abs=2 * sd[0])
    assert np.exp(mean[0]) > 0.9


def test_the_planted_trend_is_recovered_on_average():
    slopes = [entry_state(entries(s, growth=0.10), T1 - YEARS * 365, T1, level_sd=0.02)[0][1] for s in range(1, 9)]
    assert np.mean(slopes) == pytest.approx(np.log(1.10), abs=0.02)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_a_flat_series_gives_a_slope_interval_covering_none(seed: int):
    mean, cov = entry_state(entries(seed), T1 - YEARS * 365, T1, level_sd=0.02)
    sd = np.sqrt(np.diag(cov))
    assert mean[1] - 1.645 * sd[1] <= 0 <= mean[1] + 1.645 * sd[1]
    assert sd[1] < 0.06  # six years pin a slope down to a few % a year
    assert np.exp(mean[0]) == pytest.approx(1.0, rel=0.1)


def test_the_level_wanders_as_much_as_the_history_says():
    # entries that vary no more than chance: the wander falls from the prior (0.05) towards none;
    # a jump of 30% in the last year: the filter needs a larger wander to follow it
    # (the level's wander alone: no year's own change in the filter)
    steady = [entry_variation(entries(s), T1 - YEARS * 365, T1, year_prior_sd=0.0)[0] for s in range(1, 7)]
    jump = [entry_variation(entries(s, step=1.3), T1 - YEARS * 365, T1, year_prior_sd=0.0)[0] for s in range(1, 7)]
    assert max(steady) < 0.05
    assert np.median(jump) > 2 * np.median(steady)


def test_too_little_history_falls_back_to_the_average_and_no_slope():
    days = np.array([T1 - 30, T1 - 20, T1 - 10])
    mean, cov = entry_state(days, T1 - 100, T1, level_sd=0.02)
    assert mean[1] == 0
    assert np.exp(mean[0]) == pytest.approx(3.5 / 100)
    assert cov[0, 0] == pytest.approx(1 / 3.5)


def _one_category(start: np.ndarray) -> Spells:
    n = len(start)
    rng = np.random.default_rng(6)
    stay = np.round(rng.exponential(365, n)).astype(np.int64) + 1
    return Spells(child=np.arange(n), dob=start - rng.integers(365, 6 * 365, n), uasc_until=np.full(n, -1),
                  period_start=start, start=start, end=np.where(start + stay > T1, OPEN, start + stay),
                  cat=np.full(n, CAT_INDEX["In-house fostering"]), next_cat=np.full(n, -1),
                  seen_from_start=np.ones(n, dtype=bool))


def test_the_forecast_starts_from_where_entries_stand_not_the_windows_average():
    # entries flat at 1 a day for four years, then 30% more for the last two (a change of regime, like the
    # rise of backtest authority C): the three-year window's average is 8% below the rate at the start, and
    # a forecast from that average runs low for as long as the new rate lasts
    days = np.arange(T1 - YEARS * 365, T1) + 1
    rate = np.where(days > T1 - 730, 1.3, 1.0)
    start = np.repeat(days, np.random.default_rng(5).poisson(rate))
    rates = fit(_one_category(start), T1, data_start=T1 - YEARS * 365)
    assert rates.entry_rate.sum() < 1.22  # the window's average
    assert np.exp(rates.entry_state[0]) == pytest.approx(1.3, rel=0.08)
    # the entries alone: without the pace of leaving care's wander, whose spread (about 0.24 a year here) moves
    # a 200-future median by a few per cent either way
    sim = simulate(replace(rates, drift_exit_common=0.0), 12, n_sims=200, seed=1)
    # a year on, the stock of an M/M/inf queue with a one-year mean stay holds ~(1 - 1/e) of a year's
    # entrants at the new rate plus 1/e of today's children
    today = sim.totals()[0, 0]
    expected = 1.3 * 365 * (1 - np.exp(-1)) + today * np.exp(-1)
    assert np.median(sim.totals()[:, 12]) == pytest.approx(expected, rel=0.04)  # the window average: 5% low


def test_one_year_up_is_believed_in_part():
    # the same 30% more in the last year only: as like a year's own change (which published starts show
    # every authority has, and which does not last) as a new level, so the forecast starts between the old
    # rate and the new one
    start = entries(5, step=1.3)
    rates = fit(_one_category(start), T1, data_start=T1 - YEARS * 365)
    level = np.exp(rates.entry_state[0])
    assert 1.05 < level < 1.25
    assert rates.year_entry > 0.08  # the published figure for 365 starts a year (0.119) pulls it up
