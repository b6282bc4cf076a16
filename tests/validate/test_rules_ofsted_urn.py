"""Rules that look an episode's URN up in the Ofsted provider lists.

harness.check cannot give the lists, so ``check`` here mirrors it: it writes the given providers to
an Ofsted-style workbook, loads it with load_provider_lists and runs the rule with providers=True.
"""

from pathlib import Path

import openpyxl
from harness import _strip

from careboard.returns.reader import return_from_rows
from careboard.store.load import load_returns
from careboard.validate.engine import run_rules
from careboard.validate.providers import load_provider_lists
from fresh_db import fresh, fresh_database

HEADINGS = {
    "URN": "URN", "PROVIDER_TYPE": "Provider type", "NAME": "Setting name", "POSTCODE": "Setting address postcode",
    "REG": "Registration date", "CLOSED": "Deregistration date", "PLACE": "Placement code",
    "PROVIDER": "Placement provider code",
}


def provider(urn, place="K2", prov="PR4", postcode="ME14 1XQ", closed=None, **kw):
    return {"URN": urn, "PROVIDER_TYPE": "Children's Home", "NAME": "Home", "POSTCODE": postcode,
            "REG": "01/01/2010", "CLOSED": closed, "PLACE": place, "PROVIDER": prov, **kw}


