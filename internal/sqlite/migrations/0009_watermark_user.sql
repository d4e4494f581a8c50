-- A watermark row names its user, so it goes with the account even when
-- its synthesis never reached the history (it failed, or its process
-- died while rendering). Rows of syntheses in the history get their
-- user; the others are of syntheses that failed, which nothing can find
-- (lookups join the history), and go. An older process still running in
-- a rolling upgrade writes rows without a user: DeleteUser removes those
-- through the user's history.
ALTER TABLE synthesis_watermarks ADD COLUMN user_id TEXT REFERENCES users (id) ON DELETE CASCADE;
UPDATE synthesis_watermarks SET user_id = (SELECT h.user_id FROM voice_synthesis_history h
	WHERE h.id = synthesis_watermarks.synthesis_id);
DELETE FROM synthesis_watermarks WHERE user_id IS NULL;
CREATE INDEX synthesis_watermarks_user ON synthesis_watermarks (user_id);
