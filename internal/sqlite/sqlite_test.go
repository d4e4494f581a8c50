package sqlite_test

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/app/apptest"
	"github.com/voxclone/voxclone/internal/sqlite"
)

// openDB opens and migrates a database file in a fresh temporary directory.
func openDB(t testing.TB, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestStore(t *testing.T) {
	apptest.StoreSuite(t, func(t *testing.T) app.Store {
		return openDB(t, filepath.Join(t.TempDir(), "voxclone.db"))
	})
}

func TestStoreMemory(t *testing.T) {
	apptest.StoreSuite(t, func(t *testing.T) app.Store { return openDB(t, ":memory:") })
}

func TestSharedStore(t *testing.T) {
	apptest.SharedStoreSuite(t, func(t *testing.T) (app.Store, app.Store) {
		path := filepath.Join(t.TempDir(), "voxclone.db")
		return openDB(t, path), openDB(t, path)
	})
}

func TestMigrateTwice(t *testing.T) {
	path := filepath.Join(t.TempDir(), "voxclone.db")
	openDB(t, path)
	db := openDB(t, path) // second Migrate on a migrated file is a no-op
	if err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// TestMigrateOldHistory takes a database back to before the similarity
// column, stores a history entry the way the old schema did, and starts
// again: the migration must keep the entry, with its similarity unknown.
func TestMigrateOldHistory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "voxclone.db")
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := raw.Exec(`DELETE FROM schema_migrations WHERE name LIKE '%/0003_synthesis_similarity.sql'`)
	if n, _ := res.RowsAffected(); err != nil || n != 1 {
		t.Fatalf("forget migration 0003: %d rows, %v", n, err)
	}
	for _, q := range []string{
		`ALTER TABLE voice_synthesis_history DROP COLUMN similarity`,
		`INSERT INTO users (id, email, password_hash, created_at) VALUES ('u1', 'old@example.com', 'x', 0)`,
		`INSERT INTO voice_models (id, user_id, name, status, engine, created_at, updated_at)
			VALUES ('m1', 'u1', 'Old', 'ready', 'e', 0, 0)`,
		`INSERT INTO voice_synthesis_history (id, user_id, model_id, text, format, speed, pitch,
			sample_rate, duration_seconds, size_bytes, audio_key, created_at)
			VALUES ('s1', 'u1', 'm1', 'Old.', 'wav', 1.5, 0, 16000, 1, 100, 'audio/s1.wav', 0)`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()

	got, err := openDB(t, path).FindSynthesis(t.Context(), "u1", "s1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Similarity != nil {
		t.Errorf("old entry after migration: similarity %v, want unknown (nil)", *got.Similarity)
	}
	if got.Speed != 1.5 {
		t.Errorf("old entry after migration: speed %v, want 1.5", got.Speed)
	}
}
