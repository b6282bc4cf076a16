"""The command line as a user meets it: exit codes, messages, never a traceback."""

import json

from typer.testing import CliRunner

from builders import HEADER_ROWS, write_table
from careboard.cli import app

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def test_load_then_list(tmp_path, small_set):
    db = tmp_path / "c.duckdb"
    res = invoke("load", small_set, "--db", db)
    assert res.exit_code == 0, res.output
    assert "Loaded: SSDA903 886 Kent 2025-26: 6 rows from 3 file(s)" in res.output
    res = invoke("load", small_set, "--db", db)
    assert "Unchanged" in res.output
    res = invoke("returns", "--db", db, "--format", "json")
    (row,) = json.loads(res.output)
    assert (row["la"], row["year"], row["row_count"], row["status"]) == ("886", 2026, 6, "current")
    assert len(row["files"]) == 3 and all(len(f["sha256"]) == 64 for f in row["files"])


def test_bad_file_exits_non_zero_with_message_and_no_traceback(tmp_path, small_set):
    db = tmp_path / "c.duckdb"
    write_table(small_set, "Header", [{"CHILD": "1", "DOB": "31/02/2010"}])
    res = invoke("load", small_set, "--db", db)
    assert res.exit_code == 1
    assert "Nothing was loaded" in res.output
    expected = "Header.csv, row 1 (line 2), field DOB: not a valid date (found '31/02/2010'; expected dd/mm/yyyy)"
    assert expected in res.output
    assert "Traceback" not in res.output
    assert not db.exists() or invoke("returns", "--db", db).output.strip() == "No returns loaded."


def test_bad_arguments(tmp_path, small_set):
    res = invoke("load", small_set, "--year", "26")
    assert res.exit_code == 2 and "cannot read '26'" in res.output
    res = invoke("load", small_set, "--la", "Kent")
    assert res.exit_code == 1 and "3-digit DfE code" in res.output
    res = invoke("load", small_set, "--pseudonymise", "--db", tmp_path / "x.duckdb")
    assert res.exit_code == 2 and "needs a key" in res.output


def test_pseudonymise_with_key_file(tmp_path, small_set):
    key = tmp_path / "key"
    key.write_bytes(b"0123456789abcdef-secret")
    db = tmp_path / "c.duckdb"
    res = invoke("load", small_set, "--db", db, "--pseudonymise", "--key-file", key)
    assert res.exit_code == 0, res.output


def test_returns_without_database(tmp_path):
    res = invoke("returns", "--db", tmp_path / "none.duckdb")
    assert res.exit_code == 1 and "no careboard database" in res.output


def test_load_several_authorities(tmp_path):
    for la in ("886", "E06000001"):
        folder = tmp_path / la / "2025-26"
        folder.mkdir(parents=True)
        write_table(folder, "Header", HEADER_ROWS)
    res = invoke("load", tmp_path, "--db", tmp_path / "c.duckdb")
    assert res.exit_code == 0, res.output
    assert "805 Hartlepool" in res.output and "886 Kent" in res.output
