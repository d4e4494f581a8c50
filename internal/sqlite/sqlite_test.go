package sqlite_test

import (
	"database/sql"
	"path/filepath"
	"strings"
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
	for _, q := range apptest.PreSimilarityHistory("0") {
		res, err := raw.Exec(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if n, _ := res.RowsAffected(); n != 1 && strings.HasPrefix(q, "DELETE") {
			t.Fatalf("forget migration 0003: %d rows", n)
		}
	}
	raw.Close()

	apptest.CheckPreSimilarityHistory(t, openDB(t, path))
}
