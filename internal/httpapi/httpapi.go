// Package httpapi is voxclone's HTTP interface: the JSON API under /api, the
// OpenAPI document at /openapi.json, the compatible APIs under /v1 (OpenAI)
// and /elevenlabs (whose handlers live in internal/compat) and the web app
// mounted at /. Handlers parse the request, call one app.Service method and
// respond through the shared JSON and error helpers; all routes of every
// API family are declared in routes.go.
package httpapi

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/compat/elevenlabs"
	"github.com/voxclone/voxclone/internal/compat/openai"
	"github.com/voxclone/voxclone/internal/voice"
)

// Service lists the app.Service methods the handlers call, the compatible
// APIs' included. *app.Service satisfies it; tests may pass anything that
// does.
type Service interface {
	openai.Service
	elevenlabs.Service
	RegisterFrom(ctx context.Context, c app.Credentials) (app.User, string, app.RateStatus, error)
	LoginFrom(ctx context.Context, c app.Credentials) (string, app.RateStatus, error)
	Authenticate(ctx context.Context, bearer string) (app.User, error)
	CreateAPIKey(ctx context.Context, userID, name string) (app.APIKey, string, error)
	ListAPIKeys(ctx context.Context, userID string) ([]app.APIKey, error)
	DeleteAPIKey(ctx context.Context, userID, id string) error
	NewBudget(userID string, action app.Action, notify func(app.RateStatus, error)) (*app.Budget, error)
	UploadSample(ctx context.Context, userID string, in app.UploadInput) (app.Sample, error)
	DetectWatermark(ctx context.Context, userID string, audio io.Reader) (app.Detection, error)
	AuditDetectUnread(ctx context.Context, userID string, err error)
	IssueConsent(ctx context.Context, userID string) (app.Consent, error)
	GetConsent(ctx context.Context, userID, id string) (app.Consent, error)
	OpenConsent(ctx context.Context, userID, id string) (app.Consent, error)
	VerifyConsent(ctx context.Context, userID, id string, audio io.Reader) (app.Consent, error)
	ConsentStatus(c app.Consent) string
	ListSamples(ctx context.Context, userID string) ([]app.Sample, error)
	DeleteSample(ctx context.Context, userID, id string) error
	CreateModel(ctx context.Context, userID string, in app.CreateModelInput) (app.Model, error)
	ListModels(ctx context.Context, userID string) ([]app.Model, error)
	GetModel(ctx context.Context, userID, id string) (app.Model, error)
	UpdateModel(ctx context.Context, userID, id string, upd app.ModelUpdate) (app.Model, error)
	DeleteModel(ctx context.Context, userID, id string) error
	StartSpeech(ctx context.Context, userID string, in app.SynthesizeInput) (*app.Speech, app.RateStatus, error)
	BuiltinVoices() []app.BuiltinVoice
	ListHistory(ctx context.Context, userID string, limit int, cursor string) (app.HistoryPage, error)
	StartSpeechJob(ctx context.Context, userID string, in app.SynthesizeInput) (app.Job, app.RateStatus, error)
	GetJob(ctx context.Context, userID, id string) (app.Job, error)
	ListJobs(ctx context.Context, userID string, limit int, cursor string) (app.JobPage, error)
	CancelJob(ctx context.Context, userID, id string) (app.Job, error)
	ModelSummary(ctx context.Context, userID, id string) (*voice.Summary, error)
	OpenHistoryAudio(ctx context.Context, userID, id string) (app.Synthesis, io.ReadSeekCloser, error)
	Health(ctx context.Context) app.Health
	Ready(ctx context.Context, timeout time.Duration) app.Readiness
	DeleteAccount(ctx context.Context, userID, password string) (app.RateStatus, error)
	ExportAccount(ctx context.Context, userID string, w io.Writer) error
	CreateExportLink(ctx context.Context, userID string) (string, time.Time, error)
	ExportByLink(ctx context.Context, token string, w io.Writer) error
	ListAudit(ctx context.Context, userID string, limit int, cursor string) (app.AuditPage, error)
}