def write_list(path: Path, providers: list[dict]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Providers"
    sheet.append(list(HEADINGS.values()))
    for p in providers:
        sheet.append([p.get(k) for k in HEADINGS])
    book.save(path)
    return path


def check(code, rows, providers, tmp_path: Path, year=2026, la="886"):
    """Assert that exactly the rows marked ``_flag`` are flagged by provider rule ``code``."""
    clean, expected = _strip(rows)
    with fresh() as con:
        ret = return_from_rows("ssda903", la, year, clean, strict=False)
        (outcome,) = load_returns(con, [ret])
        load_provider_lists(con, [write_list(tmp_path / f"providers_{code}_{year}.xlsx", providers)])
        result = run_rules(con, outcome.load_id, year, la, None, invalid=ret.invalid_cells, providers=True,
                           only=[code])
    assert code in result.rules_run, f"rule {code} did not run: {result.skipped.get(code)}"
    got = {(r["tbl"], r["source_row"]) for r in result.findings.to_pylist()}
    assert got == expected, f"rule {code}: flagged {sorted(got)}, expected {sorted(expected)}"


def ep(child, urn, place="K2", prov="PR4", decom="01/05/2025", dec=None, rec=None, **kw):
    return {"CHILD": child, "DECOM": decom, "DEC": dec, "REC": rec, "RNE": "S", "LS": "C2", "CIN": "N1",
            "PLACE": place, "PLACE_PROVIDER": prov, "URN": urn, "PL_POST": "ME14 1XQ", "HOME_POST": "ME15 6AA", **kw}


def test_provider_rules_skipped_without_lists():
    con = fresh_database()
    ret = return_from_rows("ssda903", "886", 2026, {"Episodes": [ep("1", "SC000001")]}, strict=False)
    (outcome,) = load_returns(con, [ret])
    result = run_rules(con, outcome.load_id, 2026, "886", None, only=["1008"])
    assert "1008" not in result.rules_run and "Ofsted" in result.skipped["1008"]


def test_1008_urn_not_in_the_lists(tmp_path):
    check("1008", {"Episodes": [
        ep("1", "SC000001"),
        ep("2", "sc000001"),  # case does not matter
        ep("3", "SC999999", _flag=True),
        ep("4", "XXXXXXX"),
        ep("5", None, place="U4"),
        ep("6", "1234567"),  # a number in the list
    ]}, [provider("SC000001"), provider(1234567)], tmp_path)


def test_219_placement_type_not_registered(tmp_path):
    check("219", {"Episodes": [
        ep("1", "SC000001", place="K2"),
        ep("2", "SC000001", place="K1", _flag=True),
        ep("3", "SC000002", place="U4"),  # one of several codes
        ep("4", "SC000002", place="U1"),
        ep("5", "SC000002", place="K2", _flag=True),
        ep("6", "SC999999", place="K1"),  # unknown URN: rule 1008
        ep("7", "SC000003", place="K1"),  # list gives no placement code
    ]}, [provider("SC000001", place="K2"), provider("SC000002", place="U1,U2,U3,U4,U5,U6"),
         provider("SC000003", place=None)], tmp_path)


def test_221_placement_postcode_differs(tmp_path):
    check("221", {"Episodes": [
        ep("1", "SC000001", PL_POST="ME14 1XQ"),
        ep("2", "SC000001", PL_POST="ME141XQ"),  # spacing does not matter
        ep("3", "SC000001", PL_POST="ME14 1XR", _flag=True),
        ep("4", "SC000001", PL_POST="ME14 1XR", LS="V3"),  # short breaks are left out
        ep("5", "SC000002", place="U4", PL_POST="ME14 1XR"),  # fostering is left out
        ep("6", "SC000003", place="K3", PL_POST="ME14 1XR", _flag=True),  # K3 from 2024-25
        ep("7", "SC000001", PL_POST=None),
    ]}, [provider("SC000001"), provider("SC000002", place="U4"), provider("SC000003", place="K3")], tmp_path)
    check("221", {"Episodes": [
        ep("1", "SC000003", place="H5", decom="01/05/2023", PL_POST="ME14 1XR", _flag=True),
        ep("2", "SC000003", place="K3", decom="01/05/2023", PL_POST="ME14 1XR"),
    ]}, [provider("SC000003", place="H5")], tmp_path, year=2024)


def test_224_placement_provider_differs(tmp_path):
    check("224", {"Episodes": [
        ep("1", "SC000001", prov="PR4"),
        ep("2", "SC000001", prov="PR1", _flag=True),
        ep("3", "SC000002", prov="PR2"),
        ep("4", "SC000003", prov="PR1"),  # list gives no provider code
        ep("5", "SC000001", prov=None),
    ]}, [provider("SC000001", prov="PR4"), provider("SC000002", prov="PR1/PR2"), provider("SC000003", prov=None)],
        tmp_path)


def test_227_started_after_provider_closed(tmp_path):
    check("227", {"Episodes": [
        ep("1", "SC000001", decom="31/05/2025"),
        ep("2", "SC000001", decom="01/06/2025", _flag=True),  # the closure date itself
        ep("3", "SC000002", decom="01/06/2025"),  # still open
    ]}, [provider("SC000001", closed="01/06/2025"), provider("SC000002")], tmp_path)


def test_228_ended_after_provider_closed(tmp_path):
    check("228", {"Episodes": [
        ep("1", "SC000001", dec="01/06/2025", rec="E8"),  # ended the day it closed
        ep("2", "SC000001", dec="02/06/2025", rec="E8", _flag=True),
        ep("3", "SC000001", _flag=True),  # open at the year end
        ep("4", "SC000002"),
        ep("5", "SC000003"),  # closes on the last day of the year
    ]}, [provider("SC000001", closed="01/06/2025"), provider("SC000002"), provider("SC000003", closed="31/03/2026")],
        tmp_path)


def test_229_own_provision_in_another_authority(tmp_path):
    kent, sussex = "ME14 1XQ", "BN20 8JX"
    check("229", {"Episodes": [
        ep("1", "SC000001", prov="PR1"),  # own provision in Kent (886)
        ep("2", "SC000002", prov="PR1", _flag=True),  # 'own' provision in East Sussex
        ep("3", "SC000002", prov="PR2"),
        ep("4", "SC000001", prov="PR2", _flag=True),  # 'other LA' provision in Kent
        ep("5", "SC000003", prov="PR1"),  # postcode not found
        ep("6", "SC000002", place="R1", prov="PR1"),  # R1 is left out from 2025-26
        ep("7", "SC000002", prov="PR4"),
    ]}, [provider("SC000001", postcode=kent, prov="PR1,PR2"), provider("SC000002", postcode=sussex),
         provider("SC000003", postcode="ZZ99 9ZZ")], tmp_path)
    check("229", {"Episodes": [
        ep("1", "SC000002", place="R1", prov="PR1", decom="01/05/2024", _flag=True),  # not left out in 2024-25
    ]}, [provider("SC000002", postcode=sussex)], tmp_path, year=2025)


def test_241_supported_accommodation_outside_the_providers_authority(tmp_path):
    kent, sussex, southwark = "ME14 1XQ", "BN20 8JX", "SE1 7PB"
    check("241", {"Episodes": [
        ep("1", "SC000001", place="K3"),  # provider and placement both in Kent
        ep("2", "SC000002", place="K3", _flag=True),  # provider in East Sussex, placed in Kent
        ep("3", "SC000002", place="K2"),  # only supported accommodation is checked
        ep("4", "SC000003", place="K3"),  # provider's postcode not found
        ep("5", "SC000002", place="K3", PL_POST=sussex),  # placed in the provider's authority, not ours
        ep("6", "SC000002", place="K3", PL_POST="ZZ99 9ZZ"),  # placement postcode not found
        ep("7", "XXXXXXX", place="K3"),
        ep("8", "SC999999", place="K3"),  # unknown URN: rule 1008
        ep("9", "SC000002", place="K3", PL_POST=southwark, _flag=True),  # compared with the provider, not us
        ep("10", "SC000001", place="K3", PL_POST=southwark, _flag=True),
    ]}, [provider("SC000001", place="K3", postcode=kent), provider("SC000002", place="K3", postcode=sussex),
         provider("SC000003", place="K3", postcode="ZZ99 9ZZ")], tmp_path)
