package openai

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// maxDelta bounds the audio of one speech.audio.delta event, so a client
// never has to hold a huge line.
const maxDelta = 32 << 10

type deltaEvent struct {
	Type  string `json:"type"`
	Audio string `json:"audio"`
}

type doneEvent struct {
	Type  string `json:"type"`
	Usage usage  `json:"usage"`
}

// usage counts characters where OpenAI counts tokens: voxclone has none.
type usage struct {
	InputTokens  int `json:"input_tokens"`
	OutputTokens int `json:"output_tokens"`
	TotalTokens  int `json:"total_tokens"`
}

// sseWriter turns audio writes into speech.audio.delta events, each
// flushed at once.
type sseWriter struct {
	w  io.Writer
	rc *http.ResponseController
}

func newSSE(w http.ResponseWriter) *sseWriter {
	return &sseWriter{w: w, rc: http.NewResponseController(w)}
}

func (s *sseWriter) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		chunk := p[:min(len(p), maxDelta)]
		if err := s.event(deltaEvent{Type: "speech.audio.delta", Audio: base64.StdEncoding.EncodeToString(chunk)}); err != nil {
			return n, err
		}
		n += len(chunk)
		p = p[len(chunk):]
	}
	return n, nil
}

// event writes one "data:" event and flushes it.
func (s *sseWriter) event(v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(s.w, "data: "+string(data)+"\n\n"); err != nil {
		return err
	}
	if err := s.rc.Flush(); err != nil && err != http.ErrNotSupported {
		return err
	}
	return nil
}

// writeEvents answers with the audio as server-sent events; an error
// after the first event can only be reported as an event of its own,
// {"error": …}, which OpenAI's SDKs raise.
func (h *Handler) writeEvents(w http.ResponseWriter, r *http.Request, req SpeechRequest, audio io.Reader) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("X-Accel-Buffering", "no") // keep reverse proxies from holding events back
	w.WriteHeader(http.StatusOK)
	sw := newSSE(w)
	if _, err := io.Copy(sw, audio); err != nil {
		h.failEvents(sw, r, err)
		return
	}
	n := utf8.RuneCountInString(req.Input)
	_ = sw.event(doneEvent{Type: "speech.audio.done", Usage: usage{InputTokens: n, TotalTokens: n}})
}

// failEvents logs a failure mid-stream and tells the client, if it is
// still there.
func (h *Handler) failEvents(sw *sseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil {
		return // the client left; nobody reads the rest
	}
	_, body := describe(err)
	if body.Error.Type == typeServer {
		h.log.ErrorContext(r.Context(), "speech stream failed", "error", err)
	}
	_ = sw.event(body)
}

func itoa(n int) string { return strconv.Itoa(n) }
