"""Decode a text file as received: BOMs, UTF-16, Excel workbooks mistaken for CSV, bad bytes."""

from __future__ import annotations

import codecs
import io
import zipfile

from careboard.returns.issues import Issue, ReturnError
from careboard.returns.raw import SourceFile

_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"


def decode(file: SourceFile) -> tuple[str, list[Issue]]:
    """The file's text and any warnings about how it was decoded.

    UTF-8 is expected.  A UTF-8 or UTF-16 byte-order mark is unambiguous, so it is honoured and
    noted; any other non-UTF-8 byte is an error (guessing a code page could corrupt values).
    """
    data = file.data
    warnings: list[Issue] = []
    if data.startswith(_XLS_MAGIC) or (data.startswith(_XLSX_MAGIC) and _is_workbook(data)):
        raise ReturnError(
            [
                Issue(
                    file.name,
                    "this is an Excel workbook, not a CSV file; save each sheet as 'CSV UTF-8'",
                    expected="a CSV file",
                )
            ]
        )
    if data.startswith(_XLSX_MAGIC):
        raise ReturnError([Issue(file.name, archive_message(data), expected="a CSV or XML file")])
    if data.startswith(codecs.BOM_UTF8):
        warnings.append(Issue(file.name, "UTF-8 byte-order mark at the start of the file ignored"))
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        warnings.append(Issue(file.name, "file is UTF-16 text (it has a UTF-16 byte-order mark); read as such"))
        return data.decode("utf-16"), warnings
    if b"\x00" in data[:4096]:
        raise ReturnError(
            [Issue(file.name, "the file holds binary data (NUL bytes), not text", expected="a CSV or XML text file")]
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ReturnError(
            [
                Issue(
                    file.name,
                    f"byte 0x{data[exc.start]:02X} is not UTF-8 text; the file seems to use another "
                    "encoding (save it as 'CSV UTF-8')",
                    line=line,
                    value=data[max(0, exc.start - 10) : exc.start + 10].decode("utf-8", "replace"),
                    expected="UTF-8 text",
                )
            ]
        ) from None
    return text, warnings


def _members(data: bytes) -> list[str] | None:
    """The names inside a zip file (its directory only; nothing is extracted), or None if it is not one."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def _is_workbook(data: bytes) -> bool:
    """A zip file that is an Excel workbook (.xlsx: its sheets under xl/), or a damaged zip (as before, a
    workbook is the likelier mistake)."""
    names = _members(data)
    return names is None or any(n.startswith("xl/") for n in names)


def archive_message(data: bytes) -> str:
    """What to say of a zip archive given as a return: careboard reads the files, not the archive."""
    names = [n for n in (_members(data) or []) if not n.endswith("/")]
    inside = f" holding {len(names)} file(s)" if names else ""
    return (f"this is a zip archive{inside}, not a return file; careboard does not open archives: "
            "extract the files and give careboard their folder")
