-- A watermark row records when it was added, so that the rows of
-- syntheses whose process died before they reached the history can be
-- pruned once no synthesis can still be rendering (PruneWatermarks).
-- Existing rows, and rows an older process still running in a rolling
-- upgrade writes, take the time they are written.
ALTER TABLE synthesis_watermarks ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
