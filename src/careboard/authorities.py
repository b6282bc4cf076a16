"""English local authorities: the 3-digit DfE code (Kent is 886), with the ONS code as an alias.

Source: DfE children looked after 2025 release LA list with ONS codes and regions (OGL v3.0),
vendored as ``reference/data/la_lookup.csv``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources


class AuthorityError(ValueError):
    """An authority code that names no English local authority."""


@dataclass(frozen=True)
class Authority:
    code: str  # 3-digit DfE code, e.g. '886'
    ons_code: str  # e.g. 'E10000016'
    name: str
    region_code: str
    region_name: str
    la_type: str


@cache
def all_authorities() -> dict[str, Authority]:
    """Every authority keyed by its DfE code."""
    path = resources.files("careboard.reference") / "data" / "la_lookup.csv"
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {
        r["old_la_code"]: Authority(
            code=r["old_la_code"],
            ons_code=r["new_la_code"],
            name=r["la_name"],
            region_code=r["region_code"],
            region_name=r["region_name"],
            la_type=r["la_type"],
        )
        for r in rows
    }


@cache
def _by_ons() -> dict[str, Authority]:
    return {a.ons_code: a for a in all_authorities().values()}


def resolve(code: str) -> Authority:
    """The authority for a DfE code ('886') or ONS code ('E10000016')."""
    text = str(code).strip().upper()
    if re.fullmatch(r"\d{3}", text) and text in all_authorities():
        return all_authorities()[text]
    if text in _by_ons():
        return _by_ons()[text]
    raise AuthorityError(
        f"{code!r} is not an English local authority code; use the 3-digit DfE code "
        "(Kent is 886) or the ONS code (E10000016)"
    )


def infer_from_names(names: list[str]) -> Authority | None:
    """An authority named by file or folder names: a delimited DfE or ONS code, e.g. '886_returns'.

    Returns None when no name holds one; raises AuthorityError when names name different ones.
    """
    found: dict[str, Authority] = {}
    for name in names:
        for token in re.findall(r"(?<![A-Za-z0-9])(E\d{8}|\d{3})(?![A-Za-z0-9])", name):
            try:
                la = resolve(token)
            except AuthorityError:
                continue
            found[la.code] = la
    if len(found) > 1:
        listed = ", ".join(f"{a.code} {a.name}" for a in found.values())
        raise AuthorityError(f"file names name different authorities ({listed}); pass --la")
    return next(iter(found.values()), None)
