-- Cloning and long-form synthesis run on workers. A model is 'pending'
-- until a worker has built it.
ALTER TABLE voice_models DROP CONSTRAINT voice_models_status_check;
ALTER TABLE voice_models ADD CONSTRAINT voice_models_status_check
	CHECK (status IN ('pending', 'ready', 'failed'));

-- A long-form synthesis job: the request (with the whole text, which the
-- worker reads), where it stands, and the history entry it made. It
-- speaks in one of the user's models or in a built-in voice, as history
-- entries do, and goes with its model as the model's history does.
CREATE TABLE voice_jobs (
	id          text PRIMARY KEY,
	user_id     text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind        text NOT NULL,
	status      text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
	progress    double precision NOT NULL DEFAULT 0,
	model_id    text REFERENCES voice_models (id) ON DELETE CASCADE,
	voice       text NOT NULL DEFAULT '',
	text        text NOT NULL,
	characters  integer NOT NULL,
	format      text NOT NULL,
	speed       double precision NOT NULL,
	pitch       double precision NOT NULL,
	similarity  double precision,
	sample_rate integer NOT NULL,
	history_id  text NOT NULL DEFAULT '',
	error       text NOT NULL DEFAULT '',
	created_at  timestamptz NOT NULL,
	updated_at  timestamptz NOT NULL,
	started_at  timestamptz,
	finished_at timestamptz,
	CHECK ((model_id IS NULL) <> (voice = ''))
);
CREATE INDEX voice_jobs_page ON voice_jobs (user_id, created_at DESC, id DESC);
CREATE INDEX voice_jobs_model ON voice_jobs (model_id);
