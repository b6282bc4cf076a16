"""Grouping files into returns: authority and year from the command line, contents or names."""

import pytest

from builders import HEADER_ROWS, write_table
from careboard.returns.issues import ReturnError
from careboard.returns.reader import read_returns


def test_year_and_authority_from_folder_names(small_set):
    (ret,) = read_returns([small_set])
    assert (ret.kind, ret.authority.code, ret.year) == ("ssda903", "886", 2026)
    assert ret.tables["Episodes"].num_rows == 3
    # Every table of the year is present, empty where no file was given.
    assert ret.tables["SWEpisodes"].num_rows == 0
    assert "DoLo" not in ret.tables  # not collected until 2026-27


def test_command_line_overrides_names(tmp_path):
    write_table(tmp_path, "Header", HEADER_ROWS)
    (ret,) = read_returns([tmp_path], la="E10000016", year=2026)
    assert ret.authority.code == "886"


def test_missing_year_and_authority_are_clear_errors(tmp_path):
    write_table(tmp_path, "Header", HEADER_ROWS)
    with pytest.raises(ReturnError) as info:
        read_returns([tmp_path], year=2026)
    assert "--la" in info.value.errors[0].message
    with pytest.raises(ReturnError) as info:
        read_returns([tmp_path], la="886")
    assert "--year" in info.value.errors[0].message


def test_conflicting_year_is_an_error(small_set):
    with pytest.raises(ReturnError) as info:
        read_returns([small_set], year=2025)
    (e,) = info.value.errors
    assert "names say it is for 2025-26 but --year says 2024-25" in e.message


def test_unsupported_year(tmp_path):
    write_table(tmp_path, "Header", HEADER_ROWS)
    with pytest.raises(ReturnError) as info:
        read_returns([tmp_path], la="886", year=2012)
    assert "careboard reads SSDA903 returns for 2016-17 to 2026-27" in info.value.errors[0].message


def test_two_files_for_one_table(small_set):
    write_table(small_set, "Header", HEADER_ROWS, name="header_copy.csv")
    with pytest.raises(ReturnError) as info:
        read_returns([small_set])
    (e,) = info.value.errors
    assert "two files hold the Header table" in e.message
    assert "header_copy.csv" in e.message and "Header.csv" in e.message


def test_table_not_collected_that_year_is_skipped_with_warning(small_set):
    (small_set / "DoLo.csv").write_text("CHILD,DOB,DOLO_START,DOLO_END\n1001,01/05/2012,01/01/2026,\n")
    (ret,) = read_returns([small_set])
    assert any("DoLo table is not collected in 2025-26" in w.message for w in ret.warnings)


def test_all_errors_from_all_files_reported_together(small_set):
    write_table(small_set, "Header", [{"CHILD": "9", "DOB": "32/01/2010"}])
    write_table(small_set, "Reviews", [{"CHILD": "9", "REVIEW": "x"}])
    with pytest.raises(ReturnError) as info:
        read_returns([small_set])
    fields = sorted(e.field for e in info.value.errors)
    assert fields == ["DOB", "REVIEW"]


def test_missing_path(tmp_path):
    with pytest.raises(ReturnError) as info:
        read_returns([tmp_path / "nope"])
    assert "no such file or folder" in info.value.errors[0].message


def test_a_folder_holding_only_a_zip_archive_says_to_extract_it(tmp_path, small_set):
    import shutil

    folder = tmp_path / "sent"
    folder.mkdir()
    shutil.make_archive(str(folder / "return_2025-26"), "zip", small_set)
    with pytest.raises(ReturnError) as info:
        read_returns([folder])
    (e,) = info.value.errors
    assert "no .csv or .xml files found" in e.message
    assert "return_2025-26.zip: zip archive(s), which careboard does not open (extract the files first)" in e.message


def test_several_years_in_one_call(tmp_path):
    for y in ("2024-25", "2025-26"):
        folder = tmp_path / "886" / y
        folder.mkdir(parents=True)
        write_table(folder, "Header", HEADER_ROWS)
    rets = read_returns([tmp_path])
    assert [r.year for r in rets] == [2025, 2026]


def test_xml_with_unknown_root(tmp_path):
    path = tmp_path / "x.xml"
    path.write_text("<Return><A/></Return>")
    with pytest.raises(ReturnError) as info:
        read_returns([path], la="886", year=2026)
    assert "<Return>" in info.value.errors[0].message


def test_same_return_twice_is_refused(tmp_path):
    for name in ("a", "b"):
        folder = tmp_path / name
        folder.mkdir()
        write_table(folder, "Header", HEADER_ROWS)
    with pytest.raises(ReturnError, match="more than one"):
        read_returns([tmp_path / "a", tmp_path / "b"], la="886", year=2026)

