"""Read the files a user names into complete, typed returns, ready for the store.

Files are recognised by content (a CSV header row, an XML root element), not by name.  CSV files
are grouped into one return per authority and collection year (taken from the command line, the
file contents, or folder and file names such as ``886/2025-26/``); each XML file is a return of
its own.  Every error in every file is collected before anything is reported, so one run tells
the analyst everything that needs fixing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from careboard import authorities, years
from careboard.authorities import Authority, AuthorityError
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

KINDS = {"ssda903": "SSDA903", "cin": "CIN census", "extract": "Local extract"}
SPEC_FOR_KIND = {"ssda903": "ssda903", "cin": "cin_census", "extract": "local_extracts"}
_SUFFIXES = {".csv", ".xml", ".txt"}


@dataclass
class ParsedReturn:
    """One authority's return for one collection year, typed and complete."""

    kind: str  # 'ssda903' or 'cin'
    authority: Authority
    year: int
    files: list[SourceFile]
    formats: list[str]  # 'csv' or 'xml', one per file
    tables: dict[str, pa.Table]  # every table of the year's spec, empty where not supplied
    warnings: list[Issue] = field(default_factory=list)
    # Values that could not be typed (read with strict=False only): each is null in ``tables``.
    # The first few per column as issues; every one of them in ``invalid_cells``.
    type_errors: list[Issue] = field(default_factory=list)
    invalid_cells: pa.Table = field(default_factory=INVALID_SCHEMA.empty_table)
    # Every normalisation ``conform`` made, cell by cell, and each row's data row and file line.
    normalisations: pa.Table = field(default_factory=NORMALISATION_SCHEMA.empty_table)
    positions: pa.Table = field(default_factory=POSITION_SCHEMA.empty_table)

    @property
    def row_count(self) -> int:
        return sum(t.num_rows for t in self.tables.values())

    def describe(self) -> str:
        return f"{KINDS[self.kind]} {self.authority.code} {self.authority.name} {years.label(self.year)}"


@dataclass
class _Group:
    kind: str
    fmt: str
    files: list[SourceFile]
    raws: list[RawTable]
    la_code: str | None = None
    year: int | None = None
    warnings: list[Issue] = field(default_factory=list)

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
        errors.append(Issue(", ".join(map(str, paths)), "no .csv or .xml files found", expected="return files"))
    return files, errors


def read_returns(
    paths: list[Path],
    la: str | None = None,
    year: int | None = None,
    on_file: Callable[[SourceFile], None] | None = None,
    strict: bool = True,
) -> list[ParsedReturn]:
    """Every return in ``paths``; ReturnError listing every problem if any file cannot be read.

    ``on_file`` is called after each file is read (for progress bars).  With ``strict=False``
    (validation), values that cannot be typed do not stop the read: they become nulls and are
    listed in ``ParsedReturn.invalid_cells`` (all of them; the first few per column also as
    ``type_errors``) for the DfE validity rules to report.
    """
    files, errors = expand(paths)
    given_la = _given_authority(la)
    groups: dict[tuple, _Group] = {}
    for path in files:
        try:
            source = SourceFile.read(path)
        except OSError as exc:
            errors.append(Issue(str(path), f"cannot read the file: {exc.strerror}"))
            continue
        try:
            _add_file(groups, source, year)
        except ReturnError as exc:
            errors += exc.errors
        if on_file is not None:
            on_file(source)
    returns: list[ParsedReturn] = []
    for group in groups.values():
        try:
            returns.append(_finish(group, given_la, year, strict))
        except ReturnError as exc:
            errors += exc.errors
    errors += _clashes(returns)
    if errors:
        raise ReturnError(errors)
    return sorted(returns, key=lambda r: (r.kind, r.authority.code, r.year))


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


def _add_file(groups: dict[tuple, _Group], source: SourceFile, year: int | None) -> None:
    if _sniff_xml(source):
        _add_xml(groups, source)
        return
    kind, raw = _read_csv(source)
    path_year = _year_from_path(source)
    key = (kind, "csv", str(source.path.parent), path_year)
    group = groups.setdefault(key, _Group(kind, "csv", [], [], year=path_year))
    group.files.append(source)
    group.raws.append(raw)


def _read_csv(source: SourceFile) -> tuple[str, RawTable]:
    """A CSV file as a 903 table or, failing that, a documented local extract (by its header row)."""
    try:
        return "ssda903", read_csv_table(source, load_spec("ssda903"))
    except ReturnError as as_return:
        try:
            return "extract", read_csv_table(source, load_spec("local_extracts"))
        except ReturnError:
            raise as_return from None


