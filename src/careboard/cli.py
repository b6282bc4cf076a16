"""The careboard command line: one command per job.  Thin: every command calls a stage's API.

User mistakes and bad files end with a clear message and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from careboard import __version__, years
from careboard import console as tty
from careboard.progress import SILENT, Progress
from careboard.returns.issues import Issue, ReturnError
from careboard.synth.command import synth as synth_command


class _Careboard(typer.Typer):
    """The command line, which reports a file or folder it cannot read or write (a report's folder that is not
    there, a file it may not write, a full disk) in one line, exit code 1, whichever command met it.  Other
    errors are careboard's own and keep their traceback, to be reported."""

    def __call__(self, *args, **kwargs):
        try:
            return super().__call__(*args, **kwargs)
        except OSError as exc:
            if exc.filename is None or not exc.strerror:
                raise
            where = f"{exc.filename} (and {exc.filename2})" if exc.filename2 else f"{exc.filename}"
            err.print(f"[bold red]error:[/] {escape(f'cannot read or write {where}: {exc.strerror}')}",
                      highlight=False, soft_wrap=True)
            raise SystemExit(1) from None


app = _Careboard(
    name="careboard",
    help="Corporate-parenting intelligence from your own SSDA903 and CIN census returns.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("synth")(synth_command)


def _register_optional() -> None:
    """Commands from stages that import heavier libraries: registered lazily-importing wrappers."""
    from careboard.oversight.command import oversight_app
    from careboard.panel.command import export_business
    from careboard.sufficiency.command import forecast as forecast_command
    from careboard.web.command import serve as serve_command
    from careboard.web.users_command import users_app

    app.command("forecast")(forecast_command)
    app.command("serve")(serve_command)
    app.add_typer(users_app, name="users")
    app.command("export-business")(export_business)
    app.add_typer(oversight_app, name="oversight")

out = tty.stdout()
err = tty.stderr()


def _show_version(value: bool) -> None:
    if value:
        out.print(f"careboard {__version__}", markup=False)
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool, typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version and exit")
    ] = False,
) -> None:
    """Corporate-parenting intelligence from your own SSDA903 and CIN census returns."""


DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="DuckDB database file (default: $CAREBOARD_DB or ./careboard.duckdb)"),
]
LaOption = Annotated[str | None, typer.Option("--la", help="Authority: 3-digit DfE code (886) or ONS code (E10000016)")]
YearOption = Annotated[
    str | None, typer.Option("--year", help="Collection year, named by the 31 March it ends on (2026 = 2025-26)")
]
FormatOption = Annotated[
    str | None,
    typer.Option("--format", help="table, csv or json (default: from the --out file's extension, else table)"),
]


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _format(fmt: str | None, out_file: Path | None = None) -> str:
    try:
        return tty.output_format(fmt, out_file)
    except ValueError as exc:
        raise fail(str(exc), 2) from None


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return years.parse_year(text)
    except years.YearError as exc:
        raise fail(str(exc), 2) from None


def _waiting(message: str) -> None:
    err.print(message.capitalize(), highlight=False, soft_wrap=True)


def _open_db(db: Path | None, read_only: bool = False):
    """Open the database; while another careboard command holds it, wait (saying so) up to a limit."""
    from careboard.store.db import LOCK_WAIT, StoreError, connect

    try:
        return connect(db, read_only=read_only, wait=LOCK_WAIT, on_wait=_waiting)
    except StoreError as exc:
        raise fail(str(exc)) from None


