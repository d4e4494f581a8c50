-- voxclone:foreign-keys-off
-- Cloning and long-form synthesis run on workers. A model is 'pending'
-- until a worker has built it. SQLite cannot change a CHECK constraint in
-- place, so voice_models is rebuilt the way SQLite documents: new table,
-- copy, drop, rename, with foreign keys off (the line above makes Migrate
-- switch them off around this file and check them before committing), or
-- dropping the old table would cascade into the samples links and history.
CREATE TABLE voice_models_new (
	id            TEXT PRIMARY KEY,
	user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name          TEXT NOT NULL,
	description   TEXT NOT NULL DEFAULT '',
	status        TEXT NOT NULL CHECK (status IN ('pending', 'ready', 'failed')),
	failure       TEXT NOT NULL DEFAULT '',
	engine        TEXT NOT NULL,
	profile_key   TEXT NOT NULL DEFAULT '',
	profile_bytes INTEGER NOT NULL DEFAULT 0,
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL
);
INSERT INTO voice_models_new (id, user_id, name, description, status, failure, engine,
	profile_key, profile_bytes, created_at, updated_at)
	SELECT id, user_id, name, description, status, failure, engine,
	profile_key, profile_bytes, created_at, updated_at FROM voice_models;
DROP TABLE voice_models;
ALTER TABLE voice_models_new RENAME TO voice_models;
CREATE INDEX voice_models_user ON voice_models (user_id, created_at);

-- A long-form synthesis job: the request (with the whole text, which the
-- worker reads), where it stands, and the history entry it made. It
-- speaks in one of the user's models or in a built-in voice, as history
-- entries do, and goes with its model as the model's history does.
CREATE TABLE voice_jobs (
	id          TEXT PRIMARY KEY,
	user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind        TEXT NOT NULL,
	status      TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
	progress    REAL NOT NULL DEFAULT 0,
	model_id    TEXT REFERENCES voice_models (id) ON DELETE CASCADE,
	voice       TEXT NOT NULL DEFAULT '',
	text        TEXT NOT NULL,
	characters  INTEGER NOT NULL,
	format      TEXT NOT NULL,
	speed       REAL NOT NULL,
	pitch       REAL NOT NULL,
	similarity  REAL,
	sample_rate INTEGER NOT NULL,
	history_id  TEXT NOT NULL DEFAULT '',
	error       TEXT NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	started_at  INTEGER,
	finished_at INTEGER,
	CHECK ((model_id IS NULL) <> (voice = ''))
);
CREATE INDEX voice_jobs_page ON voice_jobs (user_id, created_at DESC, id DESC);
CREATE INDEX voice_jobs_model ON voice_jobs (model_id);
