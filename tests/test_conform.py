"""Normalisation of real-world artefacts, and errors for what cannot be read without guessing."""

from pathlib import Path

import pyarrow as pa
import pytest

from careboard.returns.conform import conform
from careboard.returns.raw import RawTable, SourceFile
from careboard.returns.spec import ssda903


def run(table: str, **columns: list[str | None]):
    spec = ssda903().tables[table]
    n = len(next(iter(columns.values())))
    cols = {c: pa.array(columns.get(c, [None] * n), pa.string()) for c in spec.column_names}
    raw = RawTable(table, SourceFile(Path("t.csv"), b""), cols,
                   pa.array(range(1, n + 1), pa.int32()), pa.array(range(2, n + 2), pa.int32()))
    return conform(raw, spec, 0)


def messages(issues):
    return [i.message for i in issues]


def test_excel_artefacts_in_ids_are_repaired_and_noted():
    got = run("Header", CHILD=["1234.0", "12,345", " 77 ", "A1.5"])
    assert got.table["CHILD"].to_pylist() == ["1234", "12345", "77", "A1.5"]
    found = {i.message: i for i in got.warnings}
    assert found["Excel decimal ending ('.0') removed from identifier"].value == "1234.0"
    assert found["thousands separators removed from identifier"].row == 2
    assert found["spaces around the value removed"].line == 4
    assert not got.errors


def test_codes_upper_cased_with_a_count():
    got = run("Episodes", PLACE=["u4", "K3", "k3", None])
    assert got.table["PLACE"].to_pylist() == ["U4", "K3", "K3", None]
    (w,) = [i for i in got.warnings if i.field == "PLACE"]
    assert w.count == 2 and w.value == "u4" and w.row == 1


def test_dates_dmy_iso_and_midnight_suffix():
    got = run("Header", DOB=["01/05/2012", "2012-05-01", "1/5/2012", "01/05/2012 00:00:00", "", None])
    assert [str(d) if d else None for d in got.table["DOB"].to_pylist()] == [
        "2012-05-01", "2012-05-01", "2012-05-01", "2012-05-01", None, None
    ]
    assert "ISO date (yyyy-mm-dd) read as a date" in messages(got.warnings)
    assert "time of day (midnight) removed from date" in messages(got.warnings)
    assert not got.errors


@pytest.mark.parametrize("bad", ["31/02/2020", "2020-13-01", "00/01/2020", "yesterday", "12.05.2020"])
def test_impossible_dates_are_errors_with_place_and_expectation(bad):
    got = run("Header", DOB=["01/01/2010", bad])
    (e,) = got.errors
    assert (e.row, e.line, e.field, e.value) == (2, 3, "DOB", bad)
    assert e.expected == "dd/mm/yyyy"


def test_two_digit_year_is_refused_not_guessed():
    got = run("Header", DOB=["01/05/12"])
    assert "two-digit year" in got.errors[0].message


def test_integer_column():
    got = run("OC2", SDQ_SCORE=["12", "7.0", None, "ten"])
    assert got.table["SDQ_SCORE"].to_pylist() == [12, 7, None, None]
    (e,) = got.errors
    assert e.value == "ten" and e.row == 4


def test_partial_dates_keep_unknown_parts():
    got = run("PrevPerm", DATE_PERM=["zz/zz/2019", "ZZ/05/2019", "01/05/2019", "May 2019"])
    assert got.table["DATE_PERM"].to_pylist()[:3] == ["zz/zz/2019", "zz/05/2019", "01/05/2019"]
    assert [e.value for e in got.errors] == ["May 2019"]


def test_postcodes_tidied():
    got = run("Episodes", HOME_POST=["me14  1xx", "ME14 1XX"])
    assert got.table["HOME_POST"].to_pylist() == ["ME14 1XX", "ME14 1XX"]


def test_many_errors_in_one_column_are_capped_but_counted():
    got = run("Header", DOB=["bad"] * 120)
    assert len(got.errors) == 50
    assert sum(e.count for e in got.errors) == 120


def test_every_normalisation_is_kept_with_its_place():
    got = run("Header", DOB=["2012-05-01", "01/05/2012", "2013-06-02", "1/5/2012", "2014-07-03"],
              ETHNIC=["wbri", "WBRI", "WBRI", "bafr", "WBRI"])
    n = got.normalisations.to_pylist()
    dates = [(r["kind"], r["field"], r["source_row"], r["line"], r["value"]) for r in n if r["field"] == "DOB"]
    assert dates == [
        ("DATE", "DOB", 1, 2, "2012-05-01"), ("DATE", "DOB", 3, 4, "2013-06-02"), ("DATE", "DOB", 5, 6, "2014-07-03"),
        ("DATE", "DOB", 4, 5, "1/5/2012"),
    ]
    assert [(r["kind"], r["source_row"], r["value"]) for r in n if r["field"] == "ETHNIC"] == [
        ("CASE", 1, "wbri"), ("CASE", 4, "bafr")]
    assert {r["table_name"] for r in n} == {"Header"} and {r["source_file"] for r in n} == {0}
    # the load's warning stays one per kind with a count and the first place
    (iso,) = [w for w in got.warnings if w.message == "ISO date (yyyy-mm-dd) read as a date"]
    assert (iso.count, iso.row) == (3, 1)


def test_every_unreadable_cell_is_kept_though_errors_are_capped():
    got = run("Header", DOB=["bad"] * 120)
    assert len(got.errors) == 50
    assert got.invalid.num_rows == 120
    assert got.invalid["source_row"].to_pylist() == list(range(1, 121))
    assert set(got.invalid["expected"].to_pylist()) == {"dd/mm/yyyy"}


def test_each_row_keeps_its_data_row_and_file_line():
    got = run("Header", CHILD=["1", "2"])
    assert got.positions.to_pylist() == [
        {"table_name": "Header", "source_file": 0, "source_row": 1, "line": 2},
        {"table_name": "Header", "source_file": 0, "source_row": 2, "line": 3},
    ]


def test_dates_are_read_only_when_the_calendar_has_them():
    # Dates are typed by comparing the day, month and year Arrow read with the ones written
    # (issue 17): leap days, 30-day months and both formats, each kept or refused as written.
    got = run("Header", DOB=["29/02/2024", "29/02/2023", "31/04/2025", "30/04/2025", "2024-02-29",
                             "2023-02-29", "1/3/2024", "31/12/1999"])
    assert [str(d) if d else None for d in got.table["DOB"].to_pylist()] == [
        "2024-02-29", None, None, "2025-04-30", "2024-02-29", None, "2024-03-01", "1999-12-31"
    ]
    assert [e.value for e in got.errors] == ["29/02/2023", "31/04/2025", "2023-02-29"]


def test_dates_all_written_in_full_are_read_in_one_pass_with_the_same_errors_and_no_notes():
    # A column of dd/mm/yyyy dates written in full takes the short path (issue 17 item 7): the
    # impossible ones still fail with the same message, blanks stay blank, nothing is noted.
    got = run("Header", DOB=["29/02/2024", "31/04/2025", None, "", "30/04/2025", "00/01/2020"])
    assert [str(d) if d else None for d in got.table["DOB"].to_pylist()] == [
        "2024-02-29", None, None, None, "2025-04-30", None
    ]
    assert [(e.row, e.value, e.message) for e in got.errors] == [
        (2, "31/04/2025", "not a valid date"), (6, "00/01/2020", "not a valid date")
    ]
    assert not [w for w in got.warnings if w.field == "DOB"]
