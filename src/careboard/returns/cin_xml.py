"""Read a CIN census XML return into raw text tables, in one walk over the parsed tree.

The census nests everything about a child (referrals, assessments, section 47 enquiries, plans,
reviews) inside its ``<Child>``.  The tables flatten that nesting: each row carries the child's
LAchildID and the numbers of the blocks it sits in (EpisodeNo, AssessmentNo, PlanNo), because the
XML has no other keys and rows must join without relying on their order.  Cells are the element
text exactly as found (None where the element is absent); typing, trimming and code checks happen
once for every format in ``conform``.  ``spec/cin_census.yaml`` describes the tables.

Real returns depart from the schema in harmless ways: namespaces, stray text between elements,
elements out of place or unknown to the specification, blocks belonging to another year's census.
Each is read past with a warning, never silently, because the data around it are sound.  Warnings
are grouped by kind, with a count and the first place it happens, since a case-management system
that writes a quirk writes it for every child.  Only what makes the file unreadable as a CIN
return is an error: the wrong root, no ``<Children>``/``<Child>``, a child without LAchildID.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache

import pyarrow as pa
from lxml import etree

from careboard.returns.issues import Issue, ReturnError
from careboard.returns.raw import RawTable, SourceFile
from careboard.returns.safe_xml import local_name, parse
from careboard.returns.spec import ReturnSpec, load_spec

SPEC_NAME = "cin_census"
MAX_ERRORS = 50

# Elements whose collection years are not those of a whole table (spec/cin_census.yaml, SEX):
# element -> (first year, last year, what that year's census uses instead).
_ELEMENT_YEARS: dict[str, tuple[int | None, int | None, str]] = {
    "GenderCurrent": (None, 2024, "<Sex> (codes M/F/U) from 2025"),
    "Sex": (2025, None, "<GenderCurrent> (codes 0/1/2/9) until 2024"),
}


@dataclass
class CinRead:
    """What one CIN census file holds: its tables as text, the header's facts, the reader's warnings.

    ``tables`` holds, in spec order, every table the header's year collects (empty where the file
    has no such block, so an empty table is known to be empty) and any other table the file does
    hold rows for: a block from another year's census is kept for the caller to see (the reader
    has warned about it) rather than dropped here, while empty tables of other years are left out
    so that they raise no 'not collected this year' noise.  With no usable year, tables collected
    in every year are returned, plus any the file holds.  Every reader warning is in ``warnings``;
    the RawTables' own warning lists stay empty so nothing is reported twice once ``conform``
    copies them.
    """

    tables: list[RawTable]
    la_code: str | None
    year: int | None
    reference_date: str | None
    warnings: list[Issue] = field(default_factory=list)
    # Every leaf of the header (<CollectionDetails>, <Source>) as found, None where absent: kept
    # with the load, since DfE rule 100 checks <ReferenceDate>.
    header: dict[str, str | None] = field(default_factory=dict)

    def table(self, name: str) -> RawTable:
        """The table called ``name`` (KeyError if the CIN spec has no such table)."""
        for raw in self.tables:
            if raw.table == name:
                return raw
        raise KeyError(name)


@dataclass(frozen=True, eq=False)
class _Block:
    """How one XML container element maps onto tables.

    table   each element starts a row of this table; None: its leaves belong to the enclosing row
    number  key column numbering this row among its like siblings (EpisodeNo, AssessmentNo, PlanNo)
    fields  leaf element -> column of the row
    blocks  container child element -> how it maps
    item    list wrapper such as <Disabilities>: (repeated leaf, table, column), a row per leaf
    """

    table: str | None = None
    number: str | None = None
    fields: Mapping[str, str] = field(default_factory=dict)
    blocks: Mapping[str, _Block] = field(default_factory=dict)
    item: tuple[str, str, str] | None = None


def _same(*names: str) -> dict[str, str]:
    return {name: name for name in names}


_EPISODE = _Block(
    table="CINEpisode",
    number="EpisodeNo",
    fields=_same(
        "CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate",
        "ReasonForClosure", "DateOfInitialCPC", "ReferralNFA",
    ),
    blocks={
        "Assessments": _Block(
            table="Assessment",
            number="AssessmentNo",
            fields=_same(
                "AssessmentActualStartDate", "AssessmentInternalReviewDate", "AssessmentAuthorisationDate"
            ),
            blocks={
                "FactorsIdentifiedAtAssessment": _Block(
                    item=("AssessmentFactors", "AssessmentFactor", "AssessmentFactors")
                )
            },
        ),
        "CINPlanDates": _Block(table="CINPlan", fields=_same("CINPlanStartDate", "CINPlanEndDate")),
        "Section47": _Block(
            table="Section47",
            fields=_same("S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired"),
        ),
        "ChildProtectionPlans": _Block(
            table="CPPlan",
            number="PlanNo",
            fields=_same(
                "CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse", "LatestCategoryOfAbuse",
                "NumberOfPreviousCPP",
            ),
            blocks={"Reviews": _Block(item=("CPPreviewDate", "CPPReview", "CPPreviewDate"))},
        ),
        "PreProceedingsandFGDM": _Block(
            table="PreProceedings",
            fields=_same(
                "PPStartDate", "LBPSentDate", "FGDMMeetingOffer", "FGDMMeetingFac", "InitialPPMeetingDate",
                "ReviewMeetingsCount", "StepDecisionDate", "PPOutcome", "CourtAppDate", "LetterInitCPDate",
            ),
        ),
    },
)

_CHILD = _Block(
    table="Child",
    blocks={
        "ChildIdentifiers": _Block(
            fields={
                **_same(
                    "LAchildID", "UPN", "FormerUPN", "UPNunknown", "PersonBirthDate",
                    "ExpectedPersonBirthDate", "PersonDeathDate",
                ),
                "GenderCurrent": "Sex",  # until 2024
                "Sex": "Sex",  # from 2025
            }
        ),
        "ChildCharacteristics": _Block(
            fields=_same("Ethnicity"),
            blocks={"Disabilities": _Block(item=("Disability", "Disability", "Disability"))},
        ),
        "CINdetails": _EPISODE,
    },
)

_HEADER = _Block(
    blocks={
        "CollectionDetails": _Block(fields=_same("Collection", "Year", "ReferenceDate")),
        "Source": _Block(
            fields=_same("SourceLevel", "LEA", "SoftwareCode", "Release", "SerialNo", "DateTime")
        ),
    }
)

_MESSAGE = _Block(blocks={"Header": _HEADER, "Children": _Block(blocks={"Child": _CHILD})})


def _homes(name: str, block: _Block, out: dict[str, list[str]]) -> dict[str, list[str]]:
    """Element name -> the elements it belongs inside, for 'found in the wrong place' warnings."""
    for leaf in block.fields:
        out.setdefault(leaf, []).append(name)
    for sub_name, sub in block.blocks.items():
        out.setdefault(sub_name, []).append(name)
        _homes(sub_name, sub, out)
    if block.item:
        out.setdefault(block.item[0], []).append(name)
    return out


_HOMES = _homes("Message", _MESSAGE, {})


def _table_blocks(name: str, block: _Block, out: dict[str, str]) -> dict[str, str]:
    """Element name -> table, for every element that starts a row."""
    if block.table:
        out[name] = block.table
    for sub_name, sub in block.blocks.items():
        _table_blocks(sub_name, sub, out)
    return out


def _columns_filled(
    block: _Block, row_table: str | None, keys: tuple[str, ...], out: dict[str, set[str]]
) -> dict[str, set[str]]:
    """Table -> columns the walk can fill, to check the reader against the spec."""
    if block.table:
        row_table = block.table
        keys = (*keys, block.number) if block.number else keys
        out.setdefault(row_table, set()).update(keys)
    if block.item:
        _leaf, table, column = block.item
        out.setdefault(table, set()).update({*keys, column})
    if row_table is not None:
        out.setdefault(row_table, set()).update(block.fields.values())
    for sub in block.blocks.values():
        _columns_filled(sub, row_table, keys, out)
    return out


@cache
def _spec() -> ReturnSpec:
    """The CIN spec, checked once against what this reader fills, so the two cannot drift apart."""
    spec = load_spec(SPEC_NAME)
    filled = _columns_filled(_CHILD, None, ("LAchildID",), {})
    expected = {name: set(table.column_names) for name, table in spec.tables.items()}
    if filled != expected:
        raise RuntimeError(f"cin_xml.py and spec/{SPEC_NAME}.yaml disagree: reader {filled}, spec {expected}")
    return spec


def read_cin_xml(file: SourceFile, root: etree._Element | None = None) -> CinRead:
    """Every CIN table in ``file`` as text, with the header's LA, year and reference date.

    Raises ReturnError when the file is not a CIN census return at all (not XML, a DOCTYPE, the
    wrong root, no children) or has children without LAchildID; everything else is a warning.
    ``root``: the file already parsed with ``safe_xml.parse``, so it is not parsed twice.
    """
    spec = _spec()
    root = parse(file) if root is None else root
    children = _children_elements(file, root)
    reader = _Reader(file, spec)
    head = reader.message(root)
    la_code, year, reference_date = reader.header_facts(head, root)
    reader.set_year(year)
    reader.children(children)
    if reader.errors:
        raise ReturnError(_capped(reader.errors))
    header = {name: head.get(name) for block in _HEADER.blocks.values() for name in block.fields}
    return CinRead(reader.tables(), la_code, year, reference_date, reader.notes.issues(), header)


def _children_elements(file: SourceFile, root: etree._Element) -> list[etree._Element]:
    """The <Children> elements under a <Message> root, or ReturnError saying what was found."""
    name = local_name(root)
    if name != "Message":
        raise ReturnError(
            [
                Issue(
                    file.name,
                    f"the root element is <{name}>, so this is not a CIN census return",
                    line=root.sourceline,
                    value=name,
                    expected="a <Message> root holding <Children><Child> records",
                )
            ]
        )
    children = [el for el in root if local_name(el) == "Children"]
    if not children:
        found = ", ".join(dict.fromkeys(f"<{local_name(el)}>" for el in root if local_name(el)))
        raise ReturnError(
            [
                Issue(
                    file.name,
                    f"the <Message> holds no <Children> element{_collection_hint(root)}",
                    line=root.sourceline,
                    value=found or "nothing",
                    expected="<Message><Header>...</Header><Children><Child>... as in the CIN census",
                )
            ]
        )
    if not any(local_name(el) == "Child" for group in children for el in group):
        raise ReturnError(
            [
                Issue(
                    file.name,
                    "the <Children> element holds no <Child> records",
                    line=children[0].sourceline,
                    expected="one <Child> element per child",
                )
            ]
        )
    return children


def _collection_hint(root: etree._Element) -> str:
    """', and its header says it is a CSWW return' when the header names another collection."""
    for el in root.iter():
        if local_name(el) == "Collection" and el.text and el.text.strip().upper() != "CIN":
            return f", and its header names the collection {el.text.strip()!r}"
    return ""


def _capped(errors: list[Issue]) -> list[Issue]:
    """The first MAX_ERRORS errors, the last counting the rest."""
    if len(errors) <= MAX_ERRORS:
        return errors
    kept = errors[:MAX_ERRORS]
    kept[-1] = replace(kept[-1], count=len(errors) - MAX_ERRORS + 1)
    return kept


class _Notes:
    """Reader warnings, one per kind of quirk, located at its first occurrence, with a count."""

    def __init__(self, file_name: str) -> None:
        self.file_name = file_name
        self._first: dict[tuple[str, str | None, str | None], Issue] = {}
        self._counts: dict[tuple[str, str | None, str | None], int] = {}

    def add(
        self,
        message: str,
        record: tuple[str | None, int | None],
        line: int | None,
        field: str | None = None,
        value: str | None = None,
        expected: str | None = None,
    ) -> None:
        key = (message, record[0], field)
        if key in self._counts:
            self._counts[key] += 1
            return
        self._counts[key] = 1
        self._first[key] = Issue(
            self.file_name, message, row=record[1], line=line, table=record[0],
            field=field, value=value, expected=expected,
        )

    def issues(self) -> list[Issue]:
        return [replace(issue, count=self._counts[key]) for key, issue in self._first.items()]


_Record = tuple[str | None, int | None]  # (table, record number) a warning belongs to
_HEADER_RECORD: _Record = (None, None)


class _Reader:
    """One walk over one file's tree, collecting every CIN table's rows.

    Each table is a Python list per column, filled row by row and made into Arrow arrays at the end.
    """

    def __init__(self, file: SourceFile, spec: ReturnSpec) -> None:
        self.file = file
        self.spec = spec
        self.columns: dict[str, dict[str, list[str | None]]] = {
            name: {c: [] for c in t.column_names} for name, t in spec.tables.items()
        }
        self.column_lists = {name: tuple(columns.items()) for name, columns in self.columns.items()}
        self.numbers: dict[str, list[int]] = {name: [] for name in spec.tables}
        self.lines: dict[str, list[int | None]] = {name: [] for name in spec.tables}
        self.names: dict[object, str] = {}  # tag -> local name: tags repeat, so strip each once
        self.counts = dict.fromkeys(spec.tables, 0)
        self.notes = _Notes(file.name)
        self.errors: list[Issue] = []
        self.out_of_year: dict[str, tuple[str, str]] = {}
        self.year: int | None = None

    # -- the message and its header ---------------------------------------------------------

    def message(self, root: etree._Element) -> dict[str, str]:
        """Read the header's leaves and check what else sits directly under <Message>."""
        head: dict[str, str] = {}
        self._text_inside(root, "Message", _HEADER_RECORD)
        for el in root:
            name = local_name(el)
            if not name:
                continue
            self._text_after(el, name, _HEADER_RECORD)
            if name == "Header":
                self._walk(el, name, _HEADER, head, {}, _HEADER_RECORD, {})
            elif name != "Children":
                self._unexpected(el, name, "Message", _HEADER_RECORD)
        return head

    def header_facts(
        self, head: dict[str, str], root: etree._Element
    ) -> tuple[str | None, int | None, str | None]:
        """LA code, year and reference date from the header, each None (with a warning) if unusable."""
        if not any(local_name(el) == "Header" for el in root):
            self.notes.add(
                "the file has no <Header>, so its local authority and year are not known",
                _HEADER_RECORD, root.sourceline, expected="<Header> with <CollectionDetails> and <Source>",
            )
        collection = (head.get("Collection") or "").strip()
        if collection and collection.upper() != "CIN":
            self.notes.add(
                "the header names another collection; read as a CIN census return because its "
                "records are CIN census <Child> records",
                _HEADER_RECORD, None, field="Collection", value=collection, expected="CIN",
            )
        la_code = self._header_value(head, "LEA", r"\d{3}", "the local authority's 3-digit code")
        year_text = self._header_value(head, "Year", r"\d{4}", "the collection year, e.g. 2022 for 2021-22")
        year = int(year_text) if year_text else None
        if year is not None and not self.spec.supports(year):
            self.notes.add(
                f"careboard's CIN census specification covers {self.spec.first_year} to "
                f"{self.spec.last_year}, so this return's blocks are read as found, "
                "unchecked against its year",
                _HEADER_RECORD, None, field="Year", value=year_text,
                expected=f"a year from {self.spec.first_year} to {self.spec.last_year}",
            )
        reference = (head.get("ReferenceDate") or "").strip() or None
        return la_code, year, reference

    def _header_value(self, head: dict[str, str], name: str, pattern: str, expected: str) -> str | None:
        text = head.get(name)
        if text is None:
            self.notes.add(f"the header has no <{name}>", _HEADER_RECORD, None, field=name, expected=expected)
            return None
        value = text.strip()
        if re.fullmatch(pattern, value):
            return value
        self.notes.add(
            f"the header's <{name}> cannot be read, so it is treated as unknown",
            _HEADER_RECORD, None, field=name, value=text, expected=expected,
        )
        return None

    def set_year(self, year: int | None) -> None:
        """Note which elements belong to other years' censuses, to warn where they appear."""
        if year is None or not self.spec.supports(year):
            return
        spans = dict(_ELEMENT_YEARS)
        for element, table in _table_blocks("Child", _CHILD, {}).items():
            spec_table = self.spec.tables[table]
            spans[element] = (spec_table.since, spec_table.until, f"no <{element}> in a {year} return")
        for element, (since, until, instead) in spans.items():
            if since is not None and year < since:
                self.out_of_year[element] = (f"from {since}", instead)
            elif until is not None and year > until:
                self.out_of_year[element] = (f"until {until}", instead)
        self.year = year

    # -- children ---------------------------------------------------------------------------

    def children(self, groups: list[etree._Element]) -> None:
        if len(groups) > 1:
            self.notes.add(
                f"the file has {len(groups)} <Children> elements; the children of all of them are read",
                _HEADER_RECORD, groups[1].sourceline, expected="one <Children> element",
            )
        for group in groups:
            self._text_inside(group, "Children", _HEADER_RECORD)
            for el in group:
                name = local_name(el)
                if not name:
                    continue
                self._text_after(el, name, _HEADER_RECORD)
                if name == "Child":
                    self._child(el)
                else:
                    self._unexpected(el, name, "Children", _HEADER_RECORD)

    def _child(self, element: etree._Element) -> None:
        number = self._next("Child")
        record: _Record = ("Child", number)
        child_id = self._child_id(element, number)
        row: dict[str, str | None] = {}
        self._walk(element, "Child", _CHILD, row, {"LAchildID": child_id}, record, {})
        self._append("Child", row, number, element.sourceline)

    def _child_id(self, element: etree._Element, number: int) -> str | None:
        """The child's LAchildID text, which every table repeats; an error if absent or blank."""
        found: str | None = None
        for part in element:
            if local_name(part) == "ChildIdentifiers":
                for leaf in part:
                    if local_name(leaf) == "LAchildID":
                        found = leaf.text or ""
                        break
                break
        if found is not None and found.strip():
            return found
        self.errors.append(
            Issue(
                self.file.name,
                "this <Child> has no LAchildID, so its records cannot be linked to the child",
                row=number,
                line=element.sourceline,
                table="Child",
                field="LAchildID",
                value=found,
                expected="<ChildIdentifiers><LAchildID> holding the child's identifier",
            )
        )
        return None

    # -- the generic walk -------------------------------------------------------------------

    def _walk(
        self,
        element: etree._Element,
        name: str,
        block: _Block,
        row: dict[str, str | None],
        keys: dict[str, str | None],
        record: _Record,
        siblings: dict[str, int],
    ) -> None:
        """Read ``element``'s children: leaves into ``row``, containers into their own rows.

        This loop runs for every element of the file, so the common case (a leaf holding only its
        value) is kept inline and everything unusual is handed to a method.
        """
        text = element.text
        if text is not None and not text.isspace():
            self._text_inside(element, name, record)
        names, fields, blocks, out_of_year = self.names, block.fields, block.blocks, self.out_of_year
        for child in element:
            tag = child.tag
            child_name = names.get(tag)
            if child_name is None:
                if not isinstance(tag, str):
                    continue  # a comment or processing instruction the parser kept
                child_name = names[tag] = local_name(child)
            tail = child.tail
            if tail is not None and not tail.isspace():
                self._text_after(child, child_name, record)
            if out_of_year and child_name in out_of_year:
                self._other_year(child, child_name, record)
            column = fields.get(child_name)
            if column is not None:
                if column in row or len(child):
                    self._odd_leaf(child, child_name, column, row, record)
                else:
                    row[column] = child.text or ""
                continue
            sub = blocks.get(child_name)
            if sub is None:
                self._unexpected(child, child_name, name, record)
            elif sub.item is not None:
                self._items(child, child_name, sub, keys, record)
            elif sub.table is not None:
                siblings[child_name] = siblings.get(child_name, 0) + 1
                self._row(child, child_name, sub, keys, siblings[child_name])
            else:
                self._walk(child, child_name, sub, row, keys, record, siblings)

    def _row(
        self, element: etree._Element, name: str, block: _Block, keys: dict[str, str | None], position: int
    ) -> None:
        """One row of ``block.table`` for ``element``, numbered ``position`` among its siblings."""
        table = block.table
        assert table is not None
        number = self._next(table)
        own_keys = {**keys, block.number: str(position)} if block.number else keys
        row = dict(own_keys)
        self._walk(element, name, block, row, own_keys, (table, number), {})
        self._append(table, row, number, element.sourceline)

    def _items(
        self, element: etree._Element, name: str, block: _Block, keys: dict[str, str | None], record: _Record
    ) -> None:
        """A list wrapper such as <Disabilities>: one row per repeated leaf."""
        assert block.item is not None
        item, table, column = block.item
        text = element.text
        if text is not None and not text.isspace():
            self._text_inside(element, name, record)
        names = self.names
        for child in element:
            tag = child.tag
            child_name = names.get(tag)
            if child_name is None:
                if not isinstance(tag, str):
                    continue
                child_name = names[tag] = local_name(child)
            tail = child.tail
            if tail is not None and not tail.isspace():
                self._text_after(child, child_name, record)
            if child_name != item:
                self._unexpected(child, child_name, name, record)
                continue
            number = self._next(table)
            if len(child):
                self._holds_elements(child, child_name, (table, number))
            row = dict(keys)
            row[column] = child.text or ""
            self._append(table, row, number, child.sourceline)

    def _odd_leaf(
        self, element: etree._Element, name: str, column: str, row: dict[str, str | None], record: _Record
    ) -> None:
        """A leaf that holds elements of its own, or repeats a value the row already has."""
        if len(element):
            self._holds_elements(element, name, record)
        if column in row:
            self.notes.add(
                f"more than one value for {column} in one record (<{name}> repeated); the first is kept",
                record, element.sourceline, field=column, value=element.text,
                expected=f"at most one <{name}>" if name == column else f"one element giving {column}",
            )
            return
        row[column] = element.text or ""

    def _next(self, table: str) -> int:
        self.counts[table] += 1
        return self.counts[table]

    def _append(self, table: str, row: dict[str, str | None], number: int, line: int | None) -> None:
        """Add the row's cells to their columns' lists (None for an element the record lacks)."""
        get = row.get
        for column, values in self.column_lists[table]:
            values.append(get(column))
        self.numbers[table].append(number)
        self.lines[table].append(line)

    # -- warnings about the shape of the file -----------------------------------------------

    def _text_inside(self, element: etree._Element, name: str, record: _Record) -> None:
        text = element.text
        if text and not text.isspace():
            self.notes.add(
                f"stray text inside <{name}>, outside any of its elements, ignored",
                record, element.sourceline, field=name, value=text.strip()[:40],
                expected="only whitespace between elements",
            )

    def _text_after(self, element: etree._Element, name: str, record: _Record) -> None:
        tail = element.tail
        if tail and not tail.isspace():
            self.notes.add(
                f"stray text after </{name}> ignored",
                record, element.sourceline, field=name, value=tail.strip()[:40],
                expected="only whitespace between elements",
            )

    def _holds_elements(self, element: etree._Element, name: str, record: _Record) -> None:
        inner = ", ".join(dict.fromkeys(f"<{local_name(el)}>" for el in element if local_name(el)))
        self.notes.add(
            f"<{name}> holds other elements; only its own text is read",
            record, element.sourceline, field=name, value=inner, expected=f"<{name}> holding only a value",
        )

    def _unexpected(self, element: etree._Element, name: str, parent: str, record: _Record) -> None:
        homes = _HOMES.get(name)
        if homes:
            places = " or ".join(f"<{home}>" for home in dict.fromkeys(homes))
            message = f"<{name}> found inside <{parent}>, where the CIN census does not put it; ignored"
            expected = f"<{name}> inside {places}"
        else:
            message = f"unknown element <{name}> inside <{parent}> ignored, with anything inside it"
            expected = "an element of the CIN census specification"
        self.notes.add(message, record, element.sourceline, field=name, expected=expected)

    def _other_year(self, element: etree._Element, name: str, record: _Record) -> None:
        span, expected = self.out_of_year[name]
        self.notes.add(
            f"<{name}> is collected {span}, but this is a {self.year} return; read anyway",
            record, element.sourceline, field=name, expected=expected,
        )

    # -- results ----------------------------------------------------------------------------

    def tables(self) -> list[RawTable]:
        """The tables to hand on: those the year collects, and any other the file holds rows for."""
        return [self._table(name) for name in self.columns if self.numbers[name] or self._collected(name)]

    def _collected(self, name: str) -> bool:
        table = self.spec.tables[name]
        if self.year is None:
            return table.since is None and table.until is None
        return table.in_year(self.year)

    def _table(self, name: str) -> RawTable:
        return RawTable(
            table=name,
            file=self.file,
            columns={c: pa.array(values, pa.string()) for c, values in self.columns[name].items()},
            rows=pa.array(self.numbers[name], pa.int32()),
            lines=pa.array(self.lines[name], pa.int32()),
        )
