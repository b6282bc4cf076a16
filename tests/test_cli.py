"""The command line as a user meets it: exit codes, messages, never a traceback."""

import csv
import io
import json
import os
import pty
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import pytest
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


# --- A command line that fits a terminal (issue 12, items 9-11) -------------------------------------------

REPO = Path(__file__).resolve().parents[1]
BOX = set("┃│┏┡└┗━─")


def careboard(*args, columns: int = 80, stderr_tty: bool = False) -> subprocess.CompletedProcess:
    """Run careboard in a child process as a user would, its output piped (and standard error too,
    unless ``stderr_tty``: then a pseudo-terminal, returned as ``stderr``)."""
    env = {**os.environ, "COLUMNS": str(columns), "TERM": "xterm",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")]))}
    env.pop("CAREBOARD_DB", None)
    command = [sys.executable, "-c", "from careboard.cli import app; app(prog_name='careboard')", *map(str, args)]
    if not stderr_tty:
        return subprocess.run(command, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL,
                              timeout=600)
    master, slave = pty.openpty()
    with tempfile.TemporaryFile() as stdout:
        proc = subprocess.Popen(command, stdout=stdout, stderr=slave, stdin=subprocess.DEVNULL, env=env)
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child has closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        proc.wait(timeout=600)
        os.close(master)
        stdout.seek(0)
        return subprocess.CompletedProcess(command, proc.returncode, stdout.read().decode(), seen.decode())


def table_lines(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if BOX & set(ln)]


def cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip()[1:-1].replace("┃", "│").split("│")]


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    """``careboard demo`` run once as the README runs it (its own size), with its output piped at 80 columns,
    into a folder whose path is long enough that every command it suggests is wider than 80 columns.  (It
    once ran a 30-child demo to be quick; that was slower, since nearly every count of so small an authority
    is small and disclosure control does most work on those.)"""
    folder = tmp_path_factory.mktemp("a-folder-with-a-long-name-as-on-a-shared-council-drive") / "demo"
    done = careboard("demo", "--out", folder)
    assert done.returncode == 0, done.stderr
    return folder, done.stdout


def test_demo_prints_every_suggested_command_on_one_line_when_piped(demo_run):
    folder, stdout = demo_run
    db = folder / "careboard.duckdb"
    lines = stdout.splitlines()
    suggested = [f"  careboard scorecard --la 358 --year 2026 --db {db} --format csv",
                 f"  careboard users add me --role analyst --db {db}"]
    for command in suggested:
        assert len(command) > 80
        assert command in lines
    assert any(ln.startswith(f"  careboard serve --la 358 --db {db}") for ln in lines)


def test_scorecard_at_80_columns_keeps_measure_value_england_band_and_trend_whole(demo_run):
    folder, demo_stdout = demo_run
    done = careboard("scorecard", "--la", "358", "--year", "2026", "--db", folder / "careboard.duckdb")
    assert done.returncode == 0, done.stderr
    for text in (done.stdout, demo_stdout):  # the demo prints the same table
        lines = table_lines(text)
        assert lines and all(len(ln) <= 80 for ln in lines), max(lines, key=len)
        assert "…" not in text
        header = next(cells(ln) for ln in lines if ln.startswith("┃"))
        assert header == ["measure", "value", "England", "band", "trend"]
        rows = [cells(ln) for ln in lines if ln.startswith("│")]
        bands = [r[3] for r in rows if r[3]]
        assert bands and all(re.fullmatch(r"-|[A-D] \(\d+/\d+\)", b) for b in bands), bands
        assert {r[4] for r in rows} <= {"", "-", "up", "down", "no change", "improving", "worsening"}
        assert any(re.fullmatch(r"[A-D] \(\d+/1[0-9][0-9]\)", b) for b in bands)


def test_scorecard_at_120_columns_shows_every_column(demo_run):
    folder, _ = demo_run
    done = careboard("scorecard", "--la", "358", "--year", "2026", "--db", folder / "careboard.duckdb",
                     columns=120)
    lines = table_lines(done.stdout)
    assert all(len(ln) <= 120 for ln in lines) and "…" not in done.stdout
    header = next(cells(ln) for ln in lines if ln.startswith("┃"))
    assert header == ["measure", "value", "England", "neighbours", "best 25%", "band", "trend"]


