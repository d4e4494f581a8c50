package httpapi

import (
	"log/slog"
	"net/http"
	"time"
)

// StreamWriteTimeout bounds each write of a streamed response: a stream
// lasts as long as its client keeps reading (the server's WriteTimeout
// would cut a long one), but a client that stops reading for this long is
// dropped and the synthesis stops.
const StreamWriteTimeout = time.Minute

// StreamWriter writes a streamed response for any of voxclone's HTTP APIs.
// The status and headers go out with the first bytes, so an error found
// before them still gets a proper error response; every write is flushed
// at once, and extends the connection's write deadline by
// StreamWriteTimeout.
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
// proper error response; after it, by cutting the connection, so that the
// client sees a broken transfer rather than audio that merely stops. It
// does not return in that case.
func (s *StreamWriter) Fail(r *http.Request, log *slog.Logger, err error) {
	if !s.wrote {
		writeError(s.w, r, log, err)
		return
	}
	if r.Context().Err() == nil {
		log.ErrorContext(r.Context(), "stream failed after it began", slog.String("path", r.URL.Path), slog.Any("error", err))
	}
	panic(http.ErrAbortHandler)
}
