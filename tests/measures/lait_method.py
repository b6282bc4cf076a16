"""LAIT's benchmarking method in plain Python, written for the tests from LAIT's public description.

Independent of careboard's SQL: the DfE Local Authority Interactive Tool (R Shiny, public source
``dfe-analytical-services/local-authority-interactive-tool``, ``R/fn_analysis.R`` and the LA level
table module) ranks and bands an authority's latest figure among every authority's figure:

* the authorities are the rows numbered below 970 (970 is England, 980-990 the regions);
* quartile cut-offs are R's ``quantile()`` defaults (type 7: linear between order statistics);
* low is good: A if the figure is at most the 25th percentile, B at most the median, C at most the
  75th percentile, else D; high is good: D if at most the 25th percentile, C at most the median, B
  at most the 75th percentile, else A (a figure on a cut-off takes the lower band);
* rank: R ``rank(ties.method = "min")`` of the figure (negated when high is good): ties share the best;
* the statistical neighbours' figure is the mean of their published figures, shown to the measure's
  decimal places (dfeR rounds halves up);
* the region row is the authority's region; for an Inner or Outer London borough, London's row when
  the measure has no Inner/Outer London figures at all.
"""

from __future__ import annotations

import bisect
import math
import sys

# ONS region code -> LAIT's region row number (typed in from LAIT's data: 980 North East ... 990 South West).
REGION_ROW = {
    "E12000001": "980", "E12000002": "981", "E12000003": "982", "E12000004": "983", "E12000005": "984",
    "E12000006": "985", "E12000007": "986", "E13000001": "987", "E13000002": "988", "E12000008": "989",
    "E12000009": "990",
}
LONDON = "986"


class Field(list):
    """Every authority's figure for one measure and year, kept sorted with its quartiles worked out once
    (the whole-country test asks about each authority in turn)."""

    def __init__(self, values: list[float]) -> None:
        super().__init__(sorted(values))
        self.quartiles = tuple(quantile7(self, p) for p in (0.25, 0.5, 0.75))


def quantile7(values: list[float], p: float) -> float:
    """R's quantile(x, p), type 7."""
    x = values if isinstance(values, Field) else sorted(values)
    h = (len(x) - 1) * p
    lo, hi = math.floor(h), math.ceil(h)
    if x[hi] == x[lo]:
        return x[lo]
    return (1 - (h - lo)) * x[lo] + (h - lo) * x[hi]


def band(value: float, values: list[float], polarity: str) -> str:
    q1, q2, q3 = values.quartiles if isinstance(values, Field) else (quantile7(values, p) for p in (0.25, 0.5, 0.75))
    position = 0 if value <= q1 else 1 if value <= q2 else 2 if value <= q3 else 3
    return "ABCD"[position] if polarity == "low" else "DCBA"[position]


def best_quartile(values: list[float], polarity: str) -> float:
    return quantile7(values, 0.25 if polarity == "low" else 0.75)


def rank(value: float, values: list[float], polarity: str) -> int:
    if isinstance(values, Field):  # sorted: count the better figures by bisection
        if polarity == "low":
            return 1 + bisect.bisect_left(values, value)
        return 1 + len(values) - bisect.bisect_right(values, value)
    better = [v for v in values if (v < value if polarity == "low" else v > value)]
    return 1 + len(better)


def round_half_up(x: float, dp: int) -> float:
    """dfeR's round_five_up, which LAIT displays figures with: halves go up, with a tolerance of the
    square root of the machine epsilon so that 14.549999999999999 (a mean of 14.55) goes up too."""
    z = math.trunc(abs(x) * 10**dp + 0.5 + math.sqrt(sys.float_info.epsilon))
    return math.copysign(z / 10**dp, x) if z else 0.0


def decimals(x: float) -> int:
    """Decimal places of a published figure in its shortest form (16.100000000000001 is 16.1: 1)."""
    text = repr(float(x))
    return 0 if float(x).is_integer() else len(text.split(".")[1])
