"""Is a return what its folder, its name and the command line say it is?

Two facts a user states about a return can be checked against the data itself:

* **the authority**: a UPN carries the DfE number of the authority that allocated it in
  characters 2-4, so when most of a return's UPNs carry one authority's number, the data says
  whose return it is (children placed or schooled elsewhere are a minority);
* **the collection year**: a table whose dates all fall outside the year (last year's Episodes.csv
  in this year's folder) belongs to another year.  Which dates are decisive is data, per table, in
  the spec (``year_dates``): an episode or missing period belongs to every year it is open in, so
  a long-running episode that began years earlier is no evidence either way.

Both are set-based Arrow compute over whole columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from careboard import authorities, years
from careboard.returns.spec import Table

# Where a return's UPNs are.
UPN_COLUMN = {"ssda903": ("Header", "UPN"), "cin": ("Child", "UPN")}
# At least this many UPNs carrying an authority number before the UPNs are taken as evidence.
MIN_UPNS = 5

# Authorities that took over another's area keep meeting its UPNs for years (UPNs are never
# re-allocated): DfE numbers of the successors and the authorities they replaced.
PREDECESSORS = {
    "838": {"835"},  # Dorset (2019) from Dorset County
    "839": {"835", "836", "837"},  # Bournemouth, Christchurch and Poole (2019)
    "940": {"928"},  # North Northamptonshire (2021) from Northamptonshire
    "941": {"928"},  # West Northamptonshire (2021)
    "942": {"909"},  # Cumberland (2023) from Cumbria
    "943": {"909"},  # Westmorland and Furness (2023)
}


@dataclass(frozen=True)
class UpnEvidence:
    """The authority most of a return's UPNs were allocated by."""

    code: str
    name: str
    carrying: int  # UPNs carrying its number
    total: int  # UPNs carrying any authority number

    def describe(self) -> str:
        return f"{self.carrying:,} of {self.total:,} UPNs carry {self.code} in characters 2-4"


def upn_authority(kind: str, tables: dict[str, pa.Table]) -> UpnEvidence | None:
    """The authority more than half of the UPNs carry, or None when the UPNs do not say."""
    where = UPN_COLUMN.get(kind)
    if where is None or where[0] not in tables or where[1] not in tables[where[0]].column_names:
        return None
    upns = pc.utf8_upper(tables[where[0]].column(where[1]).combine_chunks().cast(pa.string()))
    shaped = pc.fill_null(pc.match_substring_regex(upns, r"^[A-Z]\d{3}[0-9A-Z]{9}$"), False)
    codes = pc.utf8_slice_codeunits(pc.filter(upns, shaped), 1, 4)
    total = len(codes)
    if total < MIN_UPNS:
        return None
    counts = pc.value_counts(codes)
    top = max(counts.to_pylist(), key=lambda c: c["counts"])
    if top["counts"] * 2 <= total or top["values"] not in authorities.all_authorities():
        return None
    la = authorities.all_authorities()[top["values"]]
    return UpnEvidence(la.code, la.name, top["counts"], total)


def upns_agree(evidence: UpnEvidence, code: str) -> bool:
    """Whether UPNs mostly carrying ``evidence.code`` fit a return for authority ``code``."""
    return evidence.code == code or evidence.code in PREDECESSORS.get(code, set())


@dataclass(frozen=True)
class WrongYear:
    """A table whose dated rows all lie outside the collection year."""

    table: str
    columns: tuple[str, ...]
    outside: int  # rows dated wholly outside the year
    rows: int
    first: date
    last: date
    likely_year: int  # the collection year most of those rows fall in

    def message(self, year: int) -> str:
        cols = " or ".join(self.columns)
        span = f"{self.first:%d/%m/%Y}" if self.first == self.last else f"{self.first:%d/%m/%Y} to {self.last:%d/%m/%Y}"
        likely = years.label(self.likely_year)
        return (
            f"the {self.table} table belongs to another collection year: none of its {self.rows:,} rows has "
            f"a {cols} in {years.label(year)} ({years.year_start(year):%d/%m/%Y} to "
            f"{years.year_end(year):%d/%m/%Y}) and {self.outside:,} "
            f"{'is' if self.outside == 1 else 'are'} dated wholly outside it ({span}), mostly in {likely}. "
            f"Is this the {likely} file? A {years.label(year)} return needs {years.label(year)}'s file; "
            f"to load this one, put it in a {likely} folder"
        )


def wrong_year(spec_table: Table, table: pa.Table, year: int) -> WrongYear | None:
    """The table's dates belong wholly to another collection year: no row is dated in ``year``
    and at least one is dated wholly outside it (rows open throughout the year are no evidence)."""
    dates = spec_table.year_dates
    if dates is None or table.num_rows == 0:
        return None
    lo = pa.scalar(years.year_start(year), pa.date32())
    hi = pa.scalar(years.year_end(year), pa.date32())

    def within(col: pa.Array) -> pa.Array:
        return pc.fill_null(pc.and_(pc.greater_equal(col, lo), pc.less_equal(col, hi)), False)

    if dates.date:
        when = table.column(dates.date).combine_chunks()
        inside = within(when)
        outside = pc.and_(pc.is_valid(when), pc.invert(inside))
    else:
        start = table.column(dates.start).combine_chunks()
        end = table.column(dates.end).combine_chunks()
        inside = pc.or_(within(start), within(end))
        ended_before = pc.fill_null(pc.less(end, lo), False)
        starts_after = pc.fill_null(pc.greater(start, hi), False)
        outside = pc.and_(pc.invert(inside), pc.or_(ended_before, starts_after))
        when = pc.coalesce(end, start)
    if pc.any(inside).as_py() or not pc.any(outside).as_py():
        return None
    dated = pc.filter(when, outside)
    spans = pc.value_counts(_collection_year(dated)).to_pylist()
    likely = max(spans, key=lambda s: (s["counts"], s["values"]))["values"]
    bounds = pc.min_max(dated).as_py()
    return WrongYear(
        spec_table.name, dates.columns, pc.sum(outside).as_py(), table.num_rows, bounds["min"], bounds["max"], likely
    )


def _collection_year(dates: pa.Array) -> pa.Array:
    """The collection year (named by the 31 March it ends on) each date falls in."""
    return pc.add(pc.year(dates), pc.cast(pc.greater_equal(pc.month(dates), 4), pa.int64()))
