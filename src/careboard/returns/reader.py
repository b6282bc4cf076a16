"""Read the files a user names into complete, typed returns, ready for the store.

Files are recognised by content (a CSV header row, an XML root element), not by name.  CSV files
are grouped into one return per authority and collection year (taken from the command line, the
file contents, or folder and file names such as ``886/2025-26/``); each XML file is a return of
its own.  Every error in every file is collected before anything is reported, so one run tells
the analyst everything that needs fixing.

What the user says and what the files say must agree: ``--la``, the folder or file names, an XML
header's authority and the authority the UPNs carry; ``--year``, the names and an XML header's
year; and no table's dates may belong wholly to another year (``coherence.py``).  A file found in a
folder that is clearly not a return (a README, a synth errors manifest) is skipped with a warning;
a file named on the command line must be a return.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from careboard import authorities, years
from careboard.authorities import Authority, AuthorityError
from careboard.progress import SILENT, Progress
from careboard.returns import capacity_changes, coherence
from careboard.returns.conform import (
    INVALID_SCHEMA,
    NORMALISATION_SCHEMA,
    POSITION_SCHEMA,
    arrow_type,
    conform,
)
from careboard.returns.csv903 import read_csv_table
from careboard.returns.issues import Issue, ReturnError
from careboard.returns.raw import RawTable, SourceFile
from careboard.returns.spec import ReturnSpec, load_spec

KINDS = {"ssda903": "SSDA903", "cin": "CIN census", "extract": "Local extract", "csww": "CSWW census"}
SPEC_FOR_KIND = {"ssda903": "ssda903", "cin": "cin_census", "extract": "local_extracts", "csww": "csww"}
_SUFFIXES = {".csv", ".xml", ".txt"}
# Folders that arrange returns rather than name them: a folder's authority is looked for in the
# names from the file up to the first folder that is none of these (``886/ssda903/2025-26/``).
_LAYOUT_FOLDERS = {"ssda903", "903", "cin", "cin_census", "extracts", "csv", "xml", "csww"}
# A CSV header this unlike every table (share of columns in common) is clearly not a return.
_NOT_A_RETURN_BELOW = 0.4
# Planning inputs in docs/extracts.md that only ``careboard forecast --capacity FOLDER`` reads (the
# authority's own map, not a collection year), by the columns their header row must hold.  They may
# sit in the extracts folder: a folder load skips them, saying so.  (capacity_changes.csv loads.)
FORECAST_INPUTS = {"areas.csv": ("KEY", "AREA")}


@dataclass
class ParsedReturn:
    """One authority's return for one collection year, typed and complete."""

    kind: str  # 'ssda903', 'cin', 'extract' or 'csww'
    authority: Authority
    year: int
    files: list[SourceFile]
    formats: list[str]  # 'csv' or 'xml', one per file
    tables: dict[str, pa.Table]  # every table of the year's spec, empty where not supplied
    warnings: list[Issue] = field(default_factory=list)
    # Values that could not be typed (read with strict=False only): each is null in ``tables``.
    # The first few per column as issues; every one of them in ``invalid_cells``.
    type_errors: list[Issue] = field(default_factory=list)
    # The tables the files held (a header-only file holds its table), each with the indices into
    # ``files`` of the files holding it; tables of the spec not here were not supplied at all.
    table_files: dict[str, list[int]] = field(default_factory=dict)
    invalid_cells: pa.Table = field(default_factory=INVALID_SCHEMA.empty_table)
    # Every normalisation ``conform`` made, cell by cell, and each row's data row and file line.
    normalisations: pa.Table = field(default_factory=NORMALISATION_SCHEMA.empty_table)
    positions: pa.Table = field(default_factory=POSITION_SCHEMA.empty_table)
    # The return's own header as found (a CIN census's <Header> leaves); empty for a CSV set.
    header: dict[str, str | None] = field(default_factory=dict)

    @property
    def row_count(self) -> int:
        return sum(t.num_rows for t in self.tables.values())

    @property
    def location(self) -> Path:
        """Where the return is: the XML file, or the folder holding the CSV set."""
        if self.formats and self.formats[0] == "xml":
            return self.files[0].path
        return self.files[0].path.parent

    def describe(self) -> str:
        return f"{KINDS[self.kind]} {self.authority.code} {self.authority.name} {years.label(self.year)}"


