from pathlib import Path

import pytest

from careboard import authorities, years


@pytest.mark.parametrize("text", ["2026", "2025-26", "2025/26", "202526", "2526", " 2025_26 "])
def test_parse_year_forms_name_the_year_by_its_31_march(text):
    assert years.parse_year(text) == 2026


@pytest.mark.parametrize("text", ["26", "2025-27", "abc", "20252027", "1850"])
def test_parse_year_refuses_what_it_cannot_read(text):
    with pytest.raises(years.YearError):
        years.parse_year(text)


def test_year_bounds_and_label():
    assert str(years.year_start(2026)) == "2025-04-01"
    assert str(years.year_end(2026)) == "2026-03-31"
    assert years.label(2026) == "2025-26"
    assert years.label(2000) == "1999-00"


@pytest.mark.parametrize(
    "path,expected",
    [
        ("returns/2025-26/Header.csv", 2026),
        ("returns/ssda903_202526.csv", 2026),
        ("returns/kent_2526/episodes.csv", 2026),
        ("returns/2021/header.csv", None),  # a bare calendar year is ambiguous
        ("returns/header.csv", None),
    ],
)
def test_infer_year_from_names(path, expected):
    assert years.infer_year([Path(path)]) == expected


def test_infer_year_refuses_disagreeing_names():
    with pytest.raises(years.YearError, match="different collection years"):
        years.infer_year([Path("2024-25/a.csv"), Path("2025-26/b.csv")])


def test_authority_by_dfe_or_ons_code():
    kent = authorities.resolve("886")
    assert kent.name == "Kent"
    assert authorities.resolve("E10000016") == kent
    assert authorities.resolve("e10000016") == kent
    assert kent.region_name == "South East"


@pytest.mark.parametrize("code", ["999x", "000", "E99999999", ""])
def test_unknown_authority_is_a_clear_error(code):
    with pytest.raises(authorities.AuthorityError, match="3-digit DfE code"):
        authorities.resolve(code)


def test_authority_from_folder_names():
    assert authorities.infer_from_names(["/data/886/2025-26/Header.csv"]).code == "886"
    assert authorities.infer_from_names(["/data/E10000016_returns/x.csv"]).code == "886"
    assert authorities.infer_from_names(["/data/returns/x.csv"]) is None
    with pytest.raises(authorities.AuthorityError):
        authorities.infer_from_names(["/a/886/x.csv", "/a/887/y.csv"])
