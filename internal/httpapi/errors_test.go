package httpapi

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

func TestStatusCode(t *testing.T) {
	tests := []struct {
		code string
		want int
	}{
		{app.EInvalid, 400},
		{app.EUnauthorized, 401},
		{app.ENotFound, 404},
		{codeMethodNotAllowed, 405},
		{app.EConflict, 409},
		{app.ETooLarge, 413},
		{app.EUnsupported, 415},
		{app.EUnprocessable, 422},
		{app.ERateLimited, 429},
		{app.EInternal, 500},
		{app.EUnavailable, 503},
		{"something_new", 500},
	}
	for _, tt := range tests {
		if got := StatusCode(tt.code); got != tt.want {
			t.Errorf("StatusCode(%q) = %d, want %d", tt.code, got, tt.want)
		}
	}
}

func TestWriteError(t *testing.T) {
	t.Run("InternalIsGenericAndLogged", func(t *testing.T) {
		var logs bytes.Buffer
		log := slog.New(slog.NewTextHandler(&logs, nil))
		rec := httptest.NewRecorder()
		writeError(rec, httptest.NewRequest("GET", "/x", nil), log, errors.New("pq: password authentication failed for secret-db"))
		if rec.Code != 500 {
			t.Fatalf("status %d, want 500", rec.Code)
		}
		assertErrorCode(t, rec, "internal")
		if strings.Contains(rec.Body.String(), "secret-db") {
			t.Errorf("internal detail leaked: %s", rec.Body)
		}
		if !strings.Contains(logs.String(), "secret-db") {
			t.Errorf("internal detail not logged: %q", logs.String())
		}
	})
	t.Run("RateLimitedSetsRetryAfter", func(t *testing.T) {
		rec := httptest.NewRecorder()
		err := &app.Error{Code: app.ERateLimited, Message: "Slow down.", RetryAfter: 1500 * time.Millisecond}
		writeError(rec, httptest.NewRequest("GET", "/x", nil), slog.New(slog.DiscardHandler), err)
		if rec.Code != 429 || rec.Header().Get("Retry-After") != "2" {
			t.Errorf("status %d Retry-After %q, want 429 and 2", rec.Code, rec.Header().Get("Retry-After"))
		}
	})
	t.Run("MaxBytesIsTooLarge", func(t *testing.T) {
		rec := httptest.NewRecorder()
		writeError(rec, httptest.NewRequest("GET", "/x", nil), slog.New(slog.DiscardHandler), &http.MaxBytesError{Limit: 1 << 20})
		if rec.Code != 413 {
			t.Errorf("status %d, want 413", rec.Code)
		}
		assertErrorCode(t, rec, "too_large")
	})
}
