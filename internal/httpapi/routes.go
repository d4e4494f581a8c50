package httpapi

import (
	"net/http"

	"github.com/voxclone/voxclone/internal/app"
)

// route is one API endpoint. Every route is private (needs a bearer token or
// API key) unless Public is set; Limit names the rate budget it spends,
// charged once the request has passed validation (see metered); API is the
// family it belongs to, which decides how credentials are sent and how
// errors look. Worker routes are also served by worker processes
// (NewWorkerHandler).
type route struct {
	Pattern string
	Public  bool
	Worker  bool
	Limit   app.Action
	API     *family
	handler http.Handler
}

// routes is the complete list of API routes of every family; the OpenAPI
// documents and the auth test walk it. Paths outside the families' prefixes
// (/api, /v1, /elevenlabs), /openapi.json and the probes go to the web app.
func (h *handler) routes() []route {
	oa, el := h.openai, h.elevenlabs
	return []route{
		h.public("GET /openapi.json", serveDoc(nativeAPI.Doc)),
		h.public("GET /api/voice/health", h.health).onWorkers(),
		// Probes for orchestrators and load balancers, and Prometheus's
		// scrape (404 when VOXCLONE_METRICS_ADDR serves it elsewhere).
		h.public("GET /livez", h.livez).onWorkers(),
		h.public("GET /readyz", h.readyz).onWorkers(),
		h.public("GET /metrics", h.serveMetrics).onWorkers(),

		h.public("POST /api/auth/register", h.register),
		h.public("POST /api/auth/login", h.login),
		h.private("POST /api/auth/keys", "", h.createKey),
		h.private("GET /api/auth/keys", "", h.listKeys),
		h.private("DELETE /api/auth/keys/{id}", "", h.deleteKey),
		// Deleting the account re-enters the password; wrong ones count as
		// failed logins (app.DeleteAccount), hence no budget here.
		h.private("DELETE /api/auth/me", "", h.deleteMe),
		h.private("GET /api/auth/me/export", "", h.exportMe),
		// A link for browsers, so the archive streams to disk: single-use,
		// for a minute; its token is the credential.
		h.private("POST /api/auth/me/export/link", "", h.exportLink),
		h.public("GET /api/auth/export/{token}", h.exportByLink),
		h.private("GET /api/auth/me/audit", "", h.listAudit),

		h.private("POST /api/voice/upload", app.ActionUpload, h.upload),
		h.private("GET /api/voice/samples", "", h.listSamples),
		h.private("DELETE /api/voice/samples/{id}", "", h.deleteSample),

		// Spoken consent (before a clone when VOXCLONE_REQUIRE_CONSENT):
		// both decode or prepare audio work, so they share the upload budget.
		h.private("POST /api/voice/consent", app.ActionUpload, h.issueConsent),
		h.private("POST /api/voice/consent/{id}", app.ActionUpload, h.verifyConsent),
		h.private("GET /api/voice/consent/{id}", "", h.getConsent),
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
		// Detection decodes an upload, so it shares the upload budget.
		h.private("POST /api/voice/detect", app.ActionUpload, h.detect),

		// StartSpeechJob charges the synthesize budget, as StartSpeech does.
		h.private("POST /api/voice/jobs/synthesize", app.ActionSynthesize, h.startJob),
		h.private("GET /api/voice/jobs", "", h.listJobs),
		h.private("GET /api/voice/jobs/{id}", "", h.getJob),
		h.private("DELETE /api/voice/jobs/{id}", "", h.cancelJob),

		// OpenAI's speech API (internal/compat/openai): Authorization: Bearer
		// with an API key or login token; errors {"error":{message,type,param,code}}.
		// Speech charges the synthesize budget in StartSpeech, as above.
		h.publicIn(openaiAPI, "GET /v1/openapi.json", serveDoc(openaiAPI.Doc)),
		h.privateIn(openaiAPI, "POST /v1/audio/speech", app.ActionSynthesize, oa.Speech),
		h.privateIn(openaiAPI, "GET /v1/audio/voices", "", oa.ListVoices),
		h.privateIn(openaiAPI, "GET /v1/models", "", oa.ListModels),
		h.privateIn(openaiAPI, "GET /v1/models/{model}", "", oa.GetModel),

		// ElevenLabs' API, a subset (internal/compat/elevenlabs): the
		// xi-api-key header with an API key; errors {"detail":{status,message}}.
		// Text to speech charges the synthesize budget in StartSpeech; voices/add
		// charges an upload per file and the clone budget once the files are in.
		h.publicIn(elevenlabsAPI, "GET /elevenlabs/openapi.json", serveDoc(elevenlabsAPI.Doc)),
		h.privateIn(elevenlabsAPI, "POST /elevenlabs/v1/voices/add", app.ActionClone, el.AddVoice),
		h.privateIn(elevenlabsAPI, "GET /elevenlabs/v1/voices", "", el.ListVoices),
		h.privateIn(elevenlabsAPI, "GET /elevenlabs/v2/voices", "", el.SearchVoices),
		h.privateIn(elevenlabsAPI, "GET /elevenlabs/v1/voices/{voice_id}", "", el.GetVoice),
		h.privateIn(elevenlabsAPI, "DELETE /elevenlabs/v1/voices/{voice_id}", "", el.DeleteVoice),
		h.privateIn(elevenlabsAPI, "POST /elevenlabs/v1/text-to-speech/{voice_id}", app.ActionSynthesize, el.Convert),
		h.privateIn(elevenlabsAPI, "POST /elevenlabs/v1/text-to-speech/{voice_id}/stream", app.ActionSynthesize, el.Stream),
		h.privateIn(elevenlabsAPI, "POST /elevenlabs/v1/text-to-speech/{voice_id}/with-timestamps", app.ActionSynthesize, el.ConvertWithTimestamps),
		h.privateIn(elevenlabsAPI, "POST /elevenlabs/v1/text-to-speech/{voice_id}/stream/with-timestamps", app.ActionSynthesize, el.StreamWithTimestamps),
		h.privateIn(elevenlabsAPI, "GET /elevenlabs/v1/history", "", el.ListHistory),
		h.privateIn(elevenlabsAPI, "GET /elevenlabs/v1/history/{history_item_id}/audio", "", el.HistoryAudio),
		h.privateIn(elevenlabsAPI, "GET /elevenlabs/v1/models", "", el.ListModels),
		h.privateIn(elevenlabsAPI, "GET /elevenlabs/v1/user", "", el.GetUser),
	}
}