def test_returns_at_80_columns_cuts_no_cell(demo_run):
    folder, _ = demo_run
    db = folder / "careboard.duckdb"
    loads = json.loads(invoke("returns", "--db", db, "--format", "json").output)
    done = careboard("returns", "--all", "--files", "--db", db)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert all(len(ln) <= 80 for ln in lines) and "…" not in done.stdout
    assert "Loaded returns: 358 Trafford" in done.stdout
    for load in loads:
        row = next(ln.split() for ln in lines if ln.split()[:1] == [str(load["load_id"])])
        assert load["year_label"] in row and f"{load['row_count']:,}" in row and "current" in row
        for f in load["files"]:
            assert f"  sha256 {f['sha256']}" in lines
    wide = careboard("returns", "--all", "--files", "--db", db, columns=160)
    assert cells(table_lines(wide.stdout)[3])[2] == "358 Trafford" and "…" not in wide.stdout


def test_returns_formats_and_year(demo_run):
    folder, _ = demo_run
    db = folder / "careboard.duckdb"
    res = invoke("returns", "--db", db, "--format", "csv")
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.output)))
    # seven years of SSDA903, CIN census and CSWW census, and the local extracts as at the latest year
    assert len(rows) == 22 and {r["la"] for r in rows} == {"358"}
    assert {r["year_label"] for r in rows if r["kind"] == "csww"} == {
        f"{y - 1}-{y % 100:02d}" for y in range(2020, 2027)}
    assert {r["year_label"] for r in rows if r["kind"] == "ssda903"} == {f"{y - 1}-{y % 100:02d}"
                                                                        for y in range(2020, 2027)}
    res = invoke("returns", "--db", db, "--format", "csv", "--year", "2025-26", "--files")
    files = list(csv.DictReader(io.StringIO(res.output)))
    assert {r["year"] for r in files} == {"2026"} and all(len(r["sha256"]) == 64 for r in files)
    assert "Header.csv" in {r["name"] for r in files}
    res = invoke("returns", "--db", db, "--year", "2031")
    assert res.output == "No returns loaded for 2030-31.\n"
    res = invoke("returns", "--db", db, "--format", "xml")
    assert res.exit_code == 2 and "--format must be table, csv or json" in res.output


def test_scorecard_out_writes_the_format_asked_for_or_named_by_the_extension(demo_run, tmp_path):
    folder, _ = demo_run
    base = ["scorecard", "--la", "358", "--year", "2026", "--db", folder / "careboard.duckdb"]
    res = invoke(*base, "--out", tmp_path / "card.txt")
    assert res.exit_code == 0 and "(table, " in res.output
    text = (tmp_path / "card.txt").read_text()
    assert text.splitlines()[0].strip() == "Children in care scorecard: Trafford (358), 2025-26"
    assert cells(table_lines(text)[1]) == ["measure", "value", "England", "neighbours", "best 25%", "band", "trend"]
    assert "\x1b" not in text
    invoke(*base, "--out", tmp_path / "card.json")
    assert {r["measure"] for r in json.loads((tmp_path / "card.json").read_text())} >= {"cla_31_march"}
    invoke(*base, "--out", tmp_path / "card.csv")
    assert (tmp_path / "card.csv").read_text().startswith("measure,lait_code,breakdown,")
    invoke(*base, "--format", "csv", "--out", tmp_path / "asked.txt")
    assert (tmp_path / "asked.txt").read_text().startswith("measure,lait_code,breakdown,")


def test_version():
    with (REPO / "pyproject.toml").open("rb") as f:
        version = tomllib.load(f)["project"]["version"]
    res = invoke("--version")
    assert res.exit_code == 0 and res.output == f"careboard {version}\n"


def test_progress_shows_on_a_terminal_and_never_in_piped_output(tmp_path, small_set):
    """A real ``careboard pack`` on a pseudo-terminal and piped.  The pack is of the tiny one-year return: the
    progress line is the same whatever the figures, and a pack of the demo's seven years took a minute."""
    db = tmp_path / "c.duckdb"
    assert invoke("load", small_set, "--db", db).exit_code == 0
    args = ["pack", "--la", "886", "--year", "2026", "--db", db]
    on_terminal = careboard(*args, "--out", tmp_path / "a.pdf", stderr_tty=True)
    assert on_terminal.returncode == 0, on_terminal.stderr
    for step in ("Writing the briefing and forecasting placements", "Making the PDF a.pdf"):
        assert step in on_terminal.stderr
    assert on_terminal.stdout == f"Wrote the information pack to {tmp_path / 'a.pdf'}\n"
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")
    piped = careboard(*args, "--out", tmp_path / "b.pdf")
    assert piped.returncode == 0
    # One year has no history to forecast from: the pack says so (a warning, on standard error), and that is
    # all standard error holds when it is not a terminal.
    (warning,) = piped.stderr.splitlines()
    assert warning.startswith("No sufficiency section for 886 2026: too little history to forecast")
    assert piped.stdout == f"Wrote the information pack to {tmp_path / 'b.pdf'}\n"


