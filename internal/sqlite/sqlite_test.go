package sqlite_test

import (
	"database/sql"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/app/apptest"
	"github.com/voxclone/voxclone/internal/sqlite"
	"github.com/voxclone/voxclone/internal/sqlite/sqlitetest"
)

// openDB opens and migrates the database file at path.
var openDB = sqlitetest.Open

func TestStore(t *testing.T) {
	apptest.StoreSuite(t, func(t *testing.T) app.Store {
		return openDB(t, filepath.Join(t.TempDir(), "voxclone.db"))
	}, sqlitetest.Rows)
}

func TestStoreMemory(t *testing.T) {
	apptest.StoreSuite(t, func(t *testing.T) app.Store { return openDB(t, ":memory:") }, sqlitetest.Rows)
}

func TestSharedStore(t *testing.T) {
	apptest.SharedStoreSuite(t, func(t *testing.T) (app.Store, app.Store) {
		path := filepath.Join(t.TempDir(), "voxclone.db")
		return openDB(t, path), openDB(t, path)
	})
}

// TestMigrateTwice migrates a file, then migrates it again twice: the
// later runs must change nothing. Every embedded migration is recorded
// once, at its first run, and the schema holds no index twice.
func TestMigrateTwice(t *testing.T) {
	path := filepath.Join(t.TempDir(), "voxclone.db")
	openDB(t, path)
	applied, objects := schemaState(t, path)
	db := openDB(t, path) // second Migrate on a migrated file is a no-op
	if err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	applied2, objects2 := schemaState(t, path)
	if !slices.Equal(applied, applied2) || !slices.Equal(objects, objects2) {
		t.Errorf("migrating again changed the database:\napplied %q\n   then %q\nobjects %q\n   then %q", applied, applied2, objects, objects2)
	}
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(files) < 3 {
		t.Fatalf("migration files %v, %v", files, err)
	}
	var names []string
	for _, a := range applied {
		name, _, _ := strings.Cut(a, " ")
		names = append(names, name)
	}
	for i, f := range files {
		files[i] = filepath.ToSlash(f)
	}
	if !slices.Equal(names, files) {
		t.Errorf("schema_migrations = %q, want each of %q once", names, files)
	}
	assertNoDuplicateIndexes(t, objects)
}

// schemaState reads what migrating leaves in the database at path: each
// applied migration with its time ("name micros"), and every schema
// object as "type name: sql".
func schemaState(t *testing.T, path string) (applied, objects []string) {
	t.Helper()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	query := func(q string) []string {
		rows, err := raw.QueryContext(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	applied = query(`SELECT name || ' ' || applied_at FROM schema_migrations ORDER BY name`)
	objects = query(`SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY type, name`)
	return applied, objects
}

// indexOn is "CREATE [UNIQUE] INDEX name ON rest": rest is what the index
// covers, whatever its name.
var indexOn = regexp.MustCompile(`^index \S+: CREATE (UNIQUE )?INDEX \S+ ON (.*)$`)

// assertNoDuplicateIndexes fails when two indexes cover the same columns
// of the same table, as a migration that ran twice under a new name would
// leave.
func assertNoDuplicateIndexes(t *testing.T, objects []string) {
	t.Helper()
	seen := map[string]string{}
	n := 0
	for _, o := range objects {
		m := indexOn.FindStringSubmatch(strings.Join(strings.Fields(o), " "))
		if m == nil {
			continue
		}
		n++
		if prev, ok := seen[m[2]]; ok {
			t.Errorf("two indexes on %s: %q and %q", m[2], prev, o)
		}
		seen[m[2]] = o
	}
	if n < 5 {
		t.Errorf("found %d indexes in %q; the schema query looks wrong", n, objects)
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

// TestMigrateVoiceHistory takes a database back to before built-in voices
// (model_id required, no voice column), stores an entry as that schema
// did, and starts again: the rebuilt table must keep the entry whole.
func TestMigrateVoiceHistory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "voxclone.db")
	db := openDB(t, path)
	db.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DELETE FROM schema_migrations WHERE name LIKE '%/0004_synthesis_voice.sql'`,
		`DROP TABLE voice_synthesis_history`,
		`CREATE TABLE voice_synthesis_history (id TEXT PRIMARY KEY,
			user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			model_id TEXT NOT NULL REFERENCES voice_models (id) ON DELETE CASCADE,
			text TEXT NOT NULL, format TEXT NOT NULL, speed REAL NOT NULL, pitch REAL NOT NULL,
			sample_rate INTEGER NOT NULL, duration_seconds REAL NOT NULL, size_bytes INTEGER NOT NULL,
			audio_key TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL, similarity REAL)`,
		`INSERT INTO users (id, email, password_hash, created_at) VALUES ('u1', 'old@example.com', 'x', 0)`,
		`INSERT INTO voice_models (id, user_id, name, status, engine, created_at, updated_at)
			VALUES ('m1', 'u1', 'Old', 'ready', 'e', 0, 0)`,
		`INSERT INTO voice_synthesis_history (id, user_id, model_id, text, format, speed, pitch,
			sample_rate, duration_seconds, size_bytes, audio_key, created_at, similarity)
			VALUES ('s1', 'u1', 'm1', 'Old.', 'wav', 1.5, 0, 16000, 1, 100, 'audio/s1.wav', 0, 0.5)`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()
	apptest.CheckPreVoiceHistory(t, openDB(t, path))
}

// TestMigrateJobs takes a database back to before migration 0004, which
// rebuilds voice_models, stores a model with links and history, and
// starts again: the rebuild must keep them, still linked.
func TestMigrateJobs(t *testing.T) {
	apptest.CheckPreJobs(t, openDB(t, rolledBack(t, apptest.PreJobs("0"))))
}

// TestMigrateWatermarkUser takes a database back to before migration
// 0009 with a payload of a recorded synthesis and one of a failed
// synthesis, and starts again: the first must get its user, the second
// go.
func TestMigrateWatermarkUser(t *testing.T) {
	apptest.CheckPreWatermarkUser(t, openDB(t, rolledBack(t, apptest.PreWatermarkUser("0"))))
}

// rolledBack migrates a fresh database file, runs stmts on it with
// foreign keys on (taking it back to an older schema with rows as that
// schema wrote them) and returns its path, for a test to open again and
// check what the migrations make of it.
func rolledBack(t *testing.T, stmts []string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "voxclone.db")
	openDB(t, path).Close()
	raw, err := sql.Open("sqlite", path+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range stmts {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return path
}
