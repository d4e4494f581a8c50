-- Leases: a user's claim, by one holder (a request in some process), on
-- work of theirs only one may do at a time (an export), until expires_at
-- unless renewed. A process that dies leaves a lease that lapses by
-- itself. They go with the account.
CREATE TABLE user_leases (
	user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name       text NOT NULL,
	holder     text NOT NULL,
	expires_at timestamptz NOT NULL,
	PRIMARY KEY (user_id, name)
);
