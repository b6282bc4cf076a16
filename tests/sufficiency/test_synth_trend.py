"""``careboard synth --entry-trend``: a non-stationary synthetic authority for testing forecasts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from careboard.authorities import resolve
from careboard.synth import generate
from careboard.synth.dates import NA, day
from careboard.synth.lives import ExitClock, Lives, _entry_pool, simulate
from careboard.synth.placements import OTHER_CODES, WANDERING, _mix_wander
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


@pytest.mark.parametrize(("option", "value", "message", "argument", "bad"), [
    ("--entry-trend", "0.5", "--entry-trend is a yearly change between -0.3 and 0.3", "entry_trend", -0.4),
    ("--entry-variation", "0.7", "--entry-variation is a standard deviation between 0 and 0.5", "entry_variation",
     -0.1),
    ("--mix-variation", "0.6", "--mix-variation is a standard deviation between 0 and 0.5", "mix_variation", -0.1),
    ("--adoption-variation", "0.6", "--adoption-variation is a standard deviation between 0 and 0.5",
     "adoption_variation", -0.1),
    ("--exit-variation", "0.6", "--exit-variation is a standard deviation between 0 and 0.5", "exit_variation", -0.1),
    ("--other-variation", "0.6", "--other-variation is a standard deviation between 0 and 0.5", "other_variation",
     -0.1),
])
def test_the_options_are_checked(tmp_path: Path, option: str, value: str, message: str, argument: str, bad: float):
    import typer

    from careboard.synth.command import synth

    app = typer.Typer()
    app.command()(synth)
    res = CliRunner().invoke(app, [str(tmp_path), "--la", "886", option, value])
    assert res.exit_code == 2
    assert message in res.output
    with pytest.raises(ValueError, match=argument):
        generate(tmp_path, "886", 10, [2026], 1, **{argument: bad})


def test_entry_variation_gives_each_year_its_own_change(tmp_path: Path):
    # the statistic published starts are measured by (sd of log yearly entries around their straight line,
    # less Poisson chance), over thirteen years at four seeds, on the entries the simulation starts from
    # (its pool of first entries, before it is thinned to the authority's size): none without the option,
    # about the parameter with it
    kent = resolve("886")
    geo = Geography(load_postcodes(), kent.ons_code)
    years = range(2014, 2027)  # thirteen years: seven leave a calm series' figure at up to 0.07 by chance

    def extra_sd(variation: float, seed: int) -> float:
        starts = _entry_pool(seed, years[0], years[-1], 500, 0.0, variation)["start"]
        n = np.array([((starts >= day(year_start(y))) & (starts <= day(year_end(y)))).sum() for y in years])
        t = np.arange(len(n))
        resid = np.log(n) - np.polyval(np.polyfit(t, np.log(n), 1), t)
        return float(np.sqrt(max(resid.var(ddof=2) - np.mean(1 / n), 0.0)))

    calm = [extra_sd(0.0, s) for s in range(1, 5)]
    varied = [extra_sd(0.15, s) for s in range(1, 5)]
    assert np.median(calm) < 0.03
    assert 0.1 < np.median(varied) < 0.22
    assert min(varied) > max(calm)
    # the option reaches the simulation through generate() (the command line checks it: above)
    # (one small year: the simulation's lives, warm-up included, are compared whole)
    made = generate(tmp_path / "v", "886", 60, [2026], 2, entry_variation=0.2, keep_tables=True).lives.periods["start"]
    assert np.array_equal(made, simulate(kent.code, kent.ons_code, geo, 60, 2026, 2026, 2, 0.0, 0.2).periods["start"])
    assert not np.array_equal(made, simulate(kent.code, kent.ons_code, geo, 60, 2026, 2026, 2).periods["start"])


def _yearly_shares(lv: Lives, years: range) -> np.ndarray:
    """Each year's new placements of non-UASC children in children's homes, kinship, in-house and agency
    fostering, as shares of all of them (half a placement added, so a share is never nothing): (year, 4)."""
    ep, c = lv.episodes, lv.children
    child = ep["child"]
    first = np.ones(len(child), dtype=bool)  # a placement's first episode: a new carer or the period's start
    first[1:] = (child[1:] != child[:-1]) | (ep["carer"][1:] != ep["carer"][:-1])
    place, provider = ep["place"].astype(str), ep["provider"].astype(str)
    foster = np.isin(place, ["U4", "U5", "U6"])
    kinds = np.stack([place == "K2", np.isin(place, ["U1", "U2", "U3"]), foster & (provider == "PR1"),
                      foster & (provider != "PR1")], axis=1)
    use = first & ~c["uasc"][child]
    out = []
    for y in years:
        s = use & (ep["start"] >= day(year_start(y))) & (ep["start"] <= day(year_end(y)))
        out.append((kinds[s].sum(axis=0) + 0.5) / (s.sum() + 0.5))
    return np.array(out)


def test_mix_variation_makes_the_placement_mix_wander_and_changes_nothing_else(tmp_path: Path):
    kent = resolve("886")
    geo = Geography(load_postcodes(), kent.ons_code)
    years = range(2014, 2027)

    def lives(variation: float, seed: int) -> Lives:
        return simulate(kent.code, kent.ons_code, geo, 500, years[0], years[-1], seed, mix_variation=variation)

    def wander(lv: Lives) -> np.ndarray:
        """sd of the year-to-year change in each share's log: chance alone gives some, a wandering mix more."""
        return np.diff(np.log(_yearly_shares(lv, years)), axis=0).std(axis=0)

    calm, wandering = lives(0.0, 4), lives(0.2, 4)
    # the same children and periods of care: only the kinds of placement (and what follows from them) differ
    for key in ("start", "end", "child"):
        assert np.array_equal(calm.periods[key], wandering.periods[key])
    assert np.array_equal(calm.children["dob"], wandering.children["dob"])
    assert not np.array_equal(calm.episodes["place"], wandering.episodes["place"])
    # every share moves more from year to year, at each of three seeds (chance alone: the calm authority's)
    for seed in (4, 5, 6):
        assert (wander(lives(0.2, seed)) > wander(lives(0.0, seed))).sum() >= 3
    # the option reaches the simulation through generate()
    made = generate(tmp_path / "m", "886", 60, [2026], 2, mix_variation=0.3, keep_tables=True).lives.episodes["place"]
    assert np.array_equal(made, simulate(kent.code, kent.ons_code, geo, 60, 2026, 2026, 2, mix_variation=0.3)
                          .episodes["place"])
    assert not np.array_equal(made, simulate(kent.code, kent.ons_code, geo, 60, 2026, 2026, 2).episodes["place"])


