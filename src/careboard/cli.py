"""The careboard command line: one command per job.  Thin: every command calls a stage's API.

User mistakes and bad files end with a clear message and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from careboard import years
from careboard.returns.issues import ReturnError
from careboard.synth.command import synth as synth_command

app = typer.Typer(
    name="careboard",
    help="Corporate-parenting intelligence from your own SSDA903 and CIN census returns.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("synth")(synth_command)


def _register_optional() -> None:
    """Commands from stages that import heavier libraries: registered lazily-importing wrappers."""
    from careboard.sufficiency.command import forecast as forecast_command
    from careboard.web.command import serve as serve_command
    from careboard.web.users_command import users_app

    app.command("forecast")(forecast_command)
    app.command("serve")(serve_command)
    app.add_typer(users_app, name="users")

out = Console()
err = Console(stderr=True)

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="DuckDB database file (default: $CAREBOARD_DB or ./careboard.duckdb)"),
]
LaOption = Annotated[str | None, typer.Option("--la", help="Authority: 3-digit DfE code (886) or ONS code (E10000016)")]
YearOption = Annotated[
    str | None, typer.Option("--year", help="Collection year, named by the 31 March it ends on (2026 = 2025-26)")
]


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return years.parse_year(text)
    except years.YearError as exc:
        raise fail(str(exc), 2) from None


def _open_db(db: Path | None, read_only: bool = False):
    from careboard.store.db import StoreError, connect

    try:
        return connect(db, read_only=read_only)
    except StoreError as exc:
        raise fail(str(exc)) from None


@app.command()
def load(
    paths: Annotated[list[Path], typer.Argument(help="Return files or folders (CSV set, 903 XML, CIN XML)")],
    la: LaOption = None,
    year: YearOption = None,
    db: DbOption = None,
    pseudonymise: Annotated[
        bool, typer.Option("--pseudonymise", help="Replace child IDs and UPNs with a keyed hash (HMAC-SHA256)")
    ] = False,
    key_file: Annotated[
        Path | None, typer.Option("--key-file", help="Pseudonymisation key file (else $CAREBOARD_PSEUDONYM_KEY)")
    ] = None,
    warnings: Annotated[bool, typer.Option("--warnings", help="List every warning")] = False,
) -> None:
    """Load returns into the database: all of them, or nothing if anything is wrong."""
    from careboard.store import pseudonymise as pz
    from careboard.store.load import load_returns

    key = None
    if pseudonymise:
        try:
            key = pz.read_key(key_file)
        except pz.PseudonymKeyError as exc:
            raise fail(str(exc), 2) from None
    try:
        returns = _read_with_progress(paths, la, _year(year))
    except ReturnError as exc:
        err.print(f"[bold red]Nothing was loaded.[/] {len(exc.errors)} problem(s) found:", highlight=False)
        err.print(exc.render(limit=50), highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1) from None
    con = _open_db(db)
    try:
        outcomes = load_returns(con, returns, key)
    finally:
        con.close()
    verbs = {"loaded": "Loaded", "replaced": "Loaded (replaces load {old})", "unchanged": "Unchanged"}
    for o in outcomes:
        verb = verbs[o.action].format(old=o.replaced_load)
        if o.action == "unchanged":
            out.print(f"{verb}: {o.ret.describe()} is already loaded from the same files", highlight=False)
            continue
        out.print(
            f"{verb}: {o.ret.describe()}: {o.ret.row_count:,} rows from {len(o.ret.files)} file(s), "
            f"{len(o.ret.warnings)} warning(s)",
            highlight=False,
        )
        shown = o.ret.warnings if warnings else o.ret.warnings[:5]
        for w in shown:
            out.print(f"  warning: {w.render()}", highlight=False, markup=False, soft_wrap=True)
        if len(o.ret.warnings) > len(shown):
            out.print(f"  ... {len(o.ret.warnings) - len(shown)} more (use --warnings)", highlight=False)


PROGRESS_FROM_BYTES = 2_000_000


def _read_with_progress(paths: list[Path], la: str | None, year: int | None):
    """Read returns, with a progress bar over bytes when the input is large."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    from careboard.returns.reader import expand, read_returns

    files, _ = expand(paths)
    total = sum(p.stat().st_size for p in files)
    if total < PROGRESS_FROM_BYTES or not err.is_terminal:
        return read_returns(paths, la, year)
    columns = (TextColumn("Reading returns"), BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("read", total=total)
        return read_returns(paths, la, year, on_file=lambda f: bar.advance(task, f.size))


@app.command("returns")
def list_returns(
    db: DbOption = None,
    la: LaOption = None,
    all_loads: Annotated[bool, typer.Option("--all", help="Include loads since replaced")] = False,
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    files: Annotated[bool, typer.Option("--files", help="Also list each file with its SHA-256")] = False,
) -> None:
    """List loaded returns: authority, year, tables, rows, warnings, when, file hashes."""
    from careboard.store.catalogue import loaded_returns

    con = _open_db(db, read_only=True)
    try:
        rows = loaded_returns(con, la=la, include_replaced=all_loads)
    finally:
        con.close()
    if fmt == "json":
        out.print_json(json.dumps(rows, default=str))
        return
    if fmt != "table":
        raise fail("--format must be table or json", 2)
    if not rows:
        out.print("No returns loaded.")
        return
    t = Table(title="Loaded returns")
    for col in ("load", "return", "authority", "year", "tables", "rows", "warnings", "loaded", "status"):
        t.add_column(col)
    for r in rows:
        t.add_row(
            str(r["load_id"]),
            r["kind_label"],
            f"{r['la']} {r['la_name']}",
            r["year_label"],
            str(r["tables_with_rows"]),
            f"{r['row_count']:,}",
            str(r["warning_count"]),
            r["loaded_at"].strftime("%Y-%m-%d %H:%M"),
            r["status"] + (f" by {r['replaced_by']}" if r["replaced_by"] else ""),
        )
    out.print(t)
    if files:
        ft = Table(title="Files")
        for col in ("load", "file", "bytes", "sha256"):
            ft.add_column(col)
        for r in rows:
            for f in r["files"]:
                ft.add_row(str(r["load_id"]), f["name"], f"{f['size_bytes']:,}", f["sha256"])
        out.print(ft)


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Return files or folder; omit to check a loaded return")
    ] = None,
    la: LaOption = None,
    year: YearOption = None,
    last_year: Annotated[
        list[Path] | None, typer.Option("--last-year", help="Last year's return files, for the rules that compare")
    ] = None,
    providers: Annotated[
        list[Path] | None,
        typer.Option("--providers", help="Ofsted children's homes / social care provider lists (xlsx), for URN rules"),
    ] = None,
    db: DbOption = None,
    out_csv: Annotated[
        Path | None, typer.Option("--out", help="Findings CSV, every finding: table,file,row,line,field,child,rule,...")
    ] = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Excel workbook: by child, by rule")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="HTML report to work through child by child")] = None,
) -> None:
    """Check a return against the DfE SSDA903 validation rules for its year."""
    from careboard.validate import report
    from careboard.validate.runner import NotLoaded, validate_files, validate_loaded

    year_n = _year(year)
    try:
        if paths:
            checked = validate_files(paths, la, year_n, last_year, providers)
        else:
            if la is None or year_n is None:
                raise fail("give return files, or --la and --year of a loaded return", 2)
            con = _open_db(db)
            try:
                checked = validate_loaded(con, la, year_n, providers)
            finally:
                con.close()
    except ReturnError as exc:
        err.print("[bold red]The return could not be read.[/]", highlight=False)
        err.print(exc.render(limit=50), highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1) from None
    except NotLoaded as exc:
        raise fail(str(exc)) from None
    _print_validation(checked, report)
    for path, writer in ((out_csv, report.write_csv), (xlsx, report.write_xlsx), (html, report.write_html)):
        if path is not None:
            writer(checked, path)
            out.print(f"Wrote {path}", highlight=False)


