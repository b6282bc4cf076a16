"""``careboard export-business``: the Panel's business out of the SQLite file, as CSV or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def export_business(
    out: Annotated[Path, typer.Option("--out", help="Folder to write one file per table into")],
    db: Annotated[Path | None, typer.Option("--db", help="DuckDB database file (default: $CAREBOARD_DB or "
                                                         "./careboard.duckdb); the business is kept beside it")] = None,
    fmt: Annotated[str, typer.Option("--format", help="csv or json")] = "csv",
) -> None:
    """Export the Panel's business (meetings, questions, actions, score-sheets, challenge cards, action plans).

    Reads the SQLite file beside the database without changing it, so it runs at any time, also
    while the web app takes questions and a load is in progress.
    """
    from careboard.panel.export import FORMATS, export
    from careboard.panel.section import PANEL_SCHEMA
    from careboard.store.db import default_path
    from careboard.store.webdb import WebDB, path_for, schema_version

    if fmt not in FORMATS:
        typer.echo("error: --format must be csv or json", err=True)
        raise typer.Exit(2)
    path = path_for(db or default_path())
    if not path.exists():
        typer.echo(f"error: there is no web state file {path.name} beside the database: nothing has been recorded",
                   err=True)
        raise typer.Exit(1)
    web = WebDB(path, read_only=True)
    try:
        if schema_version(web) < PANEL_SCHEMA:
            typer.echo(f"error: {path.name} holds no Panel business yet (run careboard serve once to update it)",
                       err=True)
            raise typer.Exit(1)
        written = export(web, out, fmt)
    except OSError as exc:
        typer.echo(f"error: cannot write to {out}: {exc.strerror or exc}", err=True)
        raise typer.Exit(1) from None
    finally:
        web.close()
    for name, rows in written:
        typer.echo(f"{name}: {rows} row{'' if rows == 1 else 's'}")
    typer.echo(f"Wrote the Panel's business to {out}")
