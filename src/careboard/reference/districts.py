"""The ONS district (lower-tier) to upper-tier authority lookup, April 2023: read here and only here.

``data/ltla_utla_apr23.csv`` (ONS, Open Government Licence v3.0; see ``data/README``) says which
county or unitary each district belongs to.  The store builds its ``ref_district`` table from it
(placing authority and in/out of area), and ``careboard synth`` uses it to find an authority's
districts; both take the rows from :func:`district_rows`, so a change of lookup is made once.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from typing import NamedTuple

LOOKUP_FILE = "ltla_utla_apr23.csv"


class District(NamedTuple):
    district: str  # LTLA23CD, e.g. E07000110 (Maidstone)
    upper_tier: str  # UTLA23CD, e.g. E10000016 (Kent)
    name: str  # LTLA23NM


@cache
def district_rows() -> tuple[District, ...]:
    """Every row of the lookup, in file order."""
    path = resources.files("careboard.reference") / "data" / LOOKUP_FILE
    with path.open(encoding="utf-8-sig") as f:
        return tuple(District(r["LTLA23CD"], r["UTLA23CD"], r["LTLA23NM"]) for r in csv.DictReader(f))


@cache
def districts_by_upper_tier() -> dict[str, tuple[str, ...]]:
    """Upper-tier ONS code -> its district codes, in file order."""
    out: dict[str, list[str]] = {}
    for row in district_rows():
        out.setdefault(row.upper_tier, []).append(row.district)
    return {k: tuple(v) for k, v in out.items()}
