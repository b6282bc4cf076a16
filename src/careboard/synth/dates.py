"""Dates as int32 day numbers (days since 1970-01-01), so whole populations are dated at once.

The returns write dates as dd/mm/yyyy; formatting goes through a lookup table of every day in a
wide window, which is far faster than formatting each date.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import numpy as np

NA = np.iinfo(np.int32).min  # a missing date
EPOCH = date(1970, 1, 1)
_LO = date(1960, 1, 1)
_HI = date(2060, 12, 31)


def day(d: date) -> int:
    """The day number of a calendar date."""
    return (d - EPOCH).days


@cache
def _table() -> tuple[int, np.ndarray, np.ndarray]:
    lo, hi = day(_LO), day(_HI)
    days = np.arange(lo, hi + 1).astype("datetime64[D]")
    iso = np.datetime_as_string(days)  # yyyy-mm-dd
    dmy = np.array([f"{s[8:10]}/{s[5:7]}/{s[0:4]}" for s in iso.tolist()], dtype=object)
    return lo, dmy, iso.astype(object)


def fmt(days: np.ndarray) -> np.ndarray:
    """dd/mm/yyyy strings (object array); missing dates become ''."""
    lo, dmy, _ = _table()
    days = np.asarray(days)
    out = np.full(days.shape, "", dtype=object)
    ok = days != NA
    out[ok] = dmy[days[ok] - lo]
    return out


def iso(days: np.ndarray) -> np.ndarray:
    """yyyy-mm-dd strings (object array), as the CIN census XML writes dates; missing -> ''."""
    lo, _, isos = _table()
    days = np.asarray(days)
    out = np.full(days.shape, "", dtype=object)
    ok = days != NA
    out[ok] = isos[days[ok] - lo]
    return out


def add_years(days: np.ndarray, years: int | np.ndarray) -> np.ndarray:
    """The same day-of-month ``years`` later (29 February falls back to 28 February): birthdays."""
    d = np.asarray(days).astype("datetime64[D]")
    month = d.astype("datetime64[M]")
    dom = (d - month.astype("datetime64[D]")).astype(np.int64)
    target = month + np.asarray(years, dtype=np.int64) * 12
    month_len = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(np.int64)
    out = target.astype("datetime64[D]") + np.minimum(dom, month_len - 1)
    return out.astype(np.int64).astype(np.int32)


def age_years(dob: np.ndarray, at: np.ndarray | int) -> np.ndarray:
    """Completed years of age on day ``at`` (exact, calendar-based)."""
    dob = np.asarray(dob)
    at_arr = np.broadcast_to(np.asarray(at), dob.shape)
    d_dob = dob.astype("datetime64[D]")
    d_at = at_arr.astype("datetime64[D]")
    y = d_at.astype("datetime64[Y]").astype(np.int64) - d_dob.astype("datetime64[Y]").astype(np.int64)
    # not yet had this year's birthday?
    bday = add_years(dob, y)
    return (y - (bday > at_arr)).astype(np.int32)


def working_days_after(days: np.ndarray, n: int) -> np.ndarray:
    """The date ``n`` working days (Monday to Friday) after each date; bank holidays are not modelled."""
    d = np.asarray(days).astype("datetime64[D]")
    return np.busday_offset(d, n, roll="forward").astype(np.int64).astype(np.int32)


def add_months(days: np.ndarray, months: int) -> np.ndarray:
    """Same day-of-month ``months`` later, clipped to month end: 'within 3 months' deadlines."""
    d = np.asarray(days).astype("datetime64[D]")
    month = d.astype("datetime64[M]")
    dom = (d - month.astype("datetime64[D]")).astype(np.int64)
    target = month + months
    month_len = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(np.int64)
    out = target.astype("datetime64[D]") + np.minimum(dom, month_len - 1)
    return out.astype(np.int64).astype(np.int32)


def years_from_first(days: np.ndarray) -> tuple[np.ndarray, int]:
    """Each day's year counted in 365-day years from the earliest (0 for the first), and how many years there are:
    the years that the synthetic authority's year-to-year changes (placement mix, adoptions) are drawn for."""
    if not len(days):
        return np.zeros(0, dtype=np.int64), 1
    year = ((days - days.min()) // 365).astype(np.int64)
    return year, int(year.max()) + 1
