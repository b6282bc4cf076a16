"""Terminal output for the command line: consoles, tables that fit, output formats, progress bars.

Three rules, so that careboard reads well in an 80-column terminal and pipes cleanly:

* **Lines of text are never wrapped by careboard** (``soft_wrap``): a suggested command, a path or
  a message is written on one line, so it can be copied or parsed; a terminal wraps it for the eye.
* **A table never cuts a figure.**  Columns of figures, codes and dates are never wrapped or
  shortened; only text columns (a measure's title, a DfE message) wrap.  A table that cannot fit
  the width that way gives way to a narrower layout (``FirstFit``) that keeps the essential columns.
* **Progress goes to standard error and only to a terminal**, so piped output holds only results.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Table

from careboard.progress import SILENT, Progress

OUTPUT_FORMATS = ("table", "csv", "json")
_EXTENSIONS = {".csv": "csv", ".json": "json", ".xlsx": "xlsx"}
FILE_WIDTH = 160  # tables written to a text file are laid out for this width (the widest layout fits)
_UNBOUNDED = 10_000


def stdout() -> Console:
    """The console for results (standard output)."""
    return Console(soft_wrap=True, highlight=False)


def stderr() -> Console:
    """The console for errors, warnings and progress (standard error)."""
    return Console(stderr=True, soft_wrap=True, highlight=False)


def compact_table(title: str | None = None) -> Table:
    """A table without rules, two spaces between columns: the narrow layouts use it."""
    return Table(title=title, box=None, pad_edge=False, padding=(0, 1), header_style="bold", title_style="bold")


def figure_column(table: Table, header: str, justify: str = "right") -> None:
    """A column of figures, codes or dates: never wrapped and never shortened."""
    table.add_column(header, justify=justify, no_wrap=True)  # type: ignore[arg-type]


def _pin_unwrapped(console: Console, options: ConsoleOptions, table: Table) -> None:
    """Give each never-wrapped column a minimum width of its widest cell.

    Rich measures a column's minimum as its longest word even when it may not wrap, and squeezes
    such columns with an ellipsis when space is short; pinning makes the minimum true.
    """
    for column in table.columns:
        if column.no_wrap:
            widths = [Measurement.get(console, options, cell).maximum for cell in (column.header, *column.cells)]
            column.min_width = max([column.min_width or 0, *widths])


class FirstFit:
    """The first of several layouts (widest first) that fits the width available, else the last.

    Tables are measured with every never-wrapped column at its full width, so a layout is only
    chosen if it shows every figure whole.
    """

    def __init__(self, *layouts: RenderableType) -> None:
        self.layouts = layouts

    def _minimum(self, console: Console, layout: RenderableType) -> int:
        options = console.options.update_width(_UNBOUNDED)
        if isinstance(layout, Table):
            _pin_unwrapped(console, options, layout)
        return Measurement.get(console, options, layout).minimum

    def choose(self, console: Console, width: int) -> RenderableType:
        for layout in self.layouts:
            if self._minimum(console, layout) <= width:
                return layout
        return self.layouts[-1]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # Tables lay themselves out to the width: a soft-wrapping console must not turn that off.
        chosen = self.choose(console, options.max_width)
        yield from console.render(chosen, options.update(no_wrap=False, overflow=None))

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        chosen = self.choose(console, options.max_width)
        return Measurement.get(console, options, chosen)


def fitted_table(title: str | None, columns: Sequence[tuple[str, str]], rows: Iterable[Sequence[str]]) -> FirstFit:
    """A table, ruled when it fits, else compact (same columns, no rules, less padding).

    ``columns`` are (header, kind): ``text`` wraps; ``figure`` (right-aligned) and ``code``
    (left-aligned) are never wrapped or shortened.  A header may hold a line break.
    """
    layouts = (Table(title=title), compact_table(title))
    for t in layouts:
        for header, kind in columns:
            if kind == "text":
                t.add_column(header)
            else:
                figure_column(t, header, justify="right" if kind == "figure" else "left")
    for row in rows:
        for t in layouts:
            t.add_row(*row)
    return FirstFit(*layouts)


def show(console: Console, *renderables: RenderableType) -> None:
    """Print tables (or other laid-out renderables) wrapped to the console's width."""
    for r in renderables:
        console.print(r, soft_wrap=False)


def render_text(renderables: Iterable[RenderableType], width: int = FILE_WIDTH) -> str:
    """Plain text (no colour codes) of tables, as written to a ``--out`` text file."""
    buf = io.StringIO()
    console = Console(file=buf, width=width, color_system=None, force_terminal=False, highlight=False)
    for r in renderables:
        console.print(r, soft_wrap=False)
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"


def output_format(fmt: str | None, out_file: Path | None, formats: Sequence[str] = OUTPUT_FORMATS) -> str:
    """The format asked for, else the one the ``--out`` file's extension names (.csv, .json, .xlsx), else table.

    ``formats`` are the command's choices: ``OUTPUT_FORMATS``, plus ``xlsx`` for a command whose
    tables are meant for a spreadsheet (``forecast``).  ValueError for a format not among them.
    """
    if fmt is not None:
        if fmt not in formats:
            raise ValueError(f"--format must be {', '.join(formats[:-1])} or {formats[-1]}")
        return fmt
    suffix = out_file.suffix.lower() if out_file is not None else ""
    named = _EXTENSIONS.get(suffix, "table")
    return named if named in formats else "table"


def csv_text(rows: Sequence[dict], columns: Sequence[str]) -> str:
    """CSV with a header row; missing values are empty cells."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow([_cell(r.get(c)) for c in columns])
    return buf.getvalue()


def _cell(value: object) -> object:
    """A CSV cell: empty for missing, a list as its items joined by '; '."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return value


class _RichProgress:
    """``careboard.progress.Progress`` shown as one Rich progress line (spinner, step, bar, time)."""

    def __init__(self, bar) -> None:
        self._bar = bar
        self._task = None

    def begin(self, description: str, total: float | None = None) -> None:
        if self._task is not None:
            self._bar.remove_task(self._task)
        self._task = self._bar.add_task(description, total=total)

    def advance(self, amount: float = 1, description: str | None = None) -> None:
        if self._task is None:
            self._task = self._bar.add_task(description or "", total=None)
        if description is None:
            self._bar.advance(self._task, amount)
        else:
            self._bar.update(self._task, advance=amount, description=description, refresh=True)


@contextmanager
def progress(console: Console) -> Iterator[Progress]:
    """A progress line on ``console`` while the block runs, if it is a terminal; else ``SILENT``.

    The line is removed when the block ends, so nothing of it is left in the output.
    """
    if not console.is_terminal:
        yield SILENT
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TaskProgressColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
               TaskProgressColumn(text_format_no_percentage=""), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        yield _RichProgress(bar)

