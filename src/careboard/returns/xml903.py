"""Read and write the SSDA903 single-file XML return (``<EXPSSDA903>``).

Some case-management systems export the children-looked-after return as one XML file instead of
the DfE's set of CSV tables.  This module turns that file into the same tables, with the same
column names, as the CSV layout (``spec/ssda903.yaml``), so that everything downstream of the
readers (``conform``, validation, the store) never needs to know which layout a return came in.

Layout (CLA.xsd, "Expanded SSDA903 Return 2021", and the D2I validator's fake return)::

    <EXPSSDA903>
      <CHILD>
        <HEADER>
          CHILDID UPN SEX DOB ETHNIC UASC DUC                       (Header, UASC)
          DATE_INT DATE_MATCH FOSTER_CARE NB_ADOPTR SEX_ADOPTR LS_ADOPTR   (AD1)
          IN_TOUCH ACTIV ACCOM                                      (OC3)
          <AMISSING>*  MISSING MIS_START MIS_END                    (Missing)
          <AREVIEW>*   REVIEW REVIEW_CODE                           (Reviews)
          MOTHER MC_DOB                                             (Header)
          <PERMANENCE>? PREV_PERM LA_PERM DATE_PERM                 (PrevPerm)
          <OC2>?       SDQ_SCORE ... INTERVENTION_OFFERED           (OC2)
          <AD_PLACED>* DATE_PLACED DATE_PLACED_CEASED REASON_PLACED_CEASED (PlacedAdoption)
        </HEADER>
        <EPISODE>*     DECOM RNE LS CIN PL PL_POST HOME_POST URN PLACE_PROVIDER DEC REC
                       REASON_PLACE_CHANGE                          (Episodes)
        <SWEPISODE>*   SW_ID SW_DECOM SW_DEC SW_REASON              (SWEpisodes, see below)
        <DOLO>*        DOLO_START DOLO_END                          (DoLo, see below)
      </CHILD>
    </EXPSSDA903>

Renames: ``CHILDID`` becomes ``CHILD`` and ``PL`` becomes ``PLACE``.  Child-level fields are copied
onto the rows of the other tables as the CSV layout has them (DOB on every table but Episodes;
UASC.SEX from the header SEX).  Row rules, as the CSV layout implies:

* a UASC row when ``<UASC>`` or ``<DUC>`` has text (``<UASC>`` itself is a one-character flag
  with no CSV column; the UASC table holds CHILD, SEX, DOB, DUC).  ``<UASC>0</UASC>`` with no DUC
  is read as the flag saying "not UASC" and makes no row; the writer writes ``<UASC>1</UASC>``;
* an OC3 row when IN_TOUCH, ACTIV or ACCOM has text; an AD1 row when any AD1 field has text;
* one row per group element (AREVIEW, AMISSING, OC2, PERMANENCE, AD_PLACED, EPISODE, SWEPISODE,
  DOLO), even if the element is empty, since an empty group is itself something to report.

Social-worker episodes (from 2023/24) and deprivation-of-liberty orders (2026/27) postdate
CLA.xsd, and no published XML layout for them was available when this was written.  careboard
reads and writes them as ``<SWEPISODE>`` (SW_ID, SW_DECOM, SW_DEC, SW_REASON) and ``<DOLO>``
(DOLO_START, DOLO_END), repeated directly inside ``<CHILD>`` after the episodes.  If a real
export uses other names they are reported as unknown elements (never dropped silently), and the
names here are the one place to change.  Groups found at the other level (an AREVIEW directly
inside CHILD, say) are read, with a warning.

Cells are the element text exactly as found; an empty element (``<UASC />``) reads as None, the
same as an absent one, and trimming or upper-casing is left to ``conform`` (which reports it).

Record numbers: every RawTable's ``rows`` is the 1-based ordinal of that table's record in the
file (the 7th ``<EPISODE>`` is Episodes row 7; the 3rd UASC row is UASC row 3), and ``lines`` the
XML source line of the element the row came from.  Many exports put the whole return on one line,
so the record number is what an analyst should search by; warnings also name the CHILD record and
its CHILDID.

The header of CLA.xsd carries no local-authority code or collection year, so ``la_code`` and
``year`` are always None for a schema-conforming file; they are on ``Xml903Read`` so callers can
treat this reader like the CIN census reader, whose header does carry them.

Speed: the tree is parsed once by libxml2 (``safe_xml.parse``: no DTDs or entities) and walked
once; cells are gathered into plain Python lists per column and turned into one Arrow array per
column at the end.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from lxml import etree

from careboard.returns.issues import Issue, ReturnError
from careboard.returns.raw import RawTable, SourceFile
from careboard.returns.safe_xml import local_name, parse
from careboard.returns.spec import ssda903

ROOT = "EXPSSDA903"

# Spec column -> XML element name, where they differ.
_XML_NAME = {"CHILD": "CHILDID", "PLACE": "PL"}

# Text fields directly inside HEADER, by the table they feed.  (In CLA.xsd MOTHER and MC_DOB come
# after the AMISSING/AREVIEW groups; _HEADER_SEQUENCE below gives the full order for writing.)
_HEADER_FIELDS = ("CHILDID", "UPN", "SEX", "DOB", "ETHNIC", "MOTHER", "MC_DOB")
_UASC_FIELDS = ("UASC", "DUC")
_AD1_FIELDS = ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")
_OC3_FIELDS = ("IN_TOUCH", "ACTIV", "ACCOM")

# Repeating (or optional) groups: element -> (table, the level the element belongs in).
_GROUPS: dict[str, tuple[str, str]] = {
    "AMISSING": ("Missing", "HEADER"),
    "AREVIEW": ("Reviews", "HEADER"),
    "PERMANENCE": ("PrevPerm", "HEADER"),
    "OC2": ("OC2", "HEADER"),
    "AD_PLACED": ("PlacedAdoption", "HEADER"),
    "EPISODE": ("Episodes", "CHILD"),
    "SWEPISODE": ("SWEpisodes", "CHILD"),
    "DOLO": ("DoLo", "CHILD"),
}

# Columns a table takes from the child (its HEADER) rather than from its own element.
_CHILD_LEVEL = {"CHILD", "DOB", "SEX"}

# Full element order inside HEADER (CLA.xsd); groups are written where they stand here.
_HEADER_SEQUENCE = (
    "CHILDID", "UPN", "SEX", "DOB", "ETHNIC", "UASC", "DUC",
    *_AD1_FIELDS, *_OC3_FIELDS,
    "AMISSING", "AREVIEW", "MOTHER", "MC_DOB", "PERMANENCE", "OC2", "AD_PLACED",
)
# Elements CLA.xsd requires but allows to be empty: written as <X/> when the value is None so that
# the file stays schema-valid (the reader reads an empty element back as None).
_REQUIRED_EMPTY_OK = {"UPN", "UASC", "MISSING", "MIS_START", "DATE_PLACED", "DEC", "REC"}
# Order of leaf fields inside each group element (CLA.xsd; SWEPISODE/DOLO careboard's own).
_GROUP_FIELDS: dict[str, tuple[str, ...]] = {
    "AMISSING": ("MISSING", "MIS_START", "MIS_END"),
    "AREVIEW": ("REVIEW", "REVIEW_CODE"),
    "PERMANENCE": ("PREV_PERM", "LA_PERM", "DATE_PERM"),
    "OC2": (
        "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK",
        "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED",
    ),
    "AD_PLACED": ("DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
    "EPISODE": (
        "DECOM", "RNE", "LS", "CIN", "PL", "PL_POST", "HOME_POST", "URN", "PLACE_PROVIDER",
        "DEC", "REC", "REASON_PLACE_CHANGE",
    ),
    "SWEPISODE": ("SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
    "DOLO": ("DOLO_START", "DOLO_END"),
}
_HEADER_LEAVES = frozenset(_HEADER_FIELDS + _UASC_FIELDS + _AD1_FIELDS + _OC3_FIELDS)
_ALL_LEAVES = _HEADER_LEAVES.union(*_GROUP_FIELDS.values())
_EXPECTED_LAYOUT = "an element of the SSDA903 XML layout (CLA.xsd)"


@dataclass
class Xml903Read:
    """What one EXPSSDA903 file holds: a RawTable per table that has rows, plus file-level facts.

    ``warnings`` are about the file's structure (unknown or misplaced elements); they are not
    repeated on the tables, so a caller should keep both these and conform's warnings.
    """

    tables: list[RawTable]
    la_code: str | None = None
    year: int | None = None
    warnings: list[Issue] = field(default_factory=list)


# ----------------------------------------------------------------------------------------------
# Reading


class _Rows:
    """One table's cells as found, gathered into one Python list per spec column.

    Each cell is appended while the walk has it in hand (and in cache); one Arrow array per column
    is made at the end.  Copies of child-level values (CHILD, DOB, SEX) are appended from the
    child's Header fields.
    """

    def __init__(self, table: str, columns: tuple[str, ...], own: frozenset[str]) -> None:
        self.table = table
        self.columns = columns
        self.own = own  # XML field names held by the row's own element(s)
        self.values: dict[str, list[str | None]] = {c: [] for c in columns}
        self.lines: list[int | None] = []
        plan = [(c, _XML_NAME.get(c, c)) for c in columns]
        self.from_element = [(self.values[c], x) for c, x in plan if c not in _CHILD_LEVEL or x in own]
        self.from_child = [(self.values[c], x) for c, x in plan if c in _CHILD_LEVEL and x not in own]

    def add(self, cells: dict[str, str | None], child: dict[str, str | None], line: int | None) -> None:
        """Append one row: its own fields from ``cells``, child-level ones from ``child``."""
        for values, name in self.from_element:
            values.append(cells.get(name))
        for values, name in self.from_child:
            values.append(child.get(name))
        self.lines.append(line)

    def raw(self, file: SourceFile) -> RawTable:
        return RawTable(
            table=self.table,
            file=file,
            columns={c: pa.array(v, pa.string()) for c, v in self.values.items()},
            rows=pa.array(range(1, len(self.lines) + 1), pa.int32()),
            lines=pa.array(self.lines, pa.int32()),
        )


class _Notes:
    """Warnings about structure, one per kind with a count and the first place it happened."""

    def __init__(self, file: SourceFile) -> None:
        self.file = file
        self.first: dict[tuple[str, str, str], Issue] = {}
        self.counts: dict[tuple[str, str, str], int] = {}
        self.errors: list[Issue] = []

    def warn(self, kind: str, tag: str, parent: str, child_no: int | None, child_id: str | None,
             line: int | None, message: str, value: str | None = None) -> None:
        """Record ``message`` about element ``tag`` (``child_no`` None: outside any CHILD)."""
        key = (kind, tag, parent)
        if key in self.counts:
            self.counts[key] += 1
            return
        self.counts[key] = 1
        if child_no is not None:  # outside any CHILD, the line (in Issue.where) says it all
            message += f", first in CHILD record {child_no}" + (f" (CHILDID {child_id})" if child_id else "")
        self.first[key] = Issue(
            file=self.file.name,
            message=message,
            row=child_no,
            line=line,
            field=tag,
            value=value,
            expected=_EXPECTED_LAYOUT,
        )

    def issues(self) -> list[Issue]:
        return [replace(issue, count=self.counts[key]) for key, issue in self.first.items()]


def _has_text(text: str | None) -> bool:
    return text is not None and text.strip() != ""


def read_ssda903_xml(file: SourceFile, root: etree._Element | None = None) -> Xml903Read:
    """The tables in an EXPSSDA903 file, as text cells; ReturnError if it cannot be read at all.

    Only structure is checked here (root, CHILDID present, unknown elements); values are typed and
    checked by ``conform`` exactly as for the CSV layout.  ``root``: the file already parsed with
    ``safe_xml.parse`` (the reader sniffs the root element first), so it is not parsed twice.
    """
    root = parse(file) if root is None else root
    if "}" in str(root.tag):
        # A namespaced export: element names are what matter, so drop the namespace once here.
        for element in root.iter():
            if isinstance(element.tag, str):
                element.tag = local_name(element)
    if root.tag != ROOT:
        raise ReturnError(
            [
                Issue(
                    file.name,
                    f"this is not an SSDA903 XML return: its root element is <{root.tag}>",
                    line=root.sourceline,
                    value=str(root.tag),
                    expected=f"<{ROOT}> (children looked after return)",
                )
            ]
        )
    spec_tables = ssda903().tables
    notes = _Notes(file)
    header = _Rows("Header", spec_tables["Header"].column_names, frozenset(_HEADER_FIELDS))
    # Tables made from HEADER fields: a row when any of these fields has text.
    simple = [
        (_Rows(name, spec_tables[name].column_names, frozenset(own)), own)
        for name, own in (("UASC", _UASC_FIELDS), ("OC3", _OC3_FIELDS), ("AD1", _AD1_FIELDS))
    ]
    groups_rows = {
        tag: (_Rows(table, spec_tables[table].column_names, frozenset(_GROUP_FIELDS[tag])), home)
        for tag, (table, home) in _GROUPS.items()
    }
    visited = 1  # elements looked at, to detect anything nested deeper than the layout allows

    child_no = 0
    for child in root:
        visited += 1
        if child.tag != "CHILD":
            notes.warn("unknown", str(child.tag), ROOT, None, None, child.sourceline,
                       f"unknown element <{child.tag}> directly inside <{ROOT}> ignored")
            visited += sum(1 for _ in child.iterdescendants())
            continue
        child_no += 1
        head = child.find("HEADER")
        if head is None:
            notes.errors.append(Issue(
                file.name, f"CHILD record {child_no} has no <HEADER>, so no CHILDID",
                row=child_no, line=child.sourceline, field="CHILDID",
                expected="<HEADER><CHILDID>...</CHILDID>...</HEADER> in every <CHILD>",
            ))
            continue
        visited += 1
        # Text of each header field (the first, if repeated); group elements kept for later.
        fields: dict[str, str | None] = {}
        groups: list[tuple[etree._Element, str, str]] = []
        for element in head:
            tag = element.tag
            if tag not in _HEADER_LEAVES:
                groups.append((element, tag, "HEADER"))
                continue
            visited += 1
            if tag in fields:
                notes.warn("repeat", tag, "HEADER", child_no, fields.get("CHILDID"),
                           element.sourceline, f"<{tag}> repeated inside <HEADER>; the first kept",
                           value=element.text)
            else:
                fields[tag] = element.text
        child_id = fields.get("CHILDID")
        if not _has_text(child_id):
            notes.errors.append(Issue(
                file.name, f"CHILD record {child_no} has no CHILDID",
                row=child_no, line=head.sourceline, field="CHILDID", value=child_id,
                expected="a child identifier in <HEADER><CHILDID>",
            ))
            continue
        groups.extend((element, element.tag, "CHILD") for element in child if element is not head)

        header.add(fields, fields, head.sourceline)
        for rows, own in simple:
            present = [f for f in own if (text := fields.get(f)) is not None and text.strip()]
            if present == ["UASC"] and fields["UASC"].strip() == "0":
                present = []  # <UASC>0</UASC> with no DUC: the flag saying "not UASC"
            if present:
                rows.add(fields, fields, head.find(present[0]).sourceline)

        for element, tag, parent in groups:
            target = groups_rows.get(tag)
            if target is None:
                what = "a second <HEADER>" if tag == "HEADER" else f"unknown element <{tag}>"
                notes.warn("unknown", str(tag), parent, child_no, child_id, element.sourceline,
                           f"{what} inside <{parent}> ignored")
                visited += 1 + sum(1 for _ in element.iterdescendants())
                continue
            rows, home = target
            if parent != home:
                notes.warn("misplaced", tag, parent, child_no, child_id, element.sourceline,
                           f"<{tag}> found inside <{parent}>, expected inside <{home}>; read anyway")
            n = len(element)
            visited += 1 + n
            cells = {e.tag: e.text for e in element}
            if len(cells) != n or not rows.own.issuperset(cells):
                cells = _group_cells(element, rows.own, notes, child_no, child_id)
            # rows.add(cells, fields, line), inlined: this is the innermost loop of the reader.
            for values, name in rows.from_element:
                values.append(cells.get(name))
            for values, name in rows.from_child:
                values.append(fields.get(name))
            rows.lines.append(element.sourceline)

    if notes.errors:
        raise ReturnError(notes.errors)
    if int(root.xpath("count(//*)")) != visited:
        _nested_leaves(root, notes)
    if child_no == 0:
        notes.warn("empty", "CHILD", ROOT, None, None, root.sourceline,
                   f"the return holds no <CHILD> records inside <{ROOT}>")
    all_rows = [header, *(rows for rows, _own in simple), *(rows for rows, _home in groups_rows.values())]
    order = list(spec_tables)
    tables = [r.raw(file) for r in sorted(all_rows, key=lambda r: order.index(r.table)) if r.lines]
    return Xml903Read(tables=tables, la_code=None, year=None, warnings=notes.issues())


def _group_cells(element: etree._Element, own: frozenset[str], notes: _Notes,
                 child_no: int, child_id: str | None) -> dict[str, str | None]:
    """A group's fields the slow way, warning about unknown and repeated elements."""
    tag = element.tag
    cells: dict[str, str | None] = {}
    for sub in element:
        name = sub.tag
        if name not in own:
            notes.warn("unknown", str(name), tag, child_no, child_id, sub.sourceline,
                       f"unknown element <{name}> inside <{tag}> ignored")
            continue
        if name in cells:
            notes.warn("repeat", name, tag, child_no, child_id, sub.sourceline,
                       f"<{name}> repeated inside one <{tag}>; the first kept", value=sub.text)
            continue
        cells[name] = sub.text
    return cells


