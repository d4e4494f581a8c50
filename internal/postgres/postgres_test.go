package postgres_test

import (
	"path/filepath"
	"regexp"
	"slices"
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
	apptest.StoreSuite(t, func(t *testing.T) app.Store { return pgtest.Open(t) }, pgtest.Rows)
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
	// Applied once: the same schema as one migration alone leaves, each
	// file recorded once, no index twice.
	once := pgtest.Schema(t)
	pgtest.OpenDSN(t, once)
	got, want := schemaState(t, dsn), schemaState(t, once)
	for _, part := range []string{"applied", "columns", "constraints", "indexes"} {
		if !slices.Equal(got[part], want[part]) {
			t.Errorf("%s after 4 concurrent migrations:\n%q\nafter one:\n%q", part, got[part], want[part])
		}
	}
	if len(got["columns"]) < 20 || len(got["constraints"]) < 5 || len(got["indexes"]) < 5 {
		t.Errorf("schema looks empty: %d columns, %d constraints, %d indexes", len(got["columns"]), len(got["constraints"]), len(got["indexes"]))
	}
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(files) < 3 || len(got["applied"]) != len(files) {
		t.Errorf("schema_migrations %q for migration files %q (%v)", got["applied"], files, err)
	}
	seen := map[string]bool{}
	for _, def := range got["indexes"] {
		on := indexName.ReplaceAllString(def, "INDEX ON")
		if seen[on] {
			t.Errorf("two indexes %s", on)
		}
		seen[on] = true
	}
}

var indexName = regexp.MustCompile(`INDEX \S+ ON`)

// schemaState reads what migrating left in the schema of dsn, with the
// schema's name replaced by "S" so that two schemas compare: the applied
// migration names, every column, constraint and index definition.
func schemaState(t *testing.T, dsn string) map[string][]string {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	var schema string
	if err := conn.QueryRow(t.Context(), `SELECT current_schema()`).Scan(&schema); err != nil {
		t.Fatal(err)
	}
	queries := map[string]string{
		"applied": `SELECT name FROM schema_migrations ORDER BY name`,
		"columns": `SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '')
			FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY 1`,
		"constraints": `SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
			FROM pg_constraint WHERE connamespace = current_schema()::regnamespace ORDER BY 1`,
		"indexes": `SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1`,
	}
	out := map[string][]string{}
	for part, q := range queries {
		rows, err := conn.Query(t.Context(), q)
		if err != nil {
			t.Fatalf("%s: %v", part, err)
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatalf("%s: %v", part, err)
		}
		for i, l := range lines {
			lines[i] = strings.ReplaceAll(l, schema, "S")
		}
		out[part] = lines
	}
	return out
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

// TestMigrateJobs takes a schema back to before migration 0004, stores a
// model with links and history, and starts again: all must survive.
func TestMigrateJobs(t *testing.T) {
	dsn := rolledBack(t, append([]string{`ALTER TABLE voice_models DROP CONSTRAINT voice_models_status_check`,
		`ALTER TABLE voice_models ADD CONSTRAINT voice_models_status_check CHECK (status IN ('ready', 'failed'))`},
		apptest.PreJobs("now()")...))
	apptest.CheckPreJobs(t, pgtest.OpenDSN(t, dsn))
}

func BenchmarkStore(b *testing.B) {
	apptest.BenchmarkStore(b, pgtest.Open(b))
}

// TestMigrateVoiceHistory takes a schema back to before built-in voices,
// stores an entry as that schema did, and starts again: the entry must
// keep its model and have no voice.
func TestMigrateVoiceHistory(t *testing.T) {
	dsn := rolledBack(t, []string{
		`DELETE FROM schema_migrations WHERE name LIKE '%/0004_synthesis_voice.sql'`,
		`ALTER TABLE voice_synthesis_history DROP CONSTRAINT voice_synthesis_history_model_or_voice`,
		`ALTER TABLE voice_synthesis_history DROP COLUMN voice`,
		`ALTER TABLE voice_synthesis_history ALTER COLUMN model_id SET NOT NULL`,
		`INSERT INTO users (id, email, password_hash, created_at) VALUES ('u1', 'old@example.com', 'x', now())`,
		`INSERT INTO voice_models (id, user_id, name, status, engine, created_at, updated_at)
			VALUES ('m1', 'u1', 'Old', 'ready', 'e', now(), now())`,
		`INSERT INTO voice_synthesis_history (id, user_id, model_id, text, format, speed, pitch,
			sample_rate, duration_seconds, size_bytes, audio_key, created_at, similarity)
			VALUES ('s1', 'u1', 'm1', 'Old.', 'wav', 1.5, 0, 16000, 1, 100, 'audio/s1.wav', now(), 0.5)`,
	})
	apptest.CheckPreVoiceHistory(t, pgtest.OpenDSN(t, dsn))
}

// TestMigrateWatermarkUser takes a schema back to before migration 0009
// with a payload of a recorded synthesis and one of a failed synthesis,
// and starts again: the first must get its user, the second go.
func TestMigrateWatermarkUser(t *testing.T) {
	dsn := rolledBack(t, apptest.PreWatermarkUser("now()"))
	apptest.CheckPreWatermarkUser(t, pgtest.OpenDSN(t, dsn))
}

// rolledBack migrates a fresh schema, runs stmts on it (taking it back to
// an older schema with rows as that schema wrote them) and returns its
// DSN, for a test to open again and check what the migrations make of it.
func rolledBack(t *testing.T, stmts []string) string {
	t.Helper()
	ctx := t.Context()
	dsn := pgtest.Schema(t)
	pgtest.OpenDSN(t, dsn)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, q := range stmts {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return dsn
}
