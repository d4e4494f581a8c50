package httpapi

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// logRequests writes one log line per request: method, route pattern (not
// the raw path, which may hold ids), status, duration and bytes written,
// and tells the RequestObserver, if any.
func (h *handler) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		pattern := r.Pattern // set in place by the API mux
		if pattern == "" {
			pattern = "web"
			if isAPIPath(r.URL.Path) {
				pattern = "unmatched"
			}
		}
		took := time.Since(start)
		if h.requests != nil {
			h.requests.ObserveRequest(pattern, sw.status(), took)
		}
		h.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("request_id", app.RequestFrom(r.Context()).RequestID),
			slog.String("method", r.Method),
			slog.String("pattern", pattern),
			slog.Int("status", sw.status()),
			slog.Duration("duration", took),
			slog.Int64("bytes", sw.bytes),
		)
	})
}

// identify gives the request an id, answered in X-Request-Id, and puts it
// with the client address (as clientAddr derives it) in the context, where
// the service's audit log finds them. An X-Request-Id sent by a trusted
// proxy is kept, so the proxy's logs and ours agree; anyone else's is
// replaced, as a client could write anything there.
func (h *handler) identify(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		peer, ok := parseHostAddr(r.RemoteAddr)
		if !ok || !isTrusted(peer, h.trusted) || !validRequestID(id) {
			id = app.NewID()
		}
		w.Header().Set("X-Request-Id", id)
		info := app.RequestInfo{Client: clientAddr(r, h.trusted), RequestID: id}
		next.ServeHTTP(w, r.WithContext(app.WithRequest(r.Context(), info)))
	})
}

// validRequestID accepts the ids proxies make: up to 64 letters, digits,
// dashes, underscores and dots.
func validRequestID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// statusWriter remembers the status and counts the body bytes.
type statusWriter struct {
	http.ResponseWriter
	code  int
	bytes int64
}

func (s *statusWriter) WriteHeader(code int) {
	if s.code == 0 {
		s.code = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(p []byte) (int, error) {
	if s.code == 0 {
		s.code = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(p)
	s.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (s *statusWriter) status() int {
	if s.code == 0 {
		return http.StatusOK
	}
	return s.code
}

// secure sets headers that keep browsers from sniffing, framing or leaking
// responses. The web app sets its own Content-Security-Policy and
// Cache-Control over these. docs/api.md lists the values and why;
// TestSecurityHeaders pins them.
func (h *handler) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		hd.Set("Cross-Origin-Resource-Policy", "same-origin")
		hd.Set("Permissions-Policy", "camera=(), geolocation=(), microphone=(self)")
		hd.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		if isAPIPath(r.URL.Path) {
			hd.Set("Cache-Control", "no-store")
		}
		if r.TLS != nil {
			hd.Set("Strict-Transport-Security", "max-age=63072000")
		}
		next.ServeHTTP(w, r)
	})
}

// recover turns a handler panic into a logged 500 instead of a dropped
// connection. http.ErrAbortHandler is re-raised: it means "abort silently".
func (h *handler) recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			writeError(w, r, h.log, fmt.Errorf("panic: %v", v))
		}()
		next.ServeHTTP(w, r)
	})
}
