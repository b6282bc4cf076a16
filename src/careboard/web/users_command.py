"""``careboard users add/remove/list``: who may sign in to the web app, and with which role."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

users_app = typer.Typer(help="Manage web app users (roles: admin, analyst, member).", no_args_is_help=True)

DbOption = Annotated[Path | None, typer.Option("--db", help="DuckDB database file (default: $CAREBOARD_DB or "
                                                            "./careboard.duckdb)")]


def _connect(db: Path | None):
    from careboard.store.db import StoreError, connect

    try:
        return connect(db)
    except StoreError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None


@users_app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="Sign-in name")],
    role: Annotated[str, typer.Option("--role", help="admin, analyst (child-level data, uploads) or member "
                                                     "(aggregates only)")] = "member",
    db: DbOption = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from standard input "
                                                                          "(for scripts)")] = False,
) -> None:
    """Add a user; the password is asked for (twice) and stored only as an argon2id hash."""
    from careboard.web.auth import UserError, add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    con = _connect(db)
    try:
        add_user(con, username, password, role)
    except UserError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        con.close()
    typer.echo(f"Added {username} ({role})")


@users_app.command("remove")
def remove(username: Annotated[str, typer.Argument(help="Sign-in name")], db: DbOption = None) -> None:
    """Remove a user; their sessions stop working at their next request."""
    from careboard.web.auth import UserError, remove_user

    con = _connect(db)
    try:
        remove_user(con, username)
    except UserError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    finally:
        con.close()
    typer.echo(f"Removed {username}")


@users_app.command("list")
def list_(
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
) -> None:
    """List users and their roles (never passwords)."""
    import json

    from careboard import console as tty
    from careboard.web.auth import list_users

    if fmt not in tty.OUTPUT_FORMATS:
        typer.echo("error: --format must be table, csv or json", err=True)
        raise typer.Exit(2)
    con = _connect(db)
    try:
        rows = list_users(con)
    finally:
        con.close()
    rows = [{"username": r["username"], "role": r["role"], "added": f"{r['created_at']:%Y-%m-%d %H:%M}"}
            for r in rows]
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=1))
    elif fmt == "csv":
        typer.echo(tty.csv_text(rows, ("username", "role", "added")), nl=False)
    elif not rows:
        typer.echo("No users yet: add one with `careboard users add NAME --role admin`")
    else:
        table = tty.fitted_table("Users", [("username", "text"), ("role", "code"), ("added", "code")],
                                 [(r["username"], r["role"], r["added"]) for r in rows])
        tty.show(tty.stdout(), table)
