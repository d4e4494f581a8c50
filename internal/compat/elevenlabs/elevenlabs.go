// Package elevenlabs serves a subset of ElevenLabs' API under
// /elevenlabs, so the official @elevenlabs/elevenlabs-js SDK (and other
// clients of that API) clone voices and speak in them with only the base
// URL and the key changed: voices (instant cloning from uploaded files,
// listing, search, deletion), text to speech with its streaming and
// character-timestamp variants, history, models and a minimal user.
// Handlers translate each request into calls of the service layer; the
// route table in internal/httpapi lists them, with this package's
// Credentials, WriteError and UnknownRoute as the family's auth scheme and
// error shape. docs/compat.md lists the subset and its differences.
package elevenlabs

import (
	"context"
	_ "embed"
	"io"
	"log/slog"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/compat"
)

// Service lists the service methods the handlers call; *app.Service
// satisfies it.
type Service interface {
	compat.Voices
	StartSpeech(ctx context.Context, userID string, in app.SynthesizeInput) (*app.Speech, app.RateStatus, error)
	UploadSample(ctx context.Context, userID string, in app.UploadInput) (app.Sample, error)
	ListSamples(ctx context.Context, userID string) ([]app.Sample, error)
	DeleteSample(ctx context.Context, userID, id string) error
	CreateModel(ctx context.Context, userID string, in app.CreateModelInput) (app.Model, error)
	DeleteModel(ctx context.Context, userID, id string) error
	NewBudget(userID string, action app.Action, notify func(app.RateStatus, error)) (*app.Budget, error)
	ListHistory(ctx context.Context, userID string, limit int, cursor string) (app.HistoryPage, error)
	GetSynthesis(ctx context.Context, userID, id string) (app.Synthesis, error)
	OpenHistoryAudio(ctx context.Context, userID, id string) (app.Synthesis, io.ReadSeekCloser, error)
}

// Defaults used when Config leaves a limit zero.
const (
	DefaultMaxJSONBytes   = 1 << 20
	DefaultMaxUploadBytes = 10 << 20
)

// Config holds what the handlers need. Service is required to serve
// requests; a zero Config still lists routes.
type Config struct {
	Service Service
	// Logger receives the detail of internal errors; nil discards.
	Logger *slog.Logger
	// MaxJSONBytes bounds a JSON request body.
	MaxJSONBytes int64
	// MaxUploadBytes bounds each audio file of voices/add.
	MaxUploadBytes int64
}

// Handler serves the /elevenlabs routes. Its methods are the routes'
// handlers.
type Handler struct {
	svc       Service
	log       *slog.Logger
	maxJSON   int64
	maxUpload int64
}

// New returns a Handler.
func New(cfg Config) *Handler {
	h := &Handler{svc: cfg.Service, log: cfg.Logger, maxJSON: cfg.MaxJSONBytes, maxUpload: cfg.MaxUploadBytes}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.maxJSON <= 0 {
		h.maxJSON = DefaultMaxJSONBytes
	}
	if h.maxUpload <= 0 {
		h.maxUpload = DefaultMaxUploadBytes
	}
	return h
}

//go:embed openapi.json
var openAPIDoc []byte

// OpenAPI returns the OpenAPI 3.1 document of the /elevenlabs routes,
// whose paths are relative to its server URL, /elevenlabs.
func OpenAPI() []byte { return openAPIDoc }