def _year_from_path(source: SourceFile) -> int | None:
    try:
        return years.infer_year([source.path.resolve()])
    except years.YearError as exc:
        raise ReturnError([Issue(source.name, str(exc))]) from None


def _add_xml(groups: dict[tuple, _Group], source: SourceFile) -> None:
    from careboard.returns import safe_xml

    root = safe_xml.parse(source)
    name = safe_xml.local_name(root)
    if name == "EXPSSDA903":
        from careboard.returns.xml903 import read_ssda903_xml

        got = read_ssda903_xml(source, root)
        kind = "ssda903"
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
                    expected="<EXPSSDA903> (SSDA903) or <Message> (CIN census)",
                )
            ]
        )
    groups[(kind, "xml", str(source.path), None)] = _Group(
        kind, "xml", [source], list(got.tables), got.la_code, got.year, list(got.warnings)
    )


def _finish(group: _Group, given_la: Authority | None, given_year: int | None, strict: bool) -> ParsedReturn:
    spec = load_spec(SPEC_FOR_KIND[group.kind])
    names = [str(f.path.resolve()) for f in group.files]
    authority = _decide_authority(group, given_la, names)
    year = _decide_year(group, given_year, names)
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
    return _conform_group(group, spec, authority, year, strict)


def _decide_authority(group: _Group, given: Authority | None, names: list[str]) -> Authority:
    first = group.label
    in_file = None
    if group.la_code:
        try:
            in_file = authorities.resolve(group.la_code)
        except AuthorityError:
            raise ReturnError(
                [Issue(first, "the file's authority code is not an English authority", value=group.la_code)]
            ) from None
    if given and in_file and given.code != in_file.code:
        raise ReturnError(
            [
                Issue(
                    first,
                    f"the file is for authority {in_file.code} ({in_file.name}) but --la says "
                    f"{given.code} ({given.name})",
                    value=in_file.code,
                    expected=given.code,
                )
            ]
        )
    if given or in_file:
        return given or in_file  # type: ignore[return-value]
    try:
        from_names = authorities.infer_from_names(names)
    except AuthorityError as exc:
        raise ReturnError([Issue(first, str(exc))]) from None
    if from_names is None:
        raise ReturnError(
            [
                Issue(
                    first,
                    "cannot tell which authority this return is for: pass --la with the 3-digit "
                    "DfE code (e.g. 886 for Kent) or put the code in the folder name",
                )
            ]
        )
    return from_names


def _decide_year(group: _Group, given: int | None, names: list[str]) -> int:
    first = group.label
    if given is not None and group.year is not None and given != group.year:
        raise ReturnError(
            [
                Issue(
                    first,
                    f"the {'file says' if group.fmt == 'xml' else 'folder or file names say'} it is for "
                    f"{years.label(group.year)} but --year says {years.label(given)}",
                    value=str(group.year),
                    expected=str(given),
                )
            ]
        )
    year = given if given is not None else group.year
    if year is None:
        raise ReturnError(
            [
                Issue(
                    first,
                    "cannot tell which collection year this return is for: pass --year (the year "
                    "it ends on, e.g. 2026 for 2025-26) or name the folder like 2025-26",
                )
            ]
        )
    return year


def _conform_group(group: _Group, spec: ReturnSpec, authority: Authority, year: int, strict: bool) -> ParsedReturn:
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
    return ParsedReturn(
        kind=group.kind,
        authority=authority,
        year=year,
        files=group.files,
        formats=[group.fmt] * len(group.files),
        tables=tables,
        warnings=warnings,
        type_errors=type_errors,
        invalid_cells=pa.concat_tables(invalid) if invalid else INVALID_SCHEMA.empty_table(),
        normalisations=pa.concat_tables(normalised) if normalised else NORMALISATION_SCHEMA.empty_table(),
        positions=pa.concat_tables(positions) if positions else POSITION_SCHEMA.empty_table(),
    )


def return_from_rows(
    kind: str, la: str, year: int, rows: dict[str, list[dict[str, str | None]]], strict: bool = True
) -> ParsedReturn:
    """A return built from rows of text cells (as they would appear in the CSV set).

    For tests and for callers that already hold rows; goes through the same conform step as files.
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
    return _conform_group(group, spec, authorities.resolve(la), year, strict)


def _empty(spec_table) -> pa.Table:
    fields = [pa.field("source_file", pa.int16()), pa.field("source_row", pa.int32())]
    fields += [pa.field(c.name, arrow_type(c)) for c in spec_table.columns]
    return pa.schema(fields).empty_table()
