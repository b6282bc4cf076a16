"""The web app's own state in SQLite, beside the DuckDB database: users, sessions and the audit log.

Why not DuckDB: DuckDB lets one process write a file, or several read it, never both at once.  The
analysts' database is written by `careboard load` while the web app runs; users, sessions and the
audit log are written by the web app on every sign-in and child-level view, and by `careboard users`
at any time.  SQLite in WAL mode lets all of these write the same small file concurrently (each
write waits its turn for a few milliseconds, readers never wait), which DuckDB cannot.  The Panel's
own business (questions, actions, score-sheets, challenge cards, action plans: careboard/panel,
``webdb_schema/002_panel.sql``) is the same kind of many-writer data and lives here too; figures and
business meet only where they are shown, which reads both.

The file is ``<database stem>.web.sqlite`` beside the database, created readable by its owner only
(SQLite gives its WAL and shared-memory files the same permissions).  Its schema lives in
``webdb_schema/NNN_*.sql``, applied in order and recorded in ``PRAGMA user_version``.  An older
careboard kept users and the audit log in DuckDB: :func:`import_from_duckdb` copies them here, once,
before DuckDB migration 008 drops them.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path

import duckdb

from careboard.store.state import database_path

BUSY_MS = 5000  # how long a write waits for another writer (sessions, audit, `careboard users`)
TOUCH_EVERY = 60.0  # seconds between updates of a session's last_seen (a write per request would be waste)
_MIGRATION = re.compile(r"^(\d{3})_(\w+)\.sql$")

# Named SQL, one statement each.
USER_SQL = "SELECT username, role FROM users WHERE username = ?"
USER_HASH_SQL = "SELECT username, role, password_hash FROM users WHERE username = ?"
SESSION_SQL = """
SELECT u.username, u.role, s.last_seen FROM sessions s JOIN users u ON u.username = s.username
WHERE s.token_hash = ? AND s.last_seen > ? AND s.created_at > ?
"""
AUDIT_WHERE = """
WHERE (:user IS NULL OR username = :user) AND (:action IS NULL OR action = :action)
  AND (:since IS NULL OR happened_at >= :since) AND (:until IS NULL OR happened_at < :until)
"""


def path_for(db: Path | str) -> Path:
    """The SQLite file that goes with the DuckDB database ``db`` (careboard.duckdb -> careboard.web.sqlite)."""
    return Path(db).with_suffix(".web.sqlite")


def _now_text() -> str:
    return datetime.now().strftime("%Y-%m-%d %H:%M:%S")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _migrations() -> list[tuple[int, str]]:
    folder = resources.files("careboard.store") / "webdb_schema"
    found = []
    for entry in folder.iterdir():
        m = _MIGRATION.match(entry.name)
        if m:
            found.append((int(m.group(1)), entry.read_text("utf-8")))
    return sorted(found)


def _open(path: Path, read_only: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode (writes use explicit BEGIN IMMEDIATE), WAL, foreign keys on."""
    if read_only:  # never creates or changes the file (`careboard pack`, `export-business`)
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_MS / 1000,
                              isolation_level=None, check_same_thread=False)
        con.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        return con
    if not path.exists():
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    con = sqlite3.connect(path, timeout=BUSY_MS / 1000, isolation_level=None, check_same_thread=False)
    con.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
    if con.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = NORMAL")
    con.execute("PRAGMA foreign_keys = ON")
    return con


@dataclass(frozen=True)
class AuditPage:
    events: list[dict]
    total: int


