-- A return's own header, field by field as found (a CIN census's <Header> leaves: Collection,
-- Year, ReferenceDate, SourceLevel, LEA, SoftwareCode, Release, SerialNo, DateTime), kept with its
-- load: DfE CIN rule 100 checks the <ReferenceDate>.  Returns without a header have no rows.

CREATE TABLE IF NOT EXISTS load_header (
    load_id INTEGER NOT NULL,
    field VARCHAR NOT NULL,
    value VARCHAR
);

-- Local extract cin_addresses.csv (returns/spec/local_extracts.yaml, CinAddress): each child in the
-- CIN census with a home postcode, for the children-in-need measures' local-area breakdown.
CREATE TABLE IF NOT EXISTS extract_cinaddress (
    load_id INTEGER NOT NULL,
    la VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    source_file SMALLINT NOT NULL,
    source_row INTEGER NOT NULL,
    CHILD VARCHAR,
    POSTCODE VARCHAR
);

-- The SSDA903 return a CIN census's validation run was cross-checked with (NULL for an SSDA903 run,
-- or a census checked with no SSDA903 loaded): a later SSDA903 load makes the stored findings stale.
ALTER TABLE validation_runs ADD COLUMN IF NOT EXISTS ssda903_load_id INTEGER;
