package openai

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"unicode/utf8"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/httpapi/respond"
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

// sseWriter turns audio writes into speech.audio.delta events on a
// stream writer, which flushes each.
type sseWriter struct {
	w io.Writer
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

// event writes one "data:" event.
func (s *sseWriter) event(v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = io.WriteString(s.w, "data: "+string(data)+"\n\n")
	return err
}

// streamEvents answers with the audio as server-sent events, each sent as
// soon as the audio is encoded. A failure before the first event is an
// ordinary error response; after it, it can only be an event of its own,
// {"error": …}, which OpenAI's SDKs raise.
func (h *Handler) streamEvents(w http.ResponseWriter, r *http.Request, req SpeechRequest, sp *app.Speech) {
	sw := respond.NewStreamWriter(w, http.StatusOK, func(hd http.Header) {
		hd.Set("Content-Type", "text/event-stream")
		hd.Set("X-Accel-Buffering", "no") // keep reverse proxies from holding events back
		hd.Set("X-Synthesis-Id", sp.Synthesis().ID)
	})
	events := &sseWriter{w: sw}
	_, err := sp.Stream(r.Context(), events, nil)
	if err == nil {
		n := utf8.RuneCountInString(req.Input)
		err = events.event(doneEvent{Type: "speech.audio.done", Usage: usage{InputTokens: n, TotalTokens: n}})
	}
	if err == nil || r.Context().Err() != nil {
		return // done, or the client left and nobody reads the rest
	}
	if !sw.Started() {
		WriteError(w, r, h.log, err)
		return
	}
	status, body := describe(err)
	if status == http.StatusInternalServerError {
		respond.LogInternal(r, h.log, err)
	}
	_ = events.event(body)
}
