// Package respond holds what every HTTP API family of voxclone (its own
// under /api and the compatible ones in internal/compat) writes the same
// way, whatever its error shape: JSON and streamed bodies and rate-limit
// headers.
package respond

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// StreamWriteTimeout bounds each write of a streamed response: a stream
// lasts as long as its client keeps reading (the server's WriteTimeout
// would cut a long one), but a client that stops reading for this long is
// dropped and the synthesis stops.
const StreamWriteTimeout = time.Minute

// ErrorWriter answers an error in an API family's shape.
type ErrorWriter func(http.ResponseWriter, *http.Request, *slog.Logger, error)

// StreamWriter writes a streamed response. The status and headers go out
// with the first bytes, so an error found before them still gets a proper
// error response; every write is flushed at once, and extends the
// connection's write deadline by StreamWriteTimeout.
type StreamWriter struct {
	w      http.ResponseWriter
	rc     *http.ResponseController
	before func(http.Header)
	status int
	wrote  bool
}

// NewStreamWriter returns a StreamWriter on w that answers status. before,
// when not nil, sets headers just before the first byte.
func NewStreamWriter(w http.ResponseWriter, status int, before func(http.Header)) *StreamWriter {
	return &StreamWriter{w: w, rc: http.NewResponseController(w), before: before, status: status}
}

// Write sends p to the client and flushes it.
func (s *StreamWriter) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	_ = s.rc.SetWriteDeadline(time.Now().Add(StreamWriteTimeout))
	if !s.wrote {
		s.wrote = true
		if s.before != nil {
			s.before(s.w.Header())
		}
		s.w.WriteHeader(s.status)
	}
	n, err := s.w.Write(p)
	if err == nil {
		err = s.rc.Flush()
	}
	return n, err
}

// Started reports whether the response has begun.
func (s *StreamWriter) Started() bool { return s.wrote }

// Fail ends a stream that failed: before the first byte with err as a
// proper error response, written by writeError; after it, by cutting the
// connection, so that the client sees a broken transfer rather than audio
// that merely stops. It does not return in that case.
func (s *StreamWriter) Fail(r *http.Request, log *slog.Logger, err error, writeError ErrorWriter) {
	if !s.wrote {
		writeError(s.w, r, log, err)
		return
	}
	if r.Context().Err() == nil {
		log.ErrorContext(r.Context(), "stream failed after it began", slog.String("path", Where(r)), slog.Any("error", err))
	}
	panic(http.ErrAbortHandler)
}

// Lasting wraps w so that every write extends the connection's write
// deadline by StreamWriteTimeout, for downloads served whole (e.g. by
// http.ServeContent) that may take longer than the server's WriteTimeout
// on a slow link: the download lasts as long as its client keeps reading.
func Lasting(w http.ResponseWriter) http.ResponseWriter {
	return &lasting{ResponseWriter: w, rc: http.NewResponseController(w)}
}

type lasting struct {
	http.ResponseWriter
	rc *http.ResponseController
}

func (l *lasting) Write(p []byte) (int, error) {
	_ = l.rc.SetWriteDeadline(time.Now().Add(StreamWriteTimeout))
	return l.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection underneath.
func (l *lasting) Unwrap() http.ResponseWriter { return l.ResponseWriter }

// PrefixWriter writes Prefix before the first bytes; Write(nil) writes it
// when nothing else came.
type PrefixWriter struct {
	W      io.Writer
	Prefix []byte
}

func (p *PrefixWriter) Write(b []byte) (int, error) {
	if p.Prefix != nil {
		if _, err := p.W.Write(p.Prefix); err != nil {
			return 0, err
		}
		p.Prefix = nil
	}
	return p.W.Write(b)
}

// SetRateHeaders describes a budget in RateLimit-* headers, and adds
// Retry-After to a rate_limited error that lacks its own.
func SetRateHeaders(w http.ResponseWriter, st app.RateStatus, err error) {
	if st.Limit > 0 {
		hd := w.Header()
		hd.Set("RateLimit-Limit", strconv.Itoa(st.Limit))
		hd.Set("RateLimit-Remaining", strconv.Itoa(max(st.Remaining, 0)))
		hd.Set("RateLimit-Reset", strconv.Itoa(CeilSeconds(st.Reset)))
	}
	var ae *app.Error
	if errors.As(err, &ae) && ae.Code == app.ERateLimited && ae.RetryAfter <= 0 && st.Reset > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(CeilSeconds(st.Reset)))
	}
}

// SetRetryAfter sets Retry-After for a rate-limited or busy error that
// says how long to wait, in whole seconds rounded up.
func SetRetryAfter(w http.ResponseWriter, err error) {
	var ae *app.Error
	if errors.As(err, &ae) && (ae.Code == app.ERateLimited || ae.Code == app.EUnavailable) && ae.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(CeilSeconds(ae.RetryAfter)))
	}
}

// CeilSeconds rounds d up to whole seconds, at least 1, as Retry-After and
// RateLimit-Reset want.
func CeilSeconds(d time.Duration) int {
	return max(int(math.Ceil(d.Seconds())), 1)
}

// Where names a request in logs: by the route pattern it matched, so that
// what a path carries (a download link's single-use token, an id) stays
// out of the logs, or by its path when it matched no route.
func Where(r *http.Request) string {
	if r.Pattern != "" {
		return r.Pattern
	}
	return r.URL.Path
}

// LogInternal logs an error answered as a 500 with its detail, which the
// client never sees: as an error, or as information when the client went
// away and canceled it.
func LogInternal(r *http.Request, log *slog.Logger, err error) {
	level, msg := slog.LevelError, "internal error"
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		level, msg = slog.LevelInfo, "request canceled by the client"
	}
	log.Log(r.Context(), level, msg, slog.String("method", r.Method),
		slog.String("path", Where(r)), slog.Any("error", err))
}