def _print_validation(checked, report) -> None:
    from careboard import years as _years

    res = checked.result
    out.print(
        f"{checked.la} {_years.label(checked.year)}: {checked.count:,} findings for "
        f"{checked.children_affected:,} children; {len(res.rules_run)} rules run in {res.seconds:.2f} s, "
        f"{len(res.skipped)} not run",
        highlight=False,
    )
    rows = report.by_rule(checked)
    if rows:
        t = Table(title="Findings by rule (worst first; CB- codes are careboard's own format checks)")
        for col in ("rule", "message", "findings", "children"):
            t.add_column(col)
        for r in rows[:25]:
            t.add_row(r["rule"], r["message"], f"{r['findings']:,}", f"{r['children']:,}")
        out.print(t)
        if len(rows) > 25:
            out.print(f"... and {len(rows) - 25} more rules (see --out, --xlsx or --html)")
    reasons: dict[str, int] = {}
    for why in res.skipped.values():
        reasons[why] = reasons.get(why, 0) + 1
    for why, n in sorted(reasons.items()):
        out.print(f"Not run: {n} rule(s): {why}", highlight=False)


@app.command()
def scorecard(
    la: Annotated[str, typer.Option("--la", help="Authority: 3-digit DfE code (886) or ONS code")],
    year: Annotated[str, typer.Option("--year", help="Collection year (2026 = 2025-26)")],
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
    out_file: Annotated[Path | None, typer.Option("--out", help="Write to this file instead of the screen")] = None,
    targets: Annotated[Path | None, typer.Option("--targets", help="Local targets YAML (red/amber/green)")] = None,
) -> None:
    """The children-in-care scorecard: every measure, its breakdowns and benchmarks."""
    from careboard.benchmark.compare import scorecard as build_scorecard
    from careboard.publish.scorecard_output import render_scorecard

    if fmt not in ("table", "csv", "json"):
        raise fail("--format must be table, csv or json", 2)
    code, year_n = _authority(la), _year(year)
    rows = _with_measures(db, code, year_n, lambda con: build_scorecard(con, code, year_n, targets))
    text = render_scorecard(rows, fmt, code, year_n)
    if out_file is not None:
        out_file.write_text(text, encoding="utf-8")
        out.print(f"Wrote {out_file} ({sum(r['breakdown'] == 'all' for r in rows)} measures)", highlight=False)
    elif fmt == "table":
        from careboard.publish.scorecard_output import scorecard_table

        out.print(scorecard_table(rows, code, year_n))
    else:
        print(text, end="")


