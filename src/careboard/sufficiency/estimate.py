"""Estimate the demand model from care histories: entry, exit and move rates, and the population on day one.

The model is a continuous-time multi-state model.  A child looked after is in one placement category;
while there, they leave care at an *exit* hazard that depends on category, exact age in whole years
and time in this period of care, and move to another category at a *move* hazard that depends on
category, age and time in the current category ("time in placement").  Where they move to depends
on category and age band.  Children enter care at a rate by age and UASC status.  Children age on
their real birthdays and leave care on their 18th.

Rates are occurrence / exposure: events divided by child-days at risk, with every spell split at the
child's real birthdays and at the duration-bucket boundaries, so a child is never "frozen" in the
age band they entered with (a measured defect of cs-demand-model).  Sparse cells are shrunk towards
a pooled rate (a gamma prior worth ``prior_days`` child-days), so a small authority gets stable,
always-finite rates and 0/0 never becomes 0 or infinity.  A child who reaches 18 is not counted as
an exit event: the forced exit at 18 is structural and simulated as such.

Everything after reading the spells is NumPy over arrays; the spells come from one SQL query over
``model_care`` using the shared ``placement_category`` macro.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import numpy as np

from .states import (
    BAND_OF_AGE,
    CARE_EDGES,
    CAT_INDEX,
    N_AGE,
    N_BAND,
    N_CAT,
    NEED_UASC,
    SPELL_EDGES,
    birthdays,
    day_number,
)

OPEN = np.iinfo(np.int64).max // 4  # "still open" end day, far beyond any horizon

# Categories whose exit hazard runs on time in the category, not time in care: a child placed for
# adoption leaves care when the adoption order is made, months after the placement, whenever they
# came into care.
EXIT_ON_SPELL_CLOCK = np.zeros(N_CAT, dtype=bool)
EXIT_ON_SPELL_CLOCK[CAT_INDEX["Placed for adoption"]] = True


class EstimateError(ValueError):
    """The history cannot support a forecast (no data for the authority, or a start outside it)."""


@dataclass
class Spells:
    """Stretches of care in one placement category, one row each (NumPy arrays, day numbers).

    ``end`` is ``OPEN`` for a spell still open on the day the history is cut; ``next_cat`` is the
    category moved to, or -1 when the spell ended the period of care (or is open).
    """

    child: np.ndarray
    dob: np.ndarray
    uasc_until: np.ndarray  # day UASC status ceased (OPEN if still UASC); -1 if never UASC
    period_start: np.ndarray
    start: np.ndarray
    end: np.ndarray
    cat: np.ndarray
    next_cat: np.ndarray
    seen_from_start: np.ndarray  # the period's first episode seen starts it (RNE 'S')
    # needs of the period (bits of states.NEED_*, sibling group size in GROUP_SHIFT): at its start, and
    # as known on the day the history was loaded to (needs.sql); the home area (index into an Areas list,
    # 0 when unknown) and home postcode sector
    need_entry: np.ndarray | None = None
    need_now: np.ndarray | None = None
    area: np.ndarray | None = None
    home_sector: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = len(self.start)
        for name, dtype in (("need_entry", np.uint8), ("need_now", np.uint8), ("area", np.int16)):
            if getattr(self, name) is None:
                setattr(self, name, np.zeros(n, dtype=dtype))
        if self.home_sector is None:
            self.home_sector = np.full(n, None, dtype=object)

    def __len__(self) -> int:
        return len(self.start)

    def cut(self, as_of: int) -> Spells:
        """The history as it was known at the end of day ``as_of`` (later starts dropped, later ends open)."""
        keep = self.start <= as_of
        ended = self.end <= as_of
        return Spells(
            child=self.child[keep], dob=self.dob[keep], uasc_until=self.uasc_until[keep],
            period_start=self.period_start[keep], start=self.start[keep],
            end=np.where(ended, self.end, OPEN)[keep], cat=self.cat[keep],
            next_cat=np.where(ended, self.next_cat, -1)[keep], seen_from_start=self.seen_from_start[keep],
            need_entry=self.need_entry[keep], need_now=self.need_now[keep], area=self.area[keep],
            home_sector=self.home_sector[keep],
        )

    def truncated(self, data_start: int) -> np.ndarray:
        """Periods already under way when the returns begin: their true start is unknown (before ``data_start``)."""
        return (self.period_start < data_start) & ~self.seen_from_start

    def effective_starts(self, data_start: int | None) -> tuple[np.ndarray, np.ndarray]:
        """(period start, spell start), moved back to the day before the returns begin when unknown.

        A period under way when the returns begin started before they did, so "the day before" is the
        latest it can have started: a tighter lower bound on time in care than the first episode seen.
        """
        if data_start is None:
            return self.period_start, self.start
        trunc = self.truncated(data_start)
        first_spell = self.start == self.period_start
        ps = np.where(trunc, np.minimum(self.period_start, data_start - 1), self.period_start)
        ss = np.where(trunc & first_spell, np.minimum(self.start, data_start - 1), self.start)
        return ps, ss


SPELLS_SQL = """
WITH ep AS (
    SELECT c.CHILD, c.period_no, c.episode_seq, c.DECOM, c.DEC, c.RNE,
           placement_category(c.PLACE, c.PLACE_PROVIDER) AS cat
    FROM model_care c WHERE c.la = $la AND c.DECOM <= $cut
),
marked AS (
    SELECT *, (cat IS DISTINCT FROM lag(cat) OVER w) AS new_spell,
           first_value(RNE) OVER w2 = 'S' AS from_start
    FROM ep WINDOW w AS (PARTITION BY CHILD, period_no ORDER BY episode_seq),
                   w2 AS (PARTITION BY CHILD, period_no ORDER BY episode_seq ROWS UNBOUNDED PRECEDING)
),
numbered AS (
    SELECT *, sum(new_spell::INTEGER) OVER (PARTITION BY CHILD, period_no ORDER BY episode_seq
                                           ROWS UNBOUNDED PRECEDING) AS spell_no
    FROM marked
),
spells AS (
    SELECT CHILD, period_no, spell_no, any_value(cat) AS cat, min(DECOM) AS s, bool_or(from_start) AS from_start,
           CASE WHEN bool_and(DEC IS NOT NULL AND DEC <= $cut) THEN max(DEC) END AS e
    FROM numbered GROUP BY ALL
),
linked AS (
    SELECT *, lead(cat) OVER w AS next_cat,
           min(s) OVER (PARTITION BY CHILD, period_no) AS period_start
    FROM spells WINDOW w AS (PARTITION BY CHILD, period_no ORDER BY spell_no)
)
SELECT l.CHILD, l.period_no, dense_rank() OVER (ORDER BY l.CHILD) AS child_no,
       datediff('day', DATE '1970-01-01', ch.dob) AS dob,
       CASE WHEN NOT coalesce(ch.ever_uasc, false) THEN -1
            WHEN ch.uasc_ceased IS NULL THEN NULL
            ELSE datediff('day', DATE '1970-01-01', ch.uasc_ceased) END AS uasc_until,
       datediff('day', DATE '1970-01-01', l.period_start) AS period_start,
       datediff('day', DATE '1970-01-01', l.s) AS start,
       datediff('day', DATE '1970-01-01', l.e) AS "end",
       l.cat, l.next_cat, bool_or(l.from_start) OVER (PARTITION BY l.CHILD, l.period_no) AS from_start
