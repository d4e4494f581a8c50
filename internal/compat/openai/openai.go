// Package openai serves OpenAI's speech API under /v1, so the official
// openai SDKs (and anything else written against POST /v1/audio/speech)
// speak in voxclone's voices with only the base URL and the key changed.
// Handlers translate each request into a call of the service layer; the
// route table in internal/httpapi lists them, with this package's
// Credentials, WriteError and UnknownRoute as the family's auth scheme and
// error shape. docs/compat.md lists the subset and its differences.
package openai

import (
	"context"
	_ "embed"
	"log/slog"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/compat"
)

// Service lists the service methods the handlers call; *app.Service
// satisfies it.
type Service interface {
	compat.Voices
	StartSpeech(ctx context.Context, userID string, in app.SynthesizeInput) (*app.Speech, app.RateStatus, error)
}

// DefaultMaxJSONBytes bounds a request body when Config leaves it zero.
const DefaultMaxJSONBytes = 1 << 20

// Config holds what the handlers need. Service is required to serve
// requests; a zero Config still lists routes.
type Config struct {
	Service Service
	// Logger receives the detail of internal errors; nil discards.
	Logger *slog.Logger
	// MaxJSONBytes bounds a request body.
	MaxJSONBytes int64
}

// Handler serves the /v1 routes. Its methods are the routes' handlers.
type Handler struct {
	svc     Service
	log     *slog.Logger
	maxJSON int64
}

// New returns a Handler.
func New(cfg Config) *Handler {
	h := &Handler{svc: cfg.Service, log: cfg.Logger, maxJSON: cfg.MaxJSONBytes}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.maxJSON <= 0 {
		h.maxJSON = DefaultMaxJSONBytes
	}
	return h
}

//go:embed openapi.json
var openAPIDoc []byte

// OpenAPI returns the OpenAPI 3.1 document of the /v1 routes, whose paths
// are relative to its server URL, /v1.
func OpenAPI() []byte { return openAPIDoc }