def _refresh(con, progress: Progress = SILENT, stop: bool = True) -> str | None:
    """The one refresh every load ends with (careboard.refresh), saying what it does.

    Care histories that break the model's invariants are not saved (model/build.py): the command ends
    with why, or, with ``stop=False``, gets the message back to give after its own output.
    """
    from careboard.model.invariants import ModelInvariantError
    from careboard.publish.disclosure_error import DisclosureAuditError
    from careboard.refresh import refresh, spare_workers

    try:
        done = refresh(con, on_step=lambda m: progress.begin(m[:1].upper() + m[1:]), progress=progress,
                       workers=spare_workers())
    except (ModelInvariantError, DisclosureAuditError) as exc:
        if stop:
            raise fail(str(exc)) from None
        return str(exc)
    updated = [what for what, did in (("care histories", done.model_rebuilt),
                                      ("measures", done.measures_seconds is not None),
                                      ("validation findings", bool(done.validated)),
                                      ("sufficiency plans", bool(done.plans))) if did]
    if updated:
        out.print(f"Updated the {', '.join(updated)} in {done.seconds:.1f} s", highlight=False)
    if done.published is not None:
        out.print("Published the figures to the web app", highlight=False)
    return None


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
    replace_tables: Annotated[
        str | None,
        typer.Option(
            "--replace-tables",
            help="Replace only these tables of the loaded return (comma-separated, e.g. Header,Episodes); "
            "its other tables are kept",
        ),
    ] = None,
) -> None:
    """Load returns into the database: all of them, or nothing if anything is wrong.

    A load that would replace a loaded return with one lacking a table it has rows in is refused;
    --replace-tables replaces only the tables named.
    """
    from careboard.returns.reader import read_returns
    from careboard.store import pseudonymise as pz
    from careboard.store.load import load_returns

    key = None
    if pseudonymise:
        try:
            key = pz.read_key(key_file)
        except pz.PseudonymKeyError as exc:
            raise fail(str(exc), 2) from None
    skipped: list = []
    options = (["--db", str(db)] if db else []) + (
        ["--pseudonymise"] + (["--key-file", str(key_file)] if key_file else []) if pseudonymise else []
    )
    replace = replace_tables.split(",") if replace_tables is not None else None
    try:
        with tty.progress(err) as progress:
            returns = read_returns(paths, la, _year(year), progress=progress, skipped=skipped)
            if not returns:  # every file was skipped as not a return: say why each was, and load nothing
                raise ReturnError(skipped or [Issue(", ".join(map(str, paths)), "no return found")])
            con = _open_db(db)
            try:
                outcomes = load_returns(con, returns, key, replace, options, progress=progress)
                _report_loads(outcomes, skipped, warnings)
                _refresh(con, progress)
            finally:
                con.close()
    except ReturnError as exc:
        err.print(f"[bold red]Nothing was loaded.[/] {len(exc.errors)} problem(s) found:", highlight=False)
        err.print(exc.render(limit=50), highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1) from None


def _report_loads(outcomes: list, skipped: list, warnings: bool) -> None:
    """What each return's load did, and the warnings (the first five unless ``warnings``)."""
    for note in skipped:
        out.print(f"warning: {note.render()}", highlight=False, markup=False, soft_wrap=True)
    verbs = {"loaded": "Loaded", "replaced": "Loaded (replaces load {old})", "unchanged": "Unchanged"}
    for o in outcomes:
        verb = verbs[o.action].format(old=o.replaced_load)
        if o.replaced_tables is not None:
            verb = f"Loaded {', '.join(o.replaced_tables)} (replacing them in load {o.replaced_load}; rest kept)"
        if o.action == "unchanged":
            out.print(f"{verb}: {o.ret.describe()} is already loaded from the same files", highlight=False)
            continue
        out.print(
            f"{verb}: {o.ret.describe()}: {o.rows:,} rows from {o.files} file(s), "
            f"{len(o.ret.warnings)} warning(s)",
            highlight=False,
        )
        shown = o.ret.warnings if warnings else o.ret.warnings[:5]
        for w in shown:
            out.print(f"  warning: {w.render()}", highlight=False, markup=False, soft_wrap=True)
        if len(o.ret.warnings) > len(shown):
            out.print(f"  ... {len(o.ret.warnings) - len(shown)} more (use --warnings)", highlight=False)


