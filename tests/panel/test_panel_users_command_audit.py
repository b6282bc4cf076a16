"""`careboard users` changes are audited like the web's (by the operating-system user), and the new roles
can be given from the command line."""

from __future__ import annotations

import getpass

from typer.testing import CliRunner

from careboard.store.webdb import WebDB, path_for
from careboard.web.users_command import users_app

runner = CliRunner()


def test_user_changes_from_the_command_line_are_audited(tmp_path):
    db = str(tmp_path / "users.duckdb")
    for name, role in (("hos.cla", "officer"), ("cicc.lead", "participation")):
        r = runner.invoke(users_app, ["add", name, "--role", role, "--db", db, "--password-stdin"],
                          input="a long enough password\n")
        assert r.exit_code == 0, r.output
    r = runner.invoke(users_app, ["password", "hos.cla", "--db", db, "--password-stdin"], input="another long one!\n")
    assert r.exit_code == 0, r.output
    r = runner.invoke(users_app, ["remove", "cicc.lead", "--db", db])
    assert r.exit_code == 0, r.output
    web = WebDB(path_for(db))
    try:
        events = web.con().execute("SELECT action, username, detail FROM audit_log ORDER BY event_id").fetchall()
        assert web.user("hos.cla") == ("hos.cla", "officer")
    finally:
        web.close()
    me = f"{getpass.getuser()} (command line)"
    assert events == [("user_added", me, "hos.cla (officer)"), ("user_added", me, "cicc.lead (participation)"),
                      ("password_reset", me, "hos.cla: password reset, their sessions ended"),
                      ("user_removed", me, "cicc.lead: removed, sessions ended")]