class WebDB:
    """The SQLite file for one careboard database; one connection per thread (sqlite3's rule)."""

    def __init__(self, path: Path | str, read_only: bool = False) -> None:
        """``read_only``: read an existing file as it is (no migrations; writing raises)."""
        self.path = Path(path)
        self.read_only = read_only
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        if read_only:
            if not self.path.exists():
                raise FileNotFoundError(f"no web state file {self.path.name}")
            return
        with self.write() as con:
            version = con.execute("PRAGMA user_version").fetchone()[0]
            for number, sql in _migrations():
                if number > version:
                    for statement in _statements(sql):
                        con.execute(statement)
                    con.execute(f"PRAGMA user_version = {number}")

    @classmethod
    def beside(cls, db: Path | str) -> WebDB:
        return cls(path_for(db))

    # -- connections -------------------------------------------------------------------------
    def con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = _open(self.path, self.read_only)
            self._local.con = con
            with self._lock:
                self._all.append(con)
        return con

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taking SQLite's write lock at once (waits up to :data:`BUSY_MS`)."""
        if self.read_only:
            raise PermissionError(f"{self.path.name} was opened read-only")
        con = self.con()
        con.execute("BEGIN IMMEDIATE")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            for con in self._all:
                with contextlib.suppress(sqlite3.ProgrammingError):  # another thread's, already closed
                    con.close()
            self._all.clear()
        self._local = threading.local()

    # -- meta --------------------------------------------------------------------------------
    def secret(self, name: str) -> bytes:
        """A random key kept in this file (created once), e.g. for keyed hashes in the audit log."""
        row = self.con().execute("SELECT value FROM meta WHERE key = ?", [name]).fetchone()
        if row is None:
            with self.write() as con:
                con.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", [name, secrets.token_hex(32)])
            row = self.con().execute("SELECT value FROM meta WHERE key = ?", [name]).fetchone()
        return bytes.fromhex(row[0])

    # -- users -------------------------------------------------------------------------------
    def user(self, username: str) -> tuple[str, str] | None:
        """(username, role) or None."""
        return self.con().execute(USER_SQL, [username]).fetchone()

    def user_with_hash(self, username: str) -> tuple[str, str, str] | None:
        return self.con().execute(USER_HASH_SQL, [username]).fetchone()

    def insert_user(self, username: str, password_hash: str, role: str) -> bool:
        """False if the username is taken."""
        with self.write() as con:
            cur = con.execute("INSERT OR IGNORE INTO users (username, password_hash, role, created_at) "
                              "VALUES (?, ?, ?, ?)", [username, password_hash, role, _now_text()])
            return cur.rowcount == 1

    def delete_user(self, username: str) -> bool:
        """Remove the user and every session of theirs; False if there was no such user."""
        with self.write() as con:
            con.execute("DELETE FROM sessions WHERE username = ?", [username])
            return con.execute("DELETE FROM users WHERE username = ?", [username]).rowcount == 1

    def set_password_hash(self, username: str, password_hash: str, keep_token: str | None = None) -> bool:
        """New password; every session of the user ends (but ``keep_token``'s, if given)."""
        with self.write() as con:
            done = con.execute("UPDATE users SET password_hash = ?, password_changed_at = ? WHERE username = ?",
                               [password_hash, _now_text(), username]).rowcount == 1
            keep = token_hash(keep_token) if keep_token else ""
            con.execute("DELETE FROM sessions WHERE username = ? AND token_hash <> ?", [username, keep])
            return done

    def set_role(self, username: str, role: str) -> bool:
        with self.write() as con:
            return con.execute("UPDATE users SET role = ? WHERE username = ?", [role, username]).rowcount == 1

    def users(self) -> list[dict]:
        rows = self.con().execute("SELECT u.username, u.role, u.created_at, "
                                  "(SELECT count(*) FROM sessions s WHERE s.username = u.username) "
                                  "FROM users u ORDER BY u.username").fetchall()
        return [{"username": u, "role": r, "created_at": datetime.fromisoformat(t), "sessions": n}
                for u, r, t, n in rows]

    # -- sessions ----------------------------------------------------------------------------
    def create_session(self, username: str, ip: str | None, idle: float, lifetime: float) -> str:
        """A new session for ``username``; returns the token for the cookie (only its hash is kept)."""
        token = secrets.token_urlsafe(32)
        now = time.time()
        with self.write() as con:
            con.execute("DELETE FROM sessions WHERE last_seen <= ? OR created_at <= ?", [now - idle, now - lifetime])
            con.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?)", [token_hash(token), username, now, now, ip])
        return token

    def session_user(self, token: str, idle: float, lifetime: float) -> tuple[str, str] | None:
        """(username, role) of a live session: not ended, not idle for ``idle`` s, younger than ``lifetime`` s."""
        now = time.time()
        key = token_hash(token)
        row = self.con().execute(SESSION_SQL, [key, now - idle, now - lifetime]).fetchone()
        if row is None:
            return None
        if now - row[2] > TOUCH_EVERY:
            try:  # best effort: a busy file must not hold up a page
                con = self.con()
                con.execute("PRAGMA busy_timeout = 200")
                try:
                    con.execute("UPDATE sessions SET last_seen = ? WHERE token_hash = ?", [now, key])
                finally:
                    con.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
            except sqlite3.OperationalError:
                pass
        return row[0], row[1]

    def end_session(self, token: str) -> None:
        with self.write() as con:
            con.execute("DELETE FROM sessions WHERE token_hash = ?", [token_hash(token)])

    def end_sessions(self, username: str) -> int:
        with self.write() as con:
            return con.execute("DELETE FROM sessions WHERE username = ?", [username]).rowcount

    # -- audit log ---------------------------------------------------------------------------
    def record(self, action: str, username: str | None, ip: str | None, detail: str = "") -> None:
        with self.write() as con:
            audit_row(con, action, username, ip, detail)

    def audit(self, user: str | None = None, action: str | None = None, since: date | None = None,
              until: date | None = None, limit: int = 100, offset: int = 0) -> AuditPage:
        """Events newest first, filtered by user, action and dates (``until`` inclusive), one page of them."""
        params = {"user": user or None, "action": action or None,
                  "since": since.isoformat() if since else None,
                  "until": (until + timedelta(days=1)).isoformat() if until else None}
        con = self.con()
        total = con.execute(f"SELECT count(*) FROM audit_log {AUDIT_WHERE}", params).fetchone()[0]
        c = con.execute(f"SELECT event_id, happened_at, username, ip, action, detail FROM audit_log {AUDIT_WHERE} "
                        "ORDER BY event_id DESC LIMIT :limit OFFSET :offset",
                        params | {"limit": limit, "offset": offset})
        names = [d[0] for d in c.description]
        events = [dict(zip(names, r, strict=True)) for r in c.fetchall()]
        for e in events:
            e["happened_at"] = datetime.fromisoformat(e["happened_at"])
        return AuditPage(events, total)

    def audit_actions(self) -> list[str]:
        return [a for (a,) in self.con().execute("SELECT DISTINCT action FROM audit_log ORDER BY action").fetchall()]


