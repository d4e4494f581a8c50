package elevenlabs

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"sync"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/compat"
	"github.com/voxclone/voxclone/internal/httpapi/respond"
)

// start parses a text-to-speech request for the voice in the path and
// starts the speech, spending the synthesize budget; on failure it has
// answered the error.
func (h *Handler) start(w http.ResponseWriter, r *http.Request, u app.User) (*app.Speech, TTSRequest, bool) {
	body, err := compat.ReadBody(w, r, h.maxJSON)
	if err != nil {
		WriteError(w, r, h.log, err)
		return nil, TTSRequest{}, false
	}
	req, err := ParseTTS(body, r.URL.Query(), app.MaxStreamTextRunes)
	if err != nil {
		WriteError(w, r, h.log, err)
		return nil, req, false
	}
	v, err := compat.FindVoice(r.Context(), h.svc, u.ID, r.PathValue("voice_id"), "voice_id", nil)
	if err != nil {
		WriteError(w, r, h.log, err)
		return nil, req, false
	}
	in := app.SynthesizeInput{Text: req.Text, Format: req.Format.Service, Speed: req.Speed,
		Similarity: req.Similarity, SampleRate: req.Format.Rate, Bitrate: req.Format.Bitrate}
	if v.Builtin != nil {
		in.Similarity = nil // a premade voice is spoken as it is; similarity_boost has no meaning there
	}
	sp, st, err := h.svc.StartSpeech(r.Context(), u.ID, v.Input(in))
	respond.SetRateHeaders(w, st, err)
	if err != nil {
		WriteError(w, r, h.log, err)
		return nil, req, false
	}
	return sp, req, true
}

// streamTo answers 200 with contentType through a stream writer and the
// speech's history ids in the headers, as ElevenLabs names them (and
// voxclone's own API does).
func streamTo(w http.ResponseWriter, sp *app.Speech, contentType string) *respond.StreamWriter {
	id := sp.Synthesis().ID
	return respond.NewStreamWriter(w, http.StatusOK, func(hd http.Header) {
		hd.Set("Content-Type", contentType)
		hd.Set("history-item-id", id)
		hd.Set("request-id", id)
		hd.Set("X-Synthesis-Id", id)
	})
}

// audioOut is where the encoded audio goes: w, or for ulaw_8000 w behind
// the WAV-header stripper.
func audioOut(w io.Writer, f outputFormat) io.Writer {
	if f.RawULaw {
		return &wavBody{w: w}
	}
	return w
}

// Convert serves POST /v1/text-to-speech/{voice_id}: the audio, sent as it
// is produced.
func (h *Handler) Convert(w http.ResponseWriter, r *http.Request, u app.User) {
	sp, req, ok := h.start(w, r, u)
	if !ok {
		return
	}
	sw := streamTo(w, sp, req.Format.contentType())
	if _, err := sp.Stream(r.Context(), audioOut(sw, req.Format), nil); err != nil {
		sw.Fail(r, h.log, err, WriteError)
	}
}

// Stream serves POST /v1/text-to-speech/{voice_id}/stream; voxclone
// streams every answer, so it is Convert.
func (h *Handler) Stream(w http.ResponseWriter, r *http.Request, u app.User) { h.Convert(w, r, u) }

// timedAudio is the answer of the with-timestamps routes: audio as base64
// and when each character is heard, in the text as sent (alignment) and as
// the engine read it (normalized_alignment, the same characters here).
type timedAudio struct {
	AudioBase64         string     `json:"audio_base64"`
	Alignment           *Alignment `json:"alignment,omitempty"`
	NormalizedAlignment *Alignment `json:"normalized_alignment,omitempty"`
}

// ConvertWithTimestamps serves POST
// /v1/text-to-speech/{voice_id}/with-timestamps: one JSON object, written
// as the audio is produced (the base64 first), the alignment last.
func (h *Handler) ConvertWithTimestamps(w http.ResponseWriter, r *http.Request, u app.User) {
	sp, req, ok := h.start(w, r, u)
	if !ok {
		return
	}
	sw := streamTo(w, sp, "application/json")
	audio := &respond.PrefixWriter{W: sw, Prefix: []byte(`{"audio_base64":"`)}
	b64 := base64.NewEncoder(base64.StdEncoding, audio)
	var all app.Alignment
	done, err := sp.Stream(r.Context(), audioOut(b64, req.Format), func(p app.SpeechPart) { all.Append(app.AlignCharacters(p)) })
	if err == nil {
		err = b64.Close()
	}
	if err == nil {
		_, err = audio.Write(nil) // the prefix, had there been no audio
	}
	if err != nil {
		sw.Fail(r, h.log, err, WriteError)
		return
	}
	e := edgesOf(req.Original)
	around(&all, e.lead, 0, true)
	around(&all, e.trail, done.DurationSeconds, false)
	a, _ := json.Marshal(alignmentOf(all))
	_, _ = io.WriteString(sw, `","alignment":`+string(a)+`,"normalized_alignment":`+string(a)+"}\n")
}

// StreamWithTimestamps serves POST
// /v1/text-to-speech/{voice_id}/stream/with-timestamps: JSON objects of
// the same shape, one per line, each with the next piece of audio and the
// characters that begin to be heard in it; times count from the start of
// the whole audio.
func (h *Handler) StreamWithTimestamps(w http.ResponseWriter, r *http.Request, u app.User) {
	sp, req, ok := h.start(w, r, u)
	if !ok {
		return
	}
	sw := streamTo(w, sp, "application/json")
	lines := &timedLines{w: sw, edges: edgesOf(req.Original)}
	done, err := sp.Stream(r.Context(), audioOut(lines, req.Format), lines.part)
	if err == nil {
		err = lines.end(done.DurationSeconds)
	}
	if err != nil {
		sw.Fail(r, h.log, err, WriteError)
	}
}

// timedLines writes each piece of audio as a line of JSON, with the
// alignment of the parts that began since the line before. The stream
// reports parts from its own goroutine while compressing encoders write
// from theirs, hence the lock.
type timedLines struct {
	mu      sync.Mutex
	w       io.Writer
	edges   edges
	pending *app.Alignment
	started bool
}

// part takes a part's timings, just before its audio.
func (t *timedLines) part(p app.SpeechPart) {
	t.mu.Lock()
	defer t.mu.Unlock()
	a := app.AlignCharacters(p)
	if !t.started {
		around(&a, t.edges.lead, 0, true)
		t.started = true
	}
	if t.pending == nil {
		t.pending = &app.Alignment{}
	}
	t.pending.Append(a)
}

func (t *timedLines) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.line(p); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (t *timedLines) line(audio []byte) error {
	out := timedAudio{AudioBase64: base64.StdEncoding.EncodeToString(audio)}
	if t.pending != nil {
		out.Alignment = alignmentOf(*t.pending)
		out.NormalizedAlignment = out.Alignment
		t.pending = nil
	}
	data, err := json.Marshal(out)
	if err != nil {
		return err
	}
	_, err = t.w.Write(append(data, '\n'))
	return err
}

// end writes what alignment is left (the trailing white space, or parts
// whose audio an encoder had held back) in a last line.
func (t *timedLines) end(duration float64) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.edges.trail != "" {
		if t.pending == nil {
			t.pending = &app.Alignment{}
		}
		around(t.pending, t.edges.trail, duration, false)
	}
	if t.pending == nil {
		return nil
	}
	return t.line(nil)
}
