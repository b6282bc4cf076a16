"""Upload bodies are checked before they are read: who sends them, and how big they are.

The raw-socket tests send only the request head (and a little of the body) of a huge upload and
expect the answer at once: a server that read or spooled the body first would wait for the rest.
"""

from __future__ import annotations

import re
import socket
from urllib.parse import urlparse

import httpx
import pytest
from webhelpers import csrf_token, http_client

from careboard.web import guard

GIB = 1024**3
BOUNDARY = "careboardtestboundary"


def _raw_post(base_url: str, length: int, cookie: str = "", sent: int = 64 * 1024, timeout: float = 10) -> bytes:
    """POST /upload declaring ``length`` bytes, send ``sent`` of them, and read whatever comes back."""
    url = urlparse(base_url)
    head = (f"POST /upload HTTP/1.1\r\nHost: {url.netloc}\r\n"
            f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {length}\r\n"
            + (f"Cookie: {cookie}\r\n" if cookie else "") + "\r\n").encode()
    part = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"Header.csv\"\r\n"
            "Content-Type: text/csv\r\n\r\n").encode()
    with socket.create_connection((url.hostname, url.port), timeout=timeout) as s:
        s.sendall(head + part + b"x" * sent)
        answer = b""
        try:
            while chunk := s.recv(65536):
                answer += chunk
        except TimeoutError:
            pytest.fail(f"no answer within {timeout} s: the server is waiting for the rest of the body")
        except ConnectionResetError:
            pass
    return answer


def _status(answer: bytes) -> int:
    match = re.match(rb"HTTP/1\.1 (\d{3})", answer)
    assert match, answer[:200]
    return int(match.group(1))


def _cookie(client: httpx.Client) -> str:
    return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


def test_anonymous_one_gib_upload_is_refused_before_the_body_is_read(base_url):
    answer = _raw_post(base_url, GIB)
    assert _status(answer) == 403
    assert b"connection: close" in answer.lower()


def test_a_member_cannot_start_an_upload_either(base_url, app):
    member = http_client(base_url, "member")
    try:
        answer = _raw_post(base_url, GIB, _cookie(member))
    finally:
        member.close()
    assert _status(answer) == 403
    refused = app.state.web.webdb.con().execute(
        "SELECT detail FROM audit_log WHERE action = 'refused' AND username = 'member' ORDER BY event_id DESC LIMIT 1"
    ).fetchone()
    assert refused == ("POST /upload (needs upload)",)


def test_an_analysts_over_limit_upload_is_refused_unread(base_url):
    analyst = http_client(base_url, "analyst")
    try:
        answer = _raw_post(base_url, 210 * 1024 * 1024, _cookie(analyst))
    finally:
        analyst.close()
    assert _status(answer) == 413 and b"The upload is too large" in answer


def test_a_body_longer_than_the_limit_is_cut_off_while_streaming(base_url, monkeypatch):
    """No length declared (chunked): the body is counted as it arrives and stopped at the limit."""
    monkeypatch.setitem(guard.RULES, "/upload", guard.Rule(256 * 1024, check_first=True))
    analyst = http_client(base_url, "analyst")
    try:
        token = csrf_token(analyst.get("/upload").text)
        sent = 0

        def body():
            nonlocal sent
            yield (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
                   f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"Header.csv\"\r\n"
                   "Content-Type: text/csv\r\n\r\nCHILD,SEX\r\n").encode()
            for _ in range(64):  # 4 MB in 64 KB chunks
                sent += 65536
                yield b"1,1\r\n" * 13107

        try:
            r = analyst.post("/upload", content=body(),
                             headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})
            status = r.status_code
        except httpx.TransportError:  # the server may close before the client has sent everything
            status = 413
        assert status == 413
    finally:
        analyst.close()


def test_small_forms_are_capped_too(base_url):
    with httpx.Client(base_url=base_url) as client:
        token = csrf_token(client.get("/login").text)
        r = client.post("/login", data={"username": "x" * (200 * 1024), "password": "y", "csrf_token": token})
        assert r.status_code == 413


def test_the_upload_is_written_to_disk_in_chunks(app, monkeypatch):
    """uploads.save copies from a file object chunk by chunk, and stops at the cap."""
    import io

    from careboard.web import uploads
    from careboard.web.uploads import CHUNK, UploadError

    monkeypatch.setattr(uploads, "MAX_BYTES", 3 * CHUNK)

    class Source(io.RawIOBase):
        def __init__(self, size: int) -> None:
            self.left, self.largest = size, 0

        def readable(self) -> bool:
            return True

        def read(self, n: int = -1) -> bytes:
            self.largest = max(self.largest, n)
            take = min(self.left, n if n > 0 else self.left)
            self.left -= take
            return b"a" * take

    source = Source(3 * CHUNK + 1)
    before = set(app.state.web.uploads.root.iterdir())
    with pytest.raises(UploadError, match="larger than 3 MB"):
        app.state.web.uploads.save("analyst", [("Header.csv", source)])
    assert source.largest == CHUNK
    assert set(app.state.web.uploads.root.iterdir()) == before  # nothing left behind


def test_the_uploads_folder_is_made_at_the_first_upload_private_and_removed_at_shutdown(tmp_path, monkeypatch):
    """An app that never takes an upload (or is stopped without its shutdown running) leaves no folder in the
    temporary directory; one that does keeps its uploads in a folder only its user can open, gone at shutdown."""
    import stat
    import tempfile

    from careboard.web.uploads import Uploads

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    idle = Uploads()  # never closed, as when the server is killed
    assert idle.hide_paths("Header.csv: bad") == "Header.csv: bad"
    assert list(tmp_path.iterdir()) == []
    uploads = Uploads()
    upload = uploads.save("analyst", [("Header.csv", b"CHILD,SEX\n1,1\n")])
    (folder,) = tmp_path.iterdir()
    assert upload.folder.parent == folder == uploads.root
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert uploads.hide_paths(f"{upload.files[0]}: bad") == "Header.csv: bad"
    uploads.close()
    assert list(tmp_path.iterdir()) == []
    again = uploads.save("analyst", [("Header.csv", b"CHILD,SEX\n1,1\n")])  # after a shutdown: a new folder
    assert again.folder.is_dir() and again.folder.parent != folder
    uploads.close()
    assert list(tmp_path.iterdir()) == []


def test_a_zip_archive_is_refused_with_what_to_upload_instead(tmp_path, monkeypatch):
    """Returns often arrive zipped: the upload says to extract them (it said only which kinds it takes), and
    keeps nothing."""
    import tempfile

    from careboard.web.uploads import UploadError, Uploads

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    uploads = Uploads()
    for files in ([("return_2025-26.zip", b"PK\x03\x04")], [("Header.csv", b"CHILD\n1\n"), ("more.ZIP", b"PK")]):
        with pytest.raises(UploadError, match="careboard does not open zip archives: extract the files and upload"):
            uploads.save("analyst", files)
    with pytest.raises(UploadError, match="Upload CSV files"):
        uploads.save("analyst", [("Header.xlsx", b"PK\x03\x04")])
    assert list(tmp_path.iterdir()) == []
    uploads.close()