def _nested_leaves(root: etree._Element, notes: _Notes) -> None:
    """Warn about elements nested inside what should be a text-only field (e.g. <DOB><X/></DOB>)."""
    child_no = 0
    for child in root:
        if child.tag != "CHILD":
            continue
        child_no += 1
        child_id = child.findtext("HEADER/CHILDID")
        headers = list(child.iterfind("HEADER"))
        containers = headers + [e for h in headers for e in h if e.tag in _GROUPS]
        containers += [e for e in child if e.tag in _GROUPS]
        for container in containers:
            for leaf in container:
                if leaf.tag not in _ALL_LEAVES:
                    continue
                for inner in leaf.iterdescendants():
                    notes.warn("nested", str(inner.tag), str(leaf.tag), child_no, child_id,
                               inner.sourceline,
                               f"unexpected element <{inner.tag}> inside the field <{leaf.tag}> ignored")


# ----------------------------------------------------------------------------------------------
# Writing

TableInput = Mapping[str, Sequence[Mapping[str, str | None]] | pa.Table | pa.RecordBatch]


def _columns_of(name: str, data: Any, known: tuple[str, ...]) -> dict[str, list[str | None]]:
    """A table's columns as lists of text; dates and numbers in Arrow tables become DfE text."""
    if isinstance(data, pa.Table | pa.RecordBatch):
        unknown = [c for c in data.column_names if c not in known]
        if unknown:
            raise ValueError(f"{name}: columns {unknown} are not SSDA903 {name} columns {list(known)}")
        out: dict[str, list[str | None]] = {}
        for c in data.column_names:
            column = data.column(c)
            if pa.types.is_date(column.type) or pa.types.is_timestamp(column.type):
                column = pc.strftime(column, format="%d/%m/%Y")
            elif not pa.types.is_string(column.type) and not pa.types.is_large_string(column.type):
                column = column.cast(pa.string())
            out[c] = column.to_pylist()
        return out
    rows = list(data)
    out = {c: [] for c in known}
    for i, row in enumerate(rows):
        unknown = [c for c in row if c not in known]
        if unknown:
            raise ValueError(f"{name} row {i + 1}: columns {unknown} are not SSDA903 {name} columns")
        for c in known:
            out[c].append(row.get(c))
    return out