def test_a_file_or_folder_that_cannot_be_written_is_one_line_whichever_command_meets_it(tmp_path, small_set):
    """A report's folder that is not there, or a path through a file, ends the command with the path and the
    reason (exit 1), not a traceback; the Excel report leaves no half-closed sheets' errors behind either."""
    missing = tmp_path / "no such folder" / "findings[1].xlsx"
    res = careboard("validate", small_set, "--xlsx", missing)
    assert res.returncode == 1
    assert res.stderr.strip().splitlines() == [f"error: cannot read or write {missing}: No such file or directory"]
    assert "Traceback" not in res.stdout + res.stderr and not missing.exists()
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder")
    res = careboard("synth", a_file / "out", "--la", "886", "--size", "30", "--years", "2026")
    assert res.returncode == 1 and "Traceback" not in res.stderr
    said = res.stderr.strip().splitlines()[-1]
    assert said.startswith(f"error: cannot read or write {a_file / 'out'}") and said.endswith(": Not a directory")


def test_serving_an_authority_the_database_holds_no_return_for_warns_which_it_holds(tmp_path, small_set):
    """A mistyped --la serves an empty site: `careboard serve` says so before it starts, naming the authorities
    the database does hold; it says nothing when the authority is there."""
    from careboard import authorities
    from careboard.store.db import connect
    from careboard.web.command import _not_loaded_warning

    db = tmp_path / "c.duckdb"
    assert invoke("load", small_set, "--db", db).exit_code == 0
    said = _not_loaded_warning(db, authorities.resolve("358"))
    assert said.startswith(f"warning: no return for Trafford (358) is loaded in {db}; it holds Kent (886).")
    assert _not_loaded_warning(db, authorities.resolve("E10000016")) is None  # Kent, by its ONS code
    empty = tmp_path / "new.duckdb"
    connect(empty).close()
    assert "it holds no return yet" in _not_loaded_warning(empty, authorities.resolve("886"))


def test_forecast_reports_progress_on_a_terminal_only(demo_run, tmp_path):
    folder, _ = demo_run
    args = ["forecast", "--la", "358", "--db", folder / "careboard.duckdb", "--years-ahead", "1",
            "--simulations", "50"]
    on_terminal = careboard(*args, "--out", tmp_path / "a.csv", stderr_tty=True)
    assert on_terminal.returncode == 0, on_terminal.stderr
    for step in ("Reading care histories", "Estimating rates", "Simulating 50 futures"):
        assert step in on_terminal.stderr
    assert on_terminal.stdout.startswith(f"Wrote {tmp_path / 'a.csv'} (forecast: ")  # results only on stdout
    assert len(on_terminal.stdout.splitlines()) == 1
    piped = careboard(*args, "--out", tmp_path / "b.csv")
    assert piped.returncode == 0 and piped.stderr == ""
    assert (tmp_path / "a.csv").read_text() == (tmp_path / "b.csv").read_text()


def test_load_reports_progress_on_a_terminal_only(tmp_path, small_set):
    on_terminal = careboard("load", small_set, "--db", tmp_path / "a.duckdb", stderr_tty=True)
    assert on_terminal.returncode == 0, on_terminal.stderr
    for step in ("Reading 3 file(s)", "Checking 1 return(s)", "Storing SSDA903 886 Kent 2025-26"):
        assert step in on_terminal.stderr
    piped = careboard("load", small_set, "--db", tmp_path / "b.duckdb")
    assert piped.returncode == 0 and piped.stderr == ""
    assert piped.stdout.startswith("Loaded: SSDA903 886 Kent 2025-26: 6 rows from 3 file(s)")


