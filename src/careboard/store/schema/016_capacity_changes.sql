-- capacity_changes.csv (docs/extracts.md): known openings, closures and carers leaving over the
-- sufficiency plan's horizon, loaded with the capacity extracts it describes changes to.

CREATE TABLE IF NOT EXISTS extract_capacitychanges (
    load_id INTEGER NOT NULL,
    la VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    source_file SMALLINT NOT NULL,
    source_row INTEGER NOT NULL,
    CHANGE VARCHAR,
    DATE DATE,
    ID VARCHAR,
    TYPE VARCHAR,
    POSTCODE VARCHAR,
    IN_LA VARCHAR,
    PLACES INTEGER,
    AGE_FROM INTEGER,
    AGE_TO INTEGER,
    SIBLINGS VARCHAR,
    DISABILITY VARCHAR,
    PARENT_AND_CHILD VARCHAR,
    TEENAGERS VARCHAR,
    UASC VARCHAR,
    PLACE_PROVIDER VARCHAR
);