def _by_child(name: str, columns: dict[str, list[str | None]]) -> dict[str, list[int]]:
    """Row numbers of each child's rows, so the writer can nest them under the child."""
    ids = columns.get("CHILD")
    if ids is None:
        raise ValueError(f"{name}: a CHILD column is needed to place rows in the XML")
    out: dict[str, list[int]] = {}
    for i, child in enumerate(ids):
        if child is None:
            raise ValueError(f"{name} row {i + 1}: CHILD is empty")
        out.setdefault(child, []).append(i)
    return out


def write_ssda903_xml(tables: TableInput, path: Path) -> None:
    """Write tables keyed by spec table name as one EXPSSDA903 XML file, in CLA.xsd order.

    The inverse of ``read_ssda903_xml``, for synthetic returns and round-trip tests.  Values are
    written as given (DfE text: dates dd/mm/yyyy); date columns of Arrow tables are formatted so.
    One ``<CHILD>`` per Header row, in Header order.  None is omitted, except for elements CLA.xsd
    requires but allows empty (UPN, UASC, DEC, REC, ...), which are written empty.  Child-level
    copies (DOB on Reviews etc., UASC.SEX) come from the Header, as the XML holds them only once.
    UASC, OC3 and AD1 live in HEADER fields, so more than one such row per child is refused; more
    than one PrevPerm or OC2 row is written (and read back) although CLA.xsd allows only one.
    An OC3 or AD1 row whose every field is None has nothing to write, so does not come back.
    Raises ValueError for unknown tables or columns, a missing Header, or rows whose CHILD is
    empty or not in the Header, rather than dropping anything silently.
    """
    spec_tables = ssda903().tables
    unknown_tables = [t for t in tables if t not in spec_tables]
    if unknown_tables:
        raise ValueError(f"unknown SSDA903 tables {unknown_tables}; expected some of {list(spec_tables)}")
    if "Header" not in tables:
        raise ValueError("a Header table is needed: it says which children the file holds")
    data: dict[str, tuple[dict[str, list[str | None]], dict[str, list[int]]]] = {}
    for name, table in tables.items():
        columns = _columns_of(name, table, spec_tables[name].column_names)
        data[name] = (columns, _by_child(name, columns))

    header_cols, header_index = data["Header"]
    for name, (_c, index) in data.items():
        stray = [c for c in index if c not in header_index]
        if stray:
            raise ValueError(
                f"{name}: CHILD {stray[0]!r} (and {len(stray) - 1} more) is not in the Header table"
            )
        if name in ("UASC", "OC3", "AD1", "Header"):
            many = [c for c, rows in index.items() if len(rows) > 1]
            if many:
                raise ValueError(
                    f"{name}: CHILD {many[0]!r} has {len(index[many[0]])} rows; the XML holds one"
                )

    def value(name: str, column: str, i: int) -> str | None:
        col = data[name][0].get(column)
        return None if col is None else col[i]

    def leaf(parent: etree._Element, tag: str, text: str | None) -> None:
        if text is None and tag not in _REQUIRED_EMPTY_OK:
            return
        etree.SubElement(parent, tag).text = text

    def groups(parent: etree._Element, tag: str, child: str) -> None:
        table = _GROUPS[tag][0]
        if table not in data:
            return
        for i in data[table][1].get(child, ()):
            element = etree.SubElement(parent, tag)
            for field_name in _GROUP_FIELDS[tag]:
                column = "PLACE" if field_name == "PL" else field_name
                leaf(element, field_name, value(table, column, i))

    def single(table: str, child: str) -> int | None:
        if table not in data:
            return None
        rows = data[table][1].get(child)
        return rows[0] if rows else None

    root = etree.Element(ROOT)
    for h, child in enumerate(header_cols["CHILD"]):
        child_el = etree.SubElement(root, "CHILD")
        head = etree.SubElement(child_el, "HEADER")
        uasc, ad1, oc3 = single("UASC", child), single("AD1", child), single("OC3", child)
        for tag in _HEADER_SEQUENCE:
            if tag in _GROUPS:
                groups(head, tag, child)
            elif tag == "UASC":
                leaf(head, tag, "1" if uasc is not None else None)
            elif tag == "DUC":
                leaf(head, tag, value("UASC", "DUC", uasc) if uasc is not None else None)
            elif tag in _AD1_FIELDS:
                leaf(head, tag, value("AD1", tag, ad1) if ad1 is not None else None)
            elif tag in _OC3_FIELDS:
                leaf(head, tag, value("OC3", tag, oc3) if oc3 is not None else None)
            else:
                leaf(head, tag, value("Header", "CHILD" if tag == "CHILDID" else tag, h))
        for tag in ("EPISODE", "SWEPISODE", "DOLO"):
            groups(child_el, tag, child)
    etree.ElementTree(root).write(str(path), xml_declaration=True, encoding="UTF-8", pretty_print=True)
