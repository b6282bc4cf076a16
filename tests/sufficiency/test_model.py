"""The demand model on constructed histories where the right answer is known in closed form.

A single placement category, children entering at a constant rate lam a day and leaving at a
constant hazard mu a day (exponential stays, nobody near 18): the population is an M/M/inf queue
whose steady state is lam / mu children.  So a stationary population must stay where it is, and
doubling entries must double the steady state (approached as 1 - exp(-mu t)).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from careboard.sufficiency.backtest import backtest
from careboard.sufficiency.estimate import OPEN, Spells, fit, stock_at
from careboard.sufficiency.scenarios import ScenarioError, from_dict
from careboard.sufficiency.simulate import Adjustments, simulate
from careboard.sufficiency.states import CAT_INDEX, add_months, birthdays, day_number

AS_OF = dt.date(2024, 3, 31)
LAM = 1.0  # entrants a day
MU = 1 / 365.0  # exits a day: a mean stay of one year
STEADY = LAM / MU  # 365 children


def queue_history(seed: int = 3, years: int = 12, cat: str = "In-house fostering") -> Spells:
    """Spells from a stationary M/M/inf queue run for ``years`` before AS_OF, entry ages 1-6."""
    rng = np.random.default_rng(seed)
    t_end = day_number(AS_OF) + 3 * 365
    t_start = day_number(AS_OF) - years * 365
    n = rng.poisson(LAM * (t_end - t_start))
    start = np.sort(rng.integers(t_start, t_end, n))
    end = start + np.maximum(np.round(rng.exponential(1 / MU, n)).astype(np.int64), 1)
    dob = start - rng.integers(365, 6 * 365, n)
    c = np.full(n, CAT_INDEX[cat])
    return Spells(child=np.arange(n), dob=dob, uasc_until=np.full(n, -1), period_start=start, start=start,
                  end=end, cat=c, next_cat=np.full(n, -1), seen_from_start=np.ones(n, dtype=bool))


def test_rates_recovered_from_a_constructed_history():
    rates = fit(queue_history(), AS_OF, window_years=3)
    assert rates.entry_rate.sum() == pytest.approx(LAM, rel=0.05)
    i = CAT_INDEX["In-house fostering"]
    pooled = rates.events_exit[i].sum() / rates.exposure_exit[i].sum()
    assert pooled == pytest.approx(MU, rel=0.06)
    assert rates.events_move.sum() == 0  # nobody changed category


def test_stationary_population_stays_stationary():
    spells = queue_history()
    rates = fit(spells, AS_OF, window_years=3)
    # without the between-year wander and the entry trend's uncertainty (test_uncertainty.py covers them)
    sim = simulate(rates, 60, n_sims=300, seed=5, adjustments=Adjustments(trend="none", drift_scale=0.0))
    tot = sim.totals()
    start = tot[0, 0]
    assert start == stock_at(spells, np.array([day_number(AS_OF)])).sum()
    assert abs(start - STEADY) < 4 * np.sqrt(STEADY)  # the constructed history is at its steady state
    for m in (12, 24, 60):
        assert tot[:, m].mean() == pytest.approx(STEADY, rel=0.06)
    # Poisson steady state: the spread across futures is about sqrt(365) = 19 (plus rate uncertainty)
    assert 14 < tot[:, 60].std() < 40


def test_doubling_entries_doubles_the_steady_state():
    rates = fit(queue_history(), AS_OF, window_years=3)
    # the futures' mean, as the closed form gives it, with the pace of leaving care held at its estimate: its
    # wander (a lognormal pace, about 0.2 a year here) lifts the mean of 300 futures over five years by as much
    # as the tolerance (test_uncertainty.py tests it)
    rates.drift_exit_common = 0.0
    adj = from_dict({"entries": {"all": 2.0}}).adjustments
    sim = simulate(rates, 60, n_sims=300, seed=6, adjustments=adj)
    years = np.array([(d - AS_OF).days for d in sim.dates]) * MU
    # E[N(t)] = 2*S - (2*S - N0) * exp(-mu t) with N0 ~ S: 730 - 365 e^{-mu t}
    expected = 2 * STEADY - STEADY * np.exp(-years)
    mean = sim.totals().mean(axis=0)
    for m in (12, 36, 60):
        assert mean[m] == pytest.approx(expected[m], rel=0.06)
    assert mean[60] / STEADY == pytest.approx(2 * (1 - 0.5 * np.exp(-years[60])), rel=0.06)


def test_children_age_on_their_real_birthdays_and_leave_at_18():
    # Five children in a children's home who never move or leave (no events in the history: zero rates).
    dobs = [dt.date(2008, 4, 15), dt.date(2008, 6, 30), dt.date(2019, 5, 1), dt.date(2014, 3, 31),
            dt.date(2023, 7, 2)]
    n = len(dobs)
    start = np.full(n, day_number(dt.date(2022, 1, 1)))
    spells = Spells(child=np.arange(n), dob=np.array([day_number(d) for d in dobs]), uasc_until=np.full(n, -1),
                    period_start=start, start=start, end=np.full(n, OPEN),
                    cat=np.full(n, CAT_INDEX["Children's homes"]),
                    next_cat=np.full(n, -1), seen_from_start=np.ones(n, dtype=bool))
    rates = fit(spells, AS_OF, window_years=2)
    assert rates.entry_rate.sum() == 0
    sim = simulate(rates, 6, n_sims=3, seed=1)
    bands = sim.counts[0, :, CAT_INDEX["Children's homes"], :]  # (month, band)
    # 31 March 2024: ages 15, 15, 4, 10 (birthday that day), 0 -> bands 10-15 x3, 1-4, under 1
    assert bands[0].tolist() == [1, 1, 0, 3, 0]
    # 30 April 2024: the first child turned 16 on 15 April
    assert bands[1].tolist() == [1, 1, 0, 2, 1]
    # 31 May: the third child turned 5 on 1 May
    assert bands[2].tolist() == [1, 0, 1, 2, 1]
    # 31 July: the baby turned 1 on 2 July, the second child turned 16 on 30 June
    assert bands[4].tolist() == [0, 1, 1, 1, 2]
    # nobody leaves before 18 (the oldest turns 18 on 15 April 2026)
    assert (sim.totals() == n).all()
    later = simulate(rates, 25, n_sims=2, seed=1)
    assert later.totals()[0, 24] == n  # 31 March 2026: still 17
    assert later.totals()[0, 25] == n - 1  # 30 April 2026: left on the 18th birthday


def test_birthdays_are_exact_including_29_february():
    dob = np.array([day_number(dt.date(2008, 2, 29)), day_number(dt.date(2010, 12, 31))])
    assert [str(np.datetime64(int(x), "D")) for x in birthdays(dob, 18)] == ["2026-02-28", "2028-12-31"]


def test_a_move_changes_category_and_history_is_split_by_age():
    # one child, fostered for 100 days then in a children's home: a move event in fostering at age 12
    dob = day_number(dt.date(2010, 1, 10))
    s0 = day_number(dt.date(2022, 6, 1))
    spells = Spells(child=np.array([0, 0]), dob=np.array([dob, dob]), uasc_until=np.array([-1, -1]),
                    period_start=np.array([s0, s0]), start=np.array([s0, s0 + 100]), end=np.array([s0 + 100, OPEN]),
                    cat=np.array([CAT_INDEX["Agency fostering"], CAT_INDEX["Children's homes"]]),
                    next_cat=np.array([CAT_INDEX["Children's homes"], -1]), seen_from_start=np.array([True, True]))
    rates = fit(spells, AS_OF, window_years=3)
    a = CAT_INDEX["Agency fostering"]
    assert rates.events_move[a, 12].sum() == 1
    assert rates.exposure_move[a].sum() == 100
    # the children's-home spell runs from 9 Sep 2022 to 31 Mar 2024: split at the 13th and 14th birthdays
    h = CAT_INDEX["Children's homes"]
    by_age = rates.exposure_exit[h].sum(axis=1)
    assert by_age[12] == (dt.date(2023, 1, 10) - dt.date(2022, 9, 9)).days
    assert by_age[13] == 365
    assert by_age[14] == (dt.date(2024, 3, 31) - dt.date(2024, 1, 10)).days
    assert rates.dest[a, 3, h] == pytest.approx(1.0)


def test_backtest_on_a_constructed_history_scores_the_right_actuals():
    spells = queue_history()
    rows = backtest(spells, AS_OF, dt.date(2012, 4, 1), add_months(AS_OF, 24), n_sims=200)
    total = {r.horizon_months: r for r in rows if r.category == "Total"}
    for h in (6, 12, 24):
        d = day_number(add_months(AS_OF, h))
        truth = int(((spells.start <= d) & (spells.end > d)).sum())
        assert total[h].actual == truth
        assert abs(total[h].forecast - truth) < 4 * np.sqrt(STEADY) + 0.06 * STEADY


def test_scenario_shift_moves_a_share_of_new_placements():
    spells = queue_history(cat="Agency fostering")
    rates = fit(spells, AS_OF, window_years=3)
    adj = from_dict({"shift": [{"from": "Agency fostering", "to": "In-house fostering", "share": 0.25}]}).adjustments
    # rates fixed at their estimates: in-house fostering was never seen, so its exit rate's posterior is
    # the vague prior, and drawing it per future lets some futures keep their in-house children for years
    sim = simulate(rates, 60, n_sims=200, seed=2, adjustments=adj, parameter_uncertainty=False)
    cats = sim.by_category().mean(axis=0)[60]
    # after 5 years nearly all children entered under the scenario: a quarter of them in-house
    share = cats[CAT_INDEX["In-house fostering"]] / cats.sum()
    assert share == pytest.approx(0.25 * (1 - np.exp(-5)), abs=0.03)


def test_shorter_stays_scale_the_steady_state():
    rates = fit(queue_history(cat="Children's homes"), AS_OF, window_years=3)
    rates.drift_exit_common = 0.0  # the closed form's mean: as in test_doubling_entries_doubles_the_steady_state
    adj = from_dict({"stay": {"Children's homes": 0.5}}).adjustments
    sim = simulate(rates, 60, n_sims=200, seed=4, adjustments=adj)
    # stays halved: exits at 2 mu; E[N] = S/2 + (N0 - S/2) e^{-2 mu t}
    assert sim.totals().mean(axis=0)[60] == pytest.approx(STEADY / 2 + STEADY / 2 * np.exp(-10), rel=0.07)


@pytest.mark.parametrize(("data", "message"), [
    ({"entries": {"teens": 2}}, "entries.teens: not 'all'"),
    ({"entries": {"all": -1}}, "entries.all: -1 is outside"),
    ({"shift": [{"from": "Agency fostering", "to": "Foster", "share": 0.1}]}, "shift[0].to: unknown placement"),
    ({"stay": {"Children's homes": "short"}}, "expected a number"),
    ({"colour": "red"}, "unknown setting(s) ['colour']"),
    ({"trend": "up"}, "trend: expected auto, fitted or none"),
    ({"carers_leaving": 1.5}, "carers_leaving: 1.5 is outside 0.0..1.0"),
    ({"recruit": [{"area": "West Kent", "households": 12}]}, "recruit[0]: needs area, households and by"),
    ({"recruit": [{"area": "West Kent", "households": 12, "by": "soon"}]}, "recruit[0].by: expected a year"),
    ({"recruit": [{"area": "West Kent", "households": 12, "by": 2028, "approval": "teens"}]},
     "recruit[0].approval: 'teens' is not one of general, teenagers"),
])
def test_scenario_mistakes_name_the_key(data, message):
    with pytest.raises(ScenarioError) as exc:
        from_dict(data, "my.yaml")
    assert message in str(exc.value)
    assert str(exc.value).startswith("my.yaml")
