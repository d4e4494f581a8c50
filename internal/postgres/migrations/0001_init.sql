CREATE TABLE users (
	id            text PRIMARY KEY,
	email         text NOT NULL,
	password_hash text NOT NULL,
	created_at    timestamptz NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE api_keys (
	id           text PRIMARY KEY,
	user_id      text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name         text NOT NULL,
	prefix       text NOT NULL,
	hash         bytea NOT NULL,
	created_at   timestamptz NOT NULL,
	last_used_at timestamptz
);
CREATE INDEX api_keys_prefix ON api_keys (prefix);
CREATE INDEX api_keys_user ON api_keys (user_id, created_at);

CREATE TABLE voice_samples (
	id               text PRIMARY KEY,
	user_id          text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name             text NOT NULL,
	transcript       text NOT NULL DEFAULT '',
	format           text NOT NULL,
	sample_rate      integer NOT NULL,
	channels         integer NOT NULL,
	duration_seconds double precision NOT NULL,
	size_bytes       bigint NOT NULL,
	speech_seconds   double precision NOT NULL,
	snr_db           double precision NOT NULL,
	clipping_ratio   double precision NOT NULL,
	loudness_lufs    double precision NOT NULL,
	true_peak_dbtp   double precision NOT NULL,
	score            integer NOT NULL,
	warnings         text[] NOT NULL DEFAULT '{}',
	blob_key         text NOT NULL UNIQUE,
	created_at       timestamptz NOT NULL
);
CREATE INDEX voice_samples_user ON voice_samples (user_id, created_at);

CREATE TABLE voice_models (
	id            text PRIMARY KEY,
	user_id       text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name          text NOT NULL,
	description   text NOT NULL DEFAULT '',
	status        text NOT NULL CHECK (status IN ('ready', 'failed')),
	failure       text NOT NULL DEFAULT '',
	engine        text NOT NULL,
	profile_key   text NOT NULL DEFAULT '',
	profile_bytes bigint NOT NULL DEFAULT 0,
	created_at    timestamptz NOT NULL,
	updated_at    timestamptz NOT NULL
);
CREATE INDEX voice_models_user ON voice_models (user_id, created_at);

-- Deleting a sample drops its links; the model keeps its built profile.
CREATE TABLE voice_model_samples (
	model_id  text NOT NULL REFERENCES voice_models (id) ON DELETE CASCADE,
	sample_id text NOT NULL REFERENCES voice_samples (id) ON DELETE CASCADE,
	position  integer NOT NULL,
	PRIMARY KEY (model_id, sample_id)
);
CREATE INDEX voice_model_samples_sample ON voice_model_samples (sample_id);

CREATE TABLE voice_synthesis_history (
	id               text PRIMARY KEY,
	user_id          text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	model_id         text NOT NULL REFERENCES voice_models (id) ON DELETE CASCADE,
	text             text NOT NULL,
	format           text NOT NULL,
	speed            double precision NOT NULL,
	pitch            double precision NOT NULL,
	sample_rate      integer NOT NULL,
	duration_seconds double precision NOT NULL,
	size_bytes       bigint NOT NULL,
	audio_key        text NOT NULL UNIQUE,
	created_at       timestamptz NOT NULL
);
CREATE INDEX voice_synthesis_history_page ON voice_synthesis_history (user_id, created_at DESC, id DESC);
CREATE INDEX voice_synthesis_history_model ON voice_synthesis_history (model_id);

-- rate_limits has one row per (subject, action), locked by each counting
-- transaction so count-then-insert on rate_events is atomic across
-- processes; rate_events has one row per counted request in the window.
CREATE TABLE rate_limits (
	subject    text NOT NULL,
	action     text NOT NULL,
	touched_at timestamptz NOT NULL,
	PRIMARY KEY (subject, action)
);

CREATE TABLE rate_events (
	id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	subject text NOT NULL,
	action  text NOT NULL,
	at      timestamptz NOT NULL
);
CREATE INDEX rate_events_key ON rate_events (subject, action, at);
