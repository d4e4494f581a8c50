-- Spoken consent challenges: the phrase a user was asked to read, when it
-- was answered (once), whether the answer passed with the voice print of
-- the recording, and the model it was then used for (once). They go with
-- the account.
CREATE TABLE consent_challenges (
	id          text PRIMARY KEY,
	user_id     text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	statement   text NOT NULL,
	words       text NOT NULL,
	created_at  timestamptz NOT NULL,
	expires_at  timestamptz NOT NULL,
	answered_at timestamptz,
	verified_at timestamptz,
	voice_print bytea,
	used_for    text
);
CREATE INDEX consent_challenges_usable ON consent_challenges (user_id, verified_at);
