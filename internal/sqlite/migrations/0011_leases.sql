-- Leases: a user's claim, by one holder (a request in some process), on
-- work of theirs only one may do at a time (an export), until expires_at
-- (microseconds since the epoch) unless renewed. A process that dies
-- leaves a lease that lapses by itself. They go with the account.
CREATE TABLE user_leases (
	user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name       TEXT NOT NULL,
	holder     TEXT NOT NULL,
	expires_at INTEGER NOT NULL,
	PRIMARY KEY (user_id, name)
);
