-- The web app's users and its audit log.
-- Users: argon2id password hashes only, never passwords; one role each (admin > analyst > member).
-- The audit log is append-only: logins (and failed logins, which also drive login throttling),
-- logouts, uploads, loads and every view of child-level data, with who, when and from where.

CREATE TABLE IF NOT EXISTS users (
    username VARCHAR PRIMARY KEY,
    password_hash VARCHAR NOT NULL,
    role VARCHAR NOT NULL CHECK (role IN ('admin', 'analyst', 'member')),
    created_at TIMESTAMP NOT NULL
);

CREATE SEQUENCE IF NOT EXISTS audit_seq START 1;

CREATE TABLE IF NOT EXISTS audit_log (
    event_id BIGINT NOT NULL DEFAULT nextval('audit_seq'),
    happened_at TIMESTAMP NOT NULL,
    username VARCHAR,               -- who (as typed, for failed logins)
    ip VARCHAR,
    action VARCHAR NOT NULL,        -- login, login_failed, login_throttled, logout, upload, load, child_view, download
    detail VARCHAR
);
