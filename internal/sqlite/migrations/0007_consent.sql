-- Spoken consent challenges: the phrase a user was asked to read, when it
-- was answered (once), whether the answer passed with the voice print of
-- the recording, and the model it was then used for (once). They go with
-- the account.
CREATE TABLE consent_challenges (
	id          TEXT PRIMARY KEY,
	user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	statement   TEXT NOT NULL,
	words       TEXT NOT NULL,
	created_at  INTEGER NOT NULL,
	expires_at  INTEGER NOT NULL,
	answered_at INTEGER,
	verified_at INTEGER,
	voice_print BLOB,
	used_for    TEXT
);
CREATE INDEX consent_challenges_usable ON consent_challenges (user_id, verified_at);
