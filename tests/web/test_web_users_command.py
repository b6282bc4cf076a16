"""`careboard users add/list/remove` manage who can sign in (run against a database of its own)."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from careboard.web.users_command import users_app

runner = CliRunner()


def test_add_list_remove(tmp_path):
    db = str(tmp_path / "users.duckdb")
    r = runner.invoke(users_app, ["add", "cllr.smith", "--role", "member", "--db", db, "--password-stdin"],
                      input="a long enough password\n")
    assert r.exit_code == 0, r.output
    assert "Added cllr.smith (member)" in r.output
    r = runner.invoke(users_app, ["list", "--db", db])
    header, row = (ln for ln in r.output.splitlines() if "username" in ln or "cllr.smith" in ln)
    assert header.split() == ["┃", "username", "┃", "role", "┃", "added", "┃", "sessions", "┃"]
    assert row.split()[:4] == ["│", "cllr.smith", "│", "member"]
    r = runner.invoke(users_app, ["list", "--db", db, "--format", "csv"])
    lines = r.output.splitlines()
    assert lines[0] == "username,role,added,sessions" and lines[1].startswith("cllr.smith,member,20")
    r = runner.invoke(users_app, ["list", "--db", db, "--format", "json"])
    assert [(u["username"], u["role"]) for u in json.loads(r.output)] == [("cllr.smith", "member")]
    r = runner.invoke(users_app, ["add", "cllr.smith", "--db", db, "--password-stdin"], input="another long one!\n")
    assert r.exit_code == 2 and "already exists" in r.output
    r = runner.invoke(users_app, ["add", "x", "--role", "boss", "--db", db, "--password-stdin"],
                      input="a long enough password\n")
    assert r.exit_code == 2 and "role must be one of" in r.output
    r = runner.invoke(users_app, ["add", "y", "--db", db, "--password-stdin"], input="short\n")
    assert r.exit_code == 2 and "at least 12 characters" in r.output
    r = runner.invoke(users_app, ["remove", "cllr.smith", "--db", db])
    assert r.exit_code == 0 and "Removed cllr.smith" in r.output
    assert "No users yet" in runner.invoke(users_app, ["list", "--db", db]).output


def test_prompted_password_is_confirmed(tmp_path):
    db = str(tmp_path / "users.duckdb")
    r = runner.invoke(users_app, ["add", "ana", "--role", "analyst", "--db", db],
                      input="a long enough password\na long enough password\n")
    assert r.exit_code == 0, r.output


def test_serve_is_a_typer_command():
    from careboard.web.command import serve

    app = typer.Typer()
    app.command("serve")(serve)
    r = runner.invoke(app, ["--help"])
    assert r.exit_code == 0 and "--db" in r.output and "--la" in r.output and "--port" in r.output


def test_users_are_managed_while_another_process_holds_the_database(tmp_path):
    """Users live beside the database (SQLite): a load in progress, or the web app, never blocks them."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    import careboard
    from careboard.store.db import connect

    db = tmp_path / "busy.duckdb"
    connect(db).close()
    hold = ("import sys, time\nfrom careboard.store.db import connect\ncon = connect(sys.argv[1])\n"
            "print('holding', flush=True)\ntime.sleep(30)\n")
    env = {**os.environ, "PYTHONPATH": str(Path(careboard.__file__).resolve().parents[1])}
    holder = subprocess.Popen([sys.executable, "-c", hold, str(db)], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert holder.stdout.readline().strip() == "holding"
        r = runner.invoke(users_app, ["add", "busy.admin", "--role", "admin", "--db", str(db), "--password-stdin"],
                          input="a long enough password\n")
        assert r.exit_code == 0, r.output
        r = runner.invoke(users_app, ["list", "--db", str(db), "--format", "csv"])
        assert r.exit_code == 0 and "busy.admin,admin," in r.output and r.output.startswith("username,role")
    finally:
        holder.kill()
        holder.wait()
