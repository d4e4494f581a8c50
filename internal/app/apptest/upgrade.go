package apptest

import (
	"testing"

	"github.com/voxclone/voxclone/internal/app"
)

// PreSimilarityHistory returns the statements that take a migrated
// database back to before migration 0003 (the synthesis similarity) and
// store one history entry the way that schema did: user u1, model m1,
// entry s1 at speed 1.5. now is the store's expression for the current
// time. Run them, reopen the store (which migrates again), then call
// CheckPreSimilarityHistory.
func PreSimilarityHistory(now string) []string {
	return []string{
		`DELETE FROM schema_migrations WHERE name LIKE '%/0003_synthesis_similarity.sql'`,
		`ALTER TABLE voice_synthesis_history DROP COLUMN similarity`,
		`INSERT INTO users (id, email, password_hash, created_at) VALUES ('u1', 'old@example.com', 'x', ` + now + `)`,
		`INSERT INTO voice_models (id, user_id, name, status, engine, created_at, updated_at)
			VALUES ('m1', 'u1', 'Old', 'ready', 'e', ` + now + `, ` + now + `)`,
		`INSERT INTO voice_synthesis_history (id, user_id, model_id, text, format, speed, pitch,
			sample_rate, duration_seconds, size_bytes, audio_key, created_at)
			VALUES ('s1', 'u1', 'm1', 'Old.', 'wav', 1.5, 0, 16000, 1, 100, 'audio/s1.wav', ` + now + `)`,
	}
}

// CheckPreSimilarityHistory checks that the entry PreSimilarityHistory
// stored survived the migration whole, with its similarity unknown.
func CheckPreSimilarityHistory(t *testing.T, s app.HistoryStore) {
	t.Helper()
	got, err := s.FindSynthesis(t.Context(), "u1", "s1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Similarity != nil {
		t.Errorf("old entry after migration: similarity %v, want unknown (nil)", *got.Similarity)
	}
	if got.Speed != 1.5 || got.Text != "Old." || got.ModelID != "m1" {
		t.Errorf("old entry after migration: %+v, want speed 1.5, text Old., model m1", got)
	}
}
