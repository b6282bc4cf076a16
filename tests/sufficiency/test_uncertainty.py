"""Uncertainty that holds: between-year wander, the entry trend, and stays that began before the returns.

Constructed histories with a known answer: a single placement category, children entering as a
Poisson process and leaving at a hazard that may change from year to year (so the number looked
after is an M/M/inf queue, whose expected size is known in closed form).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pytest

from careboard.sufficiency.estimate import OPEN, Spells, fit, stock_at
from careboard.sufficiency.simulate import Adjustments, _tilted_mix, entry_trend, simulate
from careboard.sufficiency.states import CAT_INDEX, N_BAND, N_CAT, day_number

AS_OF = dt.date(2024, 3, 31)
T1 = day_number(AS_OF)
CAT = CAT_INDEX["In-house fostering"]


def history(seed: int, years: int = 8, lam: float = 1.0, mu: float = 1 / 365, growth: float = 0.0,
            wander: float = 0.0, after: int = 3 * 365) -> Spells:
    """Entrants at ``lam`` a day (growing by ``growth`` a year from the first day), leaving at ``mu`` a day
    times a yearly factor exp(N(0, wander^2)) (independent years); ``after`` days past AS_OF are generated
    too, so the future is known.  Entry ages 1-6: nobody reaches 18."""
    rng = np.random.default_rng(seed)
    t0, t_end = T1 - years * 365, T1 + after
    days = np.arange(t0, t_end)
    rate = lam * np.exp(np.log1p(growth) * (days - t0) / 365.25)
    n_day = rng.poisson(rate)
    start = np.repeat(days, n_day)
    # exits: cumulative hazard H(t), piecewise constant by year; exit when H rises by an Exp(1) draw
    year_factor = np.exp(rng.normal(0, wander, years + 5)) if wander else np.ones(years + 5)
    hazard = mu * year_factor[(days - t0) // 365]
    cum = np.concatenate([[0.0], np.cumsum(hazard)])
    budget = cum[start - t0] + rng.exponential(1.0, len(start))
    stop = np.searchsorted(cum, budget) + t0
    end = np.where(stop >= t_end, OPEN, np.maximum(stop, start + 1))
    dob = start - rng.integers(365, 6 * 365, len(start))
    n = len(start)
    return Spells(child=np.arange(n), dob=dob, uasc_until=np.full(n, -1), period_start=start, start=start,
                  end=end, cat=np.full(n, CAT), next_cat=np.full(n, -1), seen_from_start=np.ones(n, dtype=bool))


def test_the_pace_of_leaving_care_is_estimated_from_the_history():
    data_start = T1 - 8 * 365
    steady = [fit(history(s), AS_OF, data_start=data_start) for s in (1, 2, 3)]
    wandering = [fit(history(s, wander=0.35), AS_OF, data_start=data_start) for s in (1, 2, 3)]
    # about 365 looked after: the published prior is 0.30 a year, worth 4 changes against the history's 5; a
    # steady history (chance alone) pulls it down to 0.30 * sqrt(4 / 9)
    assert [r.drift_exit_common for r in steady] == pytest.approx([0.30 * np.sqrt(4 / 9)] * 3, abs=0.01)
    # hazard multiplied by exp(N(0, 0.35^2)) each year: year-to-year changes of sd 0.5, more than published
    # authorities show, so the reading stops at the prior
    assert [r.drift_exit_common for r in wandering] == pytest.approx([0.30] * 3)
    # one category holds every exit: all of its wander is the pace every category shares, none its own
    assert all(r.drift_exit[CAT] == pytest.approx(0.10) for r in steady + wandering)


def _two_categories(seed: int) -> Spells:
    """In-house fostering leaving at a pace that changes from year to year (:func:`history` with a wander of
    0.35) beside three times as many children in kinship fostering leaving at a steady one: one category's own
    wander, most of it not shared."""
    a, b = history(seed, wander=0.35), history(seed + 100, lam=3.0)
    joined = {f: np.concatenate([getattr(a, f), getattr(b, f)]) for f in ("dob", "uasc_until", "period_start",
                                                                       "start", "end", "next_cat",
                                                                       "seen_from_start")}
    cat = np.concatenate([a.cat, np.full(len(b.cat), CAT_INDEX["Kinship fostering"])])
    return Spells(child=np.arange(len(cat)), cat=cat, **joined)


def test_one_categorys_own_wander_is_told_from_the_pace_all_share():
    data_start = T1 - 8 * 365
    for seed in (1, 2, 3):
        rates = fit(_two_categories(seed), AS_OF, data_start=data_start)
        inhouse, kinship = rates.drift_exit[CAT], rates.drift_exit[CAT_INDEX["Kinship fostering"]]
        # the wandering category's own reading is well above the steady one's (pulled towards the prior of 0.10
        # and towards the categories' pooled reading)
        assert inhouse > kinship + 0.04
        # and the pace all share reads less than where one category's exits hold all the wander
        assert rates.drift_exit_common < fit(history(seed, wander=0.35), AS_OF, data_start=data_start).drift_exit_common
        # the same wander in both categories at once (one history's children split between them) is the pace
        # they share: neither has a wander of its own beyond the prior (0.10)
        one = history(seed, wander=0.35)
        split = np.where(np.random.default_rng(seed).random(len(one.cat)) < 0.5, CAT_INDEX["Kinship fostering"], CAT)
        both = fit(replace(one, cat=split), AS_OF, data_start=data_start)
        assert both.drift_exit[CAT] < 0.13 and both.drift_exit[CAT_INDEX["Kinship fostering"]] < 0.13
        assert both.drift_exit_common == pytest.approx(0.30)


def test_wander_widens_the_intervals_and_grows_with_the_horizon():
    rates = fit(history(4), AS_OF, data_start=T1 - 8 * 365)
    fixed = simulate(rates, 36, n_sims=300, seed=2, adjustments=Adjustments(trend="none", drift_scale=0.0))
    wander = simulate(rates, 36, n_sims=300, seed=2, adjustments=Adjustments(trend="none"))
    # (a year ahead, the uncertainty of where entries stand today still dominates; the wander adds up after)
    ratio = [wander.totals()[:, m].std() / fixed.totals()[:, m].std() for m in (24, 36)]
    assert ratio[0] > 1.1
    assert ratio[1] > ratio[0]
    # the wander is in the log of the rates: the middle of the futures stays where it was
    assert np.median(wander.totals()[:, 36]) == pytest.approx(np.median(fixed.totals()[:, 36]), rel=0.04)


def test_a_steady_rise_in_entries_is_followed():
    spells = history(5, growth=0.08)
    rates = fit(spells, AS_OF, data_start=T1 - 8 * 365)
    mean, _ = entry_trend(rates, "auto")
    assert 0.05 < mean < 0.10
    truth = stock_at(spells, np.array([T1 + 730])).sum()
    auto = simulate(rates, 24, n_sims=300, seed=3).totals()[:, 24]
    flat = simulate(rates, 24, n_sims=300, seed=3, adjustments=Adjustments(trend="none")).totals()[:, 24]
    # with entries 8% up a year the stock grows ~17% in two years; a flat forecast misses most of that
    assert np.median(auto) == pytest.approx(truth, rel=0.05)
    assert np.median(flat) < 0.93 * truth
    assert np.percentile(auto, 10) <= truth <= np.percentile(auto, 90)


def test_stays_that_began_before_the_returns_keep_their_own_hazard():
    # 600 children in long-term care since before the returns began (leaving at 5% a year) and a flow of
    # short stays (a year on average) seen from their start; only 2.5 years of returns.  The first
    # episode the returns show of a long stay began within the year before them (a change of placement
    # or legal status), so its start says little about how long the child has been looked after.
    rng = np.random.default_rng(7)
    data_start = T1 - 912
    short = history(8, years=3)
    m = 600
    long_start = data_start - rng.integers(1, 365, m)
    long_end = data_start + np.round(rng.exponential(365 / 0.05, m)).astype(np.int64)
    spells = Spells(
        child=np.concatenate([short.child, short.child.max() + 1 + np.arange(m)]),
        dob=np.concatenate([short.dob, long_start - rng.integers(0, 3 * 365, m)]),
        uasc_until=np.full(len(short) + m, -1),
        period_start=np.concatenate([short.period_start, long_start]),
        start=np.concatenate([short.start, long_start]),
        end=np.concatenate([short.end, long_end]),
        cat=np.full(len(short) + m, CAT), next_cat=np.full(len(short) + m, -1),
        seen_from_start=np.concatenate([short.seen_from_start, np.zeros(m, dtype=bool)]))
    spells = spells.cut(T1 + 3 * 365)
    keep_short = (spells.period_start >= data_start) | ~spells.seen_from_start
    spells = Spells(*(getattr(spells, f)[keep_short] for f in
                      ("child", "dob", "uasc_until", "period_start", "start", "end", "cat", "next_cat",
                       "seen_from_start")))
    rates = fit(spells, AS_OF, data_start=data_start)
    truth = stock_at(spells, np.array([T1 + 365])).sum()
    sim = simulate(rates, 12, n_sims=200, seed=4, adjustments=Adjustments(trend="none", drift_scale=0.0))
    # Taking the long stays' time in care as the time since the returns began (2.5 years) would give them
    # the exit rate of the short stays seen at 2-4 years and lose most of them within the year.
    assert np.median(sim.totals()[:, 12]) == pytest.approx(truth, rel=0.05)


def test_a_tilted_placement_mix_changes_entrants_as_little_as_possible():
    rng = np.random.default_rng(1)
    entry_mix = rng.random((N_BAND, N_CAT)) * (rng.random((N_BAND, N_CAT)) < 0.7)
    entry_mix[:, 0] += 0.1
    entry_mix /= entry_mix.sum(axis=1, keepdims=True)
    dest = rng.random((N_CAT, N_BAND, N_CAT))
    dest /= dest.sum(axis=2, keepdims=True)
    weight = np.exp(rng.normal(0, 0.3, (3, N_CAT)))
    _, keep, excess_cum = _tilted_mix(dest, entry_mix, weight)
    excess = np.diff(np.concatenate([np.zeros((3, N_BAND, 1)), excess_cum], axis=2), axis=2)
    excess[..., -1] -= 1e-9
    # category after the swap: kept with probability keep, else drawn from the excess mix
    kept = entry_mix[None] * keep
    result = kept + (1 - kept.sum(axis=2, keepdims=True)) * excess
    target = entry_mix[None] * weight[:, None, :]
    target /= target.sum(axis=2, keepdims=True)
    assert np.allclose(result, target, atol=1e-6)
    # a category nobody of an age band enters is never created by the tilt
    assert (result[:, entry_mix == 0] < 1e-9).all()
    # only the share that must change does: sum of |q - p| / 2
    changed = 1 - kept.sum(axis=2)
    assert np.allclose(changed, np.abs(target - entry_mix[None]).sum(axis=2) / 2, atol=1e-9)


def test_the_entries_spread_in_the_futures_is_the_filters_scaled(monkeypatch: pytest.MonkeyPatch):
    from careboard.sufficiency import simulate as sim_module

    # short stays (three months on average) and a short history: two years on, everyone looked after
    # came in after the start, so where entries stand (and head) is most of the spread
    rates = fit(history(6, years=3, lam=3.0, mu=1 / 90), AS_OF, data_start=T1 - 3 * 365)
    still = Adjustments(drift_scale=0.0)
    monkeypatch.setattr(sim_module, "ENTRY_STATE_SD_SCALE", 1.0)
    full = simulate(rates, 24, n_sims=400, seed=6, adjustments=still).totals()[:, 24]
    monkeypatch.setattr(sim_module, "ENTRY_STATE_SD_SCALE", 0.3)
    narrow = simulate(rates, 24, n_sims=400, seed=6, adjustments=still).totals()[:, 24]
    # the spread narrows (towards chance alone); the middle (the filter's estimate) stays where it was
    assert narrow.std() < 0.85 * full.std()
    assert np.median(narrow) == pytest.approx(np.median(full), rel=0.03)


def test_futures_start_from_where_the_wandering_rates_stand_today(monkeypatch: pytest.MonkeyPatch):
    from careboard.sufficiency import simulate as sim_module

    rates = fit(history(7, wander=0.35), AS_OF, data_start=T1 - 8 * 365)
    t0, t1 = rates.window
    # a random walk's end is a walk of a third of the window away from its average over the window
    assert sim_module.window_lag_years(rates) == pytest.approx((t1 - t0) / 365.25 / 3)
    still_entries = Adjustments(trend="none")
    monkeypatch.setattr(sim_module, "ENTRY_STATE_SD_SCALE", 0.0)  # entries' own uncertainty out of the way
    lagged = simulate(rates, 6, n_sims=400, seed=3, adjustments=still_entries).totals()[:, 6]
    monkeypatch.setattr(sim_module, "window_lag_years", lambda _rates: 0.0)
    from_window = simulate(rates, 6, n_sims=400, seed=3, adjustments=still_entries).totals()[:, 6]
    # six months on, half a year of wander alone is little; where the rate stands today already differs
    # (the exit rate's wander is about 0.35 a year here, and a third of three years is a year of it)
    assert lagged.std() > 1.2 * from_window.std()
    assert np.median(lagged) == pytest.approx(np.median(from_window), rel=0.05)


def _walked_yearly_shares(rng: np.random.Generator, share: np.ndarray, sd: float, years: int = 7) -> np.ndarray:
    """Each year's average shares of choices among categories whose attractiveness (log weight) wanders by ``sd`` a
    year from ``share``, a month at a time: (year, category)."""
    walk = np.cumsum(rng.normal(0, sd / np.sqrt(12), (years * 12, len(share))), axis=0)
    shares = share * np.exp(walk)
    shares /= shares.sum(axis=1, keepdims=True)
    return shares.reshape(years, 12, len(share)).mean(axis=1)


def test_the_mix_wander_is_measured_in_each_categorys_attractiveness():
    from careboard.sufficiency.estimate import _walk_sd, mix_gain

    # choices among four categories with shares 0.55, 0.3, 0.1 and 0.05 whose attractiveness (log weight)
    # wanders as a random walk of 0.2 a year each; very many choices a year, so chance is nothing
    rng = np.random.default_rng(5)
    share = np.array([0.55, 0.3, 0.1, 0.05])
    sds = {True: [], False: []}
    for _ in range(60):
        # the walk moves a month at a time; a year's choices are its twelve months'
        oe = [(s * 1e7, share * 1e7) for s in _walked_yearly_shares(rng, share, 0.2)]
        for with_gain in (True, False):
            sds[with_gain].append(_walk_sd(oe, gain=mix_gain(share) if with_gain else None, prior_sd=0.2))
    with_gain, without = np.mean(sds[True], axis=0), np.mean(sds[False], axis=0)
    # counted as it is, a big category's share moves least (the others make room) and a small one's as much
    # as the others' walks push it; read through the gain, every category's wander is near the 0.2 it has
    assert without[0] < 0.8 * with_gain[0]
    assert np.all(np.abs(with_gain - 0.2) < 0.03)
    assert np.abs(with_gain - 0.2).max() < np.abs(without - 0.2).max()


def test_a_wander_that_moves_through_the_year_is_read_at_its_own_size(monkeypatch: pytest.MonkeyPatch):
    from careboard.sufficiency import estimate

    # one category's rate wanders by 0.15 a year, a month at a time; each year's events are its twelve months'
    # (so many that chance is nothing), and the history alone decides (no prior): the change between two years'
    # totals holds two thirds of a year's variance, and the estimate reads the walk itself, not that part of it
    monkeypatch.setattr(estimate, "DRIFT_PRIOR_WEIGHT", 0.0)
    rng = np.random.default_rng(11)
    read = []
    for _ in range(300):
        walk = np.cumsum(rng.normal(0, 0.15 / np.sqrt(12), 6 * 12))
        observed = (np.exp(walk) * 1e7).reshape(6, 12).sum(axis=1)
        read.append(estimate._walk_sd([(np.array([o]), np.array([1.2e8])) for o in observed])[0])
    assert np.sqrt(np.mean(np.square(read))) == pytest.approx(0.15, abs=0.01)


def test_the_mix_wander_allows_for_chance_as_shares_of_a_years_choices(monkeypatch: pytest.MonkeyPatch):
    from careboard.sufficiency import estimate

    # 500 choices a year among four categories (0.55, 0.3, 0.1, 0.05) whose attractiveness wanders by 0.2 a year,
    # a month at a time; each year's choices are a multinomial draw from that year's shares, and the history alone
    # decides (no prior).  Chance moves a big category's count less than a Poisson count's (the others' counts
    # take the rest of a fixed total): taking away Poisson chance takes away some of its wander too
    monkeypatch.setattr(estimate, "DRIFT_PRIOR_WEIGHT", 0.0)
    rng = np.random.default_rng(8)
    share = np.array([0.55, 0.3, 0.1, 0.05])
    read = {True: [], False: []}
    for _ in range(400):
        oe = [(rng.multinomial(500, s).astype(float), share * 500) for s in _walked_yearly_shares(rng, share, 0.2)]
        for as_shares in (True, False):
            read[as_shares].append(estimate._walk_sd(oe, gain=estimate.mix_gain(share), shares=as_shares))
    as_shares, as_poisson = (np.sqrt(np.mean(np.square(read[k]), axis=0)) for k in (True, False))
    assert np.all(np.abs(as_shares - 0.2) < 0.03)
    assert as_poisson[0] < 0.17 < as_shares[0]


def test_the_mix_is_read_as_shares_of_the_choices_and_the_rates_as_counts(monkeypatch: pytest.MonkeyPatch):
    from careboard.sufficiency import estimate

    seen: list[bool] = []
    real = estimate._walk_sd

    def spy(observed_expected, **options):
        seen.append(options.get("shares", False))
        return real(observed_expected, **options)

    monkeypatch.setattr(estimate, "_walk_sd", spy)
    fit(history(1), AS_OF, data_start=T1 - 8 * 365)
    # the move rates' yearly events are counts (Poisson chance); the mix's are shares of each year's choices
    # (multinomial chance: the test above), and so are each category's exits about the pace all share
    assert sorted(seen) == [False, True, True]


def test_a_pace_all_categories_share_moves_the_total_more_than_the_same_wander_in_each_alone():
    rates = fit(_two_categories(4), AS_OF, data_start=T1 - 8 * 365)
    rates.drift_move = rates.drift_mix = 0.0
    alone = replace(rates, drift_exit=np.full(N_CAT, 0.3), drift_exit_common=0.0)
    together = replace(rates, drift_exit=np.zeros(N_CAT), drift_exit_common=0.3)
    still = Adjustments(trend="none")
    totals = {name: simulate(r, 24, n_sims=1000, seed=8, adjustments=still).totals()[:, 24]
              for name, r in (("alone", alone), ("together", together))}
    # in-house and kinship leaving faster or slower together: their changes add up in the total instead of
    # partly cancelling
    assert totals["together"].std() > 1.1 * totals["alone"].std()  # 1.17-1.22 over seeds 8-10; in theory 1.26
    # the pace is lognormal about the estimate: the middle of the futures stays where it was
    assert np.median(totals["together"]) == pytest.approx(np.median(totals["alone"]), rel=0.05)