def test_other_variation_makes_other_placements_wander_and_leaves_the_mix_as_it_was_without_it(tmp_path: Path):
    kent = resolve("886")
    geo = Geography(load_postcodes(), kent.ons_code)
    years = range(2014, 2027)

    def lives(other: float, seed: int) -> Lives:
        return simulate(kent.code, kent.ons_code, geo, 500, years[0], years[-1], seed, mix_variation=0.15,
                        other_variation=other)

    def other_share(lv: Lives) -> np.ndarray:
        """Each year's new placements in family centres, residential schools, youth custody and other placements
        (careboard's "Other"), as a share of all new placements (half a placement added, so never nothing)."""
        ep = lv.episodes
        child = ep["child"]
        first = np.ones(len(child), dtype=bool)
        first[1:] = (child[1:] != child[:-1]) | (ep["carer"][1:] != ep["carer"][:-1])
        other = np.isin(ep["place"].astype(str), ["R3", "S1", "R5", "Z1"])
        out = []
        for y in years:
            s = first & (ep["start"] >= day(year_start(y))) & (ep["start"] <= day(year_end(y)))
            out.append((other[s].sum() + 0.5) / (s.sum() + 0.5))
        return np.array(out)

    # the named categories' weights walk as without the option (the "Other" walk has a stream of its own); the
    # "Other" placements walk as one, and only they
    start = np.arange(0, 13 * 365, 30) + day(year_start(years[0]))
    named, _ = _mix_wander(4, start, 0.15)
    both, _ = _mix_wander(4, start, 0.15, 0.3)
    assert np.array_equal(named[:, list(WANDERING)], both[:, list(WANDERING)])
    assert np.ptp(both[:, list(OTHER_CODES)], axis=1).max() == 0
    assert np.abs(both[:, list(OTHER_CODES)]).max() > 0 and not named[:, list(OTHER_CODES)].any()
    rest = [c for c in range(both.shape[1]) if c not in WANDERING and c not in OTHER_CODES]
    assert not both[:, rest].any()
    calm, wandering = lives(0.0, 4), lives(0.3, 4)
    for key in ("start", "end", "child"):  # the same children and periods of care
        assert np.array_equal(calm.periods[key], wandering.periods[key])
    # the "Other" share of new placements moves further from year to year with it, at each of three seeds
    for seed, pair in ((4, (calm, wandering)), (5, None), (6, None)):
        pair = pair or (lives(0.0, seed), lives(0.3, seed))
        moved = [np.diff(np.log(other_share(lv))).std() for lv in pair]
        assert moved[1] > moved[0], (seed, moved)
    # the option reaches the simulation through generate()
    made = generate(tmp_path / "o", "886", 60, [2026], 2, other_variation=0.3, keep_tables=True).lives.episodes["place"]
    assert np.array_equal(made, simulate(kent.code, kent.ons_code, geo, 60, 2026, 2026, 2, other_variation=0.3)
                          .episodes["place"])


