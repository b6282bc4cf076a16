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
    assert header.split() == ["┃", "username", "┃", "role", "┃", "added", "┃"]
    assert row.split()[:4] == ["│", "cllr.smith", "│", "member"]
    r = runner.invoke(users_app, ["list", "--db", db, "--format", "csv"])
    lines = r.output.splitlines()
    assert lines[0] == "username,role,added" and lines[1].startswith("cllr.smith,member,20")
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
