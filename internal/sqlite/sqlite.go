// Package sqlite implements app.Store on an SQLite file through
// modernc.org/sqlite (pure Go, no cgo).
//
// The database runs in WAL mode with foreign keys on and a busy timeout.
// Writes go through a single connection whose transactions begin IMMEDIATE,
// so writers queue instead of failing with SQLITE_BUSY on lock upgrade;
// reads use a separate small pool of read-only connections and run beside
// the writer thanks to WAL. Schema changes are numbered files in
// migrations/, embedded in the binary and applied by Migrate.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"sort"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/voxclone/voxclone/internal/app"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB is an SQLite database holding voxclone's data. It implements app.Store.
// It is safe for concurrent use.
type DB struct {
	w *sql.DB // the only connection that writes
	r *sql.DB // read-only connections (the writer itself for :memory:)
}

var _ app.Store = (*DB)(nil)

// Open opens (creating if needed) the SQLite database at path, or a private
// in-memory database for ":memory:". It does not change the schema: call
// Migrate before use.
func Open(path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("sqlite: empty database path")
	}
	const pragmas = "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)" +
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&" // a file: URI with its own parameters
	}
	w, err := sql.Open("sqlite", path+sep+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}
	// One writer: SQLite allows one anyway, and queueing in Go is cheaper
	// than spinning on the busy timeout. Keeping the connection open also
	// keeps a :memory: database alive.
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	w.SetConnMaxLifetime(0)
	db := &DB{w: w, r: w}
	if path != ":memory:" && !strings.Contains(path, "mode=memory") {
		r, err := sql.Open("sqlite", path+sep+pragmas+"&_pragma=query_only(1)")
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("sqlite: open: %w", err)
		}
		r.SetMaxOpenConns(max(4, runtime.NumCPU()))
		db.r = r
	}
	if err := w.PingContext(context.Background()); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return db, nil
}

// Writer returns the pool of the one connection that writes, for the job
// queue: it inserts tasks in the store's transactions and must queue its
// own writes behind the store's rather than open a second writer.
func (db *DB) Writer() *sql.DB { return db.w }

// Close closes the database.
func (db *DB) Close() error {
	err := db.w.Close()
	if db.r != db.w {
		err = errors.Join(err, db.r.Close())
	}
	return err
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.r.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("sqlite: ping: %w", err)
	}
	return nil
}

// Migrate applies, in name order, every embedded migration not yet recorded
// in schema_migrations, each in its own transaction together with its
// record. It is safe to call on every start.
func (db *DB) Migrate(ctx context.Context) error {
	if _, err := db.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := db.migrateFile(ctx, name); err != nil {
			return fmt.Errorf("sqlite: migrate %s: %w", name, err)
		}
	}
	return nil
}

func (db *DB) migrateFile(ctx context.Context, name string) error {
	body, err := fs.ReadFile(migrationFS, name)
	if err != nil {
		return err
	}
	// A migration that rebuilds a table runs with foreign keys off, or
	// dropping the old table would cascade into its children. The pragma
	// does nothing inside a transaction, so it is switched around it, on
	// the writer's one connection, and the keys are checked before commit.
	fkOff := strings.HasPrefix(string(body), fkOffMarker)
	if fkOff {
		if _, err := db.w.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
			return err
		}
		defer db.w.ExecContext(context.WithoutCancel(ctx), `PRAGMA foreign_keys = ON`)
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return err
	} else if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if fkOff {
		if err := checkForeignKeys(ctx, tx); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`,
		name, micros(time.Now())); err != nil {
		return err
	}
	return tx.Commit()
}

// fkOffMarker, as a migration's first line, runs it with foreign keys off.
const fkOffMarker = "-- voxclone:foreign-keys-off\n"

// checkForeignKeys fails when a row references one that does not exist.
func checkForeignKeys(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return err
	}
	defer rows.Close()
	if rows.Next() {
		var table string
		var rowid sql.NullInt64
		var parent string
		var fkid int
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return err
		}
		return fmt.Errorf("foreign key check: a row of %s refers to a missing row of %s", table, parent)
	}
	return rows.Err()
}

// write runs fn in a write transaction and commits when it returns nil.
func (db *DB) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	return nil
}

// micros encodes a time as stored: microseconds since the epoch.
func micros(t time.Time) int64 { return t.UnixMicro() }

// fromMicros decodes a stored time.
func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// nullMicros decodes a nullable stored time.
func nullMicros(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMicros(v.Int64)
	return &t
}

// sqliteCode returns the extended result code of an SQLite error, or 0.
func sqliteCode(err error) int {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return 0
}

// mapErr turns constraint violations into app errors; what names the thing
// for messages.
func mapErr(err error, what string) error {
	switch sqliteCode(err) {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return app.Conflict(what, err)
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return &app.Error{Code: app.ENotFound, Message: "A referenced record was not found.", Err: err}
	}
	if errors.Is(err, sql.ErrNoRows) {
		return app.NotFound(what)
	}
	return err
}

// affected returns ENotFound when res changed no row.
func affected(res sql.Result, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return app.NotFound(what)
	}
	return nil
}