FROM linked l JOIN model_children ch ON ch.la = $la AND ch.CHILD = l.CHILD
WHERE ch.dob IS NOT NULL
"""

# The spells with their period's needs (needs.sql), in the order the estimator expects.
SPELLS_WITH_NEEDS_SQL = """
SELECT s.*, n.home_sector, n.disabled_at_entry, n.high_at_entry, n.parent_at_entry, n.group_at_entry,
       n.disabled_now, n.high_now, n.parent_now, n.group_now
FROM ({spells}) s LEFT JOIN ({needs}) n USING (CHILD, period_no)
ORDER BY s.child_no, s.start
"""


def load_spells(con: duckdb.DuckDBPyConnection, la: str, cut: dt.date | None = None,
                child_needs: dict[str, dict[str, object]] | None = None) -> Spells:
    """Category spells of one authority's children from ``model_care`` (built by ``model.build``).

    ``cut`` censors the history at that date, as a backtest needs: nothing after it is seen.  The
    needs "now" are as known on ``cut`` (or the end of the data); a backtest that cuts the spells
    later (``Spells.cut``) keeps them, which is fine for numbers by category but would leak hindsight
    into needs.  ``child_needs`` (capacity.read_needs) adds the authority's own record of needs.
    """
    from importlib import resources

    import pyarrow as pa

    from careboard.store.reference import install

    from .states import group_bits, need_bits

    install(con)
    needs_sql = (resources.files("careboard.sufficiency") / "needs.sql").read_text("utf-8")
    query = SPELLS_WITH_NEEDS_SQL.format(spells=SPELLS_SQL, needs=needs_sql)
    named = child_needs or {}
    con.register("suff_child_needs", pa.table({
        "CHILD": pa.array(list(named), type=pa.string()),
        "sibling_group": pa.array([v.get("sibling_group") for v in named.values()], type=pa.string()),
        "disability": pa.array([bool(v.get("disability")) for v in named.values()], type=pa.bool_()),
        "parent_and_child": pa.array([bool(v.get("parent_and_child")) for v in named.values()], type=pa.bool_())}))
    try:
        t = con.sql(query, params={"la": la, "cut": cut or dt.date(9999, 12, 31)}).to_arrow_table()
    finally:
        con.unregister("suff_child_needs")
    if not t.num_rows:
        raise EstimateError(f"no care episodes for authority {la} (load its SSDA903 returns first)")

    def ints(name: str, none: int) -> np.ndarray:
        return t.column(name).fill_null(none).to_numpy().astype(np.int64)

    def flags(name: str) -> np.ndarray:
        return t.column(name).fill_null(False).to_numpy(zero_copy_only=False).astype(bool)

    def categories(name: str, none: int) -> np.ndarray:
        names, index = np.unique(t.column(name).fill_null("").to_numpy(zero_copy_only=False).astype(str),
                                 return_inverse=True)
        code = np.array([CAT_INDEX.get(c, CAT_INDEX["Other"]) if c else none for c in names], dtype=np.int64)
        return code[index]

    return Spells(
        child=ints("child_no", -1), dob=ints("dob", 0), uasc_until=ints("uasc_until", OPEN),
        period_start=ints("period_start", 0), start=ints("start", 0), end=ints("end", OPEN),
        cat=categories("cat", CAT_INDEX["Other"]), next_cat=categories("next_cat", -1),
        seen_from_start=flags("from_start"),
        need_entry=need_bits(flags("disabled_at_entry"), flags("parent_at_entry"), flags("high_at_entry"))
        | group_bits(ints("group_at_entry", 1)),
        need_now=need_bits(flags("disabled_now"), flags("parent_now"), flags("high_now"))
        | group_bits(ints("group_now", 1)),
        home_sector=t.column("home_sector").to_numpy(zero_copy_only=False).astype(object),
    )


def data_span(con: duckdb.DuckDBPyConnection, la: str) -> tuple[dt.date, dt.date]:
    """First and last day covered by the authority's loaded 903 returns (1 April .. 31 March)."""
    row = con.execute(
        "SELECT min(year), max(year) FROM current_loads WHERE kind = 'ssda903' AND la = ?", [la]
    ).fetchall()[0]
    if row[0] is None:
        raise EstimateError(f"no SSDA903 returns are loaded for authority {la}")
    return dt.date(row[0] - 1, 4, 1), dt.date(row[1], 3, 31)


def stock_at(spells: Spells, days: np.ndarray) -> np.ndarray:
    """Children looked after at the end of each day in ``days``: array (day, category, age band).

    Age is the child's exact age on that day.  A child is looked after on day d when the spell began
    on or before d and ended after it (the day care ends is not a day in care).
    """
    days = np.asarray(days, dtype=np.int64)
    out = np.zeros((len(days), N_CAT, N_BAND), dtype=np.int64)
    b = birthdays(spells.dob, np.array([1, 5, 10, 16, 18])[:, None])  # (5, N)
    for i, d in enumerate(days.tolist()):
        on = (spells.start <= d) & (spells.end > d) & (b[4] > d)
        band = (b[:4, on] <= d).sum(axis=0)
        np.add.at(out[i], (spells.cat[on], band), 1)
    return out