@app.command("returns")
def list_returns(
    db: DbOption = None,
    la: LaOption = None,
    year: YearOption = None,
    all_loads: Annotated[bool, typer.Option("--all", help="Include loads since replaced")] = False,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
    files: Annotated[bool, typer.Option("--files", help="Also list each file with its SHA-256")] = False,
) -> None:
    """List loaded returns: authority, year, tables, rows, warnings, when, file hashes."""
    from careboard.store.loaded import loaded_returns

    fmt, year_n = _format(fmt), _year(year)
    code = _authority(la) if la else None
    con = _open_db(db, read_only=True)
    try:
        rows = loaded_returns(con, la=code, include_replaced=all_loads)
    finally:
        con.close()
    rows = [r for r in rows if year_n is None or r["year"] == year_n]
    if fmt == "json":
        out.print_json(json.dumps(rows, default=str))
        return
    if fmt == "csv":
        if files:
            flat = [{**r, **f} for r in rows for f in r["files"]]
            print(tty.csv_text(flat, RETURN_FILE_COLUMNS), end="")
        else:
            print(tty.csv_text(rows, RETURN_COLUMNS), end="")
        return
    if not rows:
        asked = " ".join(x for x in (code, years.label(year_n) if year_n else None) if x)
        out.print("No returns loaded" + (f" for {asked}." if asked else "."))
        return
    tty.show(out, _returns_table(rows))
    if files:
        tty.show(out, _files_table(rows))


RETURN_COLUMNS = ("load_id", "kind", "la", "la_name", "year", "year_label", "status", "replaced_by", "loaded_at",
                  "loaded_by", "tables_with_rows", "row_count", "warning_count", "pseudonymised")
RETURN_FILE_COLUMNS = ("load_id", "kind", "la", "year", "status", "name", "format", "tables", "from_load", "size_bytes",
                       "sha256")


def _returns_table(rows: list[dict]) -> tty.FirstFit:
    """Loaded returns: in full when there is room; in 80 columns authority codes (the name goes in the
    title when there is one authority) and the day of loading without the time."""
    wide = Table(title="Loaded returns")
    authorities_shown = sorted({f"{r['la']} {r['la_name']}" for r in rows})
    narrow = tty.compact_table("Loaded returns" + (f": {authorities_shown[0]}" if len(authorities_shown) == 1 else ""))
    for t in (wide, narrow):
        tty.figure_column(t, "load")
        t.add_column("return")
        if t is wide:
            t.add_column("authority")
        else:
            tty.figure_column(t, "LA", justify="left")
        for col in ("year", "tables", "rows", "warnings"):
            tty.figure_column(t, col, justify="left" if col == "year" else "right")
        t.add_column("loaded")
        t.add_column("status")
    for r in rows:
        status = r["status"] + (f" by {r['replaced_by']}" if r["replaced_by"] else "")
        figures = (r["year_label"], str(r["tables_with_rows"]), f"{r['row_count']:,}", str(r["warning_count"]))
        loaded = r["loaded_at"].strftime("%Y-%m-%d %H:%M")
        wide.add_row(str(r["load_id"]), r["kind_label"], f"{r['la']} {r['la_name']}", *figures, loaded, status)
        narrow.add_row(str(r["load_id"]), r["kind_label"], r["la"], *figures, loaded[:10], status)
    return tty.FirstFit(wide, narrow)


