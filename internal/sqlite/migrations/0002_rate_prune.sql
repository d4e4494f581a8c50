-- PruneRate deletes old requests of one action across all subjects.
CREATE INDEX rate_events_prune ON rate_events (action, at);
