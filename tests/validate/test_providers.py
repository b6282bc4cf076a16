from datetime import date, datetime
from pathlib import Path

import duckdb
import openpyxl
import pytest

from careboard.returns.issues import ReturnError
from careboard.validate.providers import load_provider_lists

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples" / "903_d2i_fake"  # provenance: its README


def rows(con, urn):
    cols = "PROVIDER_TYPE, SETTING_NAME, POSTCODE, POSTCODE_NOSPACE, REG_DATE, CLOSED_DATE, PLACE_CODES, PROVIDER_CODES"
    return con.execute(f"SELECT {cols} FROM providers WHERE URN = ?", [urn]).fetchall()


def workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, content in sheets.items():
        sheet = book.create_sheet(title)
        for row in content:
            sheet.append(row)
    book.save(path)
    return path


def test_sample_header_vintages():
    con = duckdb.connect()
    n = load_provider_lists(con, [SAMPLES / f for f in (
        "ch_fake.xlsx", "scp_fake.xlsx", "combined_scp_ch_fake.xlsx", "scpch_assisted.xlsx", "scp_ch_2025_fake.xlsx")])
    assert n == con.execute("SELECT count(DISTINCT URN) FROM providers").fetchall()[0][0] == 11
    # children's homes list: 'Setting Address Postcode', 'Closed Date' '-' is not a date
    assert rows(con, "NJASCN") == [("Childrens Home", "The Setting", "BN20 8JX", "BN208JX", date(2023, 12, 1),
                                    None, None, None)]
    # social care providers list: current and closed sheets, 'Setting postcode', 'Deregistration date'
    assert rows(con, "P4BABOO7")[0][2:6] == ("BN20 8JX", "BN208JX", None, date(2023, 1, 1))
    # combined list: placement codes split, provider codes that are not PR codes ignored
    assert rows(con, "ARN00001")[0][6:] == (["U1", "U2", "U3", "U4", "U5", "U6"], None)
    assert rows(con, "MDR00003")[0][6] == ["K1"]
    # 2025 list: numeric URN, 'Provider name', 'Provider postcode'; SA sheet is always usable for K3
    assert rows(con, "1")[0][:3] == ("Provider", "Provision Provider", "RT1 4RT")
    assert rows(con, "2")[0][5:7] == (date(2024, 2, 1), ["K3", "N1"])
    assert rows(con, "ISL00001")[0][6] == ["K3"]


def test_headings_found_by_name_anywhere_near_the_top(tmp_path):
    path = workbook(tmp_path / "ch.xlsx", {
        "Settings and Inspection Info": [
            ["Children's homes list for local authorities"],
            [],
            ["LOCAL AUTHORITY", "urn", "Provider  Type", "Registration Date", "Closed Date", "Provider Code",
             "Provider Placement Code"],
            ["Kent", "SC000001", "Children's Home", datetime(2015, 3, 1), None, "K2", "PR4"],
            ["Kent", " sc000002 ", "Children's Home", "01/02/2012", "31/12/2024", "K1/K2", "PR1, PR2"],
            [None, None, None, None, None, None, None],
        ],
        "Address Details": [["URN", "Setting Postcode"], ["SC000001", "me14 1xq"], ["SC000002", "ME15 6AA"]],
        "Registration Conditions": [["URN", "Conditions"], ["SC000001", "Up to 4 children"]],
    })
    con = duckdb.connect()
    assert load_provider_lists(con, [path]) == 2
    assert rows(con, "SC000001") == [("Children's Home", None, "ME14 1XQ", "ME141XQ", date(2015, 3, 1), None,
                                      ["K2"], ["PR4"])]
    assert rows(con, "SC000002")[0][4:] == (date(2012, 2, 1), date(2024, 12, 31), ["K1", "K2"], ["PR1", "PR2"])


def test_reloading_replaces_the_table(tmp_path):
    path = workbook(tmp_path / "a.xlsx", {"Providers": [["URN", "Placement code"], ["SC1", "K2"]]})
    con = duckdb.connect()
    assert load_provider_lists(con, [path]) == 1
    assert load_provider_lists(con, []) == 0
    assert con.execute("SELECT count(*) FROM providers").fetchall() == [(0,)]


def test_unreadable_workbook(tmp_path):
    bad = tmp_path / "providers.xlsx"
    bad.write_text("URN,Placement code\nSC1,K2\n")
    with pytest.raises(ReturnError) as err:
        load_provider_lists(duckdb.connect(), [bad, tmp_path / "missing.xlsx"])
    files = [e.file for e in err.value.errors]
    assert files == ["providers.xlsx", "missing.xlsx"]
    assert all("cannot read the Ofsted provider list" in e.message for e in err.value.errors)


def test_workbook_that_is_not_a_provider_list(tmp_path):
    path = workbook(tmp_path / "header.xlsx", {"Header": [["CHILD", "SEX", "DOB"], ["1", "M", "01/01/2010"]]})
    with pytest.raises(ReturnError) as err:
        load_provider_lists(duckdb.connect(), [path])
    assert "no sheet" in err.value.errors[0].message
