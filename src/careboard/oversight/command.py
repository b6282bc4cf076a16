"""``careboard oversight iro|missing|links|workforce``: the oversight figures for analysts.

These commands show child-level rows (which children are overdue a review, which children are linked)
and name IROs, so they are for analysts; every run that prints child-level rows is written to the
audit log (the web app's, in the SQLite file beside the database: store/audit.py) before anything is
shown, as the web app records every child-level view.  Members see only the aggregates, through
publish/.  Like every command that reads, they open the database read-only through
``refresh.open_current``, so they run alongside the web app and other readers.
"""

from __future__ import annotations

import getpass
import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from careboard import console as tty
from careboard import years

oversight_app = typer.Typer(
    help="Oversight of the service for analysts: IRO caseloads, missing children and their links, the workforce.",
    no_args_is_help=True,
)

DbOption = Annotated[Path | None, typer.Option("--db", help="DuckDB database file (default: $CAREBOARD_DB or "
                                                            "./careboard.duckdb)")]
LaOption = Annotated[str, typer.Option("--la", help="Authority: 3-digit DfE code (886) or ONS code")]
YearOption = Annotated[str, typer.Option("--year", help="Collection year (2026 = 2025-26)")]
FormatOption = Annotated[
    str | None, typer.Option("--format", help="table, csv or json (default: from --out, else table)")
]
OutOption = Annotated[Path | None, typer.Option("--out", help="Write to this file (.csv, .json or text)")]


def _fail(message: str, code: int = 2) -> typer.Exit:
    tty.stderr().print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _common(la: str, year: str, fmt: str | None, out_file: Path | None) -> tuple[str, int, str]:
    from careboard import authorities

    try:
        code = authorities.resolve(la).code
        year_n = years.parse_year(year)
        fmt = tty.output_format(fmt, out_file)
    except (authorities.AuthorityError, years.YearError, ValueError) as exc:
        raise _fail(str(exc)) from None
    return code, year_n, fmt


def _waiting(message: str) -> None:
    tty.stderr().print(message.capitalize(), highlight=False, soft_wrap=True)


def _open(db: Path, code: str, year_n: int):
    """The database read-only with its figures current (careboard.refresh), the return checked loaded."""
    from careboard.refresh import open_current
    from careboard.store.db import LOCK_WAIT, StoreError

    try:
        con = open_current(db, wait=LOCK_WAIT, on_wait=_waiting,
                           on_step=lambda m: tty.stderr().print(f"Updating: {m}", highlight=False, soft_wrap=True))
    except StoreError as exc:
        raise _fail(str(exc), 1) from None
    loaded = con.execute(
        "SELECT count(*) FROM current_loads WHERE kind = 'ssda903' AND la = ? AND year = ?",
        [code, year_n],
    ).fetchall()[0][0]
    if not loaded:
        con.close()
        raise _fail(f"no SSDA903 return for {code} {years.label(year_n)} is loaded (careboard load ...)", 1)
    return con


def _database(db: Path | None) -> Path:
    from careboard.store.db import default_path

    return db or default_path()


def _audit(db: Path, what: str) -> None:
    """Record that child-level rows are being shown on the command line (who, when, what), beside ``db``.

    If the log cannot be written the rows are not shown: a view nobody can account for is refused.
    """
    from careboard.store.audit import AuditError, record_beside

    try:
        user = getpass.getuser()
    except Exception:  # no login name (a container): still recorded
        user = None
    try:
        record_beside(db, "child_view", user, what)
    except AuditError as exc:
        raise _fail(f"{exc}; child-level rows are shown only when the view can be recorded", 1) from None


def _date(text: str | None, default: date) -> date:
    if text is None:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _fail(f"cannot read {text!r} as a date; give it as yyyy-mm-dd") from None


def _emit(tables: dict[str, list[dict]], fmt: str, out_file: Path | None, which: str, titles: dict[str, str]) -> None:
    """Print or write the tables: every one as a terminal table or JSON; CSV holds the one ``which`` names."""
    if fmt == "json":
        text = json.dumps(tables, indent=1, default=str) + "\n"
    elif fmt == "csv":
        rows = tables[which]
        columns = list(rows[0]) if rows else []
        text = tty.csv_text([{c: _csv_cell(r.get(c)) for c in columns} for r in rows], columns)
    else:
        layouts = [_layout(titles.get(name, name), rows) for name, rows in tables.items()]
        if out_file is None:
            tty.show(tty.stdout(), *layouts)
            return
        text = tty.render_text(layouts)
    if out_file is None:
        print(text, end="")
        return
    out_file.write_text(text, encoding="utf-8")
    tty.stdout().print(f"Wrote {out_file} ({fmt})", highlight=False, markup=False)


