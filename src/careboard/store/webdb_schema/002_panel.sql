-- The Corporate Parenting Panel's own business, beside users, sessions and the audit log (see
-- careboard/panel/__init__.py and docs/architecture.md, "Working alongside the web app", for why here).
-- Dates are YYYY-MM-DD text, times local YYYY-MM-DD HH:MM:SS text, as in 001.  People are named by
-- username without a foreign key: a councillor who leaves is removed from users, but what they asked
-- and scored stays on the record.  Only text that passed careboard.panel.screen is ever stored.
-- Open, answered and overdue are not stored: they follow from the dates (careboard.panel.store).

-- Roles are declared once, in careboard/roles.py: the users table loses 001's CHECK on the role,
-- so a new role needs no rebuild.  SQLite cannot drop a CHECK, so users (and sessions, which refer
-- to it) are rebuilt; renaming users_new updates the reference in sessions_new.
CREATE TABLE users_new (
    username TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at TEXT NOT NULL,
    password_changed_at TEXT
);
INSERT INTO users_new SELECT username, password_hash, role, created_at, password_changed_at FROM users;
CREATE TABLE sessions_new (
    token_hash TEXT PRIMARY KEY,
    username TEXT NOT NULL REFERENCES users_new (username) ON DELETE CASCADE,
    created_at REAL NOT NULL,
    last_seen REAL NOT NULL,
    ip TEXT
);
INSERT INTO sessions_new SELECT token_hash, username, created_at, last_seen, ip FROM sessions;
DROP TABLE sessions;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
ALTER TABLE sessions_new RENAME TO sessions;
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (username);

-- Bumped by every write to the business below, so a cached pack knows when it is stale.
INSERT OR IGNORE INTO meta VALUES ('panel_revision', '0');

CREATE TABLE IF NOT EXISTS meetings (
    meeting_id INTEGER PRIMARY KEY,
    held_on TEXT NOT NULL,
    title TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS meetings_by_date ON meetings (held_on);

-- An agenda item may link to a measure's page, the information pack (web page or PDF) for a year,
-- or a part of the Panel's business.
CREATE TABLE IF NOT EXISTS agenda_items (
    item_id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings (meeting_id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    link TEXT CHECK (link IN ('measure', 'briefing', 'pack', 'questions', 'actions', 'scores', 'cards', 'plans')),
    measure_id TEXT,
    year INTEGER,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS agenda_by_meeting ON agenda_items (meeting_id, position);

-- A member's question, perhaps asked from a measure's page: the measure, year, area and the
-- (disclosure-controlled) figure the page showed are kept with it.
CREATE TABLE IF NOT EXISTS questions (
    question_id INTEGER PRIMARY KEY,
    asked_by TEXT NOT NULL,
    asked_on TEXT NOT NULL,
    asked_at TEXT NOT NULL,
    question TEXT NOT NULL,
    measure_id TEXT,
    year INTEGER,
    area TEXT,
    figure_shown TEXT,
    officer TEXT,
    due_on TEXT NOT NULL,
    answer TEXT,
    answered_by TEXT,
    answered_on TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS questions_by_date ON questions (asked_on);

-- An inspection's action plan: its recommendations; their actions are rows of `actions`.
CREATE TABLE IF NOT EXISTS plans (
    plan_id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    inspected_on TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS recommendations (
    recommendation_id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (plan_id),
    position INTEGER NOT NULL,
    recommendation TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS recommendations_by_plan ON recommendations (plan_id, position);

-- What the Panel resolved at a meeting, or an action towards an inspection recommendation; a
-- measure may be named as the evidence of progress.
CREATE TABLE IF NOT EXISTS actions (
    action_id INTEGER PRIMARY KEY,
    meeting_id INTEGER REFERENCES meetings (meeting_id),
    recommendation_id INTEGER REFERENCES recommendations (recommendation_id),
    action TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'complete')),
    rag TEXT CHECK (rag IN ('red', 'amber', 'green')),
    evidence_measure TEXT,
    completed_on TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS actions_by_due ON actions (status, due_on);
CREATE INDEX IF NOT EXISTS actions_by_recommendation ON actions (recommendation_id);

CREATE TABLE IF NOT EXISTS action_updates (
    update_id INTEGER PRIMARY KEY,
    action_id INTEGER NOT NULL REFERENCES actions (action_id),
    written_by TEXT NOT NULL,
    written_at TEXT NOT NULL,
    note TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'complete')),
    rag TEXT CHECK (rag IN ('red', 'amber', 'green'))
);
CREATE INDEX IF NOT EXISTS updates_by_action ON action_updates (action_id, update_id);

-- The councillor score-sheet: each member's own score for each theme at a meeting (1 Inadequate,
-- 2 Requires improvement, 3 Good, 4 Outstanding), with an optional comment.
CREATE TABLE IF NOT EXISTS scores (
    meeting_id INTEGER NOT NULL REFERENCES meetings (meeting_id),
    username TEXT NOT NULL,
    theme TEXT NOT NULL,
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 4),
    comment TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (meeting_id, username, theme)
);

-- A challenge card from the Children in Care Council: screened text only, routed to an officer
-- who responds by a due date; "you said, we did" is the issue and what was done.
CREATE TABLE IF NOT EXISTS challenge_cards (
    card_id INTEGER PRIMARY KEY,
    raised_on TEXT NOT NULL,
    theme TEXT NOT NULL,
    issue TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    officer TEXT NOT NULL,
    due_on TEXT NOT NULL,
    response TEXT,
    we_did TEXT,
    responded_by TEXT,
    responded_on TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS cards_by_date ON challenge_cards (raised_on);
