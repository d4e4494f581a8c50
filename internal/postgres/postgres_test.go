package postgres_test

import (
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/app/apptest"
	"github.com/voxclone/voxclone/internal/postgres"
	"github.com/voxclone/voxclone/internal/postgres/pgtest"
)

func TestStore(t *testing.T) {
	apptest.StoreSuite(t, func(t *testing.T) app.Store { return pgtest.Open(t) })
}

func TestSharedStore(t *testing.T) {
	apptest.SharedStoreSuite(t, func(t *testing.T) (app.Store, app.Store) {
		dsn := pgtest.Schema(t)
		return pgtest.OpenDSN(t, dsn), pgtest.OpenDSN(t, dsn)
	})
}

// TestMigrateConcurrent starts several migrations on one empty schema at
// once, as processes starting together do; the advisory lock must make
// them all succeed with the schema applied once.
func TestMigrateConcurrent(t *testing.T) {
	dsn := pgtest.Schema(t)
	var dbs []*postgres.DB
	for range 4 {
		db, err := postgres.Open(t.Context(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs = append(dbs, db)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(dbs))
	for i, db := range dbs {
		wg.Go(func() { errs[i] = db.Migrate(t.Context()) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("migrate %d: %v", i, err)
		}
	}
	if err := dbs[0].Ping(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// TestMigrateOldHistory takes a schema back to before the similarity
// column, stores a history entry the way the old schema did, and starts
// again: the migration must keep the entry, with its similarity unknown.
func TestMigrateOldHistory(t *testing.T) {
	ctx := t.Context()
	dsn := pgtest.Schema(t)
	pgtest.OpenDSN(t, dsn)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	tag, err := conn.Exec(ctx, `DELETE FROM schema_migrations WHERE name LIKE '%/0003_synthesis_similarity.sql'`)
	if err != nil || tag.RowsAffected() != 1 {
		t.Fatalf("forget migration 0003: %d rows, %v", tag.RowsAffected(), err)
	}
	for _, q := range []string{
		`ALTER TABLE voice_synthesis_history DROP COLUMN similarity`,
		`INSERT INTO users (id, email, password_hash, created_at) VALUES ('u1', 'old@example.com', 'x', now())`,
		`INSERT INTO voice_models (id, user_id, name, status, engine, created_at, updated_at)
			VALUES ('m1', 'u1', 'Old', 'ready', 'e', now(), now())`,
		`INSERT INTO voice_synthesis_history (id, user_id, model_id, text, format, speed, pitch,
			sample_rate, duration_seconds, size_bytes, audio_key, created_at)
			VALUES ('s1', 'u1', 'm1', 'Old.', 'wav', 1.5, 0, 16000, 1, 100, 'audio/s1.wav', now())`,
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}

	// A new store, as after a restart: it migrates and has no cached plans.
	got, err := pgtest.OpenDSN(t, dsn).FindSynthesis(ctx, "u1", "s1")
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

func BenchmarkStore(b *testing.B) {
	apptest.BenchmarkStore(b, pgtest.Open(b))
}
