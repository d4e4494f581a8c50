-- The likeness setting each synthesis used. Rows from before this migration
-- stay NULL: their setting was not recorded and the default may have been
-- different then, so none is guessed. A nullable column without a default
-- is added without rewriting the table.
ALTER TABLE voice_synthesis_history ADD COLUMN similarity double precision;
