"""Read a Children's Social Work Workforce census (CSWW) XML return into raw text tables.

The census is flat: a ``<Header>``, one ``<LALevelVacancies>`` (the authority's FTE vacancies and the
agency workers covering them) and one ``<CSWWWorker>`` per social worker, each a list of leaves.  So
the reader is one pass over the root's children, each leaf's text kept exactly as found (typing,
trimming and code checks happen once, for every format, in ``conform``).

The return is also checked against its XML Schema (``spec/csww_social_work_workforce_2022.xsd``, with
its attribution beside it).  A departure from the schema (an element out of order, a required element
missing, a code outside the list) is a warning on the load, grouped by kind with a count and the first
line, never a refusal: like a 903 code-list violation it says something about the data's quality, not
that the data cannot be read.  What stops a read is what makes the file not a CSWW return at all: the
wrong root, or neither vacancies nor worker records.

Years: careboard names years by the 31 March they end on, and the census is taken at 30 September, so
the census of 30 September 2025 (``<Year>2025</Year>``) is the 2025-26 collection year (2026), the year
its census date falls in.  Each load says so in a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from importlib import resources

import pyarrow as pa
from lxml import etree

from careboard import years
from careboard.returns.issues import Issue, ReturnError
from careboard.returns.raw import RawTable, SourceFile
from careboard.returns.safe_xml import local_name, parse
from careboard.returns.spec import ReturnSpec, load_spec

SPEC_NAME = "csww"
XSD = "csww_social_work_workforce_2022.xsd"
_RECORDS = {"LALevelVacancies": "Vacancies", "CSWWWorker": "Worker"}
_HEADER_LEAVES = {"Collection", "Year", "ReferenceDate", "SourceLevel", "LEA", "SoftwareCode", "DateTime"}


@dataclass
class CswwRead:
    """What one CSWW file holds: its two tables as text, the header's facts, the reader's warnings.

    ``year`` is careboard's collection year (the year ending 31 March in which the census date falls);
    ``census_year`` is the header's own ``<Year>``.
    """

    tables: list[RawTable]
    la_code: str | None
    year: int | None
    census_year: int | None
    reference_date: str | None
    warnings: list[Issue] = field(default_factory=list)

    def table(self, name: str) -> RawTable:
        for raw in self.tables:
            if raw.table == name:
                return raw
        raise KeyError(name)


def is_csww(root: etree._Element) -> bool:
    """A ``<Message>`` holding CSWW records (or whose header names the CSWW collection)."""
    if local_name(root) != "Message":
        return False
    names = {local_name(el) for el in root}
    if names & set(_RECORDS):
        return True
    return any(
        local_name(el) == "Collection" and (el.text or "").strip().upper() == "CSWW" for el in root.iter()
    )


@cache
def schema() -> etree.XMLSchema:
    """The vendored CSWW schema, parsed without resolving entities or fetching anything."""
    text = (resources.files("careboard.returns") / "spec" / XSD).read_bytes()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.fromstring(text, parser=parser))


def schema_issues(file_name: str, root: etree._Element) -> list[Issue]:
    """Every departure from the schema, one warning per kind of departure, with its count and first line."""
    checker = schema()
    if checker.validate(root):
        return []
    first: dict[str, Issue] = {}
    counts: dict[str, int] = {}
    for error in checker.error_log:
        message = re.sub(r"\s+", " ", error.message).strip()
        counts[message] = counts.get(message, 0) + 1
        if message not in first:
            element = re.match(r"Element '([^']+)'", message)
            first[message] = Issue(
                file_name,
                f"does not follow the CSWW schema: {message}",
                line=error.line or None,
                field=element.group(1) if element else None,
                expected=f"a return valid against {XSD}",
            )
    return [replace(issue, count=counts[key]) for key, issue in first.items()]


def read_csww_xml(file: SourceFile, root: etree._Element | None = None) -> CswwRead:
    """The CSWW tables in ``file`` as text, with the header's authority and year.

    Raises ReturnError when the file is not a CSWW return (wrong root, no vacancies or worker
    records); everything else is a warning.  ``root``: the file already parsed with ``safe_xml.parse``.
    """
    spec = load_spec(SPEC_NAME)
    root = parse(file) if root is None else root
    if local_name(root) != "Message":
        raise ReturnError(
            [
                Issue(
                    file.name,
                    f"the root element is <{local_name(root)}>, so this is not a CSWW return",
                    line=root.sourceline,
                    value=local_name(root),
                    expected="a <Message> root holding <LALevelVacancies> and <CSWWWorker> records",
                )
            ]
        )
    reader = _Reader(file, spec)
    reader.walk(root)
    if not reader.numbers["Worker"] and not reader.numbers["Vacancies"]:
        raise ReturnError(
            [
                Issue(
                    file.name,
                    "the <Message> holds neither <LALevelVacancies> nor <CSWWWorker> records",
                    line=root.sourceline,
                    expected="<Message><Header>...</Header><LALevelVacancies>...<CSWWWorker>... as in the CSWW census",
                )
            ]
        )
    la_code, census_year, reference, year = reader.header_facts()
    warnings = reader.issues() + schema_issues(file.name, root)
    return CswwRead(reader.tables(), la_code, year, census_year, reference, warnings)


class _Reader:
    """One pass over the root's children, collecting the two tables' rows as Python lists of text."""

    def __init__(self, file: SourceFile, spec: ReturnSpec) -> None:
        self.file = file
        self.spec = spec
        self.columns = {name: {c: [] for c in t.column_names} for name, t in spec.tables.items()}
        self.numbers: dict[str, list[int]] = {name: [] for name in spec.tables}
        self.lines: dict[str, list[int | None]] = {name: [] for name in spec.tables}
        self.head: dict[str, str] = {}
        self._first: dict[tuple[str, str | None], Issue] = {}
        self._counts: dict[tuple[str, str | None], int] = {}

    def note(self, message: str, table: str | None, row: int | None, line: int | None, field: str | None = None,
             value: str | None = None, expected: str | None = None) -> None:
        """A warning, once per kind (message and field), located at its first occurrence, with a count."""
        key = (message, field)
        self._counts[key] = self._counts.get(key, 0) + 1
        if key not in self._first:
            self._first[key] = Issue(self.file.name, message, row=row, line=line, table=table, field=field,
                                     value=value, expected=expected)

    def issues(self) -> list[Issue]:
        return [replace(issue, count=self._counts[key]) for key, issue in self._first.items()]

    def walk(self, root: etree._Element) -> None:
        for el in root:
            name = local_name(el)
            if not name:
                continue
            if name == "Header":
                for leaf in el.iter():
                    leaf_name = local_name(leaf)
                    if leaf_name in _HEADER_LEAVES and leaf_name not in self.head:
                        self.head[leaf_name] = (leaf.text or "").strip()
            elif name in _RECORDS:
                self._record(_RECORDS[name], el)
            else:
                self.note(f"unknown element <{name}> inside <Message> ignored, with anything inside it", None, None,
                          el.sourceline, field=name, expected="<Header>, <LALevelVacancies> or <CSWWWorker>")

    def _record(self, table: str, element: etree._Element) -> None:
        number = len(self.numbers[table]) + 1
        columns = self.columns[table]
        row: dict[str, str] = {}
        for leaf in element:
            name = local_name(leaf)
            if not name:
                continue
            if name not in columns:
                self.note(f"unknown element <{name}> in a {table.lower()} record ignored", table, number,
                          leaf.sourceline, field=name, expected="an element of the CSWW specification")
                continue
            if len(leaf):
                self.note(f"<{name}> holds other elements; only its own text is read", table, number,
                          leaf.sourceline, field=name)
            if name in row:
                self.note(f"more than one <{name}> in one record; the first is kept", table, number,
                          leaf.sourceline, field=name, value=leaf.text, expected=f"one <{name}>")
                continue
            row[name] = leaf.text or ""
        for column, values in columns.items():
            values.append(row.get(column))
        self.numbers[table].append(number)
        self.lines[table].append(element.sourceline)

    def header_facts(self) -> tuple[str | None, int | None, str | None, int | None]:
        """LA code, the census's own year, its reference date, and careboard's collection year."""
        collection = self.head.get("Collection")
        if collection and collection.upper() != "CSWW":
            self.note("the header names another collection; read as a CSWW return because its records are "
                      "CSWW records", None, None, None, field="Collection", value=collection, expected="CSWW")
        la = self.head.get("LEA")
        if la is not None and not re.fullmatch(r"\d{3}", la):
            self.note("the header's <LEA> cannot be read, so it is treated as unknown", None, None, None,
                      field="LEA", value=la, expected="the local authority's 3-digit code")
            la = None
        census_year = None
        text = self.head.get("Year")
        if text is not None and re.fullmatch(r"\d{4}", text):
            census_year = int(text)
        elif text is not None:
            self.note("the header's <Year> cannot be read, so it is treated as unknown", None, None, None,
                      field="Year", value=text, expected="the census year, e.g. 2025 for 30 September 2025")
        reference = self.head.get("ReferenceDate") or None
        ref_date = None
        if reference:
            try:
                ref_date = date.fromisoformat(reference)
            except ValueError:
                self.note("the header's <ReferenceDate> is not a date; ignored", None, None, None,
                          field="ReferenceDate", value=reference, expected="yyyy-mm-dd")
        by_date = (ref_date.year + 1 if ref_date.month >= 4 else ref_date.year) if ref_date else None
        year = census_year + 1 if census_year is not None else by_date
        if census_year is not None and by_date is not None and by_date != year:
            self.note(f"the header's <ReferenceDate> falls in {years.label(by_date)}, not in the year of a census "
                      f"taken on 30 September {census_year}; the <Year> is used", None, None, None,
                      field="ReferenceDate", value=reference, expected=f"a date in {years.label(year)}")
        if year is not None:
            when = f"30 September {census_year}" if census_year is not None else reference
            self.note(f"CSWW census as at {when} loaded as collection year {years.label(year)}, the year its "
                      "census date falls in (LAIT publishes it as " + f"{year - 1})", None, None, None)
        return la, census_year, reference, year

    def tables(self) -> list[RawTable]:
        return [
            RawTable(
                table=name,
                file=self.file,
                columns={c: pa.array(v, pa.string()) for c, v in self.columns[name].items()},
                rows=pa.array(self.numbers[name], pa.int32()),
                lines=pa.array(self.lines[name], pa.int32()),
            )
            for name in self.columns
        ]
