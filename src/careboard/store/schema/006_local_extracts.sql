-- Local extracts (returns/spec/local_extracts.yaml): missing episodes in detail, with return-home
-- interviews.  Same provenance columns as the return tables.

CREATE TABLE IF NOT EXISTS extract_missingdetail (
    load_id INTEGER NOT NULL,
    la VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    source_file SMALLINT NOT NULL,
    source_row INTEGER NOT NULL,
    CHILD VARCHAR,
    MISSING VARCHAR,
    MIS_START DATE,
    MIS_END DATE,
    PLACE VARCHAR,
    RHI_OFFERED VARCHAR,
    RHI_ACCEPTED VARCHAR,
    WHERE_FOUND VARCHAR
);
