"""Small constructed scorecard / measure_values rows for the publish tests."""

from __future__ import annotations

from careboard.measures.measure import Measure


def measure(mid: str, kind: str = "count", unit: str = "number", polarity: str | None = None,
            min_cohort: int = 6, theme: str = "Stability") -> Measure:
    return Measure(id=mid, title=f"Title of {mid}", sentence="A sentence.", definition="", kind=kind, unit=unit,
                   polarity=polarity, sql="SELECT 1", min_cohort=min_cohort, theme=theme)


def row(mid: str, breakdown: str = "all", value_label: str = "All", num: float | None = None,
        den: float | None = None, value: float | None = None, year: int = 2026, **extra: object) -> dict:
    return {"measure": mid, "la": "886", "year": year, "breakdown": breakdown, "breakdown_value": value_label,
            "numerator": num, "denominator": den, "value": value, **extra}


def count_set(mid: str, cells: dict[str, int], breakdown: str = "local_area", year: int = 2026) -> list[dict]:
    """A headline count and its breakdown cells, which add up to it."""
    total = sum(cells.values())
    rows = [row(mid, num=total, value=total, year=year)]
    rows += [row(mid, breakdown, k, num=v, value=v, year=year) for k, v in cells.items()]
    return rows


def proportion_set(mid: str, cells: dict[str, tuple[int, int]], breakdown: str = "local_area",
                   year: int = 2026) -> list[dict]:
    num = sum(n for n, _ in cells.values())
    den = sum(d for _, d in cells.values())
    rows = [row(mid, num=num, den=den, value=round(100 * num / den, 1), year=year)]
    rows += [row(mid, breakdown, k, num=n, den=d, value=round(100 * n / d, 1) if d else None, year=year)
             for k, (n, d) in cells.items()]
    return rows
