"""Server-side sessions: ended at sign-out, password change and user removal; idle timeout; absolute lifetime.

Each test replays a real session cookie against the running app, as someone who copied it would.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time

import httpx
from typer.testing import CliRunner
from webhelpers import PASSWORD, csrf_token, http_client

from careboard.web import auth
from careboard.web.users_command import users_app

CHILD_LEVEL = "/data-quality/findings"
COOKIE = "careboard_session"


def _replay(base_url: str, cookie: str) -> httpx.Client:
    """A new client (another machine) holding a copy of someone's session cookie."""
    return httpx.Client(base_url=base_url, cookies={COOKIE: cookie}, follow_redirects=False, timeout=60)


def _user(app, name: str, role: str = "analyst") -> None:
    web = app.state.web.webdb
    if auth.get_user(web, name) is not None:
        auth.remove_user(web, name)
    auth.add_user(web, name, PASSWORD, role)


def test_a_copied_cookie_stops_working_at_sign_out(app, base_url):
    _user(app, "signs-out")
    client = http_client(base_url, "signs-out")
    copied = client.cookies[COOKIE]
    with _replay(base_url, copied) as thief:
        assert thief.get(CHILD_LEVEL).status_code == 200  # the copy works while the session lasts
        token = csrf_token(client.get("/scorecard").text)
        assert client.post("/logout", data={"csrf_token": token}).status_code == 303
        r = thief.get(CHILD_LEVEL)
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
    client.close()


def test_changing_the_password_ends_every_other_session(app, base_url):
    _user(app, "changer")
    here, elsewhere = http_client(base_url, "changer"), http_client(base_url, "changer")
    try:
        token = csrf_token(here.get("/account/password").text)
        new = "a brand new long password"
        r = here.post("/account/password", data={"csrf_token": token, "current": "not my password at all",
                                                 "new": new, "confirm": new})
        assert r.status_code == 400 and "Your current password is not right" in r.text
        r = here.post("/account/password", data={"csrf_token": token, "current": PASSWORD, "new": new,
                                                 "confirm": new})
        assert r.status_code == 200 and "Your password has been changed" in r.text
        assert here.get(CHILD_LEVEL).status_code == 200  # this browser stays signed in
        assert elsewhere.get(CHILD_LEVEL).status_code == 303  # the other one is signed out
        http_client(base_url, "changer", password=new).close()  # and the new password works
    finally:
        here.close()
        elsewhere.close()
    actions = [a for (a,) in app.state.web.webdb.con().execute(
        "SELECT action FROM audit_log WHERE username = 'changer' ORDER BY event_id").fetchall()]
    assert "password_changed" in actions


def test_password_set_from_the_command_line_ends_sessions_in_the_running_app(app, base_url, fixture_db):
    _user(app, "reset-me")
    client = http_client(base_url, "reset-me")
    try:
        assert client.get(CHILD_LEVEL).status_code == 200
        r = CliRunner().invoke(users_app, ["password", "reset-me", "--db", str(fixture_db.db), "--password-stdin"],
                               input="reset by the administrator\n")
        assert r.exit_code == 0, r.output
        assert client.get(CHILD_LEVEL).status_code == 303
    finally:
        client.close()


def test_removing_a_user_from_the_command_line_ends_their_session(app, base_url, fixture_db):
    _user(app, "removed-by-cli")
    client = http_client(base_url, "removed-by-cli")
    try:
        assert client.get(CHILD_LEVEL).status_code == 200
        r = CliRunner().invoke(users_app, ["remove", "removed-by-cli", "--db", str(fixture_db.db)])
        assert r.exit_code == 0, r.output
        assert client.get("/scorecard").status_code == 303
    finally:
        client.close()


def test_idle_sessions_end(app, base_url):
    _user(app, "idler")
    client = http_client(base_url, "idler")
    try:
        assert client.get(CHILD_LEVEL).status_code == 200
        idle = time.time() - auth.IDLE.total_seconds() - 60
        with app.state.web.webdb.write() as con:
            con.execute("UPDATE sessions SET last_seen = ? WHERE username = 'idler'", [idle])
        assert client.get(CHILD_LEVEL).status_code == 303
    finally:
        client.close()


def test_sessions_have_an_absolute_lifetime(app, base_url):
    _user(app, "all-day")
    client = http_client(base_url, "all-day")
    try:
        assert client.get(CHILD_LEVEL).status_code == 200
        started = time.time() - auth.LIFETIME.total_seconds() - 60
        with app.state.web.webdb.write() as con:  # busy all day: last seen just now, signed in 8 hours ago
            con.execute("UPDATE sessions SET created_at = ?, last_seen = ? WHERE username = 'all-day'",
                        [started, time.time()])
        assert client.get(CHILD_LEVEL).status_code == 303
    finally:
        client.close()


def test_the_session_table_holds_only_a_hash_of_the_token(app, base_url):
    """A copy of the SQLite file gives no session a thief could replay."""
    _user(app, "hashed")
    client = http_client(base_url, "hashed")
    try:
        payload = client.cookies[COOKIE].split(".")[0]  # Starlette: base64(JSON).timestamp.signature
        token = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))["sid"]
        stored = [h for (h,) in app.state.web.webdb.con().execute(
            "SELECT token_hash FROM sessions WHERE username = 'hashed'").fetchall()]
        assert stored == [hashlib.sha256(token.encode()).hexdigest()]
        assert token not in stored
    finally:
        client.close()
