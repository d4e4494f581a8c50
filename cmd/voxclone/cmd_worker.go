package main

import (
	"context"
	"errors"
	"log/slog"

	"github.com/voxclone/voxclone/internal/httpapi"
)

// runWorker migrates the database and runs Config.Workers task workers,
// with only the health, readiness and metrics routes on Config.Addr
// (metrics on Config.MetricsAddr when set), until ctx ends; then it stops
// as serve does.
func runWorker(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "worker", "usage: voxclone worker\n\nRuns VOXCLONE_WORKERS task workers (voice cloning, long-form synthesis) without the API; health (/livez, /readyz, /api/voice/health) and metrics (/metrics, or on VOXCLONE_METRICS_ADDR) are served on VOXCLONE_ADDR. Configuration comes from the VOXCLONE_* environment variables (see README.md).")
	if err := noArguments(fs, args); err != nil {
		return err
	}
	cfg, err := LoadConfig(env.Getenv)
	if err != nil {
		return err
	}
	if cfg.Workers == 0 {
		return errors.New("VOXCLONE_WORKERS is 0: a worker process needs at least one worker; set it to 1 or more")
	}
	log := cfg.newLogger(env.Stderr)
	d, err := openService(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer d.close()
	onMain, stopMetrics, err := openMetrics(cfg, d.metrics, log)
	if err != nil {
		return err
	}
	defer stopMetrics()
	srv := httpapi.NewServer(cfg.Addr, httpapi.NewWorkerHandler(httpapi.Config{Service: d.svc, Logger: log,
		Metrics: onMain, Requests: d.metrics}), log)
	srv.ShutdownTimeout = cfg.ShutdownGrace
	if err := srv.Open(); err != nil {
		return err
	}
	if err := d.queue.Start(d.svc); err != nil {
		srv.Close()
		return err
	}
	log.Info("listening", slog.String("url", srv.URL()), slog.String("role", "worker"),
		slog.String("database", cfg.databaseName()), slog.String("blobs", cfg.blobName()), slog.String("data_dir", cfg.DataDir),
		slog.Int("workers", cfg.Workers), slog.Duration("job_timeout", cfg.JobTimeout), slog.String("version", version))
	return runUntilDone(ctx, log, cfg.ShutdownGrace, srv, d.queue)
}