@dataclass
class Rates:
    """Everything the simulation needs, estimated from one window of history."""

    as_of: int  # the forecast starts at the end of this day
    window: tuple[int, int]
    exit_rate: np.ndarray  # (cat, age, care-duration) per day, posterior mean
    exit_alpha: np.ndarray  # gamma posterior shape and rate, same shape, for parameter uncertainty
    exit_beta: np.ndarray
    move_rate: np.ndarray  # (cat, age, spell-duration) per day
    move_alpha: np.ndarray
    move_beta: np.ndarray
    dest: np.ndarray  # (cat, band, dest) probabilities, rows sum to 1 (or 0 where no moves happen)
    entry_rate: np.ndarray  # (band, uasc) entrants per day, the window's average (the forecast starts from entry_state)
    entry_count: np.ndarray  # (band, uasc) entrants seen in the window
    entrants_age: np.ndarray  # ages at entry (days), one row per entrant seen
    entrants_uasc: np.ndarray
    entrants_cat: np.ndarray
    entrants_band: np.ndarray
    # entries at the start: mean and covariance of (log entries a day, their slope a year), from
    # entry_state; entry_count gives how they split by age band and UASC
    entry_state: np.ndarray
    entry_state_cov: np.ndarray
    # the population on day one
    pop_dob: np.ndarray
    pop_cat: np.ndarray
    pop_period_start: np.ndarray
    pop_spell_start: np.ndarray
    pop_uasc: np.ndarray
    pop_care_unknown: np.ndarray  # the period began before the returns did (its start is a lower bound)
    pop_spell_unknown: np.ndarray  # likewise the spell in the current category
    pop_need: np.ndarray  # needs (states.NEED_* bits) on the day, and home area index
    pop_area: np.ndarray
    entrants_need: np.ndarray  # needs at entry, home area
    entrants_area: np.ndarray
    exposure_exit: np.ndarray  # raw counts, kept for reports and tests
    events_exit: np.ndarray
    exposure_move: np.ndarray
    events_move: np.ndarray
    # between-year variation: the standard deviation a year of a random walk in the log of each
    # category's exit and move rates (by category) and of the entry rate, beyond chance
    drift_exit: np.ndarray | float = 0.0
    drift_move: np.ndarray | float = 0.0
    drift_exit_common: float = 0.0  # the pace of leaving care, shared by every category's exit rate (a walk too)
    drift_entry: float = 0.0
    year_entry: float = 0.0  # each year's own change in entries (sd of its log), drawn afresh for each future year
    drift_mix: np.ndarray | float = 0.0  # the placement mix: log attractiveness of each category as a destination


def _smooth(events: np.ndarray, exposure: np.ndarray, prior: np.ndarray, k: float) -> np.ndarray:
    return (events + k * prior) / (exposure + k)


def _hierarchical(events: np.ndarray, exposure: np.ndarray, k: float) -> tuple[np.ndarray, np.ndarray]:
    """Shrink (cat, age, duration) rates: pooled (band, duration) x category relative risk, then by age band.

    Returns (prior rate for each cell, posterior mean).  The prior is a proportional-hazards shape,
    so a category seen rarely at some duration borrows the duration pattern of all categories.
    """
    band_sum = np.zeros((N_CAT, N_BAND, events.shape[2]))
    band_exp = np.zeros_like(band_sum)
    np.add.at(band_sum, (slice(None), BAND_OF_AGE), events)
    np.add.at(band_exp, (slice(None), BAND_OF_AGE), exposure)
    overall = events.sum() / max(exposure.sum(), 1.0)
    pooled = _smooth(band_sum.sum(0), band_exp.sum(0), np.full(band_sum.shape[1:], overall), k)  # (band, dur)
    # A duration nobody of an age band was seen at (the longest stays, in a short history) takes the
    # rate of the longest duration that was seen, not the all-durations rate, which short stays dominate;
    # the top bucket first borrows from stays that began before the returns (the last bucket), which
    # are long stays too.
    seen = band_exp.sum(0) > 0
    top = pooled.shape[1] - 2
    pooled[:, top] = np.where(~seen[:, top] & seen[:, top + 1], pooled[:, top + 1], pooled[:, top])
    seen[:, top] |= seen[:, top + 1]
    for d in range(1, pooled.shape[1]):
        pooled[:, d] = np.where(seen[:, d], pooled[:, d], pooled[:, d - 1])
        seen[:, d] |= seen[:, d - 1]
    expected = (band_exp * pooled[None]).sum(axis=(1, 2))
    rel = (events.sum(axis=(1, 2)) + 2.0) / (expected + 2.0)  # category relative risk, 2 events of prior
    by_band = _smooth(band_sum, band_exp, pooled[None] * rel[:, None, None], k)
    prior = by_band[:, BAND_OF_AGE, :]
    return prior, _smooth(events, exposure, prior, k)


def _split_exposure(spells: Spells, lo: np.ndarray, hi: np.ndarray, origin: np.ndarray, edges: np.ndarray,
                    unknown_until: np.ndarray | None = None) -> np.ndarray:
    """Child-days in [lo, hi) of each spell, split by category x exact age x duration since ``origin``.

    The last duration bucket (after ``edges``) holds the days before ``unknown_until``: time of a spell
    whose length so far is unknown (it began before the returns did).
    """
    if unknown_until is not None:
        known = _split_exposure(spells, np.maximum(lo, unknown_until), hi, origin, edges)
        unknown = _split_exposure(spells, lo, np.minimum(hi, unknown_until), lo, np.array([0]))
        known[:, :, -1] = unknown[:, :, 0]
        return known
    out = np.zeros((N_CAT, N_AGE, len(edges) + 1))
    live = hi > lo
    if not live.any():
        return out
    lo, hi, origin = lo[live], hi[live], origin[live]
    cat = spells.cat[live]
    bd = birthdays(spells.dob[live], np.arange(N_AGE + 1)[:, None]).T  # (n, 19)
    d_lo = origin[:, None] + edges[None, :]
    d_hi = np.concatenate([d_lo[:, 1:], np.full((len(lo), 1), OPEN)], axis=1)
    start = np.maximum(np.maximum(lo[:, None, None], bd[:, :-1, None]), d_lo[:, None, :])
    stop = np.minimum(np.minimum(hi[:, None, None], bd[:, 1:, None]), d_hi[:, None, :])
    days = np.clip(stop - start, 0, None).astype(np.float64)
    idx = cat[:, None, None] * (N_AGE * len(edges)) + np.arange(N_AGE)[None, :, None] * len(edges) \
        + np.arange(len(edges))[None, None, :]
    width = N_CAT * N_AGE * len(edges)
    out[:, :, :-1] += np.bincount(idx.ravel(), weights=days.ravel(), minlength=width).reshape(N_CAT, N_AGE, -1)
    return out


