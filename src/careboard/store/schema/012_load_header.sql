-- A return's own header, field by field as found (a CIN census's <Header> leaves: Collection,
-- Year, ReferenceDate, SourceLevel, LEA, SoftwareCode, Release, SerialNo, DateTime), kept with its
-- load: DfE CIN rule 100 checks the <ReferenceDate>.  Returns without a header have no rows.

CREATE TABLE IF NOT EXISTS load_header (
    load_id INTEGER NOT NULL,
    field VARCHAR NOT NULL,
    value VARCHAR
);