// onWorkers marks a route that worker processes serve too.
func (rt route) onWorkers() route {
	rt.Worker = true
	return rt
}

func (h *handler) public(pattern string, fn http.HandlerFunc) route {
	return h.publicIn(nativeAPI, pattern, fn)
}

func (h *handler) publicIn(api *family, pattern string, fn http.HandlerFunc) route {
	return route{Pattern: pattern, Public: true, API: api, handler: fn}
}

// userHandler is a private route's handler; it receives the caller.
type userHandler func(w http.ResponseWriter, r *http.Request, u app.User)

func (h *handler) private(pattern string, limit app.Action, fn userHandler) route {
	return h.privateIn(nativeAPI, pattern, limit, fn)
}

func (h *handler) privateIn(api *family, pattern string, limit app.Action, fn userHandler) route {
	return route{Pattern: pattern, Limit: limit, API: api, handler: h.authenticated(api, limit, fn)}
}

// isAPIPath reports whether path belongs to the API mux rather than the web
// app.
func isAPIPath(path string) bool { return familyOf(path) != nil }

// dispatch sends API paths to the API mux, answering unknown routes and
// wrong methods with JSON errors, and everything else to the web app.
func (h *handler) dispatch(w http.ResponseWriter, r *http.Request) {
	api := familyOf(r.URL.Path)
	if api == nil {
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
		api.writeError(w, r, h.log, &app.Error{Code: codeMethodNotAllowed, Message: "Method not allowed; see the Allow header."})
	case http.StatusNotFound, 0:
		api.writeError(w, r, h.log, api.unknownRoute(r))
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
