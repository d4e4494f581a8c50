-- PruneRate deletes old requests of one action across all subjects, and
-- the lock rows of subjects that have not been seen since.
CREATE INDEX rate_events_prune ON rate_events (action, at);
CREATE INDEX rate_limits_prune ON rate_limits (action, touched_at);
