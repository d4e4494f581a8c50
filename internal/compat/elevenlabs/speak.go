package elevenlabs

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strconv"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/compat"
)

// speech is a finished synthesis: the request, its history entry and the
// audio in the requested output_format.
type speech struct {
	req   TTSRequest
	syn   app.Synthesis
	audio []byte
}

// synthesize parses a text-to-speech request for the voice in the path and
// speaks it; on failure it has answered the error.
func (h *Handler) synthesize(w http.ResponseWriter, r *http.Request, u app.User) (speech, bool) {
	body, err := compat.ReadBody(w, r, h.maxJSON)
	if err != nil {
		WriteError(w, r, h.log, err)
		return speech{}, false
	}
	req, err := ParseTTS(body, r.URL.Query(), app.MaxTextRunes)
	if err != nil {
		WriteError(w, r, h.log, err)
		return speech{}, false
	}
	m, err := compat.FindVoice(r.Context(), h.svc, u.ID, r.PathValue("voice_id"), "voice_id", false)
	if err != nil {
		WriteError(w, r, h.log, err)
		return speech{}, false
	}
	syn, audio, err := h.svc.Synthesize(r.Context(), u.ID, app.SynthesizeInput{
		ModelID: m.ID, Text: req.Text, Format: req.Format.Service, Speed: req.Speed,
		Similarity: req.Similarity, SampleRate: req.Format.Rate,
	})
	if err == nil && req.Format.RawULaw {
		audio, err = stripWAV(audio)
	}
	if err != nil {
		WriteError(w, r, h.log, err)
		return speech{}, false
	}
	return speech{req: req, syn: syn, audio: audio}, true
}

func stripWAV(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	if _, err := (&wavBody{w: &buf}).Write(data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// setSpeechHeaders names the history entry as ElevenLabs does, and as
// voxclone's own API does.
func setSpeechHeaders(w http.ResponseWriter, s speech, contentType string) {
	hd := w.Header()
	hd.Set("Content-Type", contentType)
	hd.Set("history-item-id", s.syn.ID)
	hd.Set("request-id", s.syn.ID)
	hd.Set("X-Synthesis-Id", s.syn.ID)
}

// Convert serves POST /v1/text-to-speech/{voice_id}: the audio.
func (h *Handler) Convert(w http.ResponseWriter, r *http.Request, u app.User) {
	s, ok := h.synthesize(w, r, u)
	if !ok {
		return
	}
	setSpeechHeaders(w, s, s.req.Format.contentType())
	w.Header().Set("Content-Length", strconv.Itoa(len(s.audio)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(s.audio)
}

// Stream serves POST /v1/text-to-speech/{voice_id}/stream: the audio in
// a chunked response.
func (h *Handler) Stream(w http.ResponseWriter, r *http.Request, u app.User) {
	s, ok := h.synthesize(w, r, u)
	if !ok {
		return
	}
	setSpeechHeaders(w, s, s.req.Format.contentType())
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(s.audio)
}

// timedAudio is the answer of the with-timestamps routes: the audio as
// base64 and when each character is heard, in the text as sent
// (alignment) and as the engine read it (normalized_alignment).
type timedAudio struct {
	AudioBase64         string     `json:"audio_base64"`
	Alignment           *Alignment `json:"alignment"`
	NormalizedAlignment *Alignment `json:"normalized_alignment"`
}

func (s speech) timed() timedAudio {
	a := align(s.req.Original, nil, s.syn.DurationSeconds)
	return timedAudio{AudioBase64: base64.StdEncoding.EncodeToString(s.audio), Alignment: &a, NormalizedAlignment: &a}
}

// ConvertWithTimestamps serves POST
// /v1/text-to-speech/{voice_id}/with-timestamps: one JSON object.
func (h *Handler) ConvertWithTimestamps(w http.ResponseWriter, r *http.Request, u app.User) {
	s, ok := h.synthesize(w, r, u)
	if !ok {
		return
	}
	w.Header().Set("history-item-id", s.syn.ID)
	w.Header().Set("request-id", s.syn.ID)
	h.writeJSON(w, http.StatusOK, s.timed())
}

// StreamWithTimestamps serves POST
// /v1/text-to-speech/{voice_id}/stream/with-timestamps: JSON objects of
// the same shape, one per line, each with the next piece of audio and the
// characters heard in it (times from the start of the whole audio).
func (h *Handler) StreamWithTimestamps(w http.ResponseWriter, r *http.Request, u app.User) {
	s, ok := h.synthesize(w, r, u)
	if !ok {
		return
	}
	setSpeechHeaders(w, s, "application/json")
	w.WriteHeader(http.StatusOK)
	writeLine(w, s.timed())
}

// writeLine writes v as one line of JSON and flushes it.
func writeLine(w io.Writer, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		return
	}
	_, _ = w.Write(append(data, '\n'))
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
}
