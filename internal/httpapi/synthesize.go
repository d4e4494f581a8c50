package httpapi

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/httpapi/respond"
)

// speechRequest is what a request to speak holds, whether it is answered
// at once or by a job: the voice, the text and how to speak it.
type speechRequest struct {
	ModelID    string   `json:"model_id"`
	Voice      string   `json:"voice"`
	Text       string   `json:"text"`
	Format     string   `json:"format"`
	Speed      float64  `json:"speed"`
	Pitch      float64  `json:"pitch"`
	Similarity *float64 `json:"similarity"`
	SampleRate int      `json:"sample_rate"`
}

func (in speechRequest) input() app.SynthesizeInput {
	return app.SynthesizeInput{ModelID: in.ModelID, Voice: in.Voice, Text: in.Text, Format: in.Format,
		Speed: in.Speed, Pitch: in.Pitch, Similarity: in.Similarity, SampleRate: in.SampleRate}
}

// synthesizeRequest is the JSON body of POST /api/voice/synthesize: a
// speechRequest (inlined, as an embedded struct) and how to answer.
type synthesizeRequest struct {
	speechRequest
	Timestamps bool `json:"timestamps"`
	// StreamFormat "sse" answers server-sent events (events.go); "" or
	// "audio" the audio itself.
	StreamFormat string `json:"stream_format"`
}

// synthesize streams the audio as it is produced (chunked); its history
// entry's id is in X-Synthesis-Id. With "timestamps" it answers JSON
// instead, still streamed: the audio in base64, then the word timings.
func (h *handler) synthesize(w http.ResponseWriter, r *http.Request, u app.User) {
	var in synthesizeRequest
	if err := readJSON(w, r, h.maxJSON, &in); err != nil {
		writeError(w, r, h.log, err)
		return
	}
	if in.StreamFormat != "" && in.StreamFormat != "audio" && in.StreamFormat != "sse" {
		writeError(w, r, h.log, app.Errorf(app.EInvalid, "The stream_format must be audio or sse."))
		return
	}
	if in.StreamFormat == "sse" && in.Timestamps {
		writeError(w, r, h.log, app.Errorf(app.EInvalid, "Events carry the word timings already: send timestamps or stream_format sse, not both."))
		return
	}
	sp, st, err := h.svc.StartSpeech(r.Context(), u.ID, in.input())
	respond.SetRateHeaders(w, st, err)
	if err != nil {
		writeError(w, r, h.log, err)
		return
	}
	switch {
	case in.Timestamps:
		h.synthesizeTimestamps(w, r, sp)
		return
	case in.StreamFormat == "sse":
		h.synthesizeEvents(w, r, sp)
		return
	}
	syn := sp.Synthesis()
	sw := respond.NewStreamWriter(w, http.StatusOK, func(hd http.Header) { setAudioHeaders(hd, syn, sp.ContentType(), 0) })
	if _, err := sp.Stream(r.Context(), sw, nil); err != nil {
		sw.Fail(r, h.log, err, writeError)
	}
}

// synthesizeTimestamps streams {"id","format","sample_rate","audio":
// base64…,"duration_seconds","words":[…]}: the audio is encoded as it is
// produced and the words, known once all is spoken, come last.
func (h *handler) synthesizeTimestamps(w http.ResponseWriter, r *http.Request, sp *app.Speech) {
	syn := sp.Synthesis()
	sw := respond.NewStreamWriter(w, http.StatusOK, func(hd http.Header) {
		hd.Set("Content-Type", "application/json; charset=utf-8")
		hd.Set("X-Synthesis-Id", syn.ID)
	})
	head, _ := json.Marshal(struct {
		ID         string `json:"id"`
		Format     string `json:"format"`
		SampleRate int    `json:"sample_rate"`
	}{syn.ID, syn.Format, syn.SampleRate})
	audio := &respond.PrefixWriter{W: sw, Prefix: append(head[:len(head)-1], `,"audio":"`...)}
	b64 := base64.NewEncoder(base64.StdEncoding, audio)
	words := []app.WordTiming{}
	done, err := sp.Stream(r.Context(), b64, func(p app.SpeechPart) { words = append(words, p.Words...) })
	if err == nil {
		err = b64.Close()
	}
	if err == nil {
		_, err = audio.Write(nil) // the prefix, had there been no audio
	}
	if err != nil {
		sw.Fail(r, h.log, err, writeError)
		return
	}
	tail, _ := json.Marshal(struct {
		Duration float64          `json:"duration_seconds"`
		Words    []app.WordTiming `json:"words"`
	}{done.DurationSeconds, words})
	_, _ = io.WriteString(sw, `",`+string(tail[1:])+"\n")
}

// setAudioHeaders describes a synthesis' audio in the response headers.
func setAudioHeaders(hd http.Header, s app.Synthesis, contentType string, size int64) {
	hd.Set("Content-Type", contentType)
	if size > 0 {
		hd.Set("Content-Length", strconv.FormatInt(size, 10))
	}
	hd.Set("X-Synthesis-Id", s.ID)
	hd.Set("Content-Disposition", `inline; filename="voxclone-`+safeToken(s.ID)+"."+fileExt(s.Format)+`"`)
}

// builtinVoices lists the voices anyone can speak with.
func (h *handler) builtinVoices(w http.ResponseWriter, r *http.Request, _ app.User) {
	respondList(w, r, h, h.svc.BuiltinVoices(), nil)
}

// pageQuery reads the limit and cursor parameters of a paged list; an
// absent limit is 0, the default. A query that does not parse is
// EInvalid: URL.Query would drop it, and a cursor dropped so would serve
// the first page again.
func pageQuery(r *http.Request) (limit int, cursor string, err error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return 0, "", app.Errorf(app.EInvalid, "Malformed query string; percent-encode the limit and cursor.")
	}
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 {
			return 0, "", app.Errorf(app.EInvalid, "The limit must be a positive whole number.")
		}
	}
	return limit, q.Get("cursor"), nil
}

func (h *handler) listHistory(w http.ResponseWriter, r *http.Request, u app.User) {
	limit, cursor, err := pageQuery(r)
	if err != nil {
		writeError(w, r, h.log, err)
		return
	}
	page, err := h.svc.ListHistory(r.Context(), u.ID, limit, cursor)
	if err != nil {
		writeError(w, r, h.log, err)
		return
	}
	if page.Items == nil {
		page.Items = []app.Synthesis{}
	}
	writeJSON(w, http.StatusOK, page)
}

func (h *handler) historyAudio(w http.ResponseWriter, r *http.Request, u app.User) {
	s, rc, err := h.svc.OpenHistoryAudio(r.Context(), u.ID, r.PathValue("id"))
	if err != nil {
		writeError(w, r, h.log, err)
		return
	}
	defer rc.Close()
	// Range requests let an <audio> element seek without a full download;
	// the blob reader fetches only the bytes asked for.
	// A long history file on a slow link outlasts the server's
	// WriteTimeout; each write extends the deadline instead.
	setAudioHeaders(w.Header(), s, contentType(s.Format), 0)
	http.ServeContent(respond.Lasting(w), r, "", s.CreatedAt, rc)
}

// safeToken keeps only characters that are safe inside a quoted header
// parameter; ids are server-made, this is belt and braces.
func safeToken(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s) && len(b) < 64; i++ {
		c := s[i]
		if c == '-' || c == '_' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') {
			b = append(b, c)
		}
	}
	return string(b)
}
