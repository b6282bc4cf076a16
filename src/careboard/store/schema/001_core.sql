-- Provenance: every load of a return, the files it came from, its tables and its warnings.
-- A return is identified by (kind, la, year); at most one load of it is 'current'.  A load that a
-- corrected return replaced keeps its provenance row with status 'replaced' and replaced_by set.

CREATE SEQUENCE IF NOT EXISTS load_id_seq START 1;

CREATE TABLE IF NOT EXISTS loads (
    load_id INTEGER NOT NULL,
    kind VARCHAR NOT NULL,              -- 'ssda903' or 'cin'
    la VARCHAR NOT NULL,                -- 3-digit DfE authority code
    year SMALLINT NOT NULL,             -- collection year, named by the 31 March it ends on
    fingerprint VARCHAR NOT NULL,       -- SHA-256 over the files' hashes (and pseudonymisation)
    pseudonymised BOOLEAN NOT NULL,
    status VARCHAR NOT NULL,            -- 'current' or 'replaced'
    replaced_by INTEGER,
    replaced_at TIMESTAMP,
    loaded_at TIMESTAMP NOT NULL,
    loaded_by VARCHAR,
    careboard_version VARCHAR NOT NULL,
    row_count BIGINT NOT NULL,
    warning_count INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS load_files (
    load_id INTEGER NOT NULL,
    file_index SMALLINT NOT NULL,       -- the source_file of every data row from this file
    name VARCHAR NOT NULL,
    path VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    size_bytes BIGINT NOT NULL,
    format VARCHAR NOT NULL             -- 'csv' or 'xml'
);

CREATE TABLE IF NOT EXISTS load_tables (
    load_id INTEGER NOT NULL,
    table_name VARCHAR NOT NULL,
    row_count BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS load_warnings (
    load_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    file VARCHAR NOT NULL,
    source_row INTEGER,
    line INTEGER,
    table_name VARCHAR,
    field VARCHAR,
    value VARCHAR,
    count INTEGER NOT NULL,
    message VARCHAR NOT NULL
);