def _csv_cell(value: object) -> object:
    """A CSV cell safe to open in a spreadsheet (careboard.safe_export): IRO names, providers and found
    locations come from the council's extracts, and one starting with = must not become a formula."""
    from careboard import safe_export

    if isinstance(value, list | tuple | set):
        value = "; ".join(str(v) for v in value)
    return safe_export.csv_cell(value)


def _layout(title: str, rows: list[dict]):
    from rich.text import Text

    if not rows:
        return Text(f"{title}: none", style="bold")
    if len(rows) == 1:  # one row of figures reads better as a list
        return tty.fitted_table(title, [("figure", "text"), ("value", "figure")],
                                [[k.replace("_", " "), _cell(v)] for k, v in rows[0].items()])
    keys = list(rows[0])
    if len(keys) > 8 and len(rows) <= 12:  # a few wide rows (one per IRO): a column each
        return tty.fitted_table(title, [("", "text")] + [(_cell(r[keys[0]]), "figure") for r in rows],
                                [[k.replace("_", " ")] + [_cell(r[k]) for r in rows] for k in keys[1:]])
    columns = [(c.replace("_", " "), "text" if isinstance(rows[0][c], str) and c not in ("CHILD", "iro") else "figure")
               for c in rows[0]]
    return tty.fitted_table(title, columns, [[_cell(r[c]) for c in rows[0]] for r in rows])


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, list | tuple | set):
        return ", ".join(str(v) for v in value)
    return str(value)


@oversight_app.command("iro")
def iro_command(
    la: LaOption,
    year: YearOption,
    on: Annotated[str | None, typer.Option("--on", help="Caseloads, overdue reviews and unallocated children on "
                                                        "this date (yyyy-mm-dd; default 31 March of the year)")] = None,
    base: Annotated[str | None, typer.Option("--base", help="Office postcode for IROs whose base the extract does "
                                                            "not give (for travel distances)")] = None,
    table: Annotated[str, typer.Option("--table", help="Which table --format csv writes: caseloads, year, overdue, "
                                                       "unallocated, trend, continuity or reviews")] = "year",
    db: DbOption = None,
    fmt: FormatOption = None,
    out_file: OutOption = None,
) -> None:
    """The IRO service: caseloads against the IRO Handbook's 50-70, reviews, continuity, travel, and the
    manager's lists of children overdue a review or without an IRO (child-level: audited)."""
    from careboard.oversight import iro

    code, year_n, fmt = _common(la, year, fmt, out_file)
    day = _date(on, years.year_end(year_n))
    db = _database(db)
    con = _open(db, code, year_n)
    try:
        view = iro.manager_view(con, code, day)
        continuity = iro.continuity(con, code, year_n)
        tables = {
            "caseloads": view["caseloads"],
            "distribution": [view["distribution"]],
            "year": iro.year_by_iro(con, code, year_n, base),
            "overdue": view["overdue"],
            "unallocated": view["unallocated"],
            "trend": view["trend"],
            "continuity_summary": [iro.continuity_summary(continuity)],
            "continuity": [r for r in continuity if r["changes_in_year"] or r["iros_in_period"] >= 3],
            "reviews": iro.review_travel(con, code, year_n, base) if table == "reviews" or fmt == "json" else [],
        }
        if fmt != "table" and table not in tables:
            raise _fail(f"--table must be one of {', '.join(tables)}")
        _audit(db, f"careboard oversight iro --la {code} --year {year_n} --on {day}")
    finally:
        con.close()
    if fmt == "table":
        tables = {k: v for k, v in tables.items() if k not in ("trend", "reviews")}
    low, high = iro.HANDBOOK_RANGE
    titles = {
        "caseloads": f"IRO caseloads on {day} (IRO Handbook: {low}-{high} children per full-time IRO)",
        "distribution": "Caseloads across IROs (per full-time IRO)",
        "year": f"IROs in {years.label(year_n)}: children, reviews chaired, on time, participation, travel",
        "overdue": f"Children overdue a review on {day} (child-level)",
        "unallocated": f"Children without an allocated IRO on {day} (child-level)",
        "continuity_summary": f"IRO continuity in {years.label(year_n)}",
        "continuity": "Children whose IRO changed in the year or who have had 3 or more (child-level)",
    }
    _emit(tables, fmt, out_file, table, titles)


