// Package postgres implements app.Store on PostgreSQL through pgx v5
// (pgxpool). It behaves like internal/sqlite, and both pass
// apptest.StoreSuite; several voxclone processes may share one database.
//
// Schema changes are numbered files in migrations/, embedded in the binary
// and applied by Migrate under a PostgreSQL advisory lock, so processes
// starting together do not race. Tables live in the connection's
// search_path (set it in the DSN, e.g. "…&search_path=voxclone", to use a
// schema other than public).
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/voxclone/voxclone/internal/app"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migrateLockID is the advisory lock key held while migrating.
const migrateLockID int64 = 0x766f78636c6f6e65 // "voxclone"

// DB is a PostgreSQL database holding voxclone's data. It implements
// app.Store and is safe for concurrent use.
type DB struct {
	pool *pgxpool.Pool
}

var _ app.Store = (*DB)(nil)

// Open connects to the database at dsn (a postgres:// URL or key=value
// string) and checks that it answers. It does not change the schema: call
// Migrate before use.
func Open(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse dsn: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	return &DB{pool: pool}, nil
}

// Pool returns the connection pool, for the job queue, which inserts tasks
// in the store's transactions.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Close closes every connection.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	return nil
}

// Migrate applies, in name order, every embedded migration not yet recorded
// in schema_migrations, each in its own transaction with its record. A
// session advisory lock serializes concurrent callers; the later ones find
// the work done. It is safe to call on every start.
func (db *DB) Migrate(ctx context.Context) error {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrateLockID); err != nil {
		return fmt.Errorf("postgres: migrate lock: %w", err)
	}
	// Unlock with a fresh context: ctx may be what ended the migration.
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrateLockID)

	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := migrateFile(ctx, conn.Conn(), name); err != nil {
			return fmt.Errorf("postgres: migrate %s: %w", name, err)
		}
	}
	return nil
}

func migrateFile(ctx context.Context, conn *pgx.Conn, name string) error {
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		var done bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE name = $1)`,
			name).Scan(&done); err != nil || done {
			return err
		}
		body, err := fs.ReadFile(migrationFS, name)
		if err != nil {
			return err
		}
		// Without arguments pgx uses the simple protocol, which runs a
		// multi-statement file in one call.
		if _, err := tx.Exec(ctx, string(body)); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO schema_migrations (name) VALUES ($1)`, name)
		return err
	})
}

// tx runs fn in a transaction and commits when it returns nil.
func (db *DB) tx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, db.pool, fn)
}

// mapErr turns constraint violations and missing rows into app errors; what
// names the thing for messages.
func mapErr(err error, what string) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return app.Conflict(what, err)
		case "23503":
			return &app.Error{Code: app.ENotFound, Message: "A referenced record was not found.", Err: err}
		}
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return app.NotFound(what)
	}
	return err
}

// affected returns ENotFound when tag says no row changed.
func affected(tag pgconn.CommandTag, what string) error {
	if tag.RowsAffected() == 0 {
		return app.NotFound(what)
	}
	return nil
}

// utc normalizes a scanned time (pgx returns local time) for comparisons.
func utc(t time.Time) time.Time { return t.UTC() }

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
