package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/blob"
	"github.com/voxclone/voxclone/internal/blob/s3blob"
	"github.com/voxclone/voxclone/internal/jobs"
	"github.com/voxclone/voxclone/internal/metrics"
	"github.com/voxclone/voxclone/internal/postgres"
	"github.com/voxclone/voxclone/internal/sqlite"
	"github.com/voxclone/voxclone/internal/voice"
)

// auditPruneEvery is how often a worker deletes audit events older than
// VOXCLONE_AUDIT_RETENTION, and the consent challenges as old that no
// voice was cloned under.
const auditPruneEvery = time.Hour

// taskQueue is the task queue as the commands use it: a *jobs.Queue on
// the store's database, whatever its transaction type.
type taskQueue interface {
	app.Queue
	Migrate(ctx context.Context) error
	Start(r jobs.Runner) error
	Stop(grace time.Duration) error
	CountJobs(ctx context.Context, fn func(kind, state string, n int)) error
}

// deps is what serve and worker run: the Service, its task queue and the
// metrics of both.
type deps struct {
	svc     *app.Service
	queue   taskQueue
	metrics *metrics.Metrics
	close   func()
}

// openService opens and migrates the store and the task queue, opens the
// blob store and builds the Service. close closes what was opened.
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
	// The periodic work needs the Service, which needs the queue: it
	// reaches it through svc, set below, and runs only once workers start.
	var svc *app.Service
	prune := jobs.Periodic{Name: "prune_audit", Interval: auditPruneEvery,
		Run: func(ctx context.Context) error {
			return errors.Join(svc.PruneAudit(ctx), svc.PruneConsents(ctx), svc.PruneWatermarks(ctx))
		}}
	m := metrics.New(metrics.Options{Logger: log})
	db, q, err := openMigratedObserved(ctx, cfg, log, m.TaskEnded, sweeper(&svc, cfg.BlobGrace), prune)
	if err != nil {
		return deps{}, err
	}
	blobs, err := openBlobs(ctx, cfg)
	if err != nil {
		db.Close()
		return deps{}, err
	}
	closeAll := func() {
		if err := errors.Join(blobs.Close(), db.Close()); err != nil {
			log.Warn("closing storage", slog.Any("error", err))
		}
	}
	ac := app.Config{
		JWTSecret: secret, WatermarkKey: wmKey, MaxUploadBytes: cfg.MaxUploadBytes, RateLimit: cfg.RateLimit,
		LoginRate: cfg.LoginRate, LoginClientRate: cfg.LoginClientRate, RegisterRate: cfg.RegisterRate,
		Version: version, Logger: log, AuditRetention: cfg.AuditRetention,
		WatermarkOrphanAge: watermarkOrphanAge(cfg.JobTimeout),
		RequireConsent:     cfg.RequireConsent,
	}
	if err = cfg.Limits.apply(ctx, &ac, log); err == nil {
		svc, err = app.NewService(ac, app.Deps{Store: db, Blobs: m.WrapBlobs(blobs), Engine: voice.New(voice.Config{}), Queue: q, Observer: m})
	}
	if err != nil {
		closeAll()
		return deps{}, err
	}
	m.WatchJobs(q.CountJobs)
	if ac.Admission != nil {
		m.WatchSlots(ac.Admission)
	}
	return deps{svc: svc, queue: q, metrics: m, close: closeAll}, nil
}

// blobStore is the blob store as the commands need it.
type blobStore interface {
	app.Blobs
	Close() error
}

// openBlobs opens the blob store VOXCLONE_BLOB_URL names: a directory, or
// an S3 bucket with credentials from the standard AWS variables.
func openBlobs(ctx context.Context, cfg Config) (blobStore, error) {
	loc := cfg.blobLocation()
	if loc.S3 != nil {
		return s3blob.New(ctx, *loc.S3, s3blob.Options{})
	}
	return blob.NewLocal(loc.Dir)
}

// sweepEvery is how often a worker sweeps the blob store.
const sweepEvery = time.Hour

// sweeper is the periodic task that deletes blobs no row refers to, on
// the Service *svc.
func sweeper(svc **app.Service, grace time.Duration) jobs.Periodic {
	return jobs.Periodic{Name: "sweep_blobs", Interval: sweepEvery, Run: func(ctx context.Context) error {
		_, err := (*svc).SweepBlobs(ctx, grace)
		return err
	}}
}

// openMigrated opens the store and its task queue and applies both
// migrations: the store's tables and River's.
func openMigrated(ctx context.Context, cfg Config, log *slog.Logger, periodic ...jobs.Periodic) (store, taskQueue, error) {
	return openMigratedObserved(ctx, cfg, log, nil, periodic...)
}

// taskObserver hears of each task a worker ends: its kind and outcome,
// how long it waited in the queue and how long it ran.
type taskObserver func(kind, outcome string, wait, run time.Duration)

// openMigratedObserved is openMigrated with obs, when not nil, told of
// every task this process's workers end.
func openMigratedObserved(ctx context.Context, cfg Config, log *slog.Logger, obs taskObserver, periodic ...jobs.Periodic) (store, taskQueue, error) {
	db, err := openStore(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	q, err := openQueue(ctx, db, cfg, log, obs, periodic)
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
func openQueue(ctx context.Context, db store, cfg Config, log *slog.Logger, obs taskObserver, periodic []jobs.Periodic) (taskQueue, error) {
	qc := jobs.Config{Workers: cfg.Workers, Timeout: cfg.JobTimeout, Logger: log, Periodic: periodic}
	if obs != nil {
		qc.Observe = func(ev jobs.Event) { obs(string(ev.Kind), string(ev.Outcome), ev.Wait, ev.Run) }
	}
	switch db := db.(type) {
	case *sqlite.DB:
		return jobs.NewSQLite(db.Writer(), qc)
	case *postgres.DB:
		return jobs.NewPostgres(ctx, db.Pool(), qc)
	}
	return nil, fmt.Errorf("no task queue for a %T store", db)
}

// watermarkOrphanAge is how long a synthesis's watermark row may wait for
// its history entry: a day, or longer than the longest synthesis job may
// run (one job time limit per jobs.SpeechChars characters of the longest
// text, and the margin before another worker takes it over) when
// VOXCLONE_JOB_TIMEOUT makes that longer.
func watermarkOrphanAge(jobTimeout time.Duration) time.Duration {
	parts := (app.MaxJobTextRunes + jobs.SpeechChars - 1) / jobs.SpeechChars
	return max(app.DefaultWatermarkOrphanAge, jobs.RescueAfter(time.Duration(parts)*jobTimeout))
}
