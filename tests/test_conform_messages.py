"""Every message typing a return can give, pinned word for word with its place (issue 17 item 7).

Typing is being moved between engines for speed; what the analyst reads must not move with it.
Each case types one column of cells and compares every warning and error as ``Issue.render()``
prints it (file, data row, file line, field, value found, what was expected, how many more), plus
the table each names, and checks that the cell-by-cell record (``invalid``, ``normalisations``)
carries the same words at the same places.
"""

from pathlib import Path

import pyarrow as pa
import pytest

from careboard.returns.conform import conform
from careboard.returns.raw import RawTable, SourceFile
from careboard.returns.spec import load_spec


def typed(spec_name: str, table: str, column: str, cells: list[str | None], lines: bool = True,
          file: str = "t.csv"):
    """One column of ``cells`` typed as the spec says (the table's other columns blank)."""
    spec = load_spec(spec_name)
    columns = spec.tables[table].column_names
    n = len(cells)
    raw = RawTable(
        table, SourceFile(Path(file), b""),
        {c: pa.array(cells if c == column else [None] * n, pa.string()) for c in columns},
        pa.array(range(1, n + 1), pa.int32()), pa.array(range(2, n + 2), pa.int32()) if lines else None,
    )
    got = conform(raw, spec.tables[table], 0, date_format=spec.date_format)
    assert {i.table for i in got.warnings + got.errors} <= {table}
    return got


def rendered(issues) -> list[str]:
    return [i.render() for i in issues]


def cells_match_issues(got) -> None:
    """Each itemised error is a cell of ``invalid`` with the same words; each warning's first place
    is a cell of ``normalisations`` with the same message."""
    invalid = {(r["field"], r["source_row"], r["line"], r["value"], r["message"], r["expected"])
               for r in got.invalid.to_pylist()}
    for e in got.errors:
        assert (e.field, e.row, e.line, e.value, e.message, e.expected) in invalid
    assert len(invalid) == got.invalid.num_rows == sum(e.count for e in got.errors)
    normalised = {(r["field"], r["source_row"], r["line"], r["value"], r["message"])
                  for r in got.normalisations.to_pylist()}
    for w in got.warnings:
        assert (w.field, w.row, w.line, w.value, w.message) in normalised
    assert got.normalisations.num_rows == sum(w.count for w in got.warnings)