@dataclass
class _Group:
    kind: str
    fmt: str
    files: list[SourceFile]
    raws: list[RawTable]
    la_code: str | None = None  # as the file's own header says
    year: int | None = None  # as the file's own header says (XML), or as the names say (CSV)
    warnings: list[Issue] = field(default_factory=list)
    path_year: int | None = None  # as the folder or file names say
    header: dict[str, str | None] = field(default_factory=dict)  # an XML return's own header leaves

    @property
    def label(self) -> str:
        """How messages name this group: the XML file, or the folder holding the CSV set."""
        if self.fmt == "xml":
            return self.files[0].name
        return f"CSV set in {self.files[0].path.parent}/ ({len(self.files)} files)"


def expand(paths: list[Path]) -> tuple[list[Path], list[Issue]]:
    """Files named, and files under folders named (sorted); other files in folders are skipped."""
    files: list[Path] = []
    errors: list[Issue] = []
    for path in paths:
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in _SUFFIXES:
                    files.append(p)
        elif path.is_file():
            files.append(path)
        else:
            errors.append(Issue(str(path), "no such file or folder"))
    if not files and not errors:
        archives = [p.name for path in paths if path.is_dir() for p in sorted(path.rglob("*.zip")) if p.is_file()]
        hint = (f"; {', '.join(archives[:3])}{' ...' if len(archives) > 3 else ''}: zip archive(s), which careboard "
                "does not open (extract the files first)") if archives else ""
        errors.append(Issue(", ".join(map(str, paths)), f"no .csv or .xml files found{hint}", expected="return files"))
    return files, errors


def read_returns(
    paths: list[Path],
    la: str | None = None,
    year: int | None = None,
    on_file: Callable[[SourceFile], None] | None = None,
    strict: bool = True,
    progress: Progress = SILENT,
    skipped: list[Issue] | None = None,
) -> list[ParsedReturn]:
    """Every return in ``paths``; ReturnError listing every problem if any file cannot be read.

    ``on_file`` is called after each file is read; ``progress`` hears of bytes read and returns
    checked (careboard.progress).  With ``strict=False``
    (validation), values that cannot be typed do not stop the read: they become nulls and are
    listed in ``ParsedReturn.invalid_cells`` (all of them; the first few per column also as
    ``type_errors``) for the DfE validity rules to report, and a table dated wholly in another
    year is not refused.  Files found in folders that are clearly not returns are skipped, each
    with a warning appended to ``skipped`` when it is given.
    """
    files, errors = expand(paths)
    named = {p.resolve() for p in paths if p.is_file()}
    given_la = _given_authority(la)
    groups: dict[tuple, _Group] = {}
    progress.begin(f"Reading {len(files)} file(s)", total=sum(_size(p) for p in files))
    for path in files:
        try:
            source = SourceFile.read(path)
        except OSError as exc:
            errors.append(Issue(str(path), f"cannot read the file: {exc.strerror}"))
            continue
        try:
            note = _add_file(groups, source, path.resolve() in named)
        except ReturnError as exc:
            errors += exc.errors
        else:
            if note is not None and skipped is not None:
                skipped.append(note)
        if on_file is not None:
            on_file(source)
        progress.advance(source.size)
    returns: list[ParsedReturn] = []
    progress.begin(f"Checking {len(groups)} return(s)", total=len(groups))
    # Extracts without a year of their own are loaded as at the latest SSDA903 year read with them.
    ordered = sorted(groups.values(), key=lambda g: g.kind == "extract")
    for group in ordered:
        latest: dict[str, int] = {}
        for r in returns:
            if r.kind == "ssda903":
                latest[r.authority.code] = max(r.year, latest.get(r.authority.code, r.year))
        try:
            returns.append(_finish(group, given_la, year, strict, latest))
        except ReturnError as exc:
            errors += exc.errors
        progress.advance()
    errors += _clashes(returns)
    if errors:
        raise ReturnError(errors)
    return sorted(returns, key=lambda r: (r.kind, r.authority.code, r.year))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _clashes(returns: list[ParsedReturn]) -> list[Issue]:
    """Two sets of files claiming to be the same authority's return for the same year."""
    by_key: dict[tuple, list[ParsedReturn]] = defaultdict(list)
    for r in returns:
        by_key[(r.kind, r.authority.code, r.year)].append(r)
    return [
        Issue(
            same[0].files[0].name,
            f"more than one {same[0].describe()} return given (from "
            + "; ".join(str(r.files[0].path.parent) for r in same)
            + "); load one at a time",
        )
        for same in by_key.values()
        if len(same) > 1
    ]


