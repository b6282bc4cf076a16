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
    trusted_proxy: Annotated[str | None, typer.Option(
        "--trusted-proxy", help="Reverse proxy addresses or networks (comma-separated) whose X-Forwarded-For "
                                "names the client; default $CAREBOARD_TRUSTED_PROXY, else none")] = None,
) -> None:
    """Run the web app: scorecard, measures, local areas, data quality, uploads (sign-in required).

    The app reads a published copy of the database, so every other careboard command keeps working
    while it runs: loads from the command line appear in the app within seconds (each load
    publishes a new copy), and `careboard users` can add or remove users at any time.  The session
    cookie is marked Secure (HTTPS only) unless the app listens on a loopback address, so put it
    behind an HTTPS reverse proxy when it is reachable from other machines (and name that proxy with
    --trusted-proxy so sign-in throttling sees real client addresses).
    """
    import uvicorn

    from careboard import authorities
    from careboard.store.db import StoreError, default_path
    from careboard.web.app import (
        LOCAL_HOSTS,  # FastAPI is imported only when serving
        create_app,
    )
    from careboard.web.auth import parse_proxies

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
    try:
        parse_proxies(trusted_proxy)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    path = db or default_path()
    from careboard.refresh import prepare_serving
    from careboard.store.db import LOCK_WAIT

    try:
        published = prepare_serving(path, wait=LOCK_WAIT, on_wait=lambda m: typer.echo(m, err=True),
                                    on_step=lambda m: typer.echo(f"Preparing: {m}", err=True))
        if published is not None:
            typer.echo(f"Published the figures for the web app ({published.bytes / 1e6:,.0f} MB copied in "
                       f"{published.seconds:.1f} s)", err=True)
        app = create_app(path, la, targets=targets, secure_cookies=host not in LOCAL_HOSTS,
                         trusted_proxies=trusted_proxy, prepare=False)
    except StoreError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    missing = _not_loaded_warning(path, authorities.resolve(la))
    if missing:
        typer.echo(missing, err=True)
    typer.echo(f"careboard for {app.state.web.la_name} on http://{host}:{port}/ (Ctrl+C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False, server_header=False)


def _not_loaded_warning(path: Path, authority) -> str | None:
    """A warning when the database holds no return for the authority served (a mistyped --la serves an empty
    site): which authorities it does hold.  None when it holds one, or cannot be read just now."""
    import duckdb

    from careboard import authorities
    from careboard.store.db import StoreError, connect

    try:
        con = connect(path, read_only=True)
    except StoreError:
        return None
    try:
        held = [r[0] for r in con.execute("SELECT DISTINCT la FROM current_loads ORDER BY la").fetchall()]
    except duckdb.Error:  # a database from before the staging views: say nothing
        return None
    finally:
        con.close()
    if authority.code in held:
        return None
    names = ", ".join(f"{authorities.resolve(code).name} ({code})" for code in held[:5])
    holding = f"; it holds {names}" if held else "; it holds no return yet"
    return (f"warning: no return for {authority.name} ({authority.code}) is loaded in {path}{holding}. "
            "The pages will say there are no figures until one is loaded (careboard load, or the upload page).")
