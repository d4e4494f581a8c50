package httpapi

import (
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/compat/elevenlabs"
	"github.com/voxclone/voxclone/internal/compat/openai"
)

// family is one API the server speaks: voxclone's own under /api, and the
// compatible ones under /v1 (OpenAI) and /elevenlabs. Each reads the
// caller's credentials its own way and answers errors, unknown routes
// included, in its own shape, so every client sees what it expects.
type family struct {
	Name string
	// Prefix starts every path of the family.
	Prefix string
	// credentials returns the caller's login token or API key, or an
	// EUnauthorized error saying how to send one.
	credentials func(*http.Request) (string, error)
	// writeError answers an error in the family's shape.
	writeError func(http.ResponseWriter, *http.Request, *slog.Logger, error)
	// unknownRoute is the error for a path of the family no route serves.
	unknownRoute func(*http.Request) error
	// Doc is the family's OpenAPI document; its paths are relative to
	// DocBase.
	Doc     []byte
	DocBase string
}

var (
	nativeAPI = &family{
		Name: "voxclone", Prefix: "/api", credentials: bearerCredentials, writeError: writeError,
		unknownRoute: func(*http.Request) error { return app.Errorf(app.ENotFound, "No such API route.") },
		Doc:          openAPIDoc,
	}
	openaiAPI = &family{
		Name: "openai", Prefix: "/v1", credentials: openai.Credentials, writeError: openai.WriteError,
		unknownRoute: openai.UnknownRoute, Doc: openai.OpenAPI(), DocBase: "/v1",
	}
	elevenlabsAPI = &family{
		Name: "elevenlabs", Prefix: "/elevenlabs", credentials: elevenlabs.Credentials,
		writeError: elevenlabs.WriteError, unknownRoute: elevenlabs.UnknownRoute,
		Doc: elevenlabs.OpenAPI(), DocBase: "/elevenlabs",
	}
	families = []*family{nativeAPI, openaiAPI, elevenlabsAPI}
)

// familyOf returns the API family a path belongs to, or nil for the web
// app's paths.
func familyOf(path string) *family {
	switch path {
	case "/openapi.json", "/livez", "/readyz", "/metrics":
		return nativeAPI
	}
	for _, f := range families {
		if path == f.Prefix || strings.HasPrefix(path, f.Prefix+"/") {
			return f
		}
	}
	return nil
}

// bearerCredentials reads voxclone's own scheme, "Authorization: Bearer".
func bearerCredentials(r *http.Request) (string, error) {
	token, ok := bearer(r)
	if !ok {
		return "", app.Errorf(app.EUnauthorized, "Send an Authorization: Bearer <token or API key> header.")
	}
	return token, nil
}

// serveDoc serves an OpenAPI document.
func serveDoc(doc []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(doc)))
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(doc)
	}
}