def _given_authority(la: str | None) -> Authority | None:
    if la is None:
        return None
    try:
        return authorities.resolve(la)
    except AuthorityError as exc:
        raise ReturnError([Issue("--la", str(exc), value=la)]) from None


def _sniff_xml(source: SourceFile) -> bool:
    head = source.data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<")


def _add_file(groups: dict[tuple, _Group], source: SourceFile, named: bool) -> Issue | None:
    """Add a file to its group; a warning instead when a file found in a folder is not a return."""
    if _sniff_xml(source):
        return _add_xml(groups, source, named)
    try:
        kind, raw = _read_csv(source)
    except ReturnError:
        planning = _forecast_input(source)
        if planning is not None:
            note = (f"a forecast planning input ({planning}, docs/extracts.md), read by careboard forecast "
                    "--capacity FOLDER, not loaded")
            if named:
                raise ReturnError([Issue(source.name, note, line=1)]) from None
            return Issue(source.name, f"skipped: {note}", line=1)
        if named or not _clearly_not_a_return(source):
            raise
        return Issue(
            source.name,
            "skipped: not a return or a documented local extract (its header row is unlike every "
            "SSDA903 table and every extract in docs/extracts.md)",
            line=1,
            value=_header_text(source)[:80],
        )
    path_year = _year_from_path(source)
    key = (kind, "csv", str(source.path.parent), path_year)
    group = groups.setdefault(key, _Group(kind, "csv", [], [], year=path_year, path_year=path_year))
    group.files.append(source)
    group.raws.append(raw)
    return None


def _read_csv(source: SourceFile) -> tuple[str, RawTable]:
    """A CSV file as a 903 table or, failing that, a documented local extract (by its header row)."""
    try:
        return "ssda903", read_csv_table(source, load_spec("ssda903"))
    except ReturnError as as_return:
        try:
            return "extract", read_csv_table(source, load_spec("local_extracts"))
        except ReturnError:
            raise as_return from None


def _header_text(source: SourceFile) -> str:
    """The first line of a file, as text ('' when it is not text)."""
    try:
        text = source.data[:4096].decode("utf-8-sig")
    except UnicodeDecodeError:
        return ""
    return text.splitlines()[0] if text.strip() else ""


def _forecast_input(source: SourceFile) -> str | None:
    """The FORECAST_INPUTS layout whose columns the file's header row holds, if any."""
    import csv

    present = {c.strip().lstrip("\ufeff").upper() for c in next(csv.reader([_header_text(source)]), [])}
    return next((name for name, cols in FORECAST_INPUTS.items() if set(cols) <= present), None)


def _clearly_not_a_return(source: SourceFile) -> bool:
    """A readable text file whose first row shares too few columns with every table careboard reads.

    Files that might be a damaged return (empty, binary, another encoding, a near-miss header) are
    not clearly anything, so they stay errors.
    """
    import csv

    header = _header_text(source)
    if not header or b"\x00" in source.data[:4096]:
        return False
    present = {c.strip().lstrip("\ufeff").upper() for c in next(csv.reader([header]), [])} - {""}
    if not present:
        return False
    best = 0.0
    for spec_name in ("ssda903", "local_extracts"):
        for table in load_spec(spec_name).tables.values():
            cols = set(table.column_names)
            best = max(best, len(cols & present) / len(cols | present))
    return best < _NOT_A_RETURN_BELOW


def naming_parts(path: Path) -> list[str]:
    """The names that can name a file's authority: the file's own, then its folders up to the
    first that is not a year or layout folder (``886`` in ``886/ssda903/2025-26/Header.csv``).

    Folders further up (a home folder, ``/tmp/pytest-123``) say nothing about the return.
    """
    parts = [path.stem]
    for parent in path.resolve().parents:
        if not parent.name:
            break
        parts.append(parent.name)
        if not _arranges(parent.name):
            break
    return parts


