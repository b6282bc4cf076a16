"""Sign-in, sessions, CSRF, throttling, roles on every route, security headers and the audit log."""

from __future__ import annotations

import httpx
from webhelpers import PASSWORD, api_routes, csrf_token, http_client

from careboard.web import csrf
from careboard.web.auth import require_admin, require_analyst, require_member
from careboard.web.routes_auth import PUBLIC_PATHS

ROLE_CHECKS = {require_member, require_analyst, require_admin}


def test_every_route_checks_a_role_unless_public(app):
    unchecked = []
    for route in api_routes(app):
        calls = {d.call for d in route.dependant.dependencies}
        if not (calls & ROLE_CHECKS) and route.path not in PUBLIC_PATHS:
            unchecked.append(route.path)
    assert unchecked == ["/logout"]  # signing out needs no role, only the CSRF token


def test_every_post_route_checks_the_csrf_token(app, base_url):
    posts = [r for r in api_routes(app) if "POST" in r.methods]
    assert {r.path for r in posts} >= {"/login", "/logout", "/upload", "/upload/{uid}/load"}
    for route in posts:
        assert csrf.verify in {d.call for d in route.dependant.dependencies}, route.path
    client = http_client(base_url, "analyst")
    try:
        for route in posts:
            path = route.path.replace("{uid}", "abc")
            for data in ({}, {"csrf_token": "forged"}):
                r = client.post(path, data=data)
                assert r.status_code == 403 and "could not be sent" in r.text, (path, data)
        assert client.get("/scorecard").status_code == 200  # still signed in: the forged logout did nothing
    finally:
        client.close()


def test_pages_need_sign_in_and_redirect_back(base_url):
    with httpx.Client(base_url=base_url) as client:
        r = client.get("/measures/placements_3_plus?year=2026")
        assert r.status_code == 303
        assert r.headers["location"] == "/login?next=%2Fmeasures%2Fplacements_3_plus%3Fyear%3D2026"
        assert client.get("/pack.pdf").status_code == 303
        assert client.get("/accessibility").status_code == 200


def test_session_cookie_flags_and_security_headers(base_url):
    with httpx.Client(base_url=base_url) as client:
        r = client.get("/login")
        cookie = r.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie
        assert "secure" not in cookie  # loopback in tests; `careboard serve` sets Secure on other hosts
        csp = r.headers["content-security-policy"]
        assert "script-src 'self' 'nonce-" in csp and "frame-ancestors 'none'" in csp
        nonce = csp.split("'nonce-")[1].split("'")[0]
        assert f'<script nonce="{nonce}">' in r.text
        assert r.headers["x-content-type-options"] == "nosniff" and r.headers["cache-control"] == "no-store"


def test_secure_cookie_off_loopback(fixture_db, tmp_path):
    """The app made for a non-loopback host marks its cookie Secure."""
    from starlette.middleware.sessions import SessionMiddleware

    from careboard.web.app import create_app

    app = create_app(fixture_db.db, "358", secure_cookies=True, secret="s" * 40)
    (mw,) = [m for m in app.user_middleware if m.cls is SessionMiddleware]
    assert mw.kwargs["https_only"] is True and mw.kwargs["same_site"] == "lax"


def test_login_rotates_the_session_and_rejects_open_redirects(base_url):
    with httpx.Client(base_url=base_url) as client:
        before = csrf_token(client.get("/login").text)
        r = client.post("/login", data={"username": "member", "password": PASSWORD, "csrf_token": before,
                                        "next": "//evil.example/steal"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/scorecard"
        after = csrf_token(client.get("/scorecard").text)
        assert after != before


def test_removed_user_loses_access_at_once(app, base_url):
    from careboard.web import auth

    web = app.state.web.webdb
    auth.add_user(web, "leaver", PASSWORD, "analyst")
    client = http_client(base_url, "leaver")
    try:
        assert client.get("/data-quality/findings").status_code == 200
        auth.remove_user(web, "leaver")
        assert client.get("/scorecard").status_code == 303
    finally:
        client.close()


def test_passwords_are_argon2_hashed(app):
    hashes = [h for (h,) in app.state.web.webdb.con().execute("SELECT password_hash FROM users").fetchall()]
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert not any(PASSWORD in h for h in hashes)


def test_audit_log_records_logins_child_views_and_is_admin_only(base_url, app):
    client = http_client(base_url, "analyst")
    try:
        assert client.get("/data-quality/findings?year=2026").status_code == 200
    finally:
        client.close()
    rows = app.state.web.webdb.con().execute(
        "SELECT username, action, detail FROM audit_log WHERE username = 'analyst' ORDER BY event_id DESC LIMIT 2"
    ).fetchall()
    assert rows[0][1] == "child_view" and "2025-26" in rows[0][2]
    assert rows[1][1] == "login"
    admin = http_client(base_url, "admin")
    analyst = http_client(base_url, "analyst")
    try:
        page = admin.get("/admin/audit")
        assert page.status_code == 200 and "child_view" in page.text
        assert analyst.get("/admin/audit").status_code == 403
    finally:
        admin.close()
        analyst.close()