def _files_table(rows: list[dict]) -> tty.FirstFit:
    """Each file with its SHA-256: a table when there is room, else two lines a file (a hash is never cut)."""
    t = Table(title="Files ('read by': the earlier load a kept table's file was read in)")
    tty.figure_column(t, "load")
    t.add_column("file")
    t.add_column("tables")
    tty.figure_column(t, "read by")
    tty.figure_column(t, "bytes")
    tty.figure_column(t, "sha256", justify="left")
    lines: list[Text] = [Text("Files", style="bold")]
    for r in rows:
        for f in r["files"]:
            first = "" if f["from_load"] == r["load_id"] else str(f["from_load"])
            t.add_row(str(r["load_id"]), f["name"], ", ".join(f["tables"]), first, f"{f['size_bytes']:,}", f["sha256"])
            read_by = f" (read by load {first})" if first else ""
            lines.append(Text(f"load {r['load_id']}  {f['name']}  {', '.join(f['tables'])}  "
                              f"{f['size_bytes']:,} bytes{read_by}"))
            lines.append(Text(f"  sha256 {f['sha256']}"))
    return tty.FirstFit(t, Group(*lines))


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
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="Only this return: ssda903 or cin (default: every return given or loaded)"),
    ] = None,
    db: DbOption = None,
    out_csv: Annotated[
        Path | None, typer.Option("--out", help="Findings CSV, every finding: table,file,row,line,field,child,rule,...")
    ] = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Excel workbook: by child, by rule")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="HTML report to work through child by child")] = None,
) -> None:
    """Check returns against the DfE validation rules for their year: SSDA903 and CIN census.

    A CIN census given with the SSDA903 of the same year (or loaded beside it) is also cross-checked
    with it.  With both returns, each report file is written once per return (name_ssda903.csv ...).
    """
    from careboard.validate import report
    from careboard.validate.ruleset import RULESETS
    from careboard.validate.runner import NotLoaded, validate_all_files, validate_loaded_all

    if kind is not None and kind not in RULESETS:
        raise fail("--kind must be ssda903 or cin", 2)
    kinds = [kind] if kind else None
    year_n = _year(year)
    if not paths and (la is None or year_n is None):
        raise fail("give return files, or --la and --year of a loaded return", 2)
    unsaved = None
    try:
        if paths:
            with tty.progress(err) as progress:
                results = validate_all_files(paths, la, year_n, last_year, providers, kinds, progress=progress)
        else:
            con = _open_db(db)
            try:
                with tty.progress(err) as progress:
                    results = validate_loaded_all(con, la, year_n, providers, kinds, progress=progress)
                    unsaved = _refresh(con, progress, stop=False)  # the findings are wanted all the more
            finally:
                con.close()
    except ReturnError as exc:
        err.print("[bold red]The return could not be read.[/]", highlight=False)
        err.print(exc.render(limit=50), highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1) from None
    except NotLoaded as exc:
        raise fail(str(exc)) from None
    for checked in results:
        _print_validation(checked, report)
        for path, writer in ((out_csv, report.write_csv), (xlsx, report.write_xlsx), (html, report.write_html)):
            if path is not None:
                target = path if len(results) == 1 else path.with_name(f"{path.stem}_{checked.kind}{path.suffix}")
                with tty.progress(err) as progress:
                    progress.begin(f"Writing {target.name}")
                    writer(checked, target)
                out.print(f"Wrote {target}", highlight=False)
    if unsaved:
        raise fail(unsaved)


