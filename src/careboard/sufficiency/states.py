"""The states of the demand model: placement categories, age bands, time-in-care and time-in-placement buckets.

Categories and age bands are the scorecard's own (``placement_category`` and ``age_band`` in
``store/macros.sql``) so a forecast of "agency fostering, 10 to 15" means exactly what the scorecard
counts under that name.  Days are whole days since 1970-01-01 (``int``), which keeps every date
calculation in NumPy vectorised.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

CATEGORIES: tuple[str, ...] = (
    "Kinship fostering",
    "In-house fostering",
    "Agency fostering",
    "Children's homes",
    "Supported accommodation",
    "With parents",
    "Placed for adoption",
    "Other",
)
N_CAT = len(CATEGORIES)
CAT_INDEX = {c: i for i, c in enumerate(CATEGORIES)}
CAT_INDEX["Unknown"] = CAT_INDEX["Other"]  # a missing PLACE is counted with Other, never dropped

# DfE age bands (macros.sql age_band): lower bounds in whole years.
AGE_BANDS: tuple[str, ...] = ("Under 1", "1 to 4", "5 to 9", "10 to 15", "16 and over")
N_BAND = len(AGE_BANDS)
BAND_OF_AGE = np.array([0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4], dtype=np.int8)  # ages 0..17
N_AGE = 18  # children are looked after until their 18th birthday

# Time in this period of care (exits) and in this placement category (moves), bucket edges in days.
# One more bucket follows the edges: "began before the returns did", for a period (or category spell)
# already under way on the first day the returns cover, whose length so far is known only to be at
# least the time since then; it stays there until that lower bound reaches the top bucket.
CARE_EDGES = np.array([0, 30, 91, 182, 365, 730, 1461], dtype=np.int64)
SPELL_EDGES = np.array([0, 30, 91, 182, 365, 730], dtype=np.int64)
N_CDUR = len(CARE_EDGES) + 1
N_SDUR = len(SPELL_EDGES) + 1
CARE_LABELS = ("under 1 month", "1-3 months", "3-6 months", "6-12 months", "1-2 years", "2-4 years", "4 years+",
               "began before the returns")
SPELL_LABELS = ("under 1 month", "1-3 months", "3-6 months", "6-12 months", "1-2 years", "2 years+",
                "began before the returns")

EPOCH = dt.date(1970, 1, 1)


def day_number(d: dt.date) -> int:
    """Whole days since 1970-01-01."""
    return (d - EPOCH).days


def to_date(n: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(n))


def add_months(d: dt.date, k: int) -> dt.date:
    """``d`` plus ``k`` calendar months; a month end stays a month end (31 March + 6 = 30 September)."""
    month_end = (d + dt.timedelta(days=1)).day == 1
    y, m = divmod(d.month - 1 + k, 12)
    year, month = d.year + y, m + 1
    first_next = dt.date(year + (month == 12), month % 12 + 1, 1)
    last = (first_next - dt.timedelta(days=1)).day
    return dt.date(year, month, last if month_end else min(d.day, last))


def birthdays(dob: np.ndarray, years: int | np.ndarray) -> np.ndarray:
    """Exact day numbers of the ``years``-th birthdays of children born on day numbers ``dob``.

    29 February birthdays fall on 28 February in other years (as DuckDB's ``dob + INTERVAL n YEAR``).
    """
    d = np.asarray(dob, dtype="datetime64[D]")
    month = d.astype("datetime64[M]")
    dom = (d - month.astype("datetime64[D]")).astype(np.int64)
    target = month + np.asarray(years, dtype=np.int64) * 12
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(np.int64)
    return (target.astype("datetime64[D]") + np.minimum(dom, length - 1)).astype(np.int64)


def year_and_monthday(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(calendar year, month*100 + day) of day numbers: enough to compute exact ages by comparison."""
    d = np.asarray(days, dtype="datetime64[D]")
    y = d.astype("datetime64[Y]")
    m = d.astype("datetime64[M]")
    year = y.astype(np.int64) + 1970
    month = (m - y.astype("datetime64[M]")).astype(np.int64) + 1
    dom = (d - m.astype("datetime64[D]")).astype(np.int64) + 1
    return year.astype(np.int32), (month * 100 + dom).astype(np.int32)


def age_on(dob_year: np.ndarray, dob_md: np.ndarray, day: int) -> np.ndarray:
    """Whole years of age on ``day`` (exact, birthday by birthday), from precomputed year and month-day."""
    y, md = year_and_monthday(np.array([day]))
    return (y[0] - dob_year) - (dob_md > md[0])


def bucket_lookup(edges: np.ndarray, max_days: int = 40_000) -> np.ndarray:
    """Array mapping a duration in days (0..max_days) to its bucket index."""
    return (np.searchsorted(edges, np.arange(max_days + 1), side="right") - 1).astype(np.int8)


# Needs that decide a placement, as bits of one small integer per child (needs.sql has the proxies).
NEED_DISABILITY = 1  # needs carers approved for disabled children
NEED_PARENT = 2  # a young parent needing a parent-and-child placement
NEED_HIGH = 4  # high needs (children's home use, unstable placements or N6): a need of teenagers
NEED_UASC = 8  # unaccompanied asylum-seeking child
GROUP_SHIFT = 4  # bits 4-5: 0 alone, 1 one of a sibling pair placed together, 2 one of 3 or more
TEENAGER = 13  # from this age a child with high needs needs carers approved for teenagers


def need_bits(disability: np.ndarray, parent: np.ndarray, high: np.ndarray) -> np.ndarray:
    return (disability * NEED_DISABILITY + parent * NEED_PARENT + high * NEED_HIGH).astype(np.uint8)


def group_bits(size: np.ndarray) -> np.ndarray:
    """Sibling group size (1, 2, 3+) as the group bits."""
    return (np.clip(np.asarray(size) - 1, 0, 2) << GROUP_SHIFT).astype(np.uint8)


def group_size(need: np.ndarray) -> np.ndarray:
    """1, 2 or 3 (for 3 or more) from the group bits."""
    return ((np.asarray(need) >> GROUP_SHIFT) & 3) + 1
