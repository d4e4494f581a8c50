package postgres_test

import (
	"strings"
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
	for _, q := range apptest.PreSimilarityHistory("now()") {
		tag, err := conn.Exec(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if tag.RowsAffected() != 1 && strings.HasPrefix(q, "DELETE") {
			t.Fatalf("forget migration 0003: %d rows", tag.RowsAffected())
		}
	}

	// A new store, as after a restart: it migrates and has no cached plans.
	apptest.CheckPreSimilarityHistory(t, pgtest.OpenDSN(t, dsn))
}

func BenchmarkStore(b *testing.B) {
	apptest.BenchmarkStore(b, pgtest.Open(b))
}
