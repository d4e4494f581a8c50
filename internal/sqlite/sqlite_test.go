package sqlite_test

import (
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