def test_adoption_variation_gives_each_years_adoptions_their_own_change(tmp_path: Path):
    # the statistic published adoptions are measured by (sd of log yearly adoptions around their straight line,
    # less Poisson chance; bench/adoption_variation.py), over nine years at four seeds of an authority adopting
    # about 50 a year: little or none without the option, clearly more with it, at every seed
    kent = resolve("886")
    geo = Geography(load_postcodes(), kent.ons_code)
    years = range(2018, 2027)

    def adoptions(lv: Lives) -> np.ndarray:
        end = lv.periods["end"][np.isin(lv.periods["rec"], ["E11", "E12"])]
        return np.array([((end >= day(year_start(y))) & (end <= day(year_end(y)))).sum() for y in years], float)

    def extra_sd(n: np.ndarray) -> float:
        t = np.arange(len(n))
        resid = np.log(n) - np.polyval(np.polyfit(t, np.log(n), 1), t)
        return float(np.sqrt(max(resid.var(ddof=2) - np.mean(1 / n), 0.0)))

    totals = np.zeros(2)
    for seed in range(1, 5):
        calm = simulate(kent.code, kent.ons_code, geo, 2000, 2014, years[-1], seed)
        varied = simulate(kent.code, kent.ons_code, geo, 2000, 2014, years[-1], seed, adoption_variation=0.4)
        n_calm, n_varied = adoptions(calm), adoptions(varied)
        assert extra_sd(n_varied) > max(extra_sd(n_calm), 0.05)
        totals += n_calm.sum(), n_varied.sum()
    # the years' factors average one: an authority's own years may hold more or fewer adoptions in all (a few
    # years' factors), but over the four, as many are adopted as without the option, give or take
    assert totals[1] == pytest.approx(totals[0], rel=0.1)
    # the option reaches the simulation through generate() (the command line checks it: above)
    made = generate(tmp_path / "a", "886", 60, [2026], 2, adoption_variation=0.3, keep_tables=True).lives.periods
    assert np.array_equal(made["path"], simulate(kent.code, kent.ons_code, geo, 60, 2026, 2026, 2,
                                                 adoption_variation=0.3).periods["path"])
    assert not np.array_equal(made["path"], simulate(kent.code, kent.ons_code, geo, 60, 2026, 2026, 2).periods["path"])


