-- The audit log: who did what (consent, clone, synthesis, detection, API
-- keys, account deletion), when, from which client address and in which
-- request. A user's rows go with their account; the record of an account's
-- deletion has no user_id (subject names the deleted account), so it
-- outlives it until the retention period prunes it.
CREATE TABLE audit_events (
	id         text PRIMARY KEY,
	user_id    text REFERENCES users (id) ON DELETE CASCADE,
	kind       text NOT NULL,
	subject    text NOT NULL DEFAULT '',
	detail     text NOT NULL DEFAULT '',
	client     text NOT NULL DEFAULT '',
	request_id text NOT NULL DEFAULT '',
	created_at timestamptz NOT NULL
);
CREATE INDEX audit_events_page ON audit_events (user_id, created_at DESC, id DESC);
-- PruneAudit deletes by age alone.
CREATE INDEX audit_events_created ON audit_events (created_at);
