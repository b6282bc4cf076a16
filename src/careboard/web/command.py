"""``careboard serve``: run the web app for one authority over one database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def serve(
    db: Annotated[Path | None, typer.Option("--db", help="DuckDB database file (default: $CAREBOARD_DB or "
                                                         "./careboard.duckdb)")] = None,
    la: Annotated[str, typer.Option("--la", help="Authority the site is for: 3-digit DfE code or ONS code")] = "",
    host: Annotated[str, typer.Option("--host", help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on")] = 8000,
    targets: Annotated[Path | None, typer.Option("--targets", help="Local targets YAML (red/amber/green)")] = None,
) -> None:
    """Run the web app: scorecard, measures, local areas, data quality, uploads (sign-in required).

    The session cookie is marked Secure (HTTPS only) unless the app listens on a loopback address,
    so put it behind an HTTPS reverse proxy when it is reachable from other machines.  The database
    is held open read-write while the app runs: stop it before running other careboard commands
    that change the same database (including `careboard users`).
    """
    import uvicorn

    from careboard import authorities
    from careboard.store.db import StoreError, default_path
    from careboard.web.app import (
        LOCAL_HOSTS,  # FastAPI is imported only when serving
        create_app,
    )

    if not la:
        typer.echo("error: --la is required (the authority this site is for)", err=True)
        raise typer.Exit(2)
    try:
        authorities.resolve(la)
    except (KeyError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if targets is not None and not targets.exists():
        typer.echo(f"error: no targets file at {targets}", err=True)
        raise typer.Exit(2)
    path = db or default_path()
    try:
        app = create_app(path, la, targets=targets, secure_cookies=host not in LOCAL_HOSTS)
    except StoreError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"careboard for {app.state.web.la_name} on http://{host}:{port}/ (Ctrl+C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False, server_header=False)
