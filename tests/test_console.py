"""Terminal output rules (careboard.console) and the progress interface the stages report through."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table

from careboard import console as tty
from careboard.measures.compute import compute_all
from careboard.progress import SILENT
from careboard.returns.reader import read_returns
from careboard.store.db import connect
from careboard.store.load import load_returns
from careboard.validate.runner import validate_files


def rendered(renderable, width: int) -> list[str]:
    buf = io.StringIO()
    Console(file=buf, width=width, color_system=None, soft_wrap=True).print(renderable)
    return buf.getvalue().splitlines()


def two_layouts() -> tty.FirstFit:
    wide, narrow = Table(title="wide"), Table(title="narrow")
    for t in (wide, narrow):
        t.add_column("measure")
        tty.figure_column(t, "value")
    tty.figure_column(wide, "interval")
    wide.add_row("Children looked after on 31 March", "1,234", "1,100-1,350")
    narrow.add_row("Children looked after on 31 March", "1,234")
    return tty.FirstFit(wide, narrow)


def test_first_fit_takes_the_widest_layout_that_shows_every_figure_whole():
    at_60 = rendered(two_layouts(), 60)
    assert at_60[0].strip() == "wide" and "1,100-1,350" in "\n".join(at_60)
    # 30 columns: the wide layout would have to cut the interval, so the narrow one is shown,
    # its text column wrapped and its figure whole, and no line wider than the console.
    at_30 = rendered(two_layouts(), 30)
    assert at_30[0].strip() == "narrow" and "1,234" in "\n".join(at_30)
    assert all(len(ln) <= 30 for ln in at_30) and "…" not in "\n".join(at_30)


def test_fitted_table_drops_its_rules_before_cutting_a_figure():
    table = tty.fitted_table("t", [("a", "figure"), ("b", "figure"), ("c", "figure")],
                             [("123456789012", "123456789012", "123456789012")])
    ruled, compact = rendered(table, 46), rendered(table, 40)
    assert "┃" in "\n".join(ruled)
    assert "┃" not in "\n".join(compact) and compact[-1].split() == ["123456789012"] * 3


def test_soft_wrapping_console_still_fits_tables_and_never_wraps_text():
    buf = io.StringIO()
    console = Console(file=buf, width=40, color_system=None, soft_wrap=True)
    command = "careboard scorecard --la 886 --year 2026 --db /a/long/path/to/careboard.duckdb"
    console.print(command)
    console.print(two_layouts())
    lines = buf.getvalue().splitlines()
    assert lines[0] == command
    assert all(len(ln) <= 40 for ln in lines[1:])


def test_output_format_is_asked_for_or_named_by_the_extension():
    from pathlib import Path

    assert tty.output_format(None, None) == "table"
    assert tty.output_format(None, Path("x.txt")) == "table"
    assert tty.output_format(None, Path("x.CSV")) == "csv"
    assert tty.output_format(None, Path("x.json")) == "json"
    assert tty.output_format("csv", Path("x.json")) == "csv"
    try:
        tty.output_format("xlsx", None)
    except ValueError as exc:
        assert str(exc) == "--format must be table, csv or json"
    else:
        raise AssertionError("xlsx accepted")


def test_progress_is_silent_unless_the_console_is_a_terminal():
    piped = io.StringIO()
    with tty.progress(Console(file=piped)) as progress:
        assert progress is SILENT
        progress.begin("Reading", total=10)
    assert piped.getvalue() == ""
    terminal = io.StringIO()
    with tty.progress(Console(file=terminal, force_terminal=True, width=80)) as progress:
        progress.begin("Reading 3 file(s)", total=3)
        progress.advance(3)
        progress.begin("Storing")
        progress.advance(0, description="Storing SSDA903 886 Kent 2025-26")
    assert "Reading 3 file(s)" in terminal.getvalue()


class Recorder:
    """A progress listener that keeps what it was told, to check what the stages report."""

    def __init__(self) -> None:
        self.steps: list[list] = []  # [description, total, units advanced]

    def begin(self, description: str, total: float | None = None) -> None:
        self.steps.append([description, total, 0])

    def advance(self, amount: float = 1, description: str | None = None) -> None:
        self.steps[-1][2] += amount
        if description is not None:
            self.steps.append([description, None, 0])


def test_stages_report_progress_through_the_callback(tmp_path, small_set):
    heard = Recorder()
    returns = read_returns([small_set], progress=heard)
    size = sum(p.stat().st_size for p in small_set.iterdir())
    assert heard.steps == [["Reading 3 file(s)", size, size], ["Checking 1 return(s)", 1, 1]]

    con = connect(tmp_path / "c.duckdb")
    heard = Recorder()
    load_returns(con, returns, progress=heard)
    assert heard.steps == [["Storing 1 return(s)", 1, 0], ["Storing SSDA903 886 Kent 2025-26", None, 1]]

    heard = Recorder()
    compute_all(con, progress=heard)
    described = [s[0] for s in heard.steps]
    assert described[0] == "Building care histories" and heard.steps[0][1] == 5
    assert "Building care histories (episodes)" in described
    assert described[-1].startswith("Computing") and heard.steps[-1][1] == 2 and heard.steps[-1][2] == 2
    con.close()

    heard = Recorder()
    validate_files([small_set], None, None, progress=heard)
    described = [s[0] for s in heard.steps]
    assert "Running the DfE rules for 2025-26" in described and described[-1].startswith("Listing ")
