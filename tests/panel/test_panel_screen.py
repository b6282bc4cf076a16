"""Free text for the Panel is refused if it could identify a child: identifiers from the loaded returns
(matched set-based in DuckDB) and obvious personal details; the message names the kind, never the value."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from careboard.panel.screen import KINDS, REMOVED, identifier_columns, screen

CHILD, UPN, DOB, POSTCODE = "4471923", "A358201234567", date(2011, 5, 17), "M33 7AB"
CIN_CHILD, CIN_DOB = "CIN88812", date(2014, 2, 3)


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    """A database shaped like a loaded one: a 903 header and episodes, a CIN child, a model table."""
    c = duckdb.connect()
    c.execute("CREATE TABLE ssda903_header (CHILD VARCHAR, SEX VARCHAR, DOB DATE, UPN VARCHAR, MC_DOB DATE)")
    c.execute("INSERT INTO ssda903_header VALUES (?, '1', ?, ?, NULL), ('5550001', '2', DATE '2009-01-09', "
              "'UN1', NULL)", [CHILD, DOB, UPN])
    c.execute("CREATE TABLE ssda903_episodes (CHILD VARCHAR, HOME_POST VARCHAR, PL_POST VARCHAR)")
    c.execute("INSERT INTO ssda903_episodes VALUES (?, ?, 'WA15 8')", [CHILD, POSTCODE])
    c.execute("CREATE TABLE cin_child (LAchildID VARCHAR, UPN VARCHAR, PersonBirthDate DATE)")
    c.execute("INSERT INTO cin_child VALUES (?, NULL, ?)", [CIN_CHILD, CIN_DOB])
    # Not a return: never searched (the model is derived from the returns).
    c.execute("CREATE TABLE model_child_year (CHILD VARCHAR)")
    c.execute("INSERT INTO model_child_year VALUES ('MODELONLY1')")
    return c


def test_identifier_columns_are_found_in_every_return_table(con):
    found = identifier_columns(con)
    assert ("ssda903_header", "CHILD") in found["child_id"] and ("cin_child", "LAchildID") in found["child_id"]
    assert ("cin_child", "PersonBirthDate") in found["dob"] and ("ssda903_header", "MC_DOB") in found["dob"]
    assert set(found["postcode"]) == {("ssda903_episodes", "HOME_POST"), ("ssda903_episodes", "PL_POST")}
    assert not any(t == "model_child_year" for cols in found.values() for t, _ in cols)


@pytest.mark.parametrize(("text", "kind"), [
    (f"Child {CHILD} keeps being moved", "child_id"),
    (f"child {CHILD.lower()}'s social worker left", "child_id"),
    (f"{CIN_CHILD} was not listened to", "child_id"),
    (f"pupil number {UPN}", "upn"),
    ("born 17/05/2011, moved twice", "dob"),
    ("born on 17th May 2011", "dob"),
    ("birthday 2011-05-17", "dob"),
    ("born 3 February 2014", "dob"),
    ("I lived near M33 7AB before", "postcode"),
    ("placed in wa15 8 last year", "postcode"),
    ("my home was in M33 7", "postcode"),  # the sector of a postcode held in full
])
def test_identifiers_from_the_loaded_returns_are_refused(con, text, kind):
    result = screen(text, con)
    assert not result.ok and kind in result.found
    assert KINDS[kind] in result.message("The card")
    for value in (CHILD, CHILD.lower(), CIN_CHILD, UPN, "17/05/2011", "M33 7AB", "wa15 8", "M33 7"):
        assert value not in result.message("The card")  # never echoed
    assert REMOVED in result.text


def test_the_screened_text_keeps_everything_but_the_identifier(con):
    result = screen(f"Young person {CHILD} said the contact room is cold", con)
    assert result.text == f"Young person {REMOVED} said the contact room is cold"
    assert result.found == ("child_id",)


@pytest.mark.parametrize(("text", "kind"), [
    ("Hi, my name is jake and I want more contact", "name"),
    ("a boy called Tom Smith said", "name"),
    ("email me on young.person@example.org", "email"),
    ("ring 07700 900123 after school", "phone"),
    ("ring +44 161 496 0000", "phone"),
    ("at SW1A 1AA", "full_postcode"),
    ("UPN Z999999999999", "upn_shape"),
    ("NHS 943 476 5919", "nhs_number"),
])
def test_obvious_personal_details_are_refused_without_data(text, kind):
    result = screen(text)  # no database: the patterns alone
    assert kind in result.found and REMOVED in result.text


@pytest.mark.parametrize("text", [
    "Young people in care said placements move too often and they are not told why.",
    "We want to meet our social worker every 6 weeks, not every 12.",
    "In 2025 three of us had a new worker; the Panel met on 12 March 2024.",
    "They called the meeting late.",
    "Year 10 pupils need help with revision",
])
def test_ordinary_text_passes(con, text):
    result = screen(text, con)
    assert result.ok and result.text == text and result.found == ()


def test_a_date_that_is_no_childs_birthday_passes(con):
    assert screen("born 18/05/2011", con).ok
    assert not screen("born 17.05.11", con).ok  # two-digit years are read in both centuries


def test_identifiers_only_in_the_model_are_not_searched(con):
    assert screen("MODELONLY1 said hello", con).ok


def test_several_findings_are_named_once_each_in_a_fixed_order(con):
    result = screen(f"{CHILD} and {CHILD}, email a@b.co, born 17/05/2011", con)
    assert result.found == ("child_id", "dob", "email")
    assert result.text.count(REMOVED) == 4
    assert result.message("The card").startswith("The card holds a child's ID from the loaded returns, a date that")
