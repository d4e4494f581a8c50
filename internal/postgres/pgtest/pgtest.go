// Package pgtest gives tests an isolated PostgreSQL schema each. The server
// comes from VOXCLONE_TEST_DATABASE_URL (default
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable). When no server
// answers the test is skipped, unless VOXCLONE_TEST_POSTGRES=required, in
// which case it fails: CI sets that so the suite can never skip silently.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/postgres"
)

// DefaultDSN is used when VOXCLONE_TEST_DATABASE_URL is unset.
const DefaultDSN = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// DSN returns the test server's connection string.
func DSN() string {
	if dsn := os.Getenv("VOXCLONE_TEST_DATABASE_URL"); dsn != "" {
		return dsn
	}
	return DefaultDSN
}

// Schema creates a fresh schema, drops it when the test ends, and returns a
// DSN whose connections use it (through search_path).
func Schema(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	dsn := DSN()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		if os.Getenv("VOXCLONE_TEST_POSTGRES") == "required" {
			t.Fatalf("pgtest: PostgreSQL required but not reachable at %s: %v", dsn, err)
		}
		t.Skipf("pgtest: no PostgreSQL at %s (set VOXCLONE_TEST_DATABASE_URL): %v", dsn, err)
	}
	defer conn.Close(ctx)
	var b [8]byte
	_, _ = rand.Read(b[:])
	schema := "vxtest_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Errorf("pgtest: drop schema: %v", err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("pgtest: drop schema: %v", err)
		}
	})
	return withSearchPath(dsn, schema)
}

// withSearchPath adds a search_path run-time parameter to a URL or
// key=value DSN.
func withSearchPath(dsn, schema string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err == nil {
			q := u.Query()
			q.Set("search_path", schema)
			u.RawQuery = q.Encode()
			return u.String()
		}
	}
	return dsn + " search_path=" + schema
}

// Open returns a migrated store in a fresh schema, closed when the test
// ends.
func Open(t testing.TB) *postgres.DB {
	t.Helper()
	return OpenDSN(t, Schema(t))
}

// OpenDSN opens and migrates a store on dsn, closed when the test ends.
func OpenDSN(t testing.TB, dsn string) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// Rows returns every row of every table in the current schema of s's
// database (s must be a *postgres.DB), each as PostgreSQL's text of the
// whole row, by table name. Tables come from information_schema; River's
// tables are there too when its queue shares the schema.
func Rows(t testing.TB, s app.Store) map[string][]string {
	t.Helper()
	db, ok := s.(*postgres.DB)
	if !ok {
		t.Fatalf("pgtest: %T is not a *postgres.DB", s)
	}
	ctx := t.Context()
	tables, err := collect(ctx, db, `SELECT table_name::text FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)
	if err != nil {
		t.Fatalf("pgtest: tables: %v", err)
	}
	out := map[string][]string{}
	for _, tb := range tables {
		rows, err := collect(ctx, db, `SELECT r::text FROM `+pgx.Identifier{tb}.Sanitize()+` r`)
		if err != nil {
			t.Fatalf("pgtest: rows of %s: %v", tb, err)
		}
		out[tb] = append([]string{}, rows...)
	}
	return out
}

func collect(ctx context.Context, db *postgres.DB, q string) ([]string, error) {
	rows, err := db.Pool().Query(ctx, q)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
