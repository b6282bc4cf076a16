"""Each year's own change in entries: published, estimated, filtered and drawn afresh for each future year.

Published authorities' yearly starts vary around their own trend by more than chance (LAIT 2016-2025).
The forecast filters that change out of where entries stand (``estimate.entry_state``), estimates its
size with the published figure as a prior (``estimate.entry_variation``), and draws a new one for each
year of each future (``simulate``).  Series are generated with a known answer.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources

import duckdb
import numpy as np
import pytest
from test_uncertainty import AS_OF, history

from careboard.sufficiency.estimate import (
    YEAR_SD_BY_STARTS,
    entry_state,
    entry_variation,
    fit,
    published_year_sd,
)
from careboard.sufficiency.simulate import Adjustments, simulate
from careboard.sufficiency.states import day_number

T1 = day_number(dt.date(2024, 3, 31))
YEARS = 6


def entries(seed: int, year_sd: float = 0.0, lam: float = 1.0, odd_last_year: float = 0.0) -> np.ndarray:
    """Entry days over ``YEARS`` years to T1: ``lam`` a day times exp(a year's own change), the years
    counted back from T1; ``odd_last_year`` is added to the last year's change."""
    rng = np.random.default_rng(seed)
    days = np.arange(T1 - YEARS * 365, T1) + 1
    change = rng.normal(0.0, year_sd, YEARS) if year_sd else np.zeros(YEARS)
    change[-1] += odd_last_year
    year = np.minimum((days - (T1 - YEARS * 365) - 1) // 365, YEARS - 1)
    return np.repeat(days, rng.poisson(lam * np.exp(change[year])))


def test_the_published_prior_is_what_the_packaged_lait_data_give():
    # recomputed here from LAIT's published starts (measure LACnum_Start) with plain numpy: by size band of
    # mean yearly starts, the median over authorities of the sd of log starts around a straight line, less
    # Poisson chance
    path = resources.files("careboard.reference") / "data" / "lait_values.parquet"
    rows = duckdb.connect().execute(
        "SELECT la_number, TRY_CAST(value_raw AS DOUBLE) FROM read_parquet(?) WHERE measure = 'LACnum_Start' "
        "AND TRY_CAST(value_raw AS DOUBLE) IS NOT NULL ORDER BY la_number, year", [str(path)]).fetchall()
    series: dict[str, list[float]] = {}
    for la, starts in rows:
        series.setdefault(la, []).append(starts)
    sized = []
    for s in map(np.array, series.values()):
        if len(s) < 6 or s.min() < 30:
            continue
        t = np.arange(len(s))
        resid = np.log(s) - np.polyval(np.polyfit(t, np.log(s), 1), t)
        sized.append((s.mean(), np.sqrt(max(resid.var(ddof=2) - np.mean(1 / s), 0.0))))
    sized_a = np.array(sized)
    assert len(sized_a) > 150  # nearly every authority in England
    low = 0.0
    for top, sd in YEAR_SD_BY_STARTS:
        band = sized_a[(sized_a[:, 0] >= low) & (sized_a[:, 0] < top), 1]
        assert np.median(band) == pytest.approx(sd, abs=0.0005)
        low = top
    # a small authority varies more than a large one, and the lookup takes the band
    assert published_year_sd(100) > published_year_sd(1000)
    assert published_year_sd(250) == YEAR_SD_BY_STARTS[1][1]


def test_a_years_own_change_is_estimated_from_the_history():
    # without the prior (0): a calm history gives a small change, one varying by 25% a year a large one
    calm = [entry_variation(entries(s), T1 - YEARS * 365, T1, year_prior_sd=1e-9)[1] for s in range(1, 7)]
    varied = [entry_variation(entries(s, year_sd=0.25), T1 - YEARS * 365, T1, year_prior_sd=1e-9)[1]
              for s in range(1, 7)]
    assert np.median(varied) > 0.12
    assert np.median(varied) > 3 * np.median(calm)
    # with the published prior (365 starts a year: 0.119, worth four years) a calm history keeps some of it
    prior = [entry_variation(entries(s), T1 - YEARS * 365, T1)[1] for s in range(1, 7)]
    assert min(prior) > 0.06
    assert max(prior) < YEAR_SD_BY_STARTS[1][1]


def test_one_odd_year_moves_where_entries_stand_less_when_years_have_their_own_change():
    # the last year 30% up as that year's own change: a filter that knows years vary takes less of it as
    # the level the future starts from than one that does not
    jump = [entries(s, odd_last_year=np.log(1.3)) for s in range(1, 7)]
    span = (T1 - YEARS * 365, T1)
    without = [np.exp(entry_state(d, *span, level_sd=0.05)[0][0]) for d in jump]
    with_change = [np.exp(entry_state(d, *span, level_sd=0.05, year_sd=0.15)[0][0]) for d in jump]
    assert np.median(without) > 1.15
    assert np.median(with_change) < np.median(without) - 0.05
    assert np.median(with_change) > 1.0  # still partly believed: it may be a new level
    # no own change (0) is the filter it always was: the same answer as leaving it out
    d = jump[0]
    m0, p0 = entry_state(d, *span, level_sd=0.05)
    m1, p1 = entry_state(d, *span, level_sd=0.05, year_sd=0.0)
    assert np.allclose(m0, m1) and np.allclose(p0, p1)


def test_each_future_year_draws_its_own_change():
    rates = fit(history(6, years=3, lam=3.0, mu=1 / 90), AS_OF, data_start=T1 - 3 * 365)
    still = Adjustments(drift_scale=1.0)
    rates.drift_entry = 0.0
    rates.drift_exit = rates.drift_move = rates.drift_mix = rates.drift_exit_common = 0.0
    rates.year_entry = 0.0
    calm = simulate(rates, 24, n_sims=400, seed=6, adjustments=still).totals()
    rates.year_entry = 0.2
    varied = simulate(rates, 24, n_sims=400, seed=6, adjustments=still).totals()
    # three-month stays: a month-end count is mostly the last months' entrants, so a year's change of sd 0.2
    # moves it by about 20%; the middle stays put
    for month in (6, 18):
        assert varied[:, month].std() > 1.5 * calm[:, month].std()
        assert np.median(varied[:, month]) == pytest.approx(np.median(calm[:, month]), rel=0.05)
    # the first and second years' changes are independent: the two years' counts barely move together
    r = np.corrcoef(np.log(varied[:, 6]), np.log(varied[:, 18]))[0, 1]
    assert abs(r) < 0.4
    # a scenario that switches the between-year variation off (drift_scale 0) switches this off too
    off = simulate(rates, 24, n_sims=400, seed=6, adjustments=Adjustments(drift_scale=0.0)).totals()
    assert off[:, 18].std() < 0.8 * varied[:, 18].std()
