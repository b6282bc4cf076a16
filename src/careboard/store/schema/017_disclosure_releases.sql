-- Each authority and year's disclosure-controlled release (publish/release.py), stored by the refresh after
-- a load (publish/stored_release.py) so that readers do not redo disclosure control (seconds a year) in
-- every process.  A row is current while its fingerprint matches what it would be built from now: the
-- measures, the validation runs and this careboard's release (RELEASE_VERSION and the disclosure code).

CREATE TABLE IF NOT EXISTS disclosure_releases (
    la VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    version VARCHAR NOT NULL,      -- stored_release.RELEASE_VERSION
    fingerprint VARCHAR NOT NULL,  -- stored_release.fingerprint(): stale when it differs
    release VARCHAR NOT NULL,      -- JSON: the controlled rows, validation counts and the decision
    built_at TIMESTAMP NOT NULL,
    PRIMARY KEY (la, year, version)
);