def test_the_exit_clock_keeps_the_usual_pace_without_variation_and_otherwise_walks_month_by_month():
    rng = np.random.default_rng(5)
    start = rng.integers(0, 8000, 5000)
    days = rng.integers(0, 3000, 5000)
    still = ExitClock(1, -200, 12000, 1000, 0.0)
    assert np.array_equal(still.after(start, days), days)
    clock = ExitClock(1, -200, 12000, 1000, 0.3)
    pace = np.diff(clock.cum) / np.diff(clock.grid)  # the clock's days per real day, step by step
    anchor = int(np.searchsorted(clock.grid, 1000))
    assert pace[anchor] == pytest.approx(1.0)  # the usual pace from the anchor (the first collection year)
    steps = np.diff(np.log(pace))
    assert steps.std() == pytest.approx(0.3 * np.sqrt(30 / 365.25), rel=0.15)  # a walk of 0.3 a year
    assert abs(np.corrcoef(steps[:-1], steps[1:])[0, 1]) < 0.15  # of independent steps
    # a milestone comes after those before it, whatever the pace; a day on the clock in a slow spell is more
    # than a real day and in a fast one less; care to the 18th birthday (10**5 days and more) is left alone
    later = clock.after(start, days + 40)
    assert (later >= clock.after(start, days)).all()
    assert np.array_equal(clock.after(start, np.zeros_like(start)), np.zeros_like(start))
    assert np.array_equal(clock.after(start[:3], np.full(3, 10**6)), np.full(3, 10**6))
    slow, fast = int(np.argmin(pace)), int(np.argmax(pace))
    for step, longer in ((slow, True), (fast, False)):  # 3 days on the clock: within the step at any pace here
        real = clock.after(np.array([clock.grid[step]]), np.array([3]))[0]
        assert (real > 3) if longer else (real < 3)
        assert real == pytest.approx(3 / pace[step], abs=1)
    assert np.array_equal(ExitClock(1, -200, 12000, 1000, 0.3).cum, clock.cum)  # its own stream: the same again
    assert not np.array_equal(ExitClock(2, -200, 12000, 1000, 0.3).cum, clock.cum)


def test_exit_variation_makes_the_share_leaving_care_wander_and_keeps_each_periods_milestones_in_order(
        tmp_path: Path):
    # the statistic published exits are measured by (sd of the log share of the year's children in care who
    # left it, around its straight line, beyond binomial chance; bench/exit_variation.py) over ten years at
    # three seeds of about 1,000 children: little without the option, clearly more with it (a walk can run
    # nearly straight for a seed's ten years, and a straight line takes it out: the seeds are averaged)
    kent = resolve("886")
    geo = Geography(load_postcodes(), kent.ons_code)
    years = range(2016, 2026)

    def share_sd(lv: Lives) -> float:
        s, e = lv.periods["start"], lv.periods["end"]
        stock = np.array([((s <= day(year_end(y))) & (e > day(year_end(y)))).sum() for y in years], float)
        ceased = np.array([((e >= day(year_start(y))) & (e <= day(year_end(y)))).sum() for y in years[1:]], float)
        starts = np.array([((s >= day(year_start(y))) & (s <= day(year_end(y)))).sum() for y in years[1:]], float)
        share = ceased / (stock[:-1] + starts)
        t = np.arange(len(share))
        resid = np.log(share) - np.polyval(np.polyfit(t, np.log(share), 1), t)
        return float(np.sqrt(max(resid.var(ddof=2) - np.mean((1 - share) / ceased), 0.0)))

    sds = np.zeros((3, 2))
    for i, seed in enumerate((1, 2, 3)):
        calm = simulate(kent.code, kent.ons_code, geo, 1000, 2012, years[-1], seed)
        varied = simulate(kent.code, kent.ons_code, geo, 1000, 2012, years[-1], seed, exit_variation=0.3)
        sds[i] = share_sd(calm), share_sd(varied)
        # every period's milestones in their order (its legal statuses one after another, a child placed for
        # adoption placed before the period ends), and as many of them as without the option: none lost
        per = varied.periods
        off, kept = per["ls_off"], per["ls_off"] >= 0
        for i in range(4):
            for j in range(i + 1, 4):
                both = kept[:, i] & kept[:, j]
                assert (off[both, i] < off[both, j]).all()
        assert kept.mean(axis=0) == pytest.approx((calm.periods["ls_off"] >= 0).mean(axis=0), abs=0.02)
        placed = per["placed"] != NA
        assert (per["placed"][placed] < per["end"][placed]).all()
        assert placed.mean() == pytest.approx((calm.periods["placed"] != NA).mean(), abs=0.01)
    calm_sd, varied_sd = sds.mean(axis=0)
    assert calm_sd < 0.03 < 0.05 < varied_sd
    # the option reaches the simulation through generate() (the command line checks it: above)
    made = generate(tmp_path / "a", "886", 60, [2026], 2, exit_variation=0.3, keep_tables=True).lives.periods
    assert np.array_equal(made["end"], simulate(kent.code, kent.ons_code, geo, 60, 2026, 2026, 2,
                                                exit_variation=0.3).periods["end"])
    assert not np.array_equal(made["end"], simulate(kent.code, kent.ons_code, geo, 60, 2026, 2026, 2).periods["end"])