def audit_row(con: sqlite3.Connection, action: str, username: str | None, ip: str | None, detail: str = "") -> None:
    """Append one audit event inside the caller's write transaction (so a change and its record go together)."""
    con.execute("INSERT INTO audit_log (happened_at, username, ip, action, detail) VALUES (?, ?, ?, ?, ?)",
                [_now_text(), (username or "")[:200], ip, action, detail[:2000]])


def _statements(sql: str) -> list[str]:
    """The statements of a schema file (no semicolons inside our statements; comments dropped)."""
    lines = [line.split("--", 1)[0] for line in sql.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def import_from_duckdb(con: duckdb.DuckDBPyConnection) -> int:
    """Copy users and audit events from an older careboard's DuckDB tables into the SQLite file, once.

    Called by DuckDB migration 008 before it drops those tables.  Returns the number of users copied.
    """
    path = database_path(con)
    present = {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT temporary "
        "AND table_name IN ('users', 'audit_log')").fetchall()}
    if path is None or not present:
        return 0
    users = con.execute("SELECT username, password_hash, role, created_at FROM users").fetchall() \
        if "users" in present else []
    events = con.execute("SELECT happened_at, username, ip, action, detail FROM audit_log ORDER BY event_id"
                         ).fetchall() if "audit_log" in present else []
    if not users and not events:
        return 0
    web = WebDB.beside(path)
    try:
        with web.write() as w:
            if w.execute("SELECT 1 FROM meta WHERE key = 'imported_from_duckdb'").fetchone():
                return 0
            for name, hashed, role, created in users:
                w.execute("INSERT OR IGNORE INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)",
                          [name, hashed, role, created.strftime("%Y-%m-%d %H:%M:%S")])
            w.executemany("INSERT INTO audit_log (happened_at, username, ip, action, detail) VALUES (?, ?, ?, ?, ?)",
                          [(t.strftime("%Y-%m-%d %H:%M:%S"), u, ip, a, d) for t, u, ip, a, d in events])
            w.execute("INSERT INTO meta VALUES ('imported_from_duckdb', ?)", [_now_text()])
    finally:
        web.close()
    return len(users)


def schema_version(web: WebDB) -> int:
    """The file's schema version (the number of the last ``webdb_schema`` file applied)."""
    return int(web.con().execute("PRAGMA user_version").fetchone()[0])