CASES = {
    "identifier": (
        ("ssda903", "Header", "CHILD", [" 77 ", "1234.0", "12,345", "88"]),
        ["77", "1234", "12345", "88"],
        [
            "t.csv, row 1 (line 2), field CHILD: spaces around the value removed (found ' 77 ')",
            "t.csv, row 2 (line 3), field CHILD: Excel decimal ending ('.0') removed from identifier "
            "(found '1234.0')",
            "t.csv, row 3 (line 4), field CHILD: thousands separators removed from identifier (found '12,345')",
        ],
        [],
    ),
    "code": (
        ("ssda903", "Episodes", "PLACE", ["u4", "K3", "k3", "1.0", None]),
        ["U4", "K3", "K3", "1", None],
        [
            "t.csv, row 1 (line 2), field PLACE: code written in lower case; upper-cased (found 'u4') "
            "[and 1 more like it]",
            "t.csv, row 4 (line 5), field PLACE: Excel decimal ending ('.0') removed from code (found '1.0')",
        ],
        [],
    ),
    "postcode": (
        ("ssda903", "Episodes", "HOME_POST", ["me14  1xx", "ME14 1XX"]),
        ["ME14 1XX", "ME14 1XX"],
        ["t.csv, row 1 (line 2), field HOME_POST: postcode upper-cased and spacing tidied (found 'me14  1xx')"],
        [],
    ),
    "postcode spacing": (
        ("ssda903", "Episodes", "PL_POST", ["ME14\t1XX", "me14  1xx", "ME14\x0b1XX", "ME14\r\n1XX", "ME14 1XX"]),
        ["ME14 1XX", "ME14 1XX", "ME14\x0b1XX", "ME14 1XX", "ME14 1XX"],
        ["t.csv, row 1 (line 2), field PL_POST: postcode upper-cased and spacing tidied (found 'ME14\\t1XX') "
         "[and 2 more like it]"],
        [],
    ),
    "partial date": (
        ("ssda903", "PrevPerm", "DATE_PERM", ["ZZ/05/2019", "May 2019", "zz/zz/2019"]),
        ["zz/05/2019", "may 2019", "zz/zz/2019"],
        ["t.csv, row 1 (line 2), field DATE_PERM: unknown day or month written 'ZZ'; read as 'zz' "
         "(found 'ZZ/05/2019')"],
        ["t.csv, row 2 (line 3), field DATE_PERM: not a date (found 'May 2019'; expected dd/mm/yyyy, with zz "
         "for an unknown day or month)"],
    ),
    "date, every form the 903 meets": (
        ("ssda903", "Header", "DOB",
         ["01/05/2012 00:00:00", "2012-05-01", "1/5/2012", "31/02/2020", "01/05/12", "", "soon"]),
        ["2012-05-01", "2012-05-01", "2012-05-01", None, None, None, None],
        [
            "t.csv, row 1 (line 2), field DOB: time of day (midnight) removed from date "
            "(found '01/05/2012 00:00:00')",
            "t.csv, row 2 (line 3), field DOB: ISO date (yyyy-mm-dd) read as a date (found '2012-05-01')",
            "t.csv, row 3 (line 4), field DOB: day or month written with one digit; read as dd/mm/yyyy "
            "(found '1/5/2012')",
        ],
        [
            "t.csv, row 5 (line 6), field DOB: two-digit year: the century cannot be known for certain "
            "(found '01/05/12'; expected dd/mm/yyyy)",
            "t.csv, row 4 (line 5), field DOB: not a valid date (found '31/02/2020'; expected dd/mm/yyyy)",
            "t.csv, row 7 (line 8), field DOB: not a valid date (found 'soon'; expected dd/mm/yyyy)",
        ],
    ),
    "date, all written in full": (
        ("ssda903", "Header", "DOB", ["01/05/2012", None, "31/04/2025", " 29/02/2024"]),
        ["2012-05-01", None, None, "2024-02-29"],
        ["t.csv, row 4 (line 5), field DOB: spaces around the value removed (found ' 29/02/2024')"],
        ["t.csv, row 3 (line 4), field DOB: not a valid date (found '31/04/2025'; expected dd/mm/yyyy)"],
    ),
    "date, in the census's own format": (
        ("cin_census", "CINEpisode", "CINreferralDate", ["2025-05-01", "01/05/2025", "2025-02-30", "1/5/2025"]),
        ["2025-05-01", "2025-05-01", None, "2025-05-01"],
        ["t.csv, row 2 (line 3), field CINreferralDate: dd/mm/yyyy date read as a date (the census uses "
         "yyyy-mm-dd) (found '01/05/2025') [and 1 more like it]"],
        ["t.csv, row 3 (line 4), field CINreferralDate: not a valid date (found '2025-02-30'; expected "
         "dd/mm/yyyy)"],
    ),
    "flag": (
        ("cin_census", "CINEpisode", "ReferralNFA", ["true", "FALSE", "1", "2", None]),
        ["1", "0", "1", None, None],
        ["t.csv, row 1 (line 2), field ReferralNFA: true/false written for a 0/1 indicator; read as 1/0 "
         "(found 'true') [and 1 more like it]"],
        ["t.csv, row 4 (line 5), field ReferralNFA: not a 0/1 indicator (found '2'; expected 0 or 1 "
         "(true/false accepted))"],
    ),
    "whole number": (
        ("cin_census", "CINEpisode", "EpisodeNo", ["7.0", "ten", "3", "-2"]),
        [7, None, 3, -2],
        ["t.csv, row 1 (line 2), field EpisodeNo: Excel decimal ending ('.0') removed from whole number "
         "(found '7.0')"],
        ["t.csv, row 2 (line 3), field EpisodeNo: not a whole number (found 'ten'; expected a whole number)"],
    ),
    "number": (
        ("csww", "Worker", "FTE", ["1,234.5", "0.5", "half", ".5"]),
        [1234.5, 0.5, None, 0.5],
        ["t.csv, row 1 (line 2), field FTE: thousands separators removed from number (found '1,234.5')"],
        ["t.csv, row 3 (line 4), field FTE: not a number (found 'half'; expected a number such as 0.5 or 12)"],
    ),
    "time of day": (
        ("local_extracts", "MissingDetail", "MIS_START_TIME", ["14.30", "9:05", "25:00", "noon", "23:59:30"]),
        ["14:30:00", "09:05:00", None, None, "23:59:00"],
        ["t.csv, row 1 (line 2), field MIS_START_TIME: time written with a full stop; read as HH:MM "
         "(found '14.30')"],
        [
            "t.csv, row 3 (line 4), field MIS_START_TIME: not a valid time of day (found '25:00'; expected "
            "HH:MM, 24-hour (00:00 to 23:59))",
            "t.csv, row 4 (line 5), field MIS_START_TIME: not a valid time of day (found 'noon'; expected "
            "HH:MM, 24-hour (00:00 to 23:59))",
        ],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_type_gives_its_values_warnings_and_errors_word_for_word(case):
    (spec_name, table, column, cells), values, warnings, errors = CASES[case]
    got = typed(spec_name, table, column, cells)
    assert [v if v is None or isinstance(v, (int, float)) else str(v)
            for v in got.table[column].to_pylist()] == values
    assert rendered(got.warnings) == warnings
    assert rendered(got.errors) == errors
    cells_match_issues(got)


def test_errors_beyond_the_cap_are_counted_on_the_last_one_listed():
    got = typed("ssda903", "Header", "DOB", ["01/01/2010"] + ["bad"] * 60, file="Header.csv")
    assert len(got.errors) == 50
    assert rendered(got.errors)[0] == (
        "Header.csv, row 2 (line 3), field DOB: not a valid date (found 'bad'; expected dd/mm/yyyy)"
    )
    assert rendered(got.errors)[-1] == (
        "Header.csv, row 51 (line 52), field DOB: not a valid date (found 'bad'; expected dd/mm/yyyy) "
        "[and 10 more like it]"
    )
    cells_match_issues(got)


def test_records_without_file_lines_are_named_by_record_alone():
    # An XML return's records have no file line: messages name the record only.
    got = typed("cin_census", "CINEpisode", "EpisodeNo", ["1", "one"], lines=False, file="census.xml")
    assert rendered(got.errors) == [
        "census.xml, row 2, field EpisodeNo: not a whole number (found 'one'; expected a whole number)"
    ]
    assert got.invalid.to_pylist()[0]["line"] is None


@pytest.mark.parametrize("column, spec_name, table, cells", [
    ("DOB", "ssda903", "Header", ["00/01/2020", "32/01/2020", "01/00/2020", "01/13/2020", "31/04/2025", "29/02/2023"]),
    ("DOB", "ssda903", "Header", ["0/1/2020", "32/1/2020", "1/0/2020", "1/13/2020", "31/4/2025", "29/2/2023"]),
    ("DOB", "ssda903", "Header", ["2020-01-00", "2020-01-32", "2020-00-01", "2020-13-01", "2025-04-31", "2023-02-29"]),
    ("CINreferralDate", "cin_census", "CINEpisode",
     ["2020-01-00", "2020-01-32", "2020-00-01", "2020-13-01", "2025-04-31", "2023-02-29"]),
])
def test_no_day_or_month_outside_the_calendar_is_read_as_a_date(column, spec_name, table, cells):
    # Typing checks only the day read against the day written (a day the month lacks carries into
    # the next month); that holds because the parser refuses day 0 or 32 and month 0 or 13 itself.
    got = typed(spec_name, table, column, [*cells, "28/02/2023" if spec_name == "ssda903" else "2023-02-28"])
    assert got.table[column].to_pylist()[:-1] == [None] * len(cells)
    assert str(got.table[column][-1]) == "2023-02-28"
    assert [(e.row, e.value, e.message) for e in got.errors] == [
        (n, value, "not a valid date") for n, value in enumerate(cells, start=1)
    ]


@pytest.mark.parametrize("space", ["  ", "\t", "\n", "\f", "\r", " \t "])
def test_each_kind_of_spacing_in_a_postcode_is_tidied_alone(space):
    # Each on its own in a column: tidying must not depend on another cell needing it too.
    got = typed("ssda903", "Episodes", "HOME_POST", ["ME14 1XX", f"ME14{space}1XX", None])
    assert got.table["HOME_POST"].to_pylist() == ["ME14 1XX", "ME14 1XX", None]
    assert rendered(got.warnings) == [
        f"t.csv, row 2 (line 3), field HOME_POST: postcode upper-cased and spacing tidied (found {f'ME14{space}1XX'!r})"
    ]
