"""The CSV-set reader on files nobody here wrote, and on every error class the foundation names."""

import codecs
from pathlib import Path

import pytest

from builders import HEADER_ROWS, write_table
from careboard.returns.csv903 import read_csv_table
from careboard.returns.issues import ReturnError
from careboard.returns.raw import SourceFile
from careboard.returns.spec import ssda903

# Data rows per file, from the samples README (the five largest are kept cut to their first 200 rows).
D2I_FILES = {
    "header.csv": ("Header", 200),
    "episodes.csv": ("Episodes", 200),
    "reviews.csv": ("Reviews", 200),
    "uasc.csv": ("UASC", 132),
    "oc2.csv": ("OC2", 200),
    "oc3.csv": ("OC3", 53),
    "ad1.csv": ("AD1", 29),
    "placed_for_adoption.csv": ("PlacedAdoption", 29),
    "previous_permanence.csv": ("PrevPerm", 200),
    "missing.csv": ("Missing", 43),
    "sw_episodes.csv": ("SWEpisodes", 1),
    "DoLo.csv": ("DoLo", 1),
}


def read(path: Path):
    return read_csv_table(SourceFile.read(path), ssda903())


@pytest.mark.parametrize("name", sorted(D2I_FILES))
def test_every_table_of_a_real_format_set_is_recognised_by_its_header(samples, name):
    path = samples / "903_d2i_fake" / name
    raw = read(path)
    table, rows = D2I_FILES[name]
    assert raw.table == table
    # Count data rows independently: non-empty lines after the header.
    lines = [ln for ln in path.read_text("utf-8-sig").splitlines()[1:] if ln.strip()]
    assert raw.num_rows == len(lines) == rows
    assert set(raw.columns) == set(ssda903().tables[table].column_names)


def test_recognition_ignores_the_file_name(tmp_path):
    path = write_table(tmp_path, "Header", HEADER_ROWS, name="whatever-export.csv")
    assert read(path).table == "Header"


def test_bom_and_crlf_are_normal(tmp_path):
    path = write_table(tmp_path, "Header", HEADER_ROWS, newline="\r\n")
    path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    raw = read(path)
    assert raw.columns["CHILD"].to_pylist() == ["1001", "1002"]
    assert raw.columns["MC_DOB"].to_pylist() == ["", ""]
    assert any("byte-order mark" in w.message for w in raw.warnings)


def test_utf16_with_bom_is_read(tmp_path):
    path = write_table(tmp_path, "Header", HEADER_ROWS, encoding="utf-16")
    assert read(path).num_rows == 2


def test_trailing_blank_rows_dropped_with_warning(tmp_path):
    path = write_table(tmp_path, "Header", HEADER_ROWS)
    path.write_text(path.read_text() + ",,,,,,\n\n   \n")
    raw = read(path)
    assert raw.num_rows == 2
    (w,) = [w for w in raw.warnings if "blank row" in w.message]
    assert w.count == 3


def test_only_rows_blank_in_every_cell_are_dropped(tmp_path):
    # A row whose first cell is blank but which holds something else is data (and its blank child
    # a finding), not an Excel empty row; a blank row in the middle is dropped and named.
    cols = ",".join(ssda903().tables["Header"].column_names)
    path = tmp_path / "Header.csv"
    path.write_text(f"{cols}\n1,M,01/01/2010,WBRI,UN1,,\n , ,,,,,\n,F,02/02/2011,WBRI,UN1,,\n,,,,,,\n")
    raw = read(path)
    assert raw.rows.to_pylist() == [1, 3] and raw.lines.to_pylist() == [2, 4]
    assert [w.render() for w in raw.warnings if "blank row" in w.message] == [
        "Header.csv, row 2 (line 3): blank row(s) ignored [and 1 more like it]"
    ]


def test_rows_and_lines_point_at_the_file(tmp_path):
    path = tmp_path / "h.csv"
    cols = ",".join(ssda903().tables["Header"].column_names)
    # A quoted cell spanning two lines shifts physical lines against data rows.
    path.write_text(f'{cols}\n1,M,01/01/2010,WBRI,"UN\n1",,\n2,F,02/02/2011,WBRI,UN1,,\n')
    raw = read(path)
    assert raw.rows.to_pylist() == [1, 2]
    assert raw.lines.to_pylist() == [2, 4]