def test_a_refresh_the_disclosure_audit_stops_says_so_without_a_traceback(monkeypatch, capsys):
    """A load's refresh that disclosure control cannot finish (a solver fault, publish/disclosure_error.py) ends the
    command with what happened: the returns are loaded, no new figures were published."""
    import typer

    from careboard import cli
    from careboard import refresh as refresh_module
    from careboard.publish.disclosure_error import stopped

    def failing(*args, **kwargs):
        raise stopped("disclosure audit: the counts have no consistent solution (kInfeasible)")

    monkeypatch.setattr(refresh_module, "refresh", failing)
    with pytest.raises(typer.Exit) as ended:
        cli._refresh(None)
    assert ended.value.exit_code == 1
    said = capsys.readouterr().err
    assert "the returns are loaded" in said and "no new figures were published" in said and "kInfeasible" in said
    assert cli._refresh(None, stop=False).startswith("the returns are loaded")  # validate's: said after its output


def test_a_pack_from_a_read_only_database_whose_audit_cannot_finish_says_so_in_one_line(tmp_path, small_set,
                                                                                        monkeypatch):
    """A database careboard may not write, whose releases are not stored, has its members' figures worked out
    in memory when a pack is made; if disclosure control cannot finish there, the command says so in one line
    (exit 1) and writes no pack, rather than ending in a traceback."""
    import duckdb

    from careboard.publish import cells, stored_release
    from careboard.publish.disclosure_error import stopped

    db = tmp_path / "c.duckdb"
    assert invoke("load", small_set, "--db", db).exit_code == 0
    with duckdb.connect(str(db)) as con:
        con.execute(f"DELETE FROM {stored_release.TABLE}")  # as a database from an older careboard
    db.chmod(0o444)

    def failing(self, *args, **kwargs):
        raise stopped("disclosure audit: the counts have no consistent solution (kInfeasible)")

    monkeypatch.setattr(cells.Auditor, "ranges", failing)
    res = runner.invoke(app, ["pack", "--la", "886", "--year", "2026", "--db", str(db), "--out",
                              str(tmp_path / "p.pdf")])
    assert res.exit_code == 1 and isinstance(res.exception, SystemExit)
    assert res.output.startswith("error: the returns are loaded, but disclosure control could not finish")
    assert "kInfeasible" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "p.pdf").exists()


def test_the_demo_reports_a_store_error_in_one_line(monkeypatch, tmp_path):
    """``careboard demo`` says what stopped it, as every command does, when a store-level error (such as
    disclosure control that cannot finish) ends it."""
    from careboard import demo as demo_module
    from careboard.publish.disclosure_error import stopped

    def failing(*args, **kwargs):
        raise stopped("disclosure audit: no whole-number bound found for a hidden count (solver fault)")

    monkeypatch.setattr(demo_module, "run_demo", failing)
    res = runner.invoke(app, ["demo", "--out", str(tmp_path / "d")])
    assert res.exit_code == 1 and isinstance(res.exception, SystemExit)
    assert res.output.startswith("error: the returns are loaded, but disclosure control could not finish")


def test_the_demo_never_deletes_a_folder_it_did_not_write(tmp_path):
    """The demo replaces its --out folder: only when that folder is empty or holds what a demo writes (it deleted
    whatever folder it was given, ~/Documents as well).  Sizes and seeds out of range are one-line errors."""
    mine = tmp_path / "work"
    mine.mkdir()
    (mine / "budget.xlsx").write_bytes(b"not the demo's")
    res = runner.invoke(app, ["demo", "--out", str(mine)])
    assert res.exit_code == 2 and "already holds files the demo did not write" in res.output
    assert (mine / "budget.xlsx").read_bytes() == b"not the demo's"
    earlier = tmp_path / "demo-output"
    (earlier / "returns" / "358").mkdir(parents=True)
    for name in ("careboard.duckdb", "careboard.duckdb.secret", "careboard.web.sqlite", "pack.pdf", "scorecard.csv",
                 "validation.html", "validation_cin.html"):
        (earlier / name).write_bytes(b"")
    (earlier / "careboard.serving").mkdir()
    from careboard.demo import is_demo_folder

    assert is_demo_folder(earlier)
    (tmp_path / "empty").mkdir()
    assert is_demo_folder(tmp_path / "empty") and not is_demo_folder(mine)
    for args in (["demo", "--out", str(tmp_path / "new"), "--size", "0"],
                 ["synth", str(tmp_path / "s"), "--la", "886", "--size", "30", "--years", "2026", "--seed", "-1"]):
        res = runner.invoke(app, args)
        assert res.exit_code == 2 and ("--size must be between 1 and" in res.output or "--seed is a whole number"
                                       in res.output), res.output
    assert not (tmp_path / "new").exists() and not (tmp_path / "s").exists()