def _print_validation(checked, report) -> None:
    from careboard import years as _years

    res = checked.result
    out.print(
        f"{checked.label} {checked.la} {_years.label(checked.year)}: {checked.count:,} findings for "
        f"{checked.children_affected:,} children; {len(res.rules_run)} rules run in {res.seconds:.2f} s, "
        f"{len(res.skipped)} not run",
        highlight=False,
    )
    rows = report.by_rule(checked)
    if rows:
        t = Table(title="Findings by rule (worst first; CB- codes are careboard's own checks)")
        tty.figure_column(t, "rule", justify="left")
        t.add_column("message")
        tty.figure_column(t, "findings")
        tty.figure_column(t, "children")
        for r in rows[:25]:
            t.add_row(r["rule"], r["message"], f"{r['findings']:,}", f"{r['children']:,}")
        tty.show(out, tty.FirstFit(t))
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
    fmt: FormatOption = None,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Write to this file instead of the screen (.csv, .json or text)")
    ] = None,
    targets: Annotated[Path | None, typer.Option("--targets", help="Local targets YAML (red/amber/green)")] = None,
) -> None:
    """The children-in-care scorecard: every measure, its breakdowns and benchmarks.

    The table shows the headline of each measure; CSV and JSON carry every breakdown.
    """
    from careboard.benchmark.compare import scorecard as build_scorecard
    from careboard.publish.scorecard_output import render_scorecard, scorecard_table

    fmt = _format(fmt, out_file)
    code, year_n = _authority(la), _year(year)
    with tty.progress(err) as progress:
        rows = _with_measures(
            db, code, year_n, lambda con: build_scorecard(con, code, year_n, targets), progress, "Benchmarking"
        )
    if fmt == "table":
        table = scorecard_table(rows, code, year_n)
        if out_file is None:
            tty.show(out, table)
            return
        text = tty.render_text([table])
    else:
        text = render_scorecard(rows, fmt, code, year_n)
    if out_file is None:
        print(text, end="")
        return
    out_file.write_text(text, encoding="utf-8")
    measures = sum(r["breakdown"] == "all" for r in rows)
    out.print(f"Wrote {out_file} ({fmt}, {measures} measures)", highlight=False, markup=False)


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
    meeting: Annotated[str | None, typer.Option(
        "--meeting", help="Date of the Panel meeting the pack is for (YYYY-MM-DD); default the next one")] = None,
) -> None:
    """The members' information pack (PDF), council-wide or for one local area; figures are disclosure-controlled.

    The council-wide pack carries the Panel's business recorded in the web app since the meeting
    before the one it is for, and lists overdue actions on page 1.
    """
    from datetime import date

    from careboard.panel.section import for_database
    from careboard.publish.briefing import build_briefing
    from careboard.publish.pack import write_pack
    from careboard.store.db import default_path

    code, year_n = _authority(la), _year(year)
    try:
        meeting_on = date.fromisoformat(meeting) if meeting else None
    except ValueError:
        raise fail(f"--meeting: {meeting!r} is not a date like 2027-01-12", 2) from None
    with tty.progress(err) as progress:
        briefing = _with_measures(
            db,
            code,
            year_n,
            lambda con: build_briefing(con, code, year_n, area=area, targets_file=targets, with_sufficiency=True,
                                       with_missing_themes=True),
            progress,
            "Writing the briefing" + ("" if area else " and forecasting placements"),
        )
        try:
            business = None if area else for_database(db or default_path(), briefing, meeting_on)
        except ValueError as exc:
            raise fail(str(exc), 2) from None
        progress.begin(f"Making the PDF {out_file.name}")
        write_pack(briefing, out_file, business=business)
    what = f"local briefing for {area}" if area else "information pack"
    out.print(f"Wrote the {what} to {out_file}", highlight=False)


def _authority(la: str) -> str:
    from careboard import authorities

    try:
        return authorities.resolve(la).code
    except authorities.AuthorityError as exc:
        raise fail(str(exc), 2) from None


def open_current(db: Path | None):
    """The database read-only, with its figures current (refreshed first only if a load did not)."""
    from careboard.refresh import open_current as open_fresh
    from careboard.store.db import LOCK_WAIT, StoreError

    try:
        return open_fresh(db, wait=LOCK_WAIT, on_wait=_waiting,
                          on_step=lambda m: err.print(f"Updating: {m}", highlight=False, soft_wrap=True))
    except StoreError as exc:
        raise fail(str(exc)) from None


def _with_measures(db: Path | None, code: str, year_n: int, build, progress: Progress = SILENT, doing: str = ""):
    """Open the database read-only with its figures current, check the return is loaded, then ``build(con)``.

    A bad targets file or an unknown local area is the user's mistake: one line, exit code 2.  A figure
    set worked out here rather than read as stored (a local area's, the missing-children themes, figures
    against a targets file) is disclosure-controlled here too; if that control cannot finish
    (``DisclosureAuditError``, a store-level error) the command says so in one line, exit code 1.
    """
    from careboard.benchmark.targets import TargetsError
    from careboard.store.db import StoreError

    con = open_current(db)
    try:
        _require_loaded(con, code, year_n)
        progress.begin(doing)
        return build(con)
    except (TargetsError, ValueError) as exc:
        raise fail(str(exc), 2) from None
    except StoreError as exc:
        raise fail(str(exc)) from None
    finally:
        con.close()


def _require_loaded(con, code: str, year_n: int) -> None:
    loaded = con.execute(
        "SELECT count(*) FROM current_loads WHERE kind = 'ssda903' AND la = ? AND year = ?",
        [code, year_n],
    ).fetchall()[0][0]
    if not loaded:
        raise fail(f"no SSDA903 return for {code} {years.label(year_n)} is loaded (careboard load ...)")


