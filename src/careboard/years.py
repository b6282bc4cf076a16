"""Collection years, named by the 31 March they end on (DfE convention): 2026 is 2025-26."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

FIRST_YEAR = 2000
LAST_YEAR = 2040


class YearError(ValueError):
    """A year that cannot be read, or several that disagree."""


def year_start(year: int) -> date:
    """1 April at the start of collection year ``year``."""
    return date(year - 1, 4, 1)


def year_end(year: int) -> date:
    """31 March that ends collection year ``year``."""
    return date(year, 3, 31)


def label(year: int) -> str:
    """'2025-26' for 2026: how returns and DfE tables write a collection year."""
    return f"{year - 1}-{year % 100:02d}"


def parse_year(text: str) -> int:
    """Read a year given by a user: '2026', '2025-26', '2025/26', '202526' or '2526'."""
    text = str(text).strip()
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        if FIRST_YEAR <= year <= LAST_YEAR:
            return year
    found = _span_years(text)
    if len(found) == 1 and _strip_span(text):
        return found.pop()
    raise YearError(
        f"cannot read {text!r} as a collection year; give the year it ends on (2026) "
        "or the span (2025-26)"
    )


_SPAN = re.compile(
    r"(?<!\d)(?:(?P<a4>20\d\d)[-_/ ]?(?P<b2>\d\d)|(?P<c2>\d\d)[-_/]?(?P<d2>\d\d))(?!\d)"
)


def _span_years(text: str) -> set[int]:
    years: set[int] = set()
    for m in _SPAN.finditer(text):
        if m.group("a4"):
            start = int(m.group("a4"))
            end2 = int(m.group("b2"))
        else:
            if m.group("c2") == "20" and m.group(0).isdigit():
                continue  # '2021' is as likely the calendar year as 2020-21: not a span
            start = 2000 + int(m.group("c2"))
            end2 = int(m.group("d2"))
        if (start + 1) % 100 == end2 and FIRST_YEAR <= start + 1 <= LAST_YEAR:
            years.add(start + 1)
    return years


def _strip_span(text: str) -> bool:
    return bool(_SPAN.fullmatch(text))


def infer_year(paths: list[Path]) -> int | None:
    """The collection year named by file or folder names ('2025-26', '202526', '2526').

    A bare four-digit year is *not* used: 'returns_2025' could mean 2024-25 or 2025-26.  Returns
    None when no name gives a year; raises YearError when names give different years.
    """
    years: set[int] = set()
    for path in paths:
        for part in path.parts[-3:]:
            years |= _span_years(Path(part).stem if part == path.name else part)
    if len(years) > 1:
        spans = ", ".join(label(y) for y in sorted(years))
        raise YearError(f"file names give different collection years ({spans}); pass --year")
    return years.pop() if years else None
