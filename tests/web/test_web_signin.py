"""Sign-in throttling against the running app: atomic, bounded per client and overall, growing delays
instead of a lock-out, and X-Forwarded-For believed only from a configured proxy.

Each test runs its own app (same database, its own throttle) so the buckets start full.  The app
trusts 127.0.0.1 as a reverse proxy, so a test can speak for many clients with X-Forwarded-For.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from webhelpers import LA, PASSWORD, csrf_token, http_client, running

from careboard.web import auth
from careboard.web.throttle import CLIENT_BURST, FREE_FAILURES, SignInThrottle


@pytest.fixture
def throttled(fixture_db, app) -> Iterator[tuple[str, object]]:
    """A second app on the test database with the real throttle settings, behind a 'proxy' at 127.0.0.1."""
    from careboard.web.app import create_app

    own = create_app(fixture_db.db, LA, secure_cookies=False, secret="test-secret-" + "y" * 32,
                     trusted_proxies="127.0.0.1", prepare=False)
    with running(own) as url:
        yield url, own


def _form(base_url: str) -> tuple[dict, str]:
    with httpx.Client(base_url=base_url) as c:
        page = c.get("/login")
        return dict(c.cookies), csrf_token(page.text)


def _attempt(base_url: str, cookies: dict, token: str, username: str, password: str,
             client: str | None = None) -> httpx.Response:
    headers = {"X-Forwarded-For": client} if client else {}
    with httpx.Client(base_url=base_url, cookies=cookies, timeout=60) as c:
        return c.post("/login", data={"username": username, "password": password, "csrf_token": token},
                      headers=headers)


def _failures(app, username: str, ip: str) -> int:
    return app.state.web.webdb.con().execute(
        "SELECT count(*) FROM audit_log WHERE action = 'login_failed' AND username = ? AND ip = ?",
        [username, ip]).fetchone()[0]


def _fresh_user(app, name: str) -> None:
    web = app.state.web.webdb
    if auth.get_user(web, name) is not None:
        auth.remove_user(web, name)
    auth.add_user(web, name, PASSWORD, "member")


def test_forty_simultaneous_wrong_passwords_run_almost_no_password_checks(throttled):
    url, app = throttled
    _fresh_user(app, "target")
    cookies, token = _form(url)
    start = threading.Barrier(40)
    codes: list[int] = []

    def one() -> None:
        start.wait()
        codes.append(_attempt(url, cookies, token, "target", "wrong password!!", "198.51.100.40").status_code)

    threads = [threading.Thread(target=one) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    checks = _failures(app, "target", "198.51.100.40")
    assert checks == codes.count(400) and 1 <= checks <= FREE_FAILURES + 1
    assert codes.count(429) == 40 - checks


def test_rotating_usernames_buys_no_more_password_checks(throttled):
    url, app = throttled
    cookies, token = _form(url)
    codes, waits = [], []
    for _ in range(25):
        r = _attempt(url, cookies, token, "nobody-" + secrets.token_hex(6), "wrong password!!", "198.51.100.41")
        codes.append(r.status_code)
        if r.status_code == 429:
            waits.append(int(r.headers["retry-after"]))
            assert "Too many attempts to sign in from your address" in r.text
    checked = codes.count(400)
    assert CLIENT_BURST <= checked <= CLIENT_BURST + 3  # the burst, plus what the bucket refilled meanwhile
    audited = app.state.web.webdb.con().execute(
        "SELECT count(*) FROM audit_log WHERE action = 'login_failed' AND ip = '198.51.100.41'").fetchone()[0]
    assert audited == checked
    assert codes.count(429) == 25 - checked and all(w >= 1 for w in waits)


def test_failures_slow_that_client_down_but_never_lock_the_user_out(throttled):
    url, app = throttled
    _fresh_user(app, "victim")
    cookies, token = _form(url)
    attacker, owner = "198.51.100.66", "192.0.2.10"
    for _ in range(FREE_FAILURES):
        assert _attempt(url, cookies, token, "victim", "a wrong guess!!", attacker).status_code == 400
    r = _attempt(url, cookies, token, "victim", PASSWORD, attacker)  # even the right password must wait now
    assert r.status_code == 429 and "Wait 1 second" in r.text and r.headers["retry-after"] == "1"
    # The real user, elsewhere, signs in at once: nobody can lock them out.
    assert _attempt(url, cookies, token, "victim", PASSWORD, owner).status_code == 303
    # And the delay passes: it is a delay, not a lock-out.
    time.sleep(1.2)
    assert _attempt(url, cookies, token, "victim", PASSWORD, attacker).status_code == 303


def test_total_password_checks_are_bounded_for_the_whole_server(fixture_db, app):
    from careboard.web.app import create_app

    own = create_app(fixture_db.db, LA, secure_cookies=False, secret="s" * 40, trusted_proxies="127.0.0.1",
                     prepare=False, throttle=SignInThrottle(global_burst=5, global_rate=0.01))
    with running(own) as url:
        cookies, token = _form(url)
        codes = [_attempt(url, cookies, token, f"someone{i}", "wrong password!!", f"198.51.100.{100 + i}").status_code
                 for i in range(12)]
    assert codes.count(400) == 5
    assert codes.count(429) == 7 and own.state.web.throttle.checks == 5


def test_x_forwarded_for_is_believed_only_from_a_trusted_proxy(app, base_url, throttled):
    url, trusting = throttled
    cookies, token = _form(base_url)
    _fresh_user(app, "xff")
    assert _attempt(base_url, cookies, token, "xff", "wrong password!!", "203.0.113.9").status_code == 400
    assert _failures(app, "xff", "127.0.0.1") == 1 and _failures(app, "xff", "203.0.113.9") == 0
    cookies, token = _form(url)
    # Behind the trusted proxy the client is the nearest address it did not add itself; a forged
    # left-most entry is ignored.
    r = _attempt(url, cookies, token, "xff", "wrong password!!", "10.9.9.9, 203.0.113.9")
    assert r.status_code == 400
    assert _failures(trusting, "xff", "203.0.113.9") == 1


def test_client_address_reads_forwarded_for_from_the_right():
    proxies = auth.parse_proxies("10.0.0.0/8, 192.0.2.1")
    assert auth.client_address("192.0.2.1", "203.0.113.5, 10.1.1.1", proxies) == "203.0.113.5"
    assert auth.client_address("198.51.100.1", "203.0.113.5", proxies) == "198.51.100.1"  # not a proxy
    assert auth.client_address("192.0.2.1", "not-an-address", proxies) == "192.0.2.1"
    assert auth.client_address("192.0.2.1", None, proxies) == "192.0.2.1"
    with pytest.raises(ValueError, match="not an IP address"):
        auth.parse_proxies("proxy.example")


def test_a_failed_sign_in_never_stores_an_unknown_username_as_typed(app, base_url):
    typed = "correct horse battery staple"  # a password typed into the username box
    cookies, token = _form(base_url)
    assert _attempt(base_url, cookies, token, typed, "whatever it was").status_code == 400
    con = app.state.web.webdb.con()
    rows = con.execute("SELECT username, detail FROM audit_log WHERE action = 'login_failed' "
                       "ORDER BY event_id DESC LIMIT 1").fetchall()
    assert rows[0][0].startswith("unknown#") and rows[0][1] == f"{len(typed)} characters typed"
    everything = " ".join(str(v) for row in con.execute("SELECT * FROM audit_log").fetchall() for v in row)
    assert typed not in everything
    # The same unknown name gives the same keyed hash, so repeats are visible to an administrator.
    assert _attempt(base_url, cookies, token, typed, "whatever it was").status_code == 400
    again = con.execute("SELECT username FROM audit_log WHERE action = 'login_failed' ORDER BY event_id DESC LIMIT 1"
                        ).fetchone()[0]
    assert again == rows[0][0]
    # A real user's failed sign-in names them.
    assert _attempt(base_url, cookies, token, "member", "wrong password!!").status_code == 400
    assert con.execute("SELECT username FROM audit_log WHERE action = 'login_failed' ORDER BY event_id DESC LIMIT 1"
                       ).fetchone()[0] == "member"
    http_client(base_url, "member").close()

