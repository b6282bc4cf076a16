"""``careboard users add/remove/password/list``: who may sign in to the web app, and with which role.

Users live in the SQLite file beside the database (store/webdb.py), so these commands work while
the web app runs and while a load is in progress; a removal or password change ends the user's
sessions in the running app at their next request.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

users_app = typer.Typer(help="Manage web app users (roles: admin, analyst, member).", no_args_is_help=True)

DbOption = Annotated[Path | None, typer.Option("--db", help="DuckDB database file (default: $CAREBOARD_DB or "
                                                            "./careboard.duckdb); users are kept beside it")]
PasswordStdin = Annotated[bool, typer.Option("--password-stdin", help="Read the password from standard input "
                                                                      "(for scripts)")]


def _webdb(db: Path | None):
    """The users' SQLite file for ``db``; an older database's users are moved into it first."""
    from careboard.store.db import DatabaseBusy, StoreError, connect, default_path, writable
    from careboard.store.webdb import WebDB, path_for

    path = db or default_path()
    if path.exists() and not path_for(path).exists() and writable(path):
        try:  # opening read-write applies DuckDB migration 008, which moves users and the audit log here
            connect(path).close()
        except DatabaseBusy:
            pass  # a careboard command holds it, and opening it read-write has already moved them
        except StoreError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
    try:
        return WebDB.beside(path)
    except Exception as exc:  # an unwritable folder, a file that is not SQLite
        typer.echo(f"error: cannot open the users file {path_for(path)}: {exc}", err=True)
        raise typer.Exit(1) from None


def _password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@users_app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="Sign-in name")],
    role: Annotated[str, typer.Option("--role", help="admin, analyst (child-level data, uploads) or member "
                                                     "(aggregates only)")] = "member",
    db: DbOption = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Add a user; the password is asked for (twice) and stored only as an argon2id hash."""
    from careboard.web.auth import UserError, add_user

    password = _password(password_stdin)
    web = _webdb(db)
    try:
        add_user(web, username, password, role)
    except UserError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        web.close()
    typer.echo(f"Added {username} ({role})")


@users_app.command("password")
def password(
    username: Annotated[str, typer.Argument(help="Sign-in name")],
    db: DbOption = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Set a user's password; every session they have ends (they sign in again with the new one)."""
    from careboard.web.auth import UserError, set_password

    new = _password(password_stdin)
    web = _webdb(db)
    try:
        set_password(web, username, new)
    except UserError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        web.close()
    typer.echo(f"Changed the password of {username}; their sessions have ended")


@users_app.command("remove")
def remove(username: Annotated[str, typer.Argument(help="Sign-in name")], db: DbOption = None) -> None:
    """Remove a user; their sessions end at once (the running web app included)."""
    from careboard.web.auth import UserError, remove_user

    web = _webdb(db)
    try:
        remove_user(web, username)
    except UserError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    finally:
        web.close()
    typer.echo(f"Removed {username}")


@users_app.command("list")
def list_(
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
) -> None:
    """List users, their roles and open sessions (never passwords)."""
    import json

    from careboard import console as tty
    from careboard.web.auth import list_users

    if fmt not in tty.OUTPUT_FORMATS:
        typer.echo("error: --format must be table, csv or json", err=True)
        raise typer.Exit(2)
    web = _webdb(db)
    try:
        rows = list_users(web)
    finally:
        web.close()
    rows = [{"username": r["username"], "role": r["role"], "added": f"{r['created_at']:%Y-%m-%d %H:%M}",
             "sessions": r["sessions"]} for r in rows]
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=1))
    elif fmt == "csv":
        typer.echo(tty.csv_text(rows, ("username", "role", "added", "sessions")), nl=False)
    elif not rows:
        typer.echo("No users yet: add one with `careboard users add NAME --role admin`")
    else:
        table = tty.fitted_table("Users", [("username", "text"), ("role", "code"), ("added", "code"),
                                           ("sessions", "figure")],
                                 [(r["username"], r["role"], r["added"], str(r["sessions"])) for r in rows])
        tty.show(tty.stdout(), table)
