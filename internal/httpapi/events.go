package httpapi

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"sync"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/httpapi/respond"
)

// synthesizeEvents answers a synthesis as server-sent events, so a client
// gets each part's word timings with the audio and can follow along while
// it plays (the web app does):
//
//	event: start  data: {"id","format","sample_rate","content_type"}
//	event: words  data: {"start","end","words":[{text,start,end,offset,length}]}
//	event: audio  data: {"audio":"<base64 of the next bytes of the file>"}
//	event: done   data: {"id","duration_seconds","size_bytes"}
//	event: error  data: {"error":{"code","message"}} (then the stream ends)
//
// A part's words come before its audio; the audio events joined are
// exactly the bytes the plain answer would carry.
func (h *handler) synthesizeEvents(w http.ResponseWriter, r *http.Request, sp *app.Speech) {
	syn := sp.Synthesis()
	ev := &eventWriter{w: respond.NewStreamWriter(w, http.StatusOK, func(hd http.Header) {
		hd.Set("Content-Type", "text/event-stream")
		hd.Set("X-Synthesis-Id", syn.ID)
	})}
	ev.send("start", map[string]any{"id": syn.ID, "format": syn.Format, "sample_rate": syn.SampleRate, "content_type": sp.ContentType()})
	audio := writerFunc(func(p []byte) (int, error) {
		return len(p), ev.send("audio", map[string]string{"audio": base64.StdEncoding.EncodeToString(p)})
	})
	done, err := sp.Stream(r.Context(), audio, func(p app.SpeechPart) {
		words := p.Words
		if words == nil {
			words = []app.WordTiming{}
		}
		_ = ev.send("words", map[string]any{"start": p.Start, "end": p.End, "words": words})
	})
	if err != nil {
		if r.Context().Err() != nil {
			return // the client left; nobody reads an error event
		}
		h.log.ErrorContext(r.Context(), "event stream failed", slog.String("path", respond.Where(r)), slog.Any("error", err))
		code, msg := app.ErrorCode(err), internalMessage
		var ae *app.Error
		if StatusCode(code) != http.StatusInternalServerError && errors.As(err, &ae) {
			msg = ae.Message
		} else {
			code = app.EInternal
		}
		_ = ev.send("error", errorBody{Error: errorDetail{Code: code, Message: msg}})
		return
	}
	_ = ev.send("done", map[string]any{"id": done.ID, "duration_seconds": done.DurationSeconds, "size_bytes": done.SizeBytes})
}

// eventWriter writes server-sent events. Audio comes from the encoder's
// goroutine for MP3, Opus and AAC while words come from the stream's, so
// events are written under a lock.
type eventWriter struct {
	mu sync.Mutex
	w  *respond.StreamWriter
}

func (e *eventWriter) send(event string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	_, err = e.w.Write([]byte("event: " + event + "\ndata: " + string(data) + "\n\n"))
	return err
}

// writerFunc is a function as an io.Writer.
type writerFunc func(p []byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