@app.command()
def pack(
    la: Annotated[str, typer.Option("--la", help="Authority: 3-digit DfE code (886) or ONS code")],
    year: Annotated[str, typer.Option("--year", help="Collection year (2026 = 2025-26)")],
    out_file: Annotated[Path, typer.Option("--out", help="PDF file to write")] = Path("pack.pdf"),
    area: Annotated[
        str | None, typer.Option("--area", help="A local area (district code, e.g. E08000009) for a local briefing")
    ] = None,
    db: DbOption = None,
    targets: Annotated[Path | None, typer.Option("--targets", help="Local targets YAML (red/amber/green)")] = None,
) -> None:
    """The members' information pack (PDF), council-wide or for one local area; figures are disclosure-controlled."""
    from careboard.publish.briefing import build_briefing
    from careboard.publish.pack import write_pack

    code, year_n = _authority(la), _year(year)
    briefing = _with_measures(
        db,
        code,
        year_n,
        lambda con: build_briefing(con, code, year_n, area=area, targets_file=targets, with_sufficiency=True),
    )
    write_pack(briefing, out_file)
    what = f"local briefing for {area}" if area else "information pack"
    out.print(f"Wrote the {what} to {out_file}", highlight=False)


def _authority(la: str) -> str:
    from careboard import authorities

    try:
        return authorities.resolve(la).code
    except authorities.AuthorityError as exc:
        raise fail(str(exc), 2) from None


def _with_measures(db: Path | None, code: str, year_n: int, build):
    """Open the database, check the return is loaded, bring the measures up to date, then ``build(con)``.

    A bad targets file or an unknown local area is the user's mistake: one line, exit code 2.
    """
    from careboard.benchmark.targets import TargetsError
    from careboard.measures.compute import ensure_computed

    con = _open_db(db)
    try:
        _require_loaded(con, code, year_n)
        ensure_computed(con)
        return build(con)
    except (TargetsError, ValueError) as exc:
        raise fail(str(exc), 2) from None
    finally:
        con.close()


def _require_loaded(con, code: str, year_n: int) -> None:
    loaded = con.execute(
        "SELECT count(*) FROM loads WHERE kind = 'ssda903' AND status = 'current' AND la = ? AND year = ?",
        [code, year_n],
    ).fetchall()[0][0]
    if not loaded:
        raise fail(f"no SSDA903 return for {code} {years.label(year_n)} is loaded (careboard load ...)")


@app.command()
def demo(
    folder: Annotated[Path, typer.Option("--out", help="Where to write the demo returns and database")] = Path(
        "demo-output"
    ),
    size: Annotated[int, typer.Option("--size", help="Children looked after at 31 March")] = 400,
) -> None:
    """Run careboard end to end on a synthetic authority (generated, seeded, nothing real)."""
    from careboard.demo import run_demo

    run_demo(folder, size, out)


_register_optional()


def main() -> None:  # pragma: no cover - console entry point
    app()
