// Package sqlitetest opens SQLite stores for tests and reads a store's
// database as a whole, for tests that must see every table, including
// those added after the test was written.
package sqlitetest

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/sqlite"
)

// Open opens and migrates the database file at path, closed when the
// test ends. Two opened on one path share the database, as two voxclone
// processes do.
func Open(t testing.TB, path string) *sqlite.DB {
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

// Rows returns every row of every table of s's database (s must be a
// *sqlite.DB), each as its values joined by "|", blobs as their bytes,
// by table name. Tables come from sqlite_master; River's tables are there
// too when its queue shares the file.
func Rows(t testing.TB, s app.Store) map[string][]string {
	t.Helper()
	db, ok := s.(*sqlite.DB)
	if !ok {
		t.Fatalf("sqlitetest: %T is not a *sqlite.DB", s)
	}
	w := db.Writer()
	tables := query(t, w, `SELECT name FROM sqlite_master WHERE type = 'table'`)
	out := map[string][]string{}
	for _, tb := range tables {
		out[tb[0]] = []string{}
		for _, r := range query(t, w, `SELECT * FROM "`+tb[0]+`"`) {
			out[tb[0]] = append(out[tb[0]], strings.Join(r, "|"))
		}
	}
	return out
}

// query returns every row of q, each value as text.
func query(t testing.TB, db *sql.DB, q string) [][]string {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), q)
	if err != nil {
		t.Fatalf("sqlitetest: %s: %v", q, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		texts := make([]string, len(cols))
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				texts[i] = string(b)
			} else {
				texts[i] = fmt.Sprint(v)
			}
		}
		out = append(out, texts)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
