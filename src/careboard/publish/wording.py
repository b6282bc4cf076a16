"""Figures in words: units, plurals and the size of a change, the same on every page, chart and table.

Members read figures in sentences, tables and chart labels; each must carry its unit ("12 days",
"1 day", "65 per 10,000", "12.5%") so that no figure is left for the reader to interpret, and a
change is described by its direction and size ("up 2.1 points", "down 15 (5%)") rather than by a
sparkline whose scale the reader cannot see.  Everything here takes disclosure-controlled values:
a marker ('c', 'x', 'z', 'k') is returned as it is, never used in arithmetic.
"""

from __future__ import annotations

from careboard.publish.disclosure import figure, is_marker

# (absolute, relative) tolerance per unit: a difference is a change only if it exceeds
# max(absolute, relative * |reference|).  Percentages move in percentage points.
TOLERANCE: dict[str, tuple[float, float]] = {
    "%": (1.0, 0.0),
    "number": (1.0, 0.02),
    "per 10,000": (1.0, 0.02),
    "days": (1.0, 0.05),
    "score": (0.5, 0.0),
}

# What a share's "n of d" counts, by the population its denominator is drawn from (publish/cohorts.py):
# (singular, plural).  A population not listed counts children.
NOUNS: dict[str, tuple[str, str]] = {
    "looked_after": ("child", "children"),
    "care_leavers_17_18": ("care leaver", "care leavers"),
    "care_leavers_19_21": ("care leaver", "care leavers"),
    "reviews": ("review", "reviews"),
    "iro_reviews": ("review", "reviews"),
    "return_interviews": ("missing incident", "missing incidents"),
    "referrals": ("referral", "referrals"),
    "missing_episodes": ("missing incident", "missing incidents"),
    "missing_began": ("missing incident", "missing incidents"),  # issue 15's measures (cohorts.py)
    "missing_returns": ("missing incident", "missing incidents"),
    "csww_workers": ("social worker", "social workers"),
}


def plural(n: float, singular: str, many: str | None = None) -> str:
    """'1 day', '2 days', '0 days', '1.5 days': the singular only for exactly one."""
    return singular if n == 1 else (many or singular + "s")


def fmt(value: object, unit: str) -> str:
    """A figure as members read it, with its unit: '12.5%', '418', '27 per 10,000', '1 day', '420 days', '14.8'.

    A marker is returned as it is; a missing figure is 'x' (not available).
    """
    if is_marker(value):
        return str(value)
    v = figure(value)
    if v is None:
        return "x"
    if unit == "%":
        return f"{v:.1f}%"
    if unit == "number":
        return f"{v:,.0f}"
    if unit == "per 10,000":
        return f"{v:,.0f} per 10,000"
    if unit == "days":
        shown = round(v)
        return f"{shown:,.0f} {plural(shown, 'day')}"
    return f"{v:.1f}"


def short(value: object, unit: str) -> str:
    """A figure as a chart labels it, where its unit is in the chart's title: '12.5%', '1,234', '65', '420'."""
    if is_marker(value):
        return str(value)
    v = figure(value)
    if v is None:
        return "x"
    if unit == "%":
        return f"{v:.1f}%"
    if unit == "score":
        return f"{v:.1f}"
    return f"{v:,.0f}"


def unit_words(unit: str) -> str:
    """How a chart's title names its unit: ' (%)', ' (days)', ' (per 10,000 children)'; '' for counts."""
    return {"%": " (%)", "days": " (days)", "per 10,000": " (per 10,000 children)", "score": " (score)"}.get(unit, "")


def shown(value: object) -> bool:
    """True when a value is a figure or a marker (something to print), False when there is none."""
    return is_marker(value) or figure(value) is not None


def tolerance(unit: str, reference: float) -> float:
    """The smallest difference that counts as a change for this unit, around ``reference``."""
    absolute, relative = TOLERANCE.get(unit, (0.0, 0.0))
    return max(absolute, relative * abs(reference))


def direction(value: object, reference: object, unit: str) -> str | None:
    """'up', 'down' or 'same' (within tolerance) comparing ``value`` with ``reference``; None if either is hidden."""
    v, r = figure(value), figure(reference)
    if v is None or r is None:
        return None
    diff = v - r
    if abs(diff) <= tolerance(unit, r):
        return "same"
    return "up" if diff > 0 else "down"


def judgement(move: str | None, polarity: str | None) -> str | None:
    """'better' or 'worse' for a move, only when the measure says which way is good."""
    if polarity is None or move not in ("up", "down"):
        return None
    return "better" if (move == "up") == (polarity == "high") else "worse"


def difference(value: object, previous: object, unit: str) -> str:
    """The size of a change in the figure's own unit: '2.1 points', '15 (5%)', '30 days', '4 per 10,000'."""
    v, p = figure(value), figure(previous)
    assert v is not None and p is not None
    d = abs(v - p)
    if unit == "%":
        return f"{d:.1f} {plural(round(d, 1), 'point')}"
    if unit == "number":
        text = f"{d:,.0f}"
        return f"{text} ({d / p:.0%})" if p else text
    if unit == "score":
        return f"{d:.1f}"
    return fmt(d, unit)


def trend_parts(value: object, previous: object, unit: str, polarity: str | None) -> tuple[str, str | None]:
    """The change from last year as (direction and size, 'better'/'worse'/None): ('Up 2.1 points', 'better').

    Hidden or missing figures give no direction: 'Not shown (c)' when this year's or last year's figure
    is hidden, 'No figure last year' when there is none to compare with.
    """
    if is_marker(value):
        return ("Not shown (c)" if value == "c" else "No comparison"), None
    if is_marker(previous):
        return {"c": "Last year not shown (c)", "x": "No figure last year"}.get(str(previous), "No comparison"), None
    move = direction(value, previous, unit)
    if move is None:
        return "No figure last year", None
    if move == "same":
        return "About the same", None
    return f"{move.capitalize()} {difference(value, previous, unit)}", judgement(move, polarity)


def trend(value: object, previous: object, unit: str, polarity: str | None) -> str:
    """:func:`trend_parts` as one phrase: 'Up 2.1 points: better', 'About the same'."""
    text, verdict = trend_parts(value, previous, unit, polarity)
    return f"{text}: {verdict}" if verdict else text
