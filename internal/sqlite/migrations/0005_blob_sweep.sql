-- The blob sweeper walks the keys rows refer to in byte-wise order (SQLite's
-- BINARY collation), beside the blob store's listing. Sample and audio keys
-- are UNIQUE, so already indexed; profile keys get an index.
CREATE INDEX voice_models_profile_key ON voice_models (profile_key) WHERE profile_key <> '';

-- The outcome of the latest sweep, one row, which health reports.
CREATE TABLE blob_sweeps (
	id           INTEGER PRIMARY KEY CHECK (id = 1),
	at           INTEGER NOT NULL,
	blobs        INTEGER NOT NULL,
	deleted      INTEGER NOT NULL,
	missing      INTEGER NOT NULL,
	missing_keys TEXT NOT NULL -- JSON array
);
