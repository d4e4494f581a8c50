-- A synthesis in a built-in voice has no model: model_id becomes optional
-- and voice names the built-in voice; each entry has exactly one of the
-- two. SQLite cannot drop NOT NULL from a column, so the table is rebuilt.
CREATE TABLE voice_synthesis_history_new (
	id               TEXT PRIMARY KEY,
	user_id          TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	model_id         TEXT REFERENCES voice_models (id) ON DELETE CASCADE,
	voice            TEXT NOT NULL DEFAULT '',
	text             TEXT NOT NULL,
	format           TEXT NOT NULL,
	speed            REAL NOT NULL,
	pitch            REAL NOT NULL,
	similarity       REAL,
	sample_rate      INTEGER NOT NULL,
	duration_seconds REAL NOT NULL,
	size_bytes       INTEGER NOT NULL,
	audio_key        TEXT NOT NULL UNIQUE,
	created_at       INTEGER NOT NULL,
	CHECK ((model_id IS NULL) <> (voice = ''))
);
INSERT INTO voice_synthesis_history_new (id, user_id, model_id, voice, text, format, speed, pitch,
	similarity, sample_rate, duration_seconds, size_bytes, audio_key, created_at)
	SELECT id, user_id, model_id, '', text, format, speed, pitch,
	similarity, sample_rate, duration_seconds, size_bytes, audio_key, created_at
	FROM voice_synthesis_history;
DROP TABLE voice_synthesis_history;
ALTER TABLE voice_synthesis_history_new RENAME TO voice_synthesis_history;
CREATE INDEX voice_synthesis_history_page ON voice_synthesis_history (user_id, created_at DESC, id DESC);
CREATE INDEX voice_synthesis_history_model ON voice_synthesis_history (model_id);
