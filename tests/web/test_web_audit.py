"""The audit log: refused requests for child-level pages are recorded; the admin page filters and pages;
no page shows where the server keeps its files."""

from __future__ import annotations

import re
import shutil

from webhelpers import csrf_token, http_client


def _last(app, action: str, username: str) -> tuple | None:
    return app.state.web.webdb.con().execute(
        "SELECT detail, ip FROM audit_log WHERE action = ? AND username = ? ORDER BY event_id DESC LIMIT 1",
        [action, username]).fetchone()


def test_refused_requests_for_child_level_pages_are_audited(app, base_url):
    member = http_client(base_url, "member")
    analyst = http_client(base_url, "analyst")
    try:
        assert member.get("/data-quality/findings?year=2026").status_code == 403
        assert _last(app, "refused", "member") == ("GET /data-quality/findings (needs view_child_level)", "127.0.0.1")
        assert analyst.get("/admin/audit").status_code == 403
        assert _last(app, "refused", "analyst") == ("GET /admin/audit (needs view_audit)", "127.0.0.1")
    finally:
        member.close()
        analyst.close()


def test_audit_page_filters_by_user_action_and_date_and_pages(app, base_url):
    web = app.state.web.webdb
    with web.write() as con:
        con.executemany(
            "INSERT INTO audit_log (happened_at, username, ip, action, detail) VALUES (?, ?, ?, ?, ?)",
            [(f"2025-01-{1 + i % 28:02d} 10:00:00", "paging-user", "192.0.2.1", "download", f"report {i}")
             for i in range(230)]
            + [("2025-02-01 09:00:00", "paging-user", "192.0.2.1", "child_view", "findings 2024-25"),
               ("2025-01-15 11:00:00", "someone-else", "192.0.2.2", "download", "not theirs")])
    admin = http_client(base_url, "admin")
    try:
        page = admin.get("/admin/audit", params={"who": "paging-user", "action": "download"}).text
        assert "Events 1 to 100 of 230" in page
        rows = re.findall(r"<td class=\"govuk-table__cell\">(report \d+)</td>", page)
        assert rows[:2] == ["report 229", "report 228"] and len(rows) == 100
        assert "not theirs" not in page and "findings 2024-25" not in page
        third = admin.get("/admin/audit", params={"who": "paging-user", "action": "download", "page": 3}).text
        assert "Events 201 to 230 of 230" in third and "report 0<" in third
        assert 'href="/admin/audit?who=paging-user&amp;action=download&amp;page=2"' in third
        # Dates: one day, both ends included.
        day = admin.get("/admin/audit", params={"who": "paging-user", "since": "2025-01-02", "until": "2025-01-02"})
        assert "Events 1 to 9 of 9," in day.text  # i % 28 == 1 for 9 of i in 0..229
        feb = admin.get("/admin/audit", params={"since": "2025-02-01", "until": "2025-02-01", "who": "paging-user"})
        assert "Events 1 to 1 of 1" in feb.text and "findings 2024-25" in feb.text
        bad = admin.get("/admin/audit", params={"since": "yesterday"})
        assert bad.status_code == 400 and "Enter a date like 2026-03-31" in bad.text
        # A page far past the last (a 40-digit number reached SQLite as an offset: 500) lists nothing, linking back.
        far = admin.get("/admin/audit", params={"who": "paging-user", "action": "download", "page": "9" * 40})
        assert far.status_code == 200 and not re.findall(r"<td class=\"govuk-table__cell\">(report \d+)</td>", far.text)
        assert 'href="/admin/audit?who=paging-user&amp;action=download&amp;page=999999999"' in far.text  # previous
    finally:
        admin.close()


def test_no_page_shows_a_server_path(app, base_url, upload_files, fixture_db):
    """An upload whose files vanished from the server (a temp-folder cleaner) must not reveal where they were."""
    client = http_client(base_url, "analyst")
    try:
        token = csrf_token(client.get("/upload").text)
        files = [("files", (p.name, p.read_bytes(), "text/csv")) for p in upload_files]
        r = client.post("/upload", data={"csrf_token": token, "year": "2025-26"}, files=files)
        assert r.status_code == 303
        uid = r.headers["location"].rsplit("/", 1)[1]
        result = client.get(f"/upload/{uid}").text
        item = app.state.web.uploads.get(uid, "analyst")
        shutil.rmtree(item.folder)
        loaded = client.post(f"/upload/{uid}/load", data={"csrf_token": csrf_token(result)})
        assert loaded.status_code == 400 and "no such file or folder" in loaded.text
        root = str(app.state.web.uploads.root)
        for page in (result, loaded.text):
            assert root not in page and str(fixture_db.db.parent) not in page and "/tmp/" not in page
    finally:
        client.close()
