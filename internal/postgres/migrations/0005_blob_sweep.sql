-- The blob sweeper walks the keys rows refer to in byte-wise order,
-- beside the blob store's listing: "C" collation indexes let it page
-- through the three columns without sorting them each time.
CREATE INDEX voice_samples_blob_key_c ON voice_samples (blob_key COLLATE "C");
CREATE INDEX voice_models_profile_key_c ON voice_models (profile_key COLLATE "C") WHERE profile_key <> '';
CREATE INDEX voice_synthesis_history_audio_key_c ON voice_synthesis_history (audio_key COLLATE "C");

-- The outcome of the latest sweep, one row, which health reports.
CREATE TABLE blob_sweeps (
	id           integer PRIMARY KEY CHECK (id = 1),
	at           timestamptz NOT NULL,
	blobs        integer NOT NULL,
	deleted      integer NOT NULL,
	missing      integer NOT NULL,
	missing_keys text[] NOT NULL
);
