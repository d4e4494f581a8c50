package postgres_test

import (
	"sync"
	"testing"

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

func BenchmarkStore(b *testing.B) {
	apptest.BenchmarkStore(b, pgtest.Open(b))
}
