-- A synthesis in a built-in voice has no model: model_id becomes optional
-- and voice names the built-in voice; each entry has exactly one of the
-- two. Existing rows all name a model, so the check holds for them.
ALTER TABLE voice_synthesis_history ALTER COLUMN model_id DROP NOT NULL;
ALTER TABLE voice_synthesis_history ADD COLUMN voice text NOT NULL DEFAULT '';
ALTER TABLE voice_synthesis_history ADD CONSTRAINT voice_synthesis_history_model_or_voice
	CHECK ((model_id IS NULL) <> (voice = ''));