@oversight_app.command("missing")
def missing_command(
    la: LaOption,
    year: YearOption,
    table: Annotated[str, typer.Option("--table", help="Which table --format csv writes: episodes, breakdowns, "
                                                       "repeat, interviews or providers")] = "breakdowns",
    db: DbOption = None,
    fmt: FormatOption = None,
    out_file: OutOption = None,
) -> None:
    """Missing children in the year: by age, sex, placement, area, distance, length, time, day and where
    found; repeat missing; return home interviews; providers.  --table episodes is child-level (audited)."""
    from careboard.oversight import missing

    code, year_n, fmt = _common(la, year, fmt, out_file)
    db = _database(db)
    con = _open(db, code, year_n)
    try:
        by = missing.breakdowns(con, code, year_n)
        tables = {
            "breakdowns": [
                {"dimension": missing.DIMENSIONS.get(d, "All"), **r} for d, rows in by.items() for r in rows
            ],
            "repeat": [missing.repeat_missing(con, code, year_n)],
            "interviews": [missing.return_interviews(con, code, year_n)],
            "providers": missing.by_provider(con, code, year_n),
        }
        if table == "episodes":
            tables = {"episodes": missing.episode_rows(con, code, year_n)}
            _audit(db, f"careboard oversight missing --la {code} --year {year_n} --table episodes")
        elif table not in tables:
            raise _fail("--table must be one of episodes, breakdowns, repeat, interviews, providers")
    finally:
        con.close()
    titles = {"breakdowns": f"Missing incidents and children in {years.label(year_n)}",
              "repeat": "Children by how often they went missing", "interviews": "Return home interviews",
              "providers": "Missing incidents by provider (Ofsted URN)", "episodes": "Missing incidents (child-level)"}
    _emit(tables, fmt, out_file, table, titles)


@oversight_app.command("links")
def links_command(
    la: LaOption,
    year: YearOption,
    start: Annotated[str | None, typer.Option("--from", help="Window start (yyyy-mm-dd; default 1 April)")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Window end (yyyy-mm-dd; default 31 March)")] = None,
    table: Annotated[str, typer.Option("--table", help="Which table --format csv writes: groups, links or nodes")]
    = "groups",
    db: DbOption = None,
    fmt: FormatOption = None,
    out_file: OutOption = None,
) -> None:
    """Common themes of children who go missing: linked groups of children and places, for the
    multi-agency missing meeting (child-level: audited)."""
    from careboard.oversight import missing

    code, year_n, fmt = _common(la, year, fmt, out_file)
    first = _date(start, years.year_start(year_n))
    last = _date(end, years.year_end(year_n))
    if first > last:
        raise _fail(f"--from {first} is after --to {last}; give the window's first day, then its last")
    db = _database(db)
    con = _open(db, code, year_n)
    try:
        found = missing.missing_links(con, code, first, last)
        _audit(db, f"careboard oversight links --la {code} --from {first} --to {last}")
    finally:
        con.close()
    if table not in ("groups", "links", "nodes"):
        raise _fail("--table must be one of groups, links, nodes")
    tables = {"groups": found.groups, "links": found.links, "nodes": found.nodes}
    titles = {"groups": f"Linked groups {first} to {last} (child-level)", "links": "Links that stand",
              "nodes": "Children and places in each group"}
    _emit(tables, fmt, out_file, table, titles)


@oversight_app.command("workforce")
def workforce_command(
    la: LaOption,
    year: YearOption,
    db: DbOption = None,
    fmt: FormatOption = None,
    out_file: OutOption = None,
) -> None:
    """The social work workforce (CSWW census) and social workers of children looked after (903)."""
    from careboard.oversight import workforce

    code, year_n, fmt = _common(la, year, fmt, out_file)
    db = _database(db)
    con = _open(db, code, year_n)
    try:
        figures = workforce.summary(con, code, year_n)
    finally:
        con.close()
    _emit({"workforce": [figures]}, fmt, out_file, "workforce",
          {"workforce": f"Social work workforce, census of 30 September {year_n - 1} ({years.label(year_n)})"})
