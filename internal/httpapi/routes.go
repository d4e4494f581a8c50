package httpapi

import (
	"net/http"
	"strings"

	"github.com/voxclone/voxclone/internal/app"
)

// route is one API endpoint. Every route is private (needs a bearer token or
// API key) unless Public is set; Limit names the rate budget it spends,
// charged once the request has passed validation (see metered).
type route struct {
	Pattern string
	Public  bool
	Limit   app.Action
	handler http.Handler
}

// routes is the complete list of API routes; the OpenAPI document and the
// auth test walk it. Paths outside /api and /openapi.json go to the web app.
func (h *handler) routes() []route {
	return []route{
		h.public("GET /openapi.json", h.openAPI),
		h.public("GET /api/voice/health", h.health),

		h.public("POST /api/auth/register", h.register),
		h.public("POST /api/auth/login", h.login),
		h.private("POST /api/auth/keys", "", h.createKey),
		h.private("GET /api/auth/keys", "", h.listKeys),
		h.private("DELETE /api/auth/keys/{id}", "", h.deleteKey),

		h.private("POST /api/voice/upload", app.ActionUpload, h.upload),
		h.private("GET /api/voice/samples", "", h.listSamples),
		h.private("DELETE /api/voice/samples/{id}", "", h.deleteSample),

		h.private("POST /api/voice/clone", app.ActionClone, h.clone),
		h.private("GET /api/voice/models", "", h.listModels),
		h.private("GET /api/voice/models/{id}", "", h.getModel),
		h.private("GET /api/voice/models/{id}/summary", "", h.modelSummary),
		h.private("PATCH /api/voice/models/{id}", "", h.updateModel),
		h.private("DELETE /api/voice/models/{id}", "", h.deleteModel),

		h.private("POST /api/voice/synthesize", app.ActionSynthesize, h.synthesize),
		h.private("GET /api/voice/builtin-voices", "", h.builtinVoices),
		h.private("GET /api/voice/history", "", h.listHistory),
		h.private("GET /api/voice/history/{id}/audio", "", h.historyAudio),
	}
}

func (h *handler) public(pattern string, fn http.HandlerFunc) route {
	return route{Pattern: pattern, Public: true, handler: fn}
}

// userHandler is a private route's handler; it receives the caller.
type userHandler func(w http.ResponseWriter, r *http.Request, u app.User)

func (h *handler) private(pattern string, limit app.Action, fn userHandler) route {
	return route{Pattern: pattern, Limit: limit, handler: h.authenticated(limit, fn)}
}

// isAPIPath reports whether path belongs to the API mux rather than the web
// app.
func isAPIPath(path string) bool {
	return path == "/api" || strings.HasPrefix(path, "/api/") || path == "/openapi.json"
}

// dispatch sends API paths to the API mux, answering unknown routes and
// wrong methods with JSON errors, and everything else to the web app.
func (h *handler) dispatch(w http.ResponseWriter, r *http.Request) {
	if !isAPIPath(r.URL.Path) {
		h.web.ServeHTTP(w, r)
		return
	}
	fallback, pattern := h.api.Handler(r)
	if pattern != "" {
		h.api.ServeHTTP(w, r)
		return
	}
	// The mux's own 404/405/redirect answers are plain text; keep their
	// status and headers (Allow, Location) but answer in JSON.
	cw := &discardBody{header: w.Header()}
	fallback.ServeHTTP(cw, r)
	switch cw.status {
	case http.StatusMethodNotAllowed:
		writeError(w, r, h.log, &app.Error{Code: codeMethodNotAllowed, Message: "Method not allowed; see the Allow header."})
	case http.StatusNotFound, 0:
		writeError(w, r, h.log, app.Errorf(app.ENotFound, "No such API route."))
	default:
		w.WriteHeader(cw.status)
	}
}

// discardBody records the status written by a fallback handler and drops
// its body, leaving headers on the real response.
type discardBody struct {
	header http.Header
	status int
}

func (d *discardBody) Header() http.Header { return d.header }

func (d *discardBody) Write(p []byte) (int, error) {
	if d.status == 0 {
		d.status = http.StatusOK
	}
	return len(p), nil
}

func (d *discardBody) WriteHeader(code int) {
	if d.status == 0 {
		d.status = code
	}
}
