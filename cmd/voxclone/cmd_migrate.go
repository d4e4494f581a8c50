package main

import (
	"context"
	"fmt"
	"os"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/postgres"
	"github.com/voxclone/voxclone/internal/sqlite"
)

// runMigrate applies the database migrations, the store's and the task
// queue's, and exits. serve and worker do the same on start; this is for
// deployments that migrate as a separate step.
func runMigrate(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "migrate", "usage: voxclone migrate\n\nApplies pending database migrations to VOXCLONE_DATABASE_URL (default: SQLite in VOXCLONE_DATA_DIR) and exits.")
	if err := noArguments(fs, args); err != nil {
		return err
	}
	cfg, err := LoadConfig(env.Getenv)
	if err != nil {
		return err
	}
	db, _, err := openMigrated(ctx, cfg, cfg.newLogger(env.Stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = fmt.Fprintf(env.Stdout, "migrations applied (%s)\n", cfg.databaseName())
	return err
}

// store is the database as the commands need it.
type store interface {
	app.Store
	Migrate(ctx context.Context) error
	Close() error
}

// openStore opens PostgreSQL when DatabaseURL is a postgres:// URL, else the
// SQLite file (creating the data directory). It does not migrate.
func openStore(ctx context.Context, cfg Config) (store, error) {
	if cfg.usesPostgres() {
		return postgres.Open(ctx, cfg.DatabaseURL)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	// Create the file owner-only before SQLite does (it would use the
	// umask); its -wal and -shm files copy the database file's mode.
	path := cfg.sqlitePath()
	if f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o600); err == nil {
		f.Close()
	}
	return sqlite.Open(path)
}

// databaseName describes the database without credentials, for logs.
func (c Config) databaseName() string {
	if c.usesPostgres() {
		return "postgresql"
	}
	return "sqlite " + c.sqlitePath()
}
