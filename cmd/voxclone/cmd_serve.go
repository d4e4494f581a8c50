package main

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/voxclone/voxclone/internal/httpapi"
	"github.com/voxclone/voxclone/internal/web"
)

// runServe migrates the database and serves the API and web app, with
// Config.Workers task workers in the same process, until ctx ends
// (SIGINT/SIGTERM). Then it stops taking requests and tasks and gives the
// running ones the grace period to finish.
func runServe(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "serve", "usage: voxclone serve\n\nServes the HTTP API and web app, and runs VOXCLONE_WORKERS task workers. Configuration comes from the VOXCLONE_* environment variables (see README.md).")
	if err := noArguments(fs, args); err != nil {
		return err
	}
	cfg, err := LoadConfig(env.Getenv)
	if err != nil {
		return err
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

	h := httpapi.NewHandler(httpapi.Config{
		Service: d.svc, Logger: log, Web: web.Handler(), MaxUploadBytes: cfg.MaxUploadBytes,
		TrustedProxies: cfg.trustedProxies(), Metrics: onMain, Requests: d.metrics,
	})
	srv := httpapi.NewServer(cfg.Addr, h, log)
	srv.ShutdownTimeout = cfg.ShutdownGrace
	if err := srv.Open(); err != nil {
		return err
	}
	if cfg.Workers > 0 {
		if err := d.queue.Start(d.svc); err != nil {
			srv.Close()
			return err
		}
	} else {
		log.Warn("VOXCLONE_WORKERS=0: this process runs no tasks; voices and jobs wait for a `voxclone worker` on the same database")
	}
	log.Info("listening", slog.String("url", srv.URL()), slog.String("database", cfg.databaseName()), slog.String("blobs", cfg.blobName()),
		slog.String("data_dir", cfg.DataDir), slog.String("rate_limit", cfg.RateLimit.String()),
		slog.String("login_rate_limit", cfg.LoginRate.String()+","+cfg.LoginClientRate.String()),
		slog.String("register_rate_limit", cfg.RegisterRate.String()), slog.String("trusted_proxies", cfg.TrustedProxies),
		slog.Int64("max_upload_bytes", cfg.MaxUploadBytes), slog.Int("workers", cfg.Workers),
		slog.Duration("job_timeout", cfg.JobTimeout), slog.String("version", version))
	return runUntilDone(ctx, log, cfg.ShutdownGrace, srv, d.queue)
}

// runUntilDone waits for ctx to end or the server to fail, then stops the
// server and the queue together, each within grace.
func runUntilDone(ctx context.Context, log *slog.Logger, grace time.Duration, srv *httpapi.Server, q taskQueue) error {
	select {
	case <-ctx.Done():
		log.Info("shutting down; finishing in-flight requests and tasks", slog.Duration("grace", grace))
	case err := <-srv.Done():
		q.Stop(grace)
		return err
	}
	var qerr error
	stopped := make(chan struct{})
	go func() { qerr = q.Stop(grace); close(stopped) }()
	err := srv.Close()
	<-stopped
	if err := errors.Join(err, qerr); err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}
