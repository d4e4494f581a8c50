-- The likeness setting each synthesis used. Rows from before this migration
-- stay NULL: their setting was not recorded and the default may have been
-- different then, so none is guessed.
ALTER TABLE voice_synthesis_history ADD COLUMN similarity REAL;
