package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/blob"
	"github.com/voxclone/voxclone/internal/jobs"
	"github.com/voxclone/voxclone/internal/postgres"
	"github.com/voxclone/voxclone/internal/sqlite"
	"github.com/voxclone/voxclone/internal/voice"
)

// taskQueue is the task queue as the commands use it: a *jobs.Queue on
// the store's database, whatever its transaction type.
type taskQueue interface {
	app.Queue
	Migrate(ctx context.Context) error
	Start(r jobs.Runner) error
	Stop(grace time.Duration) error
}

// deps is what serve and worker run: the Service and its task queue.
type deps struct {
	svc   *app.Service
	queue taskQueue
	close func()
}

// openService opens and migrates the store and the task queue, opens the
// blob directory and builds the Service. close closes what was opened.
func openService(ctx context.Context, cfg Config, log *slog.Logger) (deps, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return deps{}, fmt.Errorf("create data directory: %w", err)
	}
	secret, err := cfg.jwtSecret()
	if err != nil {
		return deps{}, err
	}
	wmKey, err := cfg.watermarkKey()
	if err != nil {
		return deps{}, err
	}
	db, q, err := openMigrated(ctx, cfg, log)
	if err != nil {
		return deps{}, err
	}
	blobs, err := blob.NewLocal(filepath.Join(cfg.DataDir, blobDirName))
	if err != nil {
		db.Close()
		return deps{}, err
	}
	closeAll := func() {
		if err := errors.Join(blobs.Close(), db.Close()); err != nil {
			log.Warn("closing storage", slog.Any("error", err))
		}
	}
	svc, err := app.NewService(app.Config{
		JWTSecret: secret, WatermarkKey: wmKey, MaxUploadBytes: cfg.MaxUploadBytes, RateLimit: cfg.RateLimit,
		LoginRate: cfg.LoginRate, LoginClientRate: cfg.LoginClientRate, RegisterRate: cfg.RegisterRate,
		Version: version, Logger: log,
	}, app.Deps{Store: db, Blobs: blobs, Engine: voice.New(voice.Config{}), Queue: q})
	if err != nil {
		closeAll()
		return deps{}, err
	}
	return deps{svc: svc, queue: q, close: closeAll}, nil
}

// openMigrated opens the store and its task queue and applies both
// migrations: the store's tables and River's.
func openMigrated(ctx context.Context, cfg Config, log *slog.Logger) (store, taskQueue, error) {
	db, err := openStore(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	q, err := openQueue(ctx, db, cfg, log)
	if err == nil {
		err = db.Migrate(ctx)
	}
	if err == nil {
		err = q.Migrate(ctx)
	}
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, q, nil
}

// openQueue builds the task queue on the store's own database, so that
// tasks are enqueued in the store's transactions.
func openQueue(ctx context.Context, db store, cfg Config, log *slog.Logger) (taskQueue, error) {
	qc := jobs.Config{Workers: cfg.Workers, Timeout: cfg.JobTimeout, Logger: log}
	switch db := db.(type) {
	case *sqlite.DB:
		return jobs.NewSQLite(db.Writer(), qc)
	case *postgres.DB:
		return jobs.NewPostgres(ctx, db.Pool(), qc)
	}
	return nil, fmt.Errorf("no task queue for a %T store", db)
}
