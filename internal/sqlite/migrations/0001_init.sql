-- Times are INTEGER microseconds since the Unix epoch, UTC.

CREATE TABLE users (
	id            TEXT PRIMARY KEY,
	email         TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	created_at    INTEGER NOT NULL
);
-- lower() in SQLite folds ASCII only; the service also lowercases emails.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE api_keys (
	id           TEXT PRIMARY KEY,
	user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name         TEXT NOT NULL,
	prefix       TEXT NOT NULL,
	hash         BLOB NOT NULL,
	created_at   INTEGER NOT NULL,
	last_used_at INTEGER
);
CREATE INDEX api_keys_prefix ON api_keys (prefix);
CREATE INDEX api_keys_user ON api_keys (user_id, created_at);

CREATE TABLE voice_samples (
	id               TEXT PRIMARY KEY,
	user_id          TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name             TEXT NOT NULL,
	transcript       TEXT NOT NULL DEFAULT '',
	format           TEXT NOT NULL,
	sample_rate      INTEGER NOT NULL,
	channels         INTEGER NOT NULL,
	duration_seconds REAL NOT NULL,
	size_bytes       INTEGER NOT NULL,
	speech_seconds   REAL NOT NULL,
	snr_db           REAL NOT NULL,
	clipping_ratio   REAL NOT NULL,
	loudness_lufs    REAL NOT NULL,
	true_peak_dbtp   REAL NOT NULL,
	score            INTEGER NOT NULL,
	warnings         TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
	blob_key         TEXT NOT NULL UNIQUE,
	created_at       INTEGER NOT NULL
);
CREATE INDEX voice_samples_user ON voice_samples (user_id, created_at);

CREATE TABLE voice_models (
	id            TEXT PRIMARY KEY,
	user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name          TEXT NOT NULL,
	description   TEXT NOT NULL DEFAULT '',
	status        TEXT NOT NULL CHECK (status IN ('ready', 'failed')),
	failure       TEXT NOT NULL DEFAULT '',
	engine        TEXT NOT NULL,
	profile_key   TEXT NOT NULL DEFAULT '',
	profile_bytes INTEGER NOT NULL DEFAULT 0,
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL
);
CREATE INDEX voice_models_user ON voice_models (user_id, created_at);

-- Deleting a sample drops its links; the model keeps its built profile.
CREATE TABLE voice_model_samples (
	model_id  TEXT NOT NULL REFERENCES voice_models (id) ON DELETE CASCADE,
	sample_id TEXT NOT NULL REFERENCES voice_samples (id) ON DELETE CASCADE,
	position  INTEGER NOT NULL,
	PRIMARY KEY (model_id, sample_id)
);
CREATE INDEX voice_model_samples_sample ON voice_model_samples (sample_id);

CREATE TABLE voice_synthesis_history (
	id               TEXT PRIMARY KEY,
	user_id          TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	model_id         TEXT NOT NULL REFERENCES voice_models (id) ON DELETE CASCADE,
	text             TEXT NOT NULL,
	format           TEXT NOT NULL,
	speed            REAL NOT NULL,
	pitch            REAL NOT NULL,
	sample_rate      INTEGER NOT NULL,
	duration_seconds REAL NOT NULL,
	size_bytes       INTEGER NOT NULL,
	audio_key        TEXT NOT NULL UNIQUE,
	created_at       INTEGER NOT NULL
);
CREATE INDEX voice_synthesis_history_page ON voice_synthesis_history (user_id, created_at DESC, id DESC);
CREATE INDEX voice_synthesis_history_model ON voice_synthesis_history (model_id);

-- One row per counted request; rows older than the window are deleted as
-- the subject makes requests. Write transactions are serialized (BEGIN
-- IMMEDIATE), which makes count-then-insert atomic.
CREATE TABLE rate_events (
	id      INTEGER PRIMARY KEY AUTOINCREMENT,
	subject TEXT NOT NULL,
	action  TEXT NOT NULL,
	at      INTEGER NOT NULL
);
CREATE INDEX rate_events_key ON rate_events (subject, action, at);