@app.command()
def areas(
    file: Annotated[
        Path | None, typer.Argument(help="areas.csv: KEY (postcode sector, postcode district or district), AREA")
    ] = None,
    la: Annotated[str, typer.Option("--la", help="Authority: 3-digit DfE code (886) or ONS code")] = "",
    db: DbOption = None,
    clear: Annotated[bool, typer.Option("--clear", help="Remove the authority's localities (back to the default)")]
    = False,
) -> None:
    """The council's own localities for its local-area pages and packs (docs/extracts.md, areas.csv).

    Without them, local areas are a county's districts or a single-district council's postcode
    districts; either way small areas are grouped with their nearest neighbour.
    """
    from careboard.returns.areas import AreaFileError, read_area_file
    from careboard.store.local_areas import clear_lookup, save_lookup

    if not la:
        raise fail("give the authority: --la 886 (or its ONS code)", 2)
    code = _authority(la)
    if (file is None) == (not clear):
        raise fail("give an areas.csv file, or --clear to remove the authority's localities", 2)
    rows = []
    if file is not None:
        try:
            rows = read_area_file(file)
        except AreaFileError as exc:
            raise fail(f"Nothing was changed. {exc}") from None
    con = _open_db(db)
    try:
        if clear:
            n = clear_lookup(con, code)
            out.print(f"Removed {n} locality rows for {code}; local areas go back to the default", highlight=False)
        else:
            n = save_lookup(con, code, rows, file)
            localities = len({r.area for r in rows})
            out.print(f"Kept {n} rows naming {localities} localities for {code} from {file.name}", highlight=False)
        with tty.progress(err) as progress:
            _refresh(con, progress)
    finally:
        con.close()


@app.command("check-model")
def check_model(db: DbOption = None) -> None:
    """Check the care histories against the model's invariants, as every refresh does; exit 1 if one breaks.

    Checks the stored care histories, or, when they are not current with the loads (a refresh
    failed), care histories built afresh from the current loads and not saved.
    """
    from careboard.model.build import check_current
    from careboard.model.invariants import INVARIANTS

    con = _open_db(db)
    try:
        broken, stored = check_current(con)
    finally:
        con.close()
    what = ("the stored care histories" if stored else
            "care histories built from the current loads (not saved: the stored ones are older)")
    out.print(f"Checked {what} against the model's {len(INVARIANTS)} invariants.", highlight=False, soft_wrap=True)
    failing = {b.invariant.name: b for b in broken}
    for inv in INVARIANTS:
        if inv.name in failing:
            out.print(f"BROKEN {failing[inv.name].render()}", highlight=False, markup=False, soft_wrap=True)
        else:
            out.print(f"holds  {inv.name}: {inv.promise}", highlight=False, markup=False, soft_wrap=True)
    if broken:
        raise fail(f"{len(broken)} of {len(INVARIANTS)} invariants broken; correct these children's records "
                   "and load the corrected return")


@app.command()
def demo(
    folder: Annotated[Path, typer.Option("--out", help="Where to write the demo returns and database")] = Path(
        "demo-output"
    ),
    size: Annotated[int, typer.Option("--size", help="Children looked after at 31 March")] = 400,
) -> None:
    """Run careboard end to end on a synthetic authority (generated, seeded, nothing real)."""
    from careboard.demo import DemoFolderError, run_demo
    from careboard.store.db import StoreError
    from careboard.synth.command import MAX_SIZE

    if not 1 <= size <= MAX_SIZE:
        raise fail(f"--size must be between 1 and {MAX_SIZE}", 2)
    try:
        run_demo(folder, size, out)
    except DemoFolderError as exc:
        raise fail(str(exc), 2) from None
    except StoreError as exc:  # e.g. disclosure control could not finish: one line, as every command says it
        raise fail(str(exc)) from None


_register_optional()


def main() -> None:  # pragma: no cover - console entry point
    app()
