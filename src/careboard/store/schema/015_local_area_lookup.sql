-- The authority's own localities (areas.csv, docs/extracts.md): postcode sectors, postcode districts or
-- districts, each in a named locality.  The model's local areas follow it (model/local_areas.py); one
-- set of rows per authority, replaced whole by `careboard areas`.

CREATE TABLE IF NOT EXISTS local_area_lookup (
    la VARCHAR NOT NULL,
    key VARCHAR NOT NULL,              -- upper case: 'TN13 1', 'TN13', 'E07000111' or a district name
    area VARCHAR NOT NULL,             -- the locality as the council names it: 'West Kent'
    source_file VARCHAR NOT NULL,      -- the file's name (never its folder)
    source_line INTEGER NOT NULL,
    loaded_at TIMESTAMP NOT NULL
);
