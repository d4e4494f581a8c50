package main

import (
	"log/slog"
	"net/http"

	"github.com/voxclone/voxclone/internal/httpapi"
	"github.com/voxclone/voxclone/internal/metrics"
)

// openMetrics decides where GET /metrics is served. Without
// VOXCLONE_METRICS_ADDR it returns the handler for the main address to
// serve it with. With it, it starts a server there that serves only the
// metrics and returns a nil handler, so that the main address answers
// 404; stop closes that server.
func openMetrics(cfg Config, m *metrics.Metrics, log *slog.Logger) (onMain http.Handler, stop func(), err error) {
	if cfg.MetricsAddr == "" {
		return m.Handler(), func() {}, nil
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	srv := httpapi.NewServer(cfg.MetricsAddr, mux, log)
	if err := srv.Open(); err != nil {
		return nil, nil, err
	}
	log.Info("serving metrics", slog.String("url", srv.URL()+"/metrics"))
	return nil, func() { srv.Close() }, nil
}