def _arranges(name: str) -> bool:
    """A folder that arranges returns by year or kind ('2025-26', 'ssda903', 'extracts-2025-26')."""
    if re.fullmatch(r"20\d\d", name) or years.infer_year([Path(name)]) is not None:
        return True
    return any(word in _LAYOUT_FOLDERS for word in re.split(r"[^a-z0-9]+", name.lower()))


def _year_from_path(source: SourceFile) -> int | None:
    try:
        return years.infer_year([source.path.resolve()])
    except years.YearError as exc:
        raise ReturnError([Issue(source.name, str(exc))]) from None


def _add_xml(groups: dict[tuple, _Group], source: SourceFile, named: bool) -> Issue | None:
    from careboard.returns import safe_xml

    root = safe_xml.parse(source)
    name = safe_xml.local_name(root)
    expected = "<EXPSSDA903> (SSDA903) or <Message> (CIN census or CSWW census)"
    if name not in ("EXPSSDA903", "Message") and not named:
        return Issue(
            source.name,
            f"skipped: XML root element <{name}> is not a return careboard reads",
            value=name,
            expected=expected,
        )
    from careboard.returns import csww_xml

    if name == "EXPSSDA903":
        from careboard.returns.xml903 import read_ssda903_xml

        got = read_ssda903_xml(source, root)
        kind = "ssda903"
    elif csww_xml.is_csww(root):
        got = csww_xml.read_csww_xml(source, root)
        kind = "csww"
    elif name == "Message":
        from careboard.returns.cin_xml import read_cin_xml

        got = read_cin_xml(source, root)
        kind = "cin"
    else:
        raise ReturnError(
            [
                Issue(
                    source.name,
                    f"XML root element <{name}> is not a return careboard reads",
                    value=name,
                    expected=expected,
                )
            ]
        )
    groups[(kind, "xml", str(source.path), None)] = _Group(
        kind, "xml", [source], list(got.tables), got.la_code, got.year, list(got.warnings), _year_from_path(source),
        dict(getattr(got, "header", {})),
    )
    return None


def _finish(
    group: _Group, given_la: Authority | None, given_year: int | None, strict: bool, latest: dict[str, int]
) -> ParsedReturn:
    spec = load_spec(SPEC_FOR_KIND[group.kind])
    parts = [part for f in group.files for part in naming_parts(f.path)]
    stated = _stated_authorities(group, given_la, parts)
    year = _decide_year(group, given_year, stated, latest)
    if not spec.supports(year):
        raise ReturnError(
            [
                Issue(
                    group.label,
                    f"careboard reads {spec.name} returns for {years.label(spec.first_year)} "
                    f"to {years.label(spec.last_year)}",
                    value=years.label(year),
                )
            ]
        )
    typed = _typed_tables(group, spec, year, strict)
    authority = _decide_authority(group, stated, typed)
    ret = ParsedReturn(kind=group.kind, authority=authority, year=year, files=group.files,
                       formats=[group.fmt] * len(group.files), header=dict(group.header), **typed)
    if strict:
        _refuse_wrong_year(ret, spec)
        if ret.kind == "extract":
            found = capacity_changes.problems(ret.tables, ret.positions, [f.name for f in ret.files],
                                              capacity_changes.about(ret.authority.code, ret.year))
            if found:
                raise ReturnError(found)
    return ret


def _stated_authorities(group: _Group, given: Authority | None, parts: list[str]) -> list[tuple[str, Authority]]:
    """Each authority stated for the group, with who states it: --la, the file's header, the names.

    More than one different authority is an error naming each source and what it says.
    """
    stated: list[tuple[str, Authority]] = []
    errors: list[Issue] = []
    if given:
        stated.append(("--la", given))
    if group.la_code:
        try:
            stated.append(("the file's header", authorities.resolve(group.la_code)))
        except AuthorityError:
            errors.append(Issue(group.label, "the file's authority code is not an English authority",
                                value=group.la_code))
    try:
        named = authorities.infer_from_names(parts)
    except AuthorityError as exc:
        errors.append(Issue(group.label, str(exc)))
        named = None
    if named:
        stated.append(("the folder or file names", named))
    if errors:
        raise ReturnError(errors)
    if len({a.code for _, a in stated}) > 1:
        by_code: dict[str, list[str]] = {}
        named_as = {a.code: a for _, a in stated}
        for who, a in stated:
            by_code.setdefault(a.code, []).append(who)
        said = " but ".join(f"{_says(whos)} {code} ({named_as[code].name})" for code, whos in by_code.items())
        raise ReturnError(
            [
                Issue(
                    group.label,
                    f"these disagree about which authority the return is for: {said}. Check which "
                    "council's return this is; put the files in a folder named by its DfE code, or "
                    "pass the matching --la",
                    value=stated[-1][1].code,
                    expected=stated[0][1].code,
                )
            ]
        )
    return stated


