"""Validation end to end: files or a loaded return, reports a data officer can act on."""

import csv

import openpyxl
from typer.testing import CliRunner

from builders import EPISODE_ROWS, HEADER_ROWS, write_table
from careboard.cli import app
from careboard.returns.reader import read_returns
from careboard.store import db as store_db
from careboard.store.load import load_returns
from careboard.validate import report
from careboard.validate.runner import validate_files, validate_loaded


def bad_set(folder):
    header = [dict(HEADER_ROWS[0]), dict(HEADER_ROWS[1], ETHNIC="XXXX", DOB="31/02/2019")]
    episodes = [dict(EPISODE_ROWS[0]), dict(EPISODE_ROWS[1]), dict(EPISODE_ROWS[2], PLACE="Q9")]
    write_table(folder, "Header", header)
    write_table(folder, "Episodes", episodes)


def test_files_with_bad_values_are_checked_not_refused(small_set):
    bad_set(small_set)
    checked = validate_files([small_set], None, None)
    got = {(f["rule"], f["table"], f["line"], f["child"]) for f in checked.findings}
    assert ("103", "Header", 2, "1002") in got
    assert ("102", "Header", 2, "1002") in got  # an impossible date is a DfE finding, not a crash
    assert ("146", "Episodes", 3, "1002") in got
    assert checked.children_affected >= 1
    assert not [why for why in checked.result.skipped.values() if why.startswith("rule could not run")]


def test_loaded_return_findings_are_stored(tmp_path, small_set):
    write_table(small_set, "Episodes", [dict(EPISODE_ROWS[2], PLACE="Q9")])
    con = store_db.connect(tmp_path / "v.duckdb")
    load_returns(con, read_returns([small_set]))
    checked = validate_loaded(con, "886", 2026)
    stored = con.execute("SELECT rule, table_name, source_row, child FROM validation_findings").fetchall()
    assert ("146", "Episodes", 1, "1002") in stored
    run = con.execute("SELECT la, year, finding_count FROM validation_runs").fetchone()
    assert run == ("886", 2026, len(checked.findings))
    con.close()


def test_reports(tmp_path, small_set):
    bad_set(small_set)
    checked = validate_files([small_set], None, None)
    report.write_csv(checked, tmp_path / "f.csv")
    rows = list(csv.DictReader((tmp_path / "f.csv").open()))
    assert list(rows[0]) == ["table", "line", "child", "rule", "message"]
    assert {"table": "Episodes", "line": "3", "child": "1002", "rule": "146",
            "message": "Placement type code is not a valid code."} in rows
    report.write_xlsx(checked, tmp_path / "f.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "f.xlsx")
    assert wb.sheetnames == ["By child", "By rule", "Rules not run"]
    assert wb["By child"]["A2"].value == "1002"
    report.write_html(checked, tmp_path / "f.html")
    html = (tmp_path / "f.html").read_text()
    assert "Child 1002: " in html and "Placement type code is not a valid code." in html


def test_cli_validate(tmp_path, small_set):
    bad_set(small_set)
    res = CliRunner().invoke(app, ["validate", str(small_set), "--out", str(tmp_path / "f.csv")])
    assert res.exit_code == 0, res.output
    assert "886 2025-26: " in res.output and "Placement type code is not a valid code." in res.output
    res = CliRunner().invoke(app, ["validate", "--la", "886", "--year", "2026", "--db", str(tmp_path / "n.duckdb")])
    assert res.exit_code == 1 and "no SSDA903 or CIN census return for 886 2025-26 is loaded" in res.output
