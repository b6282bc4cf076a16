-- Validation runs over loaded returns, their findings and the rules they skipped (with why), kept so
-- the web app and the member pack can show data quality and its trend.

CREATE SEQUENCE IF NOT EXISTS validation_run_seq START 1;

CREATE TABLE IF NOT EXISTS validation_runs (
    run_id INTEGER NOT NULL,
    load_id INTEGER NOT NULL,
    last_load_id INTEGER,
    la VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    run_at TIMESTAMP NOT NULL,
    rules_run INTEGER NOT NULL,
    rules_skipped INTEGER NOT NULL,
    finding_count INTEGER NOT NULL,
    children_affected INTEGER NOT NULL,
    seconds DOUBLE NOT NULL,
    careboard_version VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS validation_findings (
    run_id INTEGER NOT NULL,
    rule VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL,
    source_file SMALLINT NOT NULL,
    source_row INTEGER NOT NULL,
    child VARCHAR
);

CREATE TABLE IF NOT EXISTS validation_skipped (
    run_id INTEGER NOT NULL,
    rule VARCHAR NOT NULL,
    reason VARCHAR NOT NULL
);