def _decide_authority(group: _Group, stated: list[tuple[str, Authority]], typed: dict) -> Authority:
    """The stated authority, checked against the authority the UPNs carry."""
    evidence = coherence.upn_authority(group.kind, typed["tables"])
    upn_file = _file_of(group, typed, coherence.UPN_COLUMN.get(group.kind, ("", ""))[0])
    if not stated:
        hint = (
            f"; the UPNs suggest {evidence.code} ({evidence.name}): {evidence.describe()}" if evidence else ""
        )
        raise ReturnError(
            [
                Issue(
                    group.label,
                    "cannot tell which authority this return is for: pass --la with the 3-digit "
                    "DfE code (e.g. 886 for Kent) or put the code in the folder name" + hint,
                )
            ]
        )
    authority = stated[0][1]
    if evidence and not coherence.upns_agree(evidence, authority.code):
        raise ReturnError(
            [
                Issue(
                    upn_file,
                    f"the UPNs say this return is for {evidence.code} ({evidence.name}) but "
                    f"{_says([w for w, _ in stated])} "
                    f"{authority.code} ({authority.name}): {evidence.describe()}. Check which council's "
                    "return this is before loading it",
                    field=coherence.UPN_COLUMN[group.kind][1],
                    value=evidence.code,
                    expected=authority.code,
                )
            ]
        )
    return authority


def _says(sources: list[str]) -> str:
    """'--la says', '--la and the folder or file names say'."""
    plural = len(sources) > 1 or sources[0].endswith("names")
    return " and ".join(sources) + (" say" if plural else " says")


def _file_of(group: _Group, typed: dict, table: str) -> str:
    """The name of the file that held ``table`` (the group's label when none did)."""
    held = typed["table_files"].get(table)
    return group.files[held[0]].name if held else group.label


def _decide_year(
    group: _Group, given: int | None, stated: list[tuple[str, Authority]], latest: dict[str, int]
) -> int:
    first = group.label
    said: list[tuple[str, int]] = []  # (who says it, with its verb; the year)
    if given is not None:
        said.append(("--year says", given))
    if group.fmt == "xml" and group.year is not None:
        said.append(("the file says", group.year))
    if group.path_year is not None:
        said.append(("the folder or file names say", group.path_year))
    if len({y for _, y in said}) > 1:
        if given is not None and len(said) == 2:
            text = f"{said[1][0]} it is for {years.label(said[1][1])} but --year says {years.label(given)}"
        else:
            text = "these disagree about the collection year: " + " but ".join(
                f"{who} {years.label(y)}" for who, y in said
            )
        raise ReturnError(
            [
                Issue(
                    first,
                    text + "; a return in the wrong year's folder would replace that year's return",
                    value=str(said[-1][1]),
                    expected=str(said[0][1]),
                )
            ]
        )
    if said:
        return said[0][1]
    if group.kind == "extract" and stated and stated[0][1].code in latest:
        year = latest[stated[0][1].code]
        group.warnings.append(
            Issue(first, f"local extract loaded as at {years.label(year)}, the latest SSDA903 year loaded with it")
        )
        return year
    raise ReturnError(
        [
            Issue(
                first,
                "cannot tell which collection year this return is for: pass --year (the year "
                "it ends on, e.g. 2026 for 2025-26) or name the folder like 2025-26",
            )
        ]
    )


