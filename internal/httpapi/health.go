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
