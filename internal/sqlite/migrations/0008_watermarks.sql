-- Each synthesis's watermark payload, to find the synthesis a detected mark
-- came from. It is written before the audio is rendered, so it holds no
-- reference to the history row (which comes later, or never when the
-- synthesis fails); lookups join the history.
CREATE TABLE synthesis_watermarks (
	synthesis_id TEXT PRIMARY KEY,
	payload      INTEGER NOT NULL
);
CREATE INDEX synthesis_watermarks_payload ON synthesis_watermarks (payload);
