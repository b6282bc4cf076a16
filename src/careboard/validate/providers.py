"""Ofsted provider lists (children's homes, social care providers) for the URN rules.

Ofsted publishes, for local authorities, a children's homes list and a social care providers list
(since 2023 also one combined workbook, later with a separate sheet of supported accommodation
providers).  The column headings differ between releases ('Setting Postcode', 'Setting address
postcode', 'Provider postcode'; 'Closed Date', 'Deregistration date' ...), so columns are found by
name, case-insensitively, on every sheet that has a URN column.  The rows of all sheets and files
become one TEMP table ``providers``, one row per URN:

    URN             upper case, as the 903's Episodes.URN
    PROVIDER_TYPE   e.g. "Children's Home", "Independent Fostering Agency"
    SETTING_NAME
    POSTCODE        upper case, as given; POSTCODE_NOSPACE without spaces
    LA_NAME         the local authority named in the list (setting's, else provider's)
    REG_DATE        registration date
    CLOSED_DATE     closure / deregistration date (NULL while open)
    PLACE_CODES     903 placement codes the provider may be used for (VARCHAR[]; NULL if not given)
    PROVIDER_CODES  903 placement provider codes (PR0-PR5) (VARCHAR[]; NULL if not given)
    SOURCE          file and sheet the row came from

A URN found on several sheets (the older children's homes list keeps postcodes on a separate
"Address Details" sheet) is merged: each field from the first sheet that gives it, the code lists
combined.  Only code-shaped entries are kept in the code lists (K2, U4 ...; PR0-PR5), so a cell of
prose leaves the list NULL (not given) and the rules comparing codes skip that provider.  Rows on a
supported accommodation sheet ("SA Providers") may always be used for K3.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from careboard.returns.issues import Issue, ReturnError

# Field -> accepted headings (lower case, single spaces), in order of preference.
HEADINGS: dict[str, tuple[str, ...]] = {
    "URN": ("urn",),
    "PROVIDER_TYPE": ("provider type", "provision type"),
    "SETTING_NAME": ("setting name", "provider name"),
    "POSTCODE": ("setting postcode", "setting address postcode", "provider postcode", "postcode"),
    "LA_NAME": ("setting local authority", "local authority", "provider local authority"),
    "REG_DATE": ("registration date",),
    "CLOSED_DATE": ("closed date", "deregistration date", "date closed", "closure date"),
    # The children's homes list calls the placement code 'Provider Code' and the placement
    # provider code 'Provider Placement Code'; the social care providers list 'Placement code' and
    # 'Placement provider code'.
    "PLACE_CODES": ("placement code", "provider code"),
    "PROVIDER_CODES": ("placement provider code", "provider placement code"),
}
# A sheet is a provider list if it has a URN column and at least one of these.
_DESCRIPTIVE = ("PROVIDER_TYPE", "POSTCODE", "REG_DATE", "CLOSED_DATE", "PLACE_CODES", "PROVIDER_CODES")
_HEADER_SEARCH_ROWS = 20  # how far down a sheet its heading row may be
_SUPPORTED_ACCOMMODATION = re.compile(r"\bSA\b|supported", re.IGNORECASE)
_NOT_GIVEN = {"", "-", "NA", "N/A", "NONE", "NULL", "NOT APPLICABLE"}
_PLACE_CODE = re.compile(r"[A-Z][0-9]{1,2}")  # K2, U4, Z11 ...
_PROVIDER_CODE = re.compile(r"PR[0-9]")
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S")

SCHEMA = pa.schema([
    ("URN", pa.string()),
    ("PROVIDER_TYPE", pa.string()),
    ("SETTING_NAME", pa.string()),
    ("POSTCODE", pa.string()),
    ("LA_NAME", pa.string()),
    ("REG_DATE", pa.date32()),
    ("CLOSED_DATE", pa.date32()),
    ("PLACE_CODES", pa.list_(pa.string())),
    ("PROVIDER_CODES", pa.list_(pa.string())),
    ("SOURCE", pa.string()),
    ("ord", pa.int64()),
])


def _heading(value: object) -> str:
    return " ".join(str(value).replace("\u2019", "'").split()).lower() if value is not None else ""


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    return None if text.upper() in _NOT_GIVEN else text


def _date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if text is None:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None  # not a date (e.g. 'Not applicable'): treated as not given


def _codes(value: object, shape: re.Pattern[str]) -> list[str] | None:
    """The 903 codes in a list cell ('U1,U2,U3', 'PR1/PR2'); words that are not codes are ignored."""
    text = _text(value)
    if text is None:
        return None
    codes = [c for c in re.split(r"[\s,/;]+", text.upper()) if shape.fullmatch(c)]
    return codes or None


def _columns(header: tuple[object, ...]) -> dict[str, int]:
    """Field -> column index for one heading row (first preferred heading present wins)."""
    found = {_heading(v): i for i, v in reversed(list(enumerate(header))) if v is not None}
    columns = {}
    for name, options in HEADINGS.items():
        for option in options:
            if option in found:
                columns[name] = found[option]
                break
    return columns


def _read_workbook(path: Path) -> list[dict[str, object]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
        raise ReturnError([Issue(
            path.name, f"cannot read the Ofsted provider list: {exc}",
            expected="an Ofsted children's homes or social care providers list (.xlsx)",
        )]) from exc
    rows: list[dict[str, object]] = []
    lists_found = 0
    try:
        for sheet in book.worksheets:
            it = sheet.iter_rows(values_only=True)
            columns: dict[str, int] = {}
            for _, header in zip(range(_HEADER_SEARCH_ROWS), it, strict=False):
                columns = _columns(header)
                if "URN" in columns:
                    break
            if "URN" not in columns or not any(f in columns for f in _DESCRIPTIVE):
                continue
            lists_found += 1
            sa_sheet = bool(_SUPPORTED_ACCOMMODATION.search(sheet.title))
            for values in it:
                def cell(name: str, values: tuple[object, ...] = values, columns: dict[str, int] = columns) -> object:
                    i = columns.get(name)
                    return values[i] if i is not None and i < len(values) else None

                urn = _text(cell("URN"))
                if urn is None:
                    continue
                place_codes = _codes(cell("PLACE_CODES"), _PLACE_CODE)
                if sa_sheet:
                    place_codes = sorted(set(place_codes or []) | {"K3"})
                postcode = _text(cell("POSTCODE"))
                rows.append({
                    "URN": urn.upper(),
                    "PROVIDER_TYPE": _text(cell("PROVIDER_TYPE")),
                    "SETTING_NAME": _text(cell("SETTING_NAME")),
                    "POSTCODE": postcode.upper() if postcode else None,
                    "LA_NAME": _text(cell("LA_NAME")),
                    "REG_DATE": _date(cell("REG_DATE")),
                    "CLOSED_DATE": _date(cell("CLOSED_DATE")),
                    "PLACE_CODES": place_codes,
                    "PROVIDER_CODES": _codes(cell("PROVIDER_CODES"), _PROVIDER_CODE),
                    "SOURCE": f"{path.name}: {sheet.title}",
                })
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReturnError([Issue(path.name, f"cannot read the Ofsted provider list: {exc}")]) from exc
    finally:
        book.close()
    if not lists_found:
        raise ReturnError([Issue(
            path.name, "no sheet of this workbook looks like an Ofsted provider list",
            expected="a sheet with a URN column and provider details (placement code, postcode, dates ...)",
        )])
    return rows


def load_provider_lists(con: duckdb.DuckDBPyConnection, paths: list[Path]) -> int:
    """Read the Ofsted provider workbooks into the TEMP table ``providers``; return its row count.

    Raises ReturnError (one Issue per unreadable workbook) if any workbook cannot be read.
    """
    rows: list[dict[str, object]] = []
    errors: list[Issue] = []
    for path in paths:
        try:
            rows.extend(_read_workbook(Path(path)))
        except ReturnError as exc:
            errors.extend(exc.errors)
    if errors:
        raise ReturnError(errors)
    for i, row in enumerate(rows):
        row["ord"] = i
    table = pa.Table.from_pylist(rows, schema=SCHEMA)
    con.register("providers_arrow", table)
    try:
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE providers AS
            SELECT URN,
                   arg_min(PROVIDER_TYPE, ord) FILTER (WHERE PROVIDER_TYPE IS NOT NULL) AS PROVIDER_TYPE,
                   arg_min(SETTING_NAME, ord) FILTER (WHERE SETTING_NAME IS NOT NULL) AS SETTING_NAME,
                   arg_min(POSTCODE, ord) FILTER (WHERE POSTCODE IS NOT NULL) AS POSTCODE,
                   replace(arg_min(POSTCODE, ord) FILTER (WHERE POSTCODE IS NOT NULL), ' ', '') AS POSTCODE_NOSPACE,
                   arg_min(LA_NAME, ord) FILTER (WHERE LA_NAME IS NOT NULL) AS LA_NAME,
                   arg_min(REG_DATE, ord) FILTER (WHERE REG_DATE IS NOT NULL) AS REG_DATE,
                   arg_min(CLOSED_DATE, ord) FILTER (WHERE CLOSED_DATE IS NOT NULL) AS CLOSED_DATE,
                   CASE WHEN count(PLACE_CODES) > 0
                        THEN list_sort(list_distinct(flatten(list(PLACE_CODES) FILTER (WHERE PLACE_CODES IS NOT NULL))))
                   END AS PLACE_CODES,
                   CASE WHEN count(PROVIDER_CODES) > 0
                        THEN list_sort(list_distinct(flatten(
                            list(PROVIDER_CODES) FILTER (WHERE PROVIDER_CODES IS NOT NULL))))
                   END AS PROVIDER_CODES,
                   string_agg(DISTINCT SOURCE, '; ') AS SOURCE
            FROM providers_arrow
            GROUP BY URN
            """
        )
    finally:
        con.unregister("providers_arrow")
    return con.execute("SELECT count(*) FROM providers").fetchall()[0][0]
