-- The web app's users and audit log move to the SQLite file beside the database (store/webdb.py),
-- so that `careboard users` and the web app can write while analysts load returns: DuckDB allows
-- one writing process per file.  store/db.py copies both tables into SQLite before this runs.

DROP TABLE IF EXISTS users;
DROP TABLE IF EXISTS audit_log;
DROP SEQUENCE IF EXISTS audit_seq;