def _event_cells(spells: Spells, sel: np.ndarray, origin: np.ndarray, edges: np.ndarray,
                 unknown_until: np.ndarray) -> np.ndarray:
    """Count events of the selected spells in (category, age, duration) cells of their last day at risk."""
    out = np.zeros((N_CAT, N_AGE, len(edges) + 1))
    if not sel.any():
        return out
    last = spells.end[sel] - 1
    dob = spells.dob[sel]
    age = (birthdays(dob, np.arange(1, N_AGE + 1)[:, None]) <= last).sum(axis=0)
    dur = np.searchsorted(edges, np.maximum(last - origin[sel], 0), side="right") - 1
    dur = np.where(last < unknown_until[sel], len(edges), dur)
    np.add.at(out, (spells.cat[sel], np.minimum(age, N_AGE - 1), dur), 1)
    return out


def entry_state(entry_days: np.ndarray, t_from: int, t1: int, level_sd: float, year_sd: float = 0.0
                ) -> tuple[np.ndarray, np.ndarray]:
    """Where entries stand at the end of day ``t1``: mean and covariance of (log entries a day, slope a year).

    A local linear trend filtered through quarterly counts of new periods of care (a Kalman filter on
    log counts, whose chance variance is 1 / count): the level wanders as a random walk (``level_sd``
    a year), the slope starts at none (sd ``ENTRY_SLOPE_PRIOR_SD``) and wanders
    (``ENTRY_SLOPE_WANDER``), and each year (four quarters, counted back from ``t1``) has its own
    change beyond chance (sd ``year_sd``) that does not carry into the next year, as published starts
    vary (``entry_variation``).  So the level follows the recent quarters rather than a long average
    that lags a rise or fall, a steady rise or fall is recovered as a slope, a stationary history gives
    a slope near none whose interval covers none, and one odd year is not taken for where entries
    stand.  The slope is estimated undamped (a damped filter would halve a steady trend); the
    forecast damps it (``ENTRY_DAMPING``), since a rise or fall seldom goes on for ever.  The quarters
    run back from ``t1`` to ``t_from`` (entries in (b0, b1]).  The last year's own change is not part
    of the result: the forecast draws each future year's afresh.
    """
    counts = _quarterly(entry_days, t_from, t1)
    if counts is None:
        # too little history for a trend: the average rate, its chance error, no slope
        days = max(t1 - t_from, 1)
        n = float(len(entry_days))
        return (np.array([np.log((n + 0.5) / days), 0.0]),
                np.diag([1 / (n + 0.5), ENTRY_SLOPE_PRIOR_SD**2]))
    m, p, _ = _filter(*counts, level_sd, year_sd)
    dt = QUARTER / 365.25
    half = np.array([[1.0, dt / 2], [0.0, 1.0]])  # from the last quarter's middle to its end
    q = np.diag([level_sd**2 * dt, ENTRY_SLOPE_WANDER**2 * dt])
    return half @ m, half @ p @ half.T + q / 2


def published_year_sd(starts_a_year: float) -> float:
    """How much an English authority's yearly starts vary beyond chance and their own trend, for its size.

    The median, by size, of 159 authorities' figures (LAIT ``LACnum_Start``, 2016-2025; the sd of log
    yearly starts around a straight line, less Poisson chance): ``bench/entry_variation.py`` works them
    out from the packaged LAIT data.  Larger authorities vary less.
    """
    for top, sd in YEAR_SD_BY_STARTS:
        if starts_a_year < top:
            return sd
    return YEAR_SD_BY_STARTS[-1][1]


def entry_variation(entry_days: np.ndarray, t_from: int, t1: int, year_prior_sd: float | None = None
                    ) -> tuple[float, float]:
    """(level wander a year, a year's own change) of entries: the sds ``entry_state`` filters with.

    The pair on a grid that makes the quarterly counts most likely under the filter, each pulled
    towards its prior by the years of history: the level's wander towards ``ENTRY_DRIFT_PRIOR_SD``
    (worth ``ENTRY_DRIFT_PRIOR_WEIGHT`` years), a year's own change towards what published starts show
    for an authority of this size (``published_year_sd``, worth ``YEAR_PRIOR_WEIGHT`` years; or
    ``year_prior_sd`` when given, 0 for a filter without it).  A few years cannot tell a year's own
    change from chance, so without the prior a forecast from a calm history would assume every year
    alike, which no authority's are.
    """
    counts = _quarterly(entry_days, t_from, t1)
    if year_prior_sd is None:
        year_prior_sd = published_year_sd(len(entry_days) / max(t1 - t_from, 1) * 365.25)
    if counts is None:
        return ENTRY_DRIFT_PRIOR_SD, year_prior_sd
    years = len(counts[0]) / 4
    year_grid = ENTRY_WANDER_GRID if year_prior_sd else np.zeros(1)
    like = np.array([[_filter(*counts, sd, ysd)[2] for ysd in year_grid] for sd in ENTRY_WANDER_GRID])
    i, j = np.unravel_index(int(np.argmax(like)), like.shape)

    def pulled(best: float, prior: float, weight: float) -> float:
        return float(min(np.sqrt((weight * prior**2 + years * best**2) / (weight + years)), MAX_DRIFT))

    return (pulled(float(ENTRY_WANDER_GRID[i]), ENTRY_DRIFT_PRIOR_SD, ENTRY_DRIFT_PRIOR_WEIGHT),
            pulled(float(year_grid[j]), year_prior_sd, YEAR_PRIOR_WEIGHT))