def _refuse_wrong_year(ret: ParsedReturn, spec: ReturnSpec) -> None:
    """Refuse a return holding a table whose dates belong wholly to another collection year."""
    errors = []
    for name, spec_table in spec.tables_for(ret.year).items():
        found = coherence.wrong_year(spec_table, ret.tables[name], ret.year)
        if found:
            held = ret.table_files.get(name)
            where = ret.files[held[0]].name if held else str(ret.location)
            errors.append(Issue(where, found.message(ret.year), table=name))
    if errors:
        raise ReturnError(errors)


def _typed_tables(group: _Group, spec: ReturnSpec, year: int, strict: bool) -> dict:
    """Every table of the year's spec, typed by conform; the fields of ParsedReturn that hold them."""
    wanted = spec.tables_for(year)
    errors: list[Issue] = []
    type_errors: list[Issue] = []
    warnings = list(group.warnings)
    seen: dict[str, list[RawTable]] = defaultdict(list)
    for raw in group.raws:
        if raw.table not in wanted:
            warnings.append(
                Issue(
                    raw.file.name,
                    f"the {raw.table} table is not collected in {years.label(year)}; not loaded",
                    table=raw.table,
                )
            )
            continue
        seen[raw.table].append(raw)
    if group.fmt == "csv":
        for table, raws in seen.items():
            if len(raws) > 1:
                listed = ", ".join(r.file.name for r in raws)
                errors.append(
                    Issue(
                        raws[0].file.name,
                        f"two files hold the {table} table ({listed}); a return has one file per table",
                        table=table,
                    )
                )
    file_index = {id(f): i for i, f in enumerate(group.files)}
    typed: dict[str, list[pa.Table]] = defaultdict(list)
    invalid, normalised, positions = [], [], []
    for table, raws in seen.items():
        for raw in raws:
            result = conform(raw, wanted[table], file_index[id(raw.file)], date_format=spec.date_format)
            if strict:
                errors += result.errors
            else:
                type_errors += result.errors
            warnings += result.warnings
            typed[table].append(result.table)
            invalid.append(result.invalid)
            normalised.append(result.normalisations)
            positions.append(result.positions)
    if errors:
        raise ReturnError(errors)
    tables = {}
    for name, spec_table in wanted.items():
        parts = typed.get(name)
        tables[name] = pa.concat_tables(parts) if parts else _empty(spec_table)
    table_files = {
        name: sorted({file_index[id(r.file)] for r in raws}) for name, raws in seen.items()
    }
    return {
        "tables": tables,
        "warnings": warnings,
        "type_errors": type_errors,
        "table_files": table_files,
        "invalid_cells": pa.concat_tables(invalid) if invalid else INVALID_SCHEMA.empty_table(),
        "normalisations": pa.concat_tables(normalised) if normalised else NORMALISATION_SCHEMA.empty_table(),
        "positions": pa.concat_tables(positions) if positions else POSITION_SCHEMA.empty_table(),
    }


def return_from_rows(
    kind: str, la: str, year: int, rows: dict[str, list[dict[str, str | None]]], strict: bool = True
) -> ParsedReturn:
    """A return built from rows of text cells (as they would appear in the CSV set).

    For tests and for callers that already hold rows; goes through the same conform step as files
    (not the checks of authority and year, which are about files and folders).
    """
    spec = load_spec(SPEC_FOR_KIND[kind])
    source = SourceFile(Path(f"{kind}_rows"), b"")
    raws = []
    for table, table_rows in rows.items():
        columns = spec.tables[table].column_names
        arrays = {c: pa.array([r.get(c) for r in table_rows], pa.string()) for c in columns}
        numbers = pa.array(range(1, len(table_rows) + 1), pa.int32())
        raws.append(RawTable(table, SourceFile(Path(f"{table}.csv"), b""), arrays, numbers, None))
    group = _Group(kind, "csv", [source], [], authorities.resolve(la).code, year)
    for raw in raws:
        raw.file = source
        group.raws.append(raw)
    typed = _typed_tables(group, spec, year, strict)
    return ParsedReturn(kind=kind, authority=authorities.resolve(la), year=year, files=group.files,
                        formats=["csv"], **typed)


def _empty(spec_table) -> pa.Table:
    fields = [pa.field("source_file", pa.int16()), pa.field("source_row", pa.int32())]
    fields += [pa.field(c.name, arrow_type(c)) for c in spec_table.columns]
    return pa.schema(fields).empty_table()
