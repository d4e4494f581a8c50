package httpapi

import (
	"context"
	_ "embed"
	"net/http"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// healthTimeout bounds a health check so a hung dependency reads as down
// rather than hanging the probe.
const healthTimeout = 5 * time.Second

// health reports the engine, database and storage; 503 when any is down.
func (h *handler) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	st := h.svc.Health(ctx)
	status := http.StatusOK
	if !st.OK || !st.Engine.OK || !st.Database.OK || !st.Storage.OK {
		st.OK = false
		status = http.StatusServiceUnavailable
	}
	// The route is public: a failure's detail (hosts, paths) stays in the
	// service's log.
	for _, c := range []*app.ComponentHealth{&st.Engine, &st.Database, &st.Storage} {
		if !c.OK {
			c.Detail = "unavailable"
		}
	}
	if st.Blobs != nil {
		st.Blobs.MissingKeys = nil // ids of users' entries: in the log only
	}
	writeJSON(w, status, st)
}

//go:embed openapi.json
var openAPIDoc []byte

// readyTimeout bounds each dependency's ping in /readyz: a load balancer
// probes often and wants an answer soon.
const readyTimeout = 2 * time.Second

// livez answers 200 while the process serves HTTP at all; it checks
// nothing else, so that an orchestrator restarts only a stuck process,
// never one whose database is down.
func (h *handler) livez(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

// readiness is the body of /readyz.
type readiness struct {
	OK bool `json:"ok"`
	app.Readiness
}

// readyz answers 200 when the database and the blob store answer, and 503
// naming the one that did not, so that a load balancer sends requests
// only to processes that can serve them.
func (h *handler) readyz(w http.ResponseWriter, r *http.Request) {
	rd := h.svc.Ready(r.Context(), readyTimeout)
	status := http.StatusOK
	if !rd.OK() {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, readiness{OK: rd.OK(), Readiness: rd})
}

// serveMetrics serves the Prometheus metrics, or 404 when this address
// does not serve them.
func (h *handler) serveMetrics(w http.ResponseWriter, r *http.Request) {
	if h.metrics == nil {
		writeError(w, r, h.log, nativeAPI.unknownRoute(r))
		return
	}
	h.metrics.ServeHTTP(w, r)
}