def _quarterly(entry_days: np.ndarray, t_from: int, t1: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(count, log entries a day) in each quarter back from ``t1`` to ``t_from``; None when too few."""
    quarters = int((t1 - t_from) // QUARTER)
    if quarters < 4 or len(entry_days) < 10:
        return None
    edges = t1 - np.round(np.arange(quarters, -1, -1) * QUARTER).astype(np.int64)
    n = np.histogram(entry_days, bins=edges + 1)[0].astype(float)  # (b0, b1]
    return n, np.log((n + 0.5) / np.diff(edges))


def _filter(n: np.ndarray, y: np.ndarray, level_sd: float, year_sd: float = 0.0
            ) -> tuple[np.ndarray, np.ndarray, float]:
    """Kalman filter of the local linear trend through quarterly log counts: (mean, covariance) of
    (level, slope) in the last quarter's middle, and the log likelihood of the counts after the first year.

    With ``year_sd`` a third state is each year's own change: drawn afresh at the first quarter of each
    year (four quarters counted back from the last) and kept through the year; a quarter's count sees
    level plus that change.
    """
    dt = QUARTER / 365.25
    f = np.array([[1.0, dt, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    f_new_year = f * np.array([1.0, 1.0, 0.0])  # the year's own change is forgotten ...
    q = np.diag([level_sd**2 * dt, ENTRY_SLOPE_WANDER**2 * dt, 0.0])
    q_new_year = q + np.diag([0.0, 0.0, year_sd**2])  # ... and drawn anew
    h = np.array([1.0, 0.0, 1.0])
    m = np.array([y[:4].mean(), 0.0, 0.0])
    p = np.diag([1.0, ENTRY_SLOPE_PRIOR_SD**2, year_sd**2])
    loglik = 0.0
    quarters = len(n)
    for k in range(len(n)):
        if k:
            new_year = (quarters - k) % 4 == 0
            fk = f_new_year if new_year else f
            m, p = fk @ m, fk @ p @ fk.T + (q_new_year if new_year else q)
        r = 1 / (n[k] + 0.5)
        ph = p @ h
        s = float(h @ ph) + r
        err = y[k] - float(h @ m)
        if k >= 4:  # the first year sets the level (its prior is vague)
            loglik -= 0.5 * (np.log(s) + err**2 / s)
        gain = ph / s
        m = m + gain * err
        p = p - np.outer(gain, ph)
    return m[:2], p[:2, :2], loglik


class _Blocks:
    """Exposure and events of a cut history in any stretch of days, as the estimator counts them."""

    def __init__(self, known: Spells, first: int | None, ps: np.ndarray, ss: np.ndarray, b18: np.ndarray):
        self.known, self.b18, self.ss = known, b18, ss
        trunc = known.truncated(first) if first is not None else np.zeros(len(known), dtype=bool)
        # Time in care of a period under way when the returns began is known only to be at least (day -
        # start of returns): until that lower bound reaches the top bucket, where the bucket is certain,
        # its exposure and events go to a bucket of their own ("began before the returns"), so these
        # long stays (the stock is mostly long stays) never borrow the hazards of children seen from
        # their first day at the same lower bound.
        spell_trunc = trunc & (ss < first if first is not None else False)
        clock = EXIT_ON_SPELL_CLOCK[known.cat]
        self.exit_origin = np.where(clock, ss, ps)
        self.exit_unknown = np.where(np.where(clock, spell_trunc, trunc), self.exit_origin + CARE_EDGES[-1], 0)
        self.move_unknown = np.where(spell_trunc, ss + SPELL_EDGES[-1], 0)
        self.care_unknown = np.where(trunc, ps + CARE_EDGES[-1], 0)

    def ended(self, b0: int, b1: int) -> np.ndarray:
        k = self.known
        return (k.end > b0) & (k.end <= b1) & (k.end < self.b18) & (k.end > k.dob)

    def counts(self, b0: int, b1: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(exit exposure, exit events, move exposure, move events) in days ``b0`` (exclusive) .. ``b1``."""
        k = self.known
        lo = np.maximum(k.start, b0)
        hi = np.minimum(np.minimum(k.end, b1), self.b18)
        ended = self.ended(b0, b1) & (k.end > lo)
        return (_split_exposure(k, lo, hi, self.exit_origin, CARE_EDGES, self.exit_unknown),
                _event_cells(k, ended & (k.next_cat < 0), self.exit_origin, CARE_EDGES, self.exit_unknown),
                _split_exposure(k, lo, hi, self.ss, SPELL_EDGES, self.move_unknown),
                _event_cells(k, ended & (k.next_cat >= 0), self.ss, SPELL_EDGES, self.move_unknown))

    def drift(self, t1: int, history_from: int, exit_rate: np.ndarray, move_rate: np.ndarray, looked_after: int
              ) -> tuple[float, np.ndarray, np.ndarray]:
        """Year-to-year wander (sd of log a year, beyond chance) of the pace of leaving care that every
        category's exit rate shares, of each category's exit rate about it, and of each category's move rate.

        Observed / expected events in each category and each whole year back from ``t1`` (to
        ``history_from``), expected at the window's rates; the variance of the change in log(O/E)
        from one year to the next, less the chance variance, is the variance a year of a random walk in
        the log rate.  Exits: the pace shared by every category from all exits' O/E (``_common_walk_sd``,
        pulled towards the published prior for an authority of ``looked_after`` children); each
        category's own wander from its exits as a share of the year's (its O/E over all exits' O/E, whose
        chance is a share's, ``_walk_sd(shares=True)``), pooled over categories.  Moves: each category's
        O/E, pooled over categories.
        """
        common_prior = _exit_common_prior(looked_after)
        years = min(int((t1 - history_from) // 365.25), MAX_DRIFT_YEARS)
        if years < 2:
            prior = np.full(N_CAT, _with_prior(0.0, 0, DRIFT_PRIOR_SD, DRIFT_PRIOR_WEIGHT))
            return _common_walk_sd([], common_prior), prior, prior.copy()  # the prior alone
        oe: list[list[tuple[np.ndarray, np.ndarray]]] = [[], []]
        for y in range(years, 0, -1):
            b0, b1 = t1 - round(y * 365.25), t1 - round((y - 1) * 365.25)
            x_e, e_e, x_m, e_m = self.counts(b0, b1)
            oe[0].append((e_e.sum(axis=(1, 2)), (x_e * exit_rate).sum(axis=(1, 2))))
            oe[1].append((e_m.sum(axis=(1, 2)), (x_m * move_rate).sum(axis=(1, 2))))
        # each year's expected exits scaled to its observed total: what is left is each category's own wander
        about_common = [(o, e * o.sum() / max(float(e.sum()), 1e-9)) for o, e in oe[0]]
        return _common_walk_sd(oe[0], common_prior), _walk_sd(about_common, shares=True), _walk_sd(oe[1])


MAX_DRIFT_YEARS = 6
# Prior for the between-year wander (sd of log rate a year) and its weight in year-to-year changes:
# chosen on the development authorities of bench/backtest.py (A-E), checked on held-out ones (F, G).
DRIFT_PRIOR_SD, DRIFT_PRIOR_WEIGHT = 0.10, 8.0
# The placement mix's prior (sd a year of a category's log attractiveness): a wander at which synthetic
# authorities' shares in foster care and in children's homes change from year to year by about three quarters
# of what published authorities' do (LAIT 2020-2025, bench/mix_variation.py): a moderate reading of them.
MIX_DRIFT_PRIOR_SD = 0.15
CATEGORY_WEIGHT = 3.0  # a category's own wander, pulled towards the pooled one with this many changes' worth
# The pace of leaving care that every category's exit rate shares (a random walk in its log, sd a year), by the
# number looked after: the share of a published authority's children in care during a year who leave it moves
# around its own line beyond chance by a median 0.077 (300-700 looked after), 0.081 (700-1,500) and 0.051 (more),
# and its number looked after by 0.058, 0.053 and 0.030 (LAIT 2016-2025, bench/exit_variation.py, entry_variation.py);
# synthetic authorities whose pace of leaving wanders at 0.30 a year (1,000 children) and 0.15 (2,000) show both
# figures at once, and ones whose exits follow each child's path show neither.  Worth 4 year-to-year changes
# against an authority's own history (which, with two to five changes, can scarcely tell a wander from chance).
EXIT_COMMON_SD_BY_LOOKED_AFTER = ((1500, 0.30), (float("inf"), 0.15))
EXIT_COMMON_PRIOR_WEIGHT = 4.0
ENTRY_DRIFT_PRIOR_SD, ENTRY_DRIFT_PRIOR_WEIGHT = 0.05, 3.0  # entry_variation: level's prior sd a year, worth 3 years
ENTRY_WANDER_GRID = np.array([0.0, 0.01, 0.02, 0.03, 0.045, 0.06, 0.08, 0.1, 0.13, 0.16, 0.2, 0.25])
# A year's own change in entries, beyond chance and the trend (sd of log yearly starts), by starts a year:
# medians of 159 English authorities, LAIT LACnum_Start 2016-2025 (bench/entry_variation.py), and the
# weight in years of history that this published prior carries against an authority's own estimate.
YEAR_SD_BY_STARTS = ((200.0, 0.135), (400.0, 0.119), (700.0, 0.107), (float("inf"), 0.067))
YEAR_PRIOR_WEIGHT = 4.0
QUARTER = 365.25 / 4
# The entries' local linear trend (entry_state): the slope's prior sd and wander (a year), and how much
# of a slope the forecast keeps after a year (it decays: a rise or fall seldom goes on for ever).  Chosen on the
# development authorities of bench/backtest.py (A-E), checked on the held-out ones (F, G).
ENTRY_SLOPE_PRIOR_SD, ENTRY_SLOPE_WANDER, ENTRY_DAMPING = 0.05, 0.01, 0.8
# Of a random walk's variance a year, the share that the change between two consecutive years' averages holds:
# the double integral of 1 - |t - s| over a year's days t and s, 2/3, for a walk that moves through the year (as
# the forecast's does, a month at a time, and an authority's); a walk that stepped once a year, on the day the
# estimator's years begin, would show all of it.
YEAR_AVERAGE_SHARE = 2 / 3
MAX_DRIFT = 0.25  # a year; more than this is not believed (it would be a change of regime, not drift)


def _walk_sd(observed_expected: list[tuple[np.ndarray, np.ndarray]], gain: np.ndarray | None = None,
             prior_sd: float = DRIFT_PRIOR_SD, shares: bool = False) -> np.ndarray:
    """Random-walk sd a year for each category, from consecutive years' (observed, expected) counts.

    Method of moments: the variance of the year-to-year change in log(O/E), less the chance
    (Poisson) variance.  Pooled over categories (weighted by their information, so small ones do not
    dominate) and pulled towards the prior; then each category's own estimate, pulled towards the
    pooled one (``CATEGORY_WEIGHT`` changes' worth), so a category that wanders more than the rest
    (or less) gets wider (or narrower) intervals without one odd year deciding it.

    ``gain`` (by category) scales each change in log(O/E) into the walk's own units: the placement mix
    wanders in each category's attractiveness, and a change of x in it moves the category's share of the
    choices by less, since the others' shares make room (:func:`mix_gain`).
    ``prior_sd``: the sd the pooled estimate is pulled towards.
    ``shares``: each year's counts are the categories' shares of a number of choices fixed that year (the
    expected counts add up to it), so chance moves them as a multinomial does, (1 - p) / O in the log
    for a category expected to take p of them, not as independent Poisson counts (1 / O): taking
    away the Poisson variance would take away some of the wander with it.

    A year's count is the walk averaged over that year, and the change from one year's average to the
    next's holds only ``YEAR_AVERAGE_SHARE`` of a year's wander; the excess variance is divided by it, so
    the sd read is the walk's own, a month at a time as the forecast steps it.
    """
    o = np.array([a for a, _ in observed_expected])  # (year, category)
    e = np.array([b for _, b in observed_expected])
    g = np.ones(o.shape[1]) if gain is None else gain
    keep = 1 - e / np.maximum(e.sum(axis=1, keepdims=True), 1e-9) if shares else np.ones_like(e)
    d, v = _year_changes(o, e, keep, g)
    use = (o[1:] >= 5) & (o[:-1] >= 5) & (v > 0)  # no chance at all: a category that took every choice
    w = 1 / v[use]
    var = float((w * (d[use] ** 2 - v[use])).sum() / w.sum()) / YEAR_AVERAGE_SHARE if use.any() else 0.0
    pooled = _with_prior(var, int(use.sum()), prior_sd, DRIFT_PRIOR_WEIGHT)
    n_c = use.sum(axis=0)
    var_c = np.where(use, d**2 - v, 0.0).sum(axis=0) / np.maximum(n_c, 1) / YEAR_AVERAGE_SHARE
    each = (CATEGORY_WEIGHT * pooled**2 + n_c * np.maximum(var_c, 0.0)) / (CATEGORY_WEIGHT + n_c)
    return np.minimum(np.sqrt(each), MAX_DRIFT)


def _year_changes(o: np.ndarray, e: np.ndarray, keep: np.ndarray | float = 1.0, gain: np.ndarray | float = 1.0
                  ) -> tuple[np.ndarray, np.ndarray]:
    """The change in log(O/E) from each year to the next (years first), in the walk's units (``gain``), and the
    variance chance alone gives it: ``keep`` / O a year, 1 for a Poisson count, 1 - p for a share p of a year's
    choices (``_walk_sd``)."""
    d = np.diff(np.log((o + 0.5) / (e + 0.5)) * gain, axis=0)
    k = np.broadcast_to(np.asarray(keep, dtype=float), o.shape)
    return d, (k[1:] / (o[1:] + 0.5) + k[:-1] / (o[:-1] + 0.5)) * gain**2


def _exit_common_prior(looked_after: int) -> float:
    """The published prior of the shared pace of leaving care's wander for an authority of this size."""
    return next(sd for top, sd in EXIT_COMMON_SD_BY_LOOKED_AFTER if looked_after < top)


def _common_walk_sd(observed_expected: list[tuple[np.ndarray, np.ndarray]], prior_sd: float) -> float:
    """Random-walk sd a year of what every category's rate shares, from consecutive years' (observed, expected)
    counts summed over the categories: the variance of the year-to-year change in log(O/E) less Poisson chance,
    divided by ``YEAR_AVERAGE_SHARE`` (a year's count averages the walk over the year), pulled towards
    ``prior_sd`` worth ``EXIT_COMMON_PRIOR_WEIGHT`` changes (and no more than ``MAX_DRIFT`` or the prior, if the
    published prior is more: a history is not believed beyond what published authorities show)."""
    cap = max(MAX_DRIFT, prior_sd)
    o = np.array([a.sum() for a, _ in observed_expected], dtype=float)
    e = np.array([b.sum() for _, b in observed_expected], dtype=float)
    use = (o[1:] >= 5) & (o[:-1] >= 5)
    if not use.any():
        return _with_prior(0.0, 0, prior_sd, EXIT_COMMON_PRIOR_WEIGHT, cap)
    d, v = _year_changes(o, e)
    var = float(np.mean((d**2 - v)[use])) / YEAR_AVERAGE_SHARE
    return _with_prior(var, int(use.sum()), prior_sd, EXIT_COMMON_PRIOR_WEIGHT, cap)


def _with_prior(var: float, n: int, prior_sd: float, prior_weight: float, cap: float = MAX_DRIFT) -> float:
    """sd from a method-of-moments variance over ``n`` changes, pulled towards a prior worth ``prior_weight``,
    and no more than ``cap``.

    A short history (two or three years) cannot tell wander from chance; the prior keeps such a
    forecast from assuming that rates never change.
    """
    pooled = (prior_weight * prior_sd**2 + n * max(var, 0.0)) / (prior_weight + n)
    return float(min(np.sqrt(pooled), cap))


def _age_band_on(dob: np.ndarray, day: np.ndarray) -> np.ndarray:
    years = (birthdays(dob, np.arange(1, N_AGE + 1)[:, None]) <= day).sum(axis=0)
    return BAND_OF_AGE[np.minimum(years, N_AGE - 1)]


def _mix_drift(known: Spells, b18: np.ndarray, dest: np.ndarray, entry_mix: np.ndarray, t1: int,
               history_from: int) -> np.ndarray:
    """Year-to-year wander of the placement mix (sd of the log attractiveness of a category a year).

    Every placement that starts a category spell (a first placement or a move) is a choice of
    category; each year's choices by category are compared with what the window's mix expects for
    those children (by where they moved from and their age band), as for the rates (``_walk_sd``).
    """
    years = min(int((t1 - history_from) // 365.25), MAX_DRIFT_YEARS)
    if years < 2:
        return np.full(N_CAT, _with_prior(0.0, 0, MIX_DRIFT_PRIOR_SD, DRIFT_PRIOR_WEIGHT))
    entry = (known.start == known.period_start) & (known.period_start < b18)
    move = (known.next_cat >= 0) & (known.end < b18) & (known.end > known.dob)
    e_day, m_day = known.start[entry], known.end[move] - 1
    e_band, m_band = _age_band_on(known.dob[entry], e_day), _age_band_on(known.dob[move], m_day)
    e_cat, m_from, m_to = known.cat[entry], known.cat[move], known.next_cat[move]
    oe = []
    for y in range(years, 0, -1):
        b0, b1 = t1 - round(y * 365.25), t1 - round((y - 1) * 365.25)
        se_, sm = (e_day > b0) & (e_day <= b1), (m_day >= b0) & (m_day < b1)
        observed = np.bincount(e_cat[se_], minlength=N_CAT) + np.bincount(m_to[sm], minlength=N_CAT)
        expected = entry_mix[e_band[se_]].sum(axis=0) + dest[m_from[sm], m_band[sm]].sum(axis=0)
        oe.append((observed.astype(float), expected))
    expected = np.sum([e for _, e in oe], axis=0)  # by category, over the years
    return _walk_sd(oe, gain=mix_gain(expected / max(float(expected.sum()), 1.0)), prior_sd=MIX_DRIFT_PRIOR_SD,
                    shares=True)


def mix_gain(share: np.ndarray) -> np.ndarray:
    """By how much to scale a change in each category's log share of the choices to read it as a change in
    its attractiveness, when every category's attractiveness wanders independently by the same amount.

    A change x_c in attractiveness moves category c's log share by x_c minus the share-weighted mean change,
    (1 - p_c) x_c - sum over k != c of p_k x_k; with independent changes of one variance its variance is
    (1 - p_c)^2 + sum over k != c of p_k^2 times theirs.  The gain is the inverse of that ratio's root.
    """
    others = float((share**2).sum()) - share**2
    return 1 / np.sqrt(np.maximum((1 - share) ** 2 + others, 0.04))


def fit(spells: Spells, as_of: dt.date | int, window_years: float = 3.0, data_start: dt.date | int | None = None,
        prior_days: float = 365.0) -> Rates:
    """Estimate the model from the history known at the end of ``as_of``, over the last ``window_years``.

    ``data_start`` is the first day the returns cover: the window starts at least a year after it,
    so every period of care that began in the window is seen from its start and short durations are
    exact (children in care before the returns began are placed in the longest buckets they can be).
    """
    t1 = as_of if isinstance(as_of, int) else day_number(as_of)
    known = spells.cut(t1)
    t0 = t1 - round(window_years * 365.25)
    if data_start is not None:
        t0 = max(t0, (data_start if isinstance(data_start, int) else day_number(data_start)) + 365)
    if t1 - t0 < 180:
        raise EstimateError(
            f"the history before the forecast start is too short to estimate from ({t1 - t0} days; need 180)"
        )
    first = None if data_start is None else (data_start if isinstance(data_start, int) else day_number(data_start))
    ps, ss = known.effective_starts(first)
    b18 = birthdays(known.dob, 18)
    block = _Blocks(known, first, ps, ss, b18)
    x_exit, e_exit, x_move, e_move = block.counts(t0, t1)
    is_move = block.ended(t0, t1) & (known.next_cat >= 0)

    exit_prior, exit_rate = _hierarchical(e_exit, x_exit, prior_days)
    move_prior, move_rate = _hierarchical(e_move, x_move, prior_days)
    history_from = t0 if first is None else first + 365
    on = (known.start <= t1) & (known.end > t1) & (b18 > t1)
    drift_exit_common, drift_exit, drift_move = block.drift(t1, history_from, exit_rate, move_rate, int(on.sum()))

    # destinations by origin and age band at the move, never into a category nobody of that age was in
    last = known.end[is_move] - 1
    age_mv = (birthdays(known.dob[is_move], np.arange(1, N_AGE + 1)[:, None]) <= last).sum(axis=0)
    counts = np.zeros((N_CAT, N_BAND, N_CAT))
    np.add.at(counts, (known.cat[is_move], BAND_OF_AGE[np.minimum(age_mv, N_AGE - 1)], known.next_cat[is_move]), 1)
    seen = np.zeros((N_CAT, N_BAND))
    np.add.at(seen, (slice(None), BAND_OF_AGE), x_move.sum(axis=2))
    allowed = (seen.T > 0)[None, :, :] & ~np.eye(N_CAT, dtype=bool)[:, None, :]  # (origin, band, dest)
    by_origin = counts.sum(axis=1) + 1e-9 * ~np.eye(N_CAT, dtype=bool)
    prior = by_origin / by_origin.sum(axis=1, keepdims=True)
    dest = np.where(allowed, counts + 2.0 * prior[:, None, :], 0.0)
    total = dest.sum(axis=2, keepdims=True)
    dest = np.divide(dest, total, out=np.zeros_like(dest), where=total > 0)

    # entrants: new periods of care that began inside the window
    first_spell = (known.start == known.period_start) & (known.period_start > t0) & (known.period_start <= t1)
    ent_age = (known.period_start - known.dob)[first_spell]
    ent_age = np.clip(ent_age, 0, None)
    ent_age_years = (birthdays(known.dob[first_spell], np.arange(1, N_AGE + 1)[:, None])
                     <= known.period_start[first_spell]).sum(axis=0)
    keep = ent_age_years < N_AGE
    ent_band = BAND_OF_AGE[np.minimum(ent_age_years, N_AGE - 1)][keep]
    ent_uasc = ((known.uasc_until >= 0) & (known.uasc_until > known.period_start))[first_spell][keep]
    ent_cat = known.cat[first_spell][keep]
    ent_age = ent_age[keep]
    days_in_window = float(t1 - t0)
    entry_count = np.zeros((N_BAND, 2))
    np.add.at(entry_count, (ent_band, ent_uasc.astype(int)), 1)
    # where entries stand and where they are heading, filtered through all the history there is;
    # periods seen from their start only
    history_start = t0 if first is None else first
    starts = known.period_start[(known.start == known.period_start) & (known.period_start <= t1)
                                & (known.period_start > history_start)]
    drift_entry, year_entry = entry_variation(starts, min(history_start, t0), t1)
    state, state_cov = entry_state(starts, min(history_start, t0), t1, drift_entry, year_entry)
    entry_mix = np.zeros((N_BAND, N_CAT))
    np.add.at(entry_mix, (ent_band, ent_cat), 1)
    entry_mix = entry_mix / np.maximum(entry_mix.sum(axis=1, keepdims=True), 1)

    pop_uasc = ((known.uasc_until >= 0) & (known.uasc_until > t1))[on]
    return Rates(
        as_of=t1, window=(t0, t1),
        exit_rate=exit_rate, exit_alpha=e_exit + prior_days * exit_prior, exit_beta=x_exit + prior_days,
        move_rate=move_rate, move_alpha=e_move + prior_days * move_prior, move_beta=x_move + prior_days,
        dest=dest, entry_rate=entry_count / days_in_window, entry_count=entry_count,
        entrants_age=ent_age, entrants_uasc=ent_uasc, entrants_cat=ent_cat, entrants_band=ent_band,
        entry_state=state, entry_state_cov=state_cov,
        pop_dob=known.dob[on], pop_cat=known.cat[on], pop_period_start=ps[on],
        pop_spell_start=ss[on], pop_care_unknown=(block.care_unknown > t1)[on],
        pop_spell_unknown=(block.move_unknown > 0)[on],
        pop_need=known.need_now[on] | np.where(pop_uasc, NEED_UASC, 0).astype(np.uint8),
        pop_area=known.area[on],
        entrants_need=known.need_entry[first_spell][keep] | np.where(ent_uasc, NEED_UASC, 0).astype(np.uint8),
        entrants_area=known.area[first_spell][keep],
        pop_uasc=pop_uasc,
        exposure_exit=x_exit, events_exit=e_exit, exposure_move=x_move, events_move=e_move,
        drift_exit=drift_exit, drift_move=drift_move, drift_exit_common=drift_exit_common, drift_entry=drift_entry,
        year_entry=year_entry,
        drift_mix=_mix_drift(known, b18, dest, entry_mix, t1, history_from),
    )
