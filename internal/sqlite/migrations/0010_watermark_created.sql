-- A watermark row records when it was added (microseconds since the
-- epoch), so that the rows of syntheses whose process died before they
-- reached the history can be pruned once no synthesis can still be
-- rendering (PruneWatermarks). Existing rows take the time of this
-- migration. SQLite cannot default a new column to the current time: a
-- row an older process still running writes has none, is never pruned
-- by age, and goes with its account as before.
ALTER TABLE synthesis_watermarks ADD COLUMN created_at INTEGER;
UPDATE synthesis_watermarks SET created_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000000;
