-- Where each loaded row came from and every repair the reader made on the way in, kept so that a
-- validation of a loaded return can point at the physical line as well as the data row, and report
-- every normalisation (ISO dates, lower-case codes, Excel artefacts ...) that the return sent to the
-- DfE still holds.  Validation findings gain the line and, for careboard's own format findings, the
-- field, the value found and what was done.

CREATE TABLE IF NOT EXISTS load_row_lines (
    load_id INTEGER NOT NULL,
    table_name VARCHAR NOT NULL,
    source_file SMALLINT NOT NULL,
    source_row INTEGER NOT NULL,
    line INTEGER                        -- physical line in the file (record's line in XML); NULL if unknown
);

CREATE TABLE IF NOT EXISTS load_normalisations (
    load_id INTEGER NOT NULL,
    kind VARCHAR NOT NULL,              -- returns.conform.NORMALISATION_KINDS: SPACE, CASE, DATE ...
    table_name VARCHAR NOT NULL,
    field VARCHAR NOT NULL,
    source_file SMALLINT NOT NULL,
    source_row INTEGER NOT NULL,
    value VARCHAR,                      -- as found; NULL for a pseudonymised identifier
    message VARCHAR NOT NULL
);

ALTER TABLE validation_findings ADD COLUMN IF NOT EXISTS line INTEGER;
ALTER TABLE validation_findings ADD COLUMN IF NOT EXISTS field VARCHAR;
ALTER TABLE validation_findings ADD COLUMN IF NOT EXISTS value VARCHAR;
ALTER TABLE validation_findings ADD COLUMN IF NOT EXISTS note VARCHAR;
