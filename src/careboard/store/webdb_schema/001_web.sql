-- The web app's own state, in SQLite beside the DuckDB database (see store/webdb.py for why).
-- Users: argon2id hashes only, never passwords; one role each (admin > analyst > member).
-- Sessions: server-side, so they can be ended (sign-out, password change, removal); the database
-- holds only a SHA-256 of each session's token, never a token a thief could replay.
-- The audit log is append-only: who signed in (or failed to), uploaded, loaded, downloaded, viewed
-- child-level data or was refused it, when and from where.

CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS users (
    username TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'member')),
    created_at TEXT NOT NULL,               -- local time, YYYY-MM-DD HH:MM:SS
    password_changed_at TEXT
);

CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,            -- hex SHA-256 of the session token in the cookie
    username TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    created_at REAL NOT NULL,               -- Unix time
    last_seen REAL NOT NULL,
    ip TEXT
);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (username);

CREATE TABLE IF NOT EXISTS audit_log (
    event_id INTEGER PRIMARY KEY AUTOINCREMENT,
    happened_at TEXT NOT NULL,              -- local time, YYYY-MM-DD HH:MM:SS
    username TEXT,                          -- a failed sign-in's unknown name is stored only as a keyed hash
    ip TEXT,
    action TEXT NOT NULL,
    detail TEXT
);
CREATE INDEX IF NOT EXISTS audit_by_time ON audit_log (happened_at);
CREATE INDEX IF NOT EXISTS audit_by_user ON audit_log (username, event_id);
CREATE INDEX IF NOT EXISTS audit_by_action ON audit_log (action, event_id);