// Default limits, used when Config leaves them zero.
const (
	DefaultMaxUploadBytes = 10 << 20 // 10 MiB of audio per upload
	DefaultMaxJSONBytes   = 1 << 20  // JSON request bodies
)

// Config holds what the handler needs. Service is required.
type Config struct {
	Service Service
	// Logger receives one line per request and the detail of internal
	// errors; nil discards.
	Logger *slog.Logger
	// Web serves every path outside /api and /openapi.json; nil answers 404.
	Web http.Handler
	// MaxUploadBytes bounds an uploaded audio file.
	MaxUploadBytes int64
	// MaxJSONBytes bounds a JSON request body.
	MaxJSONBytes int64
	// TrustedProxies are the reverse proxies whose X-Forwarded-For header
	// names the client for the login and registration limits. Empty (the
	// default) ignores the header: anyone can write it.
	TrustedProxies []netip.Prefix
	// Metrics serves GET /metrics; nil answers 404 there, as when the
	// metrics are served on another address (VOXCLONE_METRICS_ADDR).
	Metrics http.Handler
	// Requests, when not nil, hears of every request served.
	Requests RequestObserver
}

// RequestObserver hears of each request served: its route pattern (or
// "web" for the web app, "unmatched" for API paths no route serves), its
// status and how long it took. internal/metrics implements it.
type RequestObserver interface {
	ObserveRequest(route string, status int, took time.Duration)
}

// handler holds the dependencies shared by every route.
type handler struct {
	svc       Service
	log       *slog.Logger
	maxUpload int64
	maxJSON   int64
	trusted   []netip.Prefix
	api       *http.ServeMux
	web       http.Handler
	metrics   http.Handler
	requests  RequestObserver

	openai     *openai.Handler
	elevenlabs *elevenlabs.Handler
}

// NewHandler returns the complete HTTP handler: API routes, OpenAPI
// document and web app, wrapped in logging, recovery and security headers.
func NewHandler(cfg Config) http.Handler {
	return newHandler(cfg, func(route) bool { return true })
}

// NewWorkerHandler returns the HTTP handler of a worker process: only the
// routes marked for workers (health, readiness, metrics), with the same logging, recovery and
// security headers, and no web app.
func NewWorkerHandler(cfg Config) http.Handler {
	cfg.Web = nil
	return newHandler(cfg, func(rt route) bool { return rt.Worker })
}

// newHandler serves the routes that keep says yes to.
func newHandler(cfg Config, keep func(route) bool) http.Handler {
	h := &handler{
		svc:       cfg.Service,
		log:       cfg.Logger,
		maxUpload: cfg.MaxUploadBytes,
		maxJSON:   cfg.MaxJSONBytes,
		web:       cfg.Web,
		trusted:   cfg.TrustedProxies,
		metrics:   cfg.Metrics,
		requests:  cfg.Requests,
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.maxUpload <= 0 {
		h.maxUpload = DefaultMaxUploadBytes
	}
	if h.maxJSON <= 0 {
		h.maxJSON = DefaultMaxJSONBytes
	}
	if h.web == nil {
		h.web = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			writeError(w, r, h.log, app.Errorf(app.ENotFound, "Not found."))
		})
	}
	h.openai = openai.New(openai.Config{Service: cfg.Service, Logger: h.log, MaxJSONBytes: h.maxJSON})
	h.elevenlabs = elevenlabs.New(elevenlabs.Config{Service: cfg.Service, Logger: h.log,
		MaxJSONBytes: h.maxJSON, MaxUploadBytes: h.maxUpload})
	h.api = http.NewServeMux()
	for _, rt := range h.routes() {
		if keep(rt) {
			h.api.Handle(rt.Pattern, rt.handler)
		}
	}
	return h.identify(h.logRequests(h.secure(h.recover(http.HandlerFunc(h.dispatch)))))
}
