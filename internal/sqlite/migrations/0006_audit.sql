-- The audit log: who did what (consent, clone, synthesis, detection, API
-- keys, account deletion), when, from which client address and in which
-- request. A user's rows go with their account; the record of an account's
-- deletion has no user_id (subject names the deleted account), so it
-- outlives it until the retention period prunes it.
CREATE TABLE audit_events (
	id         TEXT PRIMARY KEY,
	user_id    TEXT REFERENCES users (id) ON DELETE CASCADE,
	kind       TEXT NOT NULL,
	subject    TEXT NOT NULL DEFAULT '',
	detail     TEXT NOT NULL DEFAULT '',
	client     TEXT NOT NULL DEFAULT '',
	request_id TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL
);
CREATE INDEX audit_events_page ON audit_events (user_id, created_at DESC, id DESC);
-- PruneAudit deletes by age alone.
CREATE INDEX audit_events_created ON audit_events (created_at);
