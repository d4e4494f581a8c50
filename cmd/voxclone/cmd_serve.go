package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/blob"
	"github.com/voxclone/voxclone/internal/httpapi"
	"github.com/voxclone/voxclone/internal/voice"
	"github.com/voxclone/voxclone/internal/web"
)

// runServe migrates the database and serves the API and web app until ctx
// ends (SIGINT/SIGTERM), then lets in-flight requests finish.
func runServe(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "serve", "usage: voxclone serve\n\nServes the HTTP API and web app. Configuration comes from the VOXCLONE_* environment variables (see README.md).")
	if err := noArguments(fs, args); err != nil {
		return err
	}
	cfg, err := LoadConfig(env.Getenv)
	if err != nil {
		return err
	}
	log := cfg.newLogger(env.Stderr)
	svc, closeDeps, err := openService(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeDeps()

	h := httpapi.NewHandler(httpapi.Config{
		Service: svc, Logger: log, Web: web.Handler(), MaxUploadBytes: cfg.MaxUploadBytes,
		TrustedProxies: cfg.trustedProxies(),
	})
	srv := httpapi.NewServer(cfg.Addr, h, log)
	if err := srv.Open(); err != nil {
		return err
	}
	log.Info("listening", slog.String("url", srv.URL()), slog.String("database", cfg.databaseName()),
		slog.String("data_dir", cfg.DataDir), slog.String("rate_limit", cfg.RateLimit.String()),
		slog.String("login_rate_limit", cfg.LoginRate.String()+","+cfg.LoginClientRate.String()),
		slog.String("register_rate_limit", cfg.RegisterRate.String()), slog.String("trusted_proxies", cfg.TrustedProxies),
		slog.Int64("max_upload_bytes", cfg.MaxUploadBytes), slog.String("version", version))
	select {
	case <-ctx.Done():
		log.Info("shutting down; finishing in-flight requests")
	case err := <-srv.Done():
		return err
	}
	if err := srv.Close(); err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}

// openService opens and migrates the store, opens the blob directory and
// builds the Service. The returned func closes what was opened.
func openService(ctx context.Context, cfg Config, log *slog.Logger) (*app.Service, func(), error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("create data directory: %w", err)
	}
	secret, err := cfg.jwtSecret()
	if err != nil {
		return nil, nil, err
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, nil, err
	}
	blobs, err := blob.NewLocal(filepath.Join(cfg.DataDir, blobDirName))
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	closeAll := func() {
		if err := errors.Join(blobs.Close(), db.Close()); err != nil {
			log.Warn("closing storage", slog.Any("error", err))
		}
	}
	svc, err := app.NewService(app.Config{
		JWTSecret: secret, MaxUploadBytes: cfg.MaxUploadBytes, RateLimit: cfg.RateLimit,
		LoginRate: cfg.LoginRate, LoginClientRate: cfg.LoginClientRate, RegisterRate: cfg.RegisterRate,
		Version: version, Logger: log,
	}, app.Deps{Store: db, Blobs: blobs, Engine: voice.New(voice.Config{})})
	if err != nil {
		closeAll()
		return nil, nil, err
	}
	return svc, closeAll, nil
}
