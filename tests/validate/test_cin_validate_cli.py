"""`careboard validate` on a CIN census: from the file (with last year's and the SSDA903) or loaded,
with the same reports as the SSDA903 and findings stored for the web pages."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from careboard.cli import app
from careboard.returns.reader import read_returns
from careboard.store import db as store_db
from careboard.store.load import load_returns
from fresh_db import fresh_database, fresh_file

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><Message><Header><CollectionDetails><Collection>CIN</Collection>'
    "<Year>{year}</Year><ReferenceDate>{ref}</ReferenceDate></CollectionDetails><Source><SourceLevel>L</SourceLevel>"
    "<LEA>886</LEA><SoftwareCode>test</SoftwareCode><Release>1</Release><SerialNo>1</SerialNo>"
    "<DateTime>{year}-04-10T09:00:00</DateTime></Source></Header><Children>\n"
)


def child(cid: str, ethnicity: str = "WBRI", referral: str = "2025-05-01", dob: str = "2015-01-01") -> str:
    return (
        f"<Child><ChildIdentifiers><LAchildID>{cid}</LAchildID><UPNunknown>UN2</UPNunknown>"
        f"<PersonBirthDate>{dob}</PersonBirthDate><Sex>M</Sex></ChildIdentifiers><ChildCharacteristics>"
        f"<Ethnicity>{ethnicity}</Ethnicity><Disabilities><Disability>NONE</Disability></Disabilities>"
        f"</ChildCharacteristics><CINdetails><CINreferralDate>{referral}</CINreferralDate>"
        "<ReferralSource>6</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>0</ReferralNFA>"
        "</CINdetails></Child>\n"
    )


def census(path: Path, year: int, children: list[str], ref: str | None = None) -> Path:
    path.write_text(HEAD.format(year=year, ref=ref or f"{year}-03-31") + "".join(children) + "</Children></Message>")
    return path


def test_cli_validates_a_census_file_with_reports(tmp_path: Path):
    xml = census(tmp_path / "cin_2026.xml", 2026, [child("1001"), child("1002", ethnicity="WBR")], ref="2026-03-30")
    res = CliRunner().invoke(
        app,
        [
            "validate",
            str(xml),
            "--out",
            str(tmp_path / "f.csv"),
            "--xlsx",
            str(tmp_path / "f.xlsx"),
            "--html",
            str(tmp_path / "f.html"),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "CIN census 886 2025-26: " in res.output and "Ethnicity is missing or invalid" in res.output
    # The report's columns are the SSDA903's: row is the record, line the line in the XML file.
    keys = ("table", "file", "row", "line", "child", "rule", "source", "message")
    rows = [tuple(r[k] for k in keys) for r in csv.DictReader((tmp_path / "f.csv").open())]
    ethnicity = "Ethnicity is missing or invalid (see Ethnicity table)"
    assert ("Child", "cin_2026.xml", "2", "3", "1002", "4220", "DfE", ethnicity) in rows
    assert ("Header", "cin_2026.xml", "1", "", "", "100", "DfE", "Reference Date is incorrect") in rows
    wb = openpyxl.load_workbook(tmp_path / "f.xlsx")
    skipped = {r[0].value: r[1].value for r in wb["Rules not run"].iter_rows(min_row=2)}
    assert "needs last year's return" in skipped["CB-LY-OPEN"] and "SSDA903" in skipped["CB-903-DOB"]
    html = (tmp_path / "f.html").read_text()
    assert "CIN census validation" in html and "careboard's own checks" in html


def test_cli_checks_a_census_with_last_years_and_the_ssda903(tmp_path: Path, small_set: Path):
    # small_set: the SSDA903 of 2025-26, children 1001 and 1002 both looked after in the year
    this = census(tmp_path / "cin_2026.xml", 2026, [child("1001", dob="2015-01-02")])
    last = census(
        tmp_path / "cin_2025.xml", 2025, [child("1001", referral="2024-06-01"), child("3003", referral="2024-07-01")]
    )
    res = CliRunner().invoke(
        app, ["validate", str(this), str(small_set), "--last-year", str(last), "--out", str(tmp_path / "f.csv")]
    )
    assert res.exit_code == 0, res.output
    assert "SSDA903 886 2025-26" in res.output and "CIN census 886 2025-26" in res.output
    cin = list(csv.DictReader((tmp_path / "f_cin.csv").open()))
    got = {(r["rule"], r["table"], r["child"]) for r in cin}
    # a row of another return is named in that return's file
    files = {(r["rule"], r["table"], r["child"]): r["file"] for r in cin}
    assert files[("CB-903-CIN", "SSDA903: Header", "1002")] == "Header.csv"
    assert files[("CB-LY-OPEN", "Last year: CINEpisode", "3003")] == "cin_2025.xml"
    assert ("CB-903-CIN", "SSDA903: Header", "1002") in got  # looked after, not in the census
    assert ("CB-LY-OPEN", "Last year: CINEpisode", "1001") in got  # last year's open referral not carried over
    assert ("CB-LY-OPEN", "Last year: CINEpisode", "3003") in got
    assert (tmp_path / "f_ssda903.csv").exists()
    res = CliRunner().invoke(app, ["validate", str(this), str(small_set), "--kind", "cin"])
    assert res.exit_code == 0 and "SSDA903 886" not in res.output


def test_cli_validates_a_loaded_census_and_stores_findings(tmp_path: Path, small_set: Path):
    db = fresh_file(tmp_path / "c.duckdb")
    con = store_db.connect(db)
    load_returns(
        con,
        read_returns(
            [
                census(tmp_path / "cin.xml", 2026, [child("1001", ethnicity="X")]),
                small_set,
                census(tmp_path / "cin_2025.xml", 2025, [child("1001", referral="2025-01-05")]),
            ]
        ),
    )
    con.close()
    res = CliRunner().invoke(app, ["validate", "--la", "886", "--year", "2026", "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert "SSDA903 886 2025-26" in res.output and "CIN census 886 2025-26" in res.output
    con = store_db.connect(db)
    # last year's census and the SSDA903 are loaded, so every CIN rule ran (nothing to record as not run);
    # the refresh after it stored 2024-25's census findings too (no census before it: 8 rules not run)
    assert con.execute(
        "SELECT r.year, r.rules_run, r.rules_skipped FROM validation_runs r JOIN loads l USING (load_id) "
        "WHERE l.kind = 'cin' ORDER BY r.year"
    ).fetchall() == [(2025, 110, 8), (2026, 118, 0)]
    stored = con.execute(
        "SELECT l.kind, f.rule, f.table_name, f.source_row, f.child FROM validation_findings f "
        "JOIN validation_runs r USING (run_id) JOIN loads l ON l.load_id = r.load_id WHERE r.year = 2026"
    ).fetchall()
    con.close()
    assert ("cin", "4220", "Child", 1, "1001") in stored
    assert ("cin", "CB-903-CIN", "SSDA903: Header", 2, "1002") in stored
    res = CliRunner().invoke(app, ["validate", "--la", "886", "--year", "2026", "--db", str(db), "--kind", "x"])
    assert res.exit_code == 2


def test_pseudonymised_census_skips_the_identifier_form_rules(tmp_path: Path):
    from careboard.validate.runner import validate_loaded

    con = fresh_database()
    xml = census(tmp_path / "cin.xml", 2026, [child("1001"), child("1001")])
    load_returns(con, read_returns([xml]), key=b"k" * 32)
    checked = validate_loaded(con, "886", 2026, kind="cin")
    con.close()
    assert "pseudonymised" in checked.result.skipped["1570"] and "1510" in checked.result.skipped
    # rules comparing identifiers still run on the pseudonyms: the repeated child is found
    assert {f["rule"] for f in checked.findings} >= {"8510"}


def test_every_load_stores_census_findings_and_a_later_ssda903_makes_them_stale(tmp_path: Path, small_set: Path):
    """The refresh after every load validates a CIN census as it does an SSDA903 return; the census is
    cross-checked with the SSDA903 of its year, so loading that SSDA903 later validates it again."""
    import duckdb

    from careboard.refresh import stale_validations

    db = tmp_path / "c.duckdb"
    runs_sql = ("SELECT l.kind, r.year, r.ssda903_load_id FROM validation_runs r JOIN loads l USING (load_id) "
                "ORDER BY r.run_id")
    xml = census(tmp_path / "cin.xml", 2026, [child("1001")])
    res = CliRunner().invoke(app, ["load", str(xml), "--db", str(db)])
    assert res.exit_code == 0, res.output
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute(runs_sql).fetchall() == [("cin", 2026, None)]
    assert con.execute("SELECT count(*) FROM validation_skipped WHERE rule = 'CB-903-CIN'").fetchone()[0] == 1
    con.close()

    res = CliRunner().invoke(app, ["load", str(small_set), "--db", str(db)])
    assert res.exit_code == 0, res.output
    con = duckdb.connect(str(db), read_only=True)
    (ssda903,) = con.execute("SELECT load_id FROM loads WHERE kind = 'ssda903'").fetchone()
    assert con.execute(runs_sql).fetchall() == [("cin", 2026, None), ("ssda903", 2026, None),
                                                 ("cin", 2026, ssda903)]
    latest = con.execute("SELECT max(run_id) FROM validation_runs").fetchone()[0]
    stored = con.execute("SELECT rule, table_name, child FROM validation_findings WHERE run_id = ?",
                         [latest]).fetchall()
    assert ("CB-903-CIN", "SSDA903: Header", "1002") in stored
    assert not stale_validations(con)
    con.close()
