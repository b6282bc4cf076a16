"""The per-collection-year specification of a return, kept as data (``spec/*.yaml``).

A spec says which tables a return has in a given collection year, their exact columns, each
column's type and, for coded columns, the DfE code list in force that year.  Adding next year's
changes is an edit to the YAML, not to code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

# decimal: a number that may have a fractional part (CSWW FTEs, days); time: a time of day, HH:MM (24-hour).
COLUMN_TYPES = {"id", "code", "date", "partial_date", "integer", "decimal", "time", "postcode", "text", "flag"}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    codes: str | None = None  # name of a code list, for type 'code'
    # An optional column may be left out of a file's header (a local extract's later additions, so
    # that files written to the earlier layout still load); it is then blank in every row.
    optional: bool = False


@dataclass(frozen=True)
class YearDates:
    """Which dates place a table's row in a collection year (the reader's wrong-year check).

    Either one event date (``date``: a review is held in the year of the return that reports it)
    or a period (``start``/``end``: an episode belongs to every year it is open in, so one that
    started years earlier and is still open belongs to this year too).
    """

    date: str | None = None
    start: str | None = None
    end: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(c for c in (self.date, self.start, self.end) if c)


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    since: int | None = None
    until: int | None = None
    year_dates: YearDates | None = None

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required_names(self) -> tuple[str, ...]:
        """The columns every file of this table must have in its header."""
        return tuple(c.name for c in self.columns if not c.optional)

    def in_year(self, year: int) -> bool:
        return (self.since is None or year >= self.since) and (
            self.until is None or year <= self.until
        )


@dataclass(frozen=True)
class ReturnSpec:
    name: str
    first_year: int
    last_year: int
    tables: dict[str, Table]
    code_lists: dict[str, list[dict]]
    date_format: str = "dmy"  # the return's own date format: 'dmy' (903) or 'iso' (CIN census)

    def tables_for(self, year: int) -> dict[str, Table]:
        """Tables collected in ``year``."""
        return {n: t for n, t in self.tables.items() if t.in_year(year)}

    def codes(self, list_name: str, year: int) -> dict[str, str]:
        """The code list ``list_name`` in force in ``year`` (code -> DfE meaning)."""
        for version in self.code_lists[list_name]:
            if version.get("since", 0) <= year <= version.get("until", 9999):
                return {str(k): str(v) for k, v in version["codes"].items()}
        raise KeyError(f"no {list_name} code list for {year}")

    def supports(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year


def _parse(data: dict) -> ReturnSpec:
    tables = {}
    for tname, tdef in data["tables"].items():
        cols = []
        for cname, cdef in tdef["columns"].items():
            if cdef["type"] not in COLUMN_TYPES:
                raise ValueError(f"{tname}.{cname}: unknown column type {cdef['type']}")
            if cdef.get("codes") and cdef["codes"] not in data["code_lists"]:
                raise ValueError(f"{tname}.{cname}: unknown code list {cdef['codes']}")
            cols.append(Column(cname, cdef["type"], cdef.get("codes"), bool(cdef.get("optional", False))))
        tables[tname] = Table(
            tname, tuple(cols), tdef.get("since"), tdef.get("until"), _year_dates(tname, tdef, cols)
        )
    return ReturnSpec(
        name=data["name"],
        first_year=data["first_year"],
        last_year=data["last_year"],
        tables=tables,
        code_lists=data["code_lists"],
        date_format=data.get("date_format", "dmy"),
    )


def _year_dates(tname: str, tdef: dict, cols: list[Column]) -> YearDates | None:
    given = tdef.get("year_dates")
    if not given:
        return None
    unknown = set(given) - {"date", "start", "end"}
    if unknown or not ({"date"} == set(given) or {"start", "end"} == set(given)):
        raise ValueError(f"{tname}.year_dates: give either date or start and end")
    found = YearDates(**given)
    dates = {c.name for c in cols if c.type == "date"}
    if not set(found.columns) <= dates:
        raise ValueError(f"{tname}.year_dates: {', '.join(found.columns)} must be date columns of the table")
    return found


@cache
def load_spec(name: str) -> ReturnSpec:
    """Load ``spec/<name>.yaml`` ('ssda903', 'cin_census', 'local_extracts' or 'csww')."""
    text = (resources.files("careboard.returns") / "spec" / f"{name}.yaml").read_text("utf-8")
    # libyaml's parser when PyYAML has it: the same safe loading, ten times faster (every command reads this)
    return _parse(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


def ssda903() -> ReturnSpec:
    return load_spec("ssda903")
