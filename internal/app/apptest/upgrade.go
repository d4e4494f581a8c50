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

// PreJobs returns the statements that take a migrated database back to
// before migration 0004 (jobs; models pending) and store a ready model m2
// of user u2, linked to sample p2, with history entry h2. now is the
// store's expression for the current time. Run them, reopen the store
// (which migrates again), then call CheckPreJobs.
func PreJobs(now string) []string {
	return []string{
		`DELETE FROM schema_migrations WHERE name LIKE '%/0004_jobs.sql'`,
		`DROP TABLE voice_jobs`,
		`INSERT INTO users (id, email, password_hash, created_at) VALUES ('u2', 'jobs@example.com', 'x', ` + now + `)`,
		`INSERT INTO voice_samples (id, user_id, name, format, sample_rate, channels, duration_seconds,
			size_bytes, speech_seconds, snr_db, clipping_ratio, loudness_lufs, true_peak_dbtp, score,
			blob_key, created_at)
			VALUES ('p2', 'u2', 'S', 'wav', 16000, 1, 20, 640044, 18, 30, 0, -20, -1, 90, 'samples/p2.wav', ` + now + `)`,
		`INSERT INTO voice_models (id, user_id, name, status, engine, profile_key, created_at, updated_at)
			VALUES ('m2', 'u2', 'Kept', 'ready', 'e', 'profiles/m2.vxp', ` + now + `, ` + now + `)`,
		`INSERT INTO voice_model_samples (model_id, sample_id, position) VALUES ('m2', 'p2', 0)`,
		`INSERT INTO voice_synthesis_history (id, user_id, model_id, text, format, speed, pitch,
			sample_rate, duration_seconds, size_bytes, audio_key, created_at)
			VALUES ('h2', 'u2', 'm2', 'Kept.', 'wav', 1, 0, 16000, 1, 100, 'audio/h2.wav', ` + now + `)`,
	}
}

// CheckPreJobs checks that what PreJobs stored survived migration 0004
// whole, still linked (deleting the model deletes its history and links),
// and that models may now be pending.
func CheckPreJobs(t *testing.T, s app.Store) {
	t.Helper()
	ctx := t.Context()
	m, err := s.FindModel(ctx, "u2", "m2")
	must(t, err)
	if m.Status != app.ModelReady || m.Name != "Kept" || len(m.SampleIDs) != 1 || m.SampleIDs[0] != "p2" {
		t.Errorf("model after migration = %+v, want ready, linked to p2", m)
	}
	if h, err := s.FindSynthesis(ctx, "u2", "h2"); err != nil || h.ModelID != "m2" {
		t.Errorf("history after migration = %+v, %v", h, err)
	}
	p := app.Model{ID: app.NewID(), UserID: "u2", Name: "new", Status: app.ModelPending, Engine: "e",
		SampleIDs: []string{"p2"}, CreatedAt: T0, UpdatedAt: T0}
	must(t, s.CreateModel(ctx, p, nil))
	if _, _, err := s.DeleteModel(ctx, "u2", "m2"); err != nil {
		t.Fatal(err)
	}
	_, err = s.FindSynthesis(ctx, "u2", "h2")
	wantCode(t, err, app.ENotFound)
	if _, err := s.DeleteSample(ctx, "u2", "p2"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.FindModel(ctx, "u2", p.ID); err != nil || len(got.SampleIDs) != 0 {
		t.Errorf("after deleting its sample, the pending model = %+v, %v; want it unlinked", got, err)
	}
}

// PreWatermarkUser returns the statements that take a migrated database
// back to before migration 0009 (watermark rows name their user, and from
// 0010 the time they were added) and
// store, as that schema did, the payload 77 of history entry h3 (user
// u3, model m3) and the payload 78 of a synthesis that failed. now is the
// store's expression for the current time. Run them, reopen the store
// (which migrates again), then call CheckPreWatermarkUser.
func PreWatermarkUser(now string) []string {
	return []string{
		`DELETE FROM schema_migrations WHERE name LIKE '%/0009_watermark_user.sql' OR name LIKE '%/0010_watermark_created.sql'`,
		`DROP TABLE synthesis_watermarks`,
		`CREATE TABLE synthesis_watermarks (synthesis_id text PRIMARY KEY, payload bigint NOT NULL)`,
		`CREATE INDEX synthesis_watermarks_payload ON synthesis_watermarks (payload)`,
		`INSERT INTO users (id, email, password_hash, created_at) VALUES ('u3', 'marks@example.com', 'x', ` + now + `)`,
		`INSERT INTO voice_models (id, user_id, name, status, engine, created_at, updated_at)
			VALUES ('m3', 'u3', 'Marked', 'ready', 'e', ` + now + `, ` + now + `)`,
		`INSERT INTO voice_synthesis_history (id, user_id, model_id, text, format, speed, pitch,
			sample_rate, duration_seconds, size_bytes, audio_key, created_at)
			VALUES ('h3', 'u3', 'm3', 'Marked.', 'wav', 1, 0, 16000, 1, 100, 'audio/h3.wav', ` + now + `)`,
		`INSERT INTO synthesis_watermarks (synthesis_id, payload) VALUES ('h3', 77), ('failed3', 78)`,
	}
}

// CheckPreWatermarkUser checks that migration 0009 kept h3's payload and
// gave it its user, and dropped the failed synthesis's.
func CheckPreWatermarkUser(t *testing.T, s app.Store) {
	t.Helper()
	ctx := t.Context()
	if syn, err := s.FindWatermark(ctx, 77); err != nil || syn.ID != "h3" {
		t.Errorf("payload 77 after migration: %+v, %v; want h3", syn, err)
	}
	other := newUser(t, s)
	// A synthesis id whose row is gone takes a new payload.
	must(t, s.AddWatermark(ctx, other.ID, "failed3", 1, T0))
	wantCode(t, s.AddWatermark(ctx, other.ID, "h3", 1, T0), app.EConflict)
	// Only h3's user can delete its row: the migration named u3 in it.
	must(t, s.DeleteWatermark(ctx, other.ID, "h3"))
	wantCode(t, s.AddWatermark(ctx, other.ID, "h3", 1, T0), app.EConflict)
	must(t, s.DeleteWatermark(ctx, "u3", "h3"))
	must(t, s.AddWatermark(ctx, other.ID, "h3", 1, T0))
}