def test_header_case_and_spaces_forgiven_with_warning(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text(" child ,Sex,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1,M,01/01/2010,WBRI,UN1,,\n")
    raw = read(path)
    assert raw.table == "Header"
    assert any("case" in w.message for w in raw.warnings)


def test_extra_column_ignored_with_warning(samples):
    raw = read(samples / "903_liia" / "pipeline_SSDA903_2020_episodes.csv")
    assert raw.table == "Episodes"
    assert any("TEST_COLUMN" in w.message for w in raw.warnings)


def errors_of(path: Path):
    with pytest.raises(ReturnError) as info:
        read(path)
    return info.value.errors


def test_missing_column_names_the_closest_table_and_what_is_missing(tmp_path):
    path = tmp_path / "e.csv"
    cols = [c for c in ssda903().tables["Episodes"].column_names if c != "URN"]
    path.write_text(",".join(cols) + "\n")
    (e,) = errors_of(path)
    assert "closest is Episodes" in e.message and "URN" in e.message
    assert e.line == 1


def test_header_matching_no_table(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("name,address\nA,B\n")
    (e,) = errors_of(path)
    assert "matches no SSDA903 table" in e.message
    assert e.value == "name,address"


def test_duplicated_column(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB,DOB\n")
    (e,) = errors_of(path)
    assert e.field == "DOB" and "2 times" in e.message


@pytest.mark.parametrize("content", [b"", b"\n\n", b"   "])
def test_empty_file(tmp_path, content):
    path = tmp_path / "h.csv"
    path.write_bytes(content)
    (e,) = errors_of(path)
    assert "empty" in e.message


def test_wrong_encoding_names_line_and_expectation(tmp_path):
    path = write_table(tmp_path, "Header", HEADER_ROWS)
    path.write_bytes(path.read_bytes() + "1003,M,01/01/2010,WBRI,Caf\u00e9,,\n".encode("latin-1"))
    (e,) = errors_of(path)
    assert e.line == 4 and e.expected == "UTF-8 text" and "0xE9" in e.message


def test_excel_workbook_saved_with_csv_name(tmp_path):
    path = tmp_path / "Header.csv"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    (e,) = errors_of(path)
    assert "Excel workbook" in e.message


def test_a_real_workbook_is_named_as_one_and_a_zip_archive_as_an_archive(tmp_path):
    """Both are zip files: a workbook (its sheets under xl/) is told to be saved as CSV, an archive of the return's
    files to be extracted (it was called a workbook before)."""
    import zipfile

    from openpyxl import Workbook

    book = tmp_path / "Header.csv"
    sheet = Workbook()
    sheet.active.append(["CHILD", "SEX"])
    sheet.save(book)
    (e,) = errors_of(book)
    assert "Excel workbook" in e.message and "save each sheet as 'CSV UTF-8'" in e.message
    csv_file = write_table(tmp_path, "Episodes", [])
    archive = tmp_path / "return.csv"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(csv_file, "Episodes.csv")
        z.write(csv_file, "Header.csv")
    (e,) = errors_of(archive)
    assert "zip archive holding 2 file(s)" in e.message and "extract the files" in e.message
    assert "Excel" not in e.message


def test_binary_data_names_what_was_expected(tmp_path):
    path = tmp_path / "Header.csv"
    path.write_bytes(b"CHILD,SEX\n\x00\x01\x02")
    (e,) = errors_of(path)
    assert "binary data" in e.message and e.expected == "a CSV or XML text file"


def test_ragged_row_is_an_error_with_its_line(tmp_path):
    path = write_table(tmp_path, "Header", HEADER_ROWS)
    path.write_text(path.read_text() + "1003,M,01/01/2010\n")
    (e,) = errors_of(path)
    assert (e.row, e.line) == (3, 4)
    assert "3 cells" in e.message
