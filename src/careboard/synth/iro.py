"""``iro_allocations.csv``: who chaired each review, and from when each IRO was allocated.

Each period of care is given an IRO within a few days of starting (the Handbook's five working days);
at some reviews the IRO has changed since the last one (a leaver, a rebalanced caseload) and the new
IRO stays.  The service has one full-time equivalent IRO for about 65 children looked after (the
Handbook's range is 50 to 70), some of them part-time, working from one or two offices inside the
authority.  A period still waiting for its first review at the end has an allocation-only row (blank
REVIEW_DATE).  Stream ``iro`` (new), so nothing else in the simulation draws differently.
"""

from __future__ import annotations

import numpy as np

from careboard.years import year_start

from .dates import day, fmt
from .lives import Lives, stream

CHILDREN_PER_FTE = 65.0
CHANGE_AT_REVIEW = 0.07  # the IRO has changed since the last review (assumed)


def iro_columns(lv: Lives) -> dict[str, np.ndarray]:
    """The extract's columns, one row per review held in the span plus allocation-only rows."""
    rng = stream(lv.seed, "iro")
    per = lv.periods
    span_start = day(year_start(lv.first_year))
    in_care = (per["start"] <= lv.horizon) & (per["end"] > lv.horizon)
    need = max(2.0, in_care.sum() / CHILDREN_PER_FTE)
    pool = max(64, int(2 * need) + 1)  # enough IROs to draw from for a large authority (64: as before)
    fte = np.where(rng.random(pool) < 0.8, 1.0, rng.choice([0.5, 0.6, 0.8], pool))
    n_iro = int(np.searchsorted(np.cumsum(fte), need) + 1)
    fte = fte[:n_iro]
    offices = lv.geo.random_inside(2, rng)
    base = offices[(rng.random(n_iro) < 0.3).astype(int)]
    weight = fte / fte.sum()
    n_per = len(per["child"])
    first_iro = rng.choice(n_iro, size=n_per, p=weight)
    allocated = per["start"] + rng.integers(1, 8, n_per)

    rv = lv.reviews
    keep = rv["date"] >= span_start
    # a change of IRO at a review carries over to every later review of the period (reviews are in
    # period and date order): the IRO is the first one moved on by the changes so far in the period
    n_rv = len(rv["date"])
    rows = np.arange(n_rv)
    group_start = np.append(True, rv["period"][1:] != rv["period"][:-1])
    first_row = np.maximum.accumulate(np.where(group_start, rows, 0))
    drawn = rng.choice(n_iro, size=n_rv, p=weight)  # new IROs are allocated by capacity too
    changes = (rng.random(n_rv) < CHANGE_AT_REVIEW) & ~group_start
    last_change = np.maximum.accumulate(np.where(changes, rows, -1))
    iro = np.where(last_change >= first_row, drawn[np.maximum(last_change, 0)], first_iro[rv["period"]])
    # allocated: the period's first allocation, or a few weeks before the review that first shows a change
    previous = np.where(group_start, per["start"][rv["period"]] + 8, np.append(0, rv["date"][:-1]) + 1)
    change_day = np.maximum(rv["date"] - rng.integers(10, 60, n_rv), previous)
    since = np.where(last_change >= first_row, change_day[np.maximum(last_change, 0)], allocated[rv["period"]])
    since = np.minimum(since, rv["date"])

    # periods open at the end with no review yet: an allocation-only row, once allocated
    reviewed = np.zeros(n_per, dtype=bool)
    reviewed[rv["period"]] = True
    waiting = np.flatnonzero(in_care & ~reviewed & (allocated <= lv.horizon))

    ids = lv.children["id"]
    names = np.array([f"IRO{i + 1:03d}" for i in range(n_iro)], dtype=object)
    pc = lv.geo.table.text
    r_iro = np.concatenate([iro[keep], first_iro[waiting]])
    return {
        "CHILD": np.concatenate([ids[rv["child"][keep]], ids[per["child"][waiting]]]),
        "PERIOD_START": fmt(np.concatenate([per["start"][rv["period"][keep]], per["start"][waiting]])),
        "REVIEW_DATE": np.concatenate([fmt(rv["date"][keep]), np.full(len(waiting), "", dtype=object)]),
        "REVIEW_DUE": np.concatenate([fmt(rv["due"][keep]), np.full(len(waiting), "", dtype=object)]),
        "IRO_ID": names[r_iro],
        "IRO_ALLOCATED": fmt(np.concatenate([since[keep], allocated[waiting]])),
        "IRO_BASE_POSTCODE": pc(base[r_iro]),
        "IRO_FTE": np.array([f"{x:.1f}" for x in fte[r_iro].tolist()], dtype=object),
    }
