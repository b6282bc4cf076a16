"""Due dates in working days: weekends and England's bank holidays do not count.

The same calendar as the DfE measures that count working days (store/reference.py), from the
``holidays`` package, so a card raised before Christmas is not due on Boxing Day.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

QUESTION_DAYS = 10  # working days an officer has to answer a member's question
CARD_DAYS = 20  # working days a responsible officer has to respond to a challenge card


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    import holidays

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=[year]))


def is_working_day(day: date) -> bool:
    return day.isoweekday() <= 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count)."""
    if days < 0:
        raise ValueError("days must be 0 or more")
    day = start
    while days:
        day += timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def parse_date(text: str) -> date:
    """A date as typed in a form: 2026-03-31, 31/3/2026 or 31 3 2026.  ValueError if not a date."""
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    parts = text.replace("/", " ").replace("-", " ").replace(".", " ").split()
    if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[2]) == 4:
        return date(int(parts[2]), int(parts[1]), int(parts[0]))
    raise ValueError(f"not a date: {text!r}")
