package httpapi

import (
	"io"
	"net/http"
	"strconv"

	"github.com/voxclone/voxclone/internal/app"
)

// synthesizeRequest is the JSON body of POST /api/voice/synthesize.
type synthesizeRequest struct {
	ModelID    string   `json:"model_id"`
	Text       string   `json:"text"`
	Format     string   `json:"format"`
	Speed      float64  `json:"speed"`
	Pitch      float64  `json:"pitch"`
	Similarity *float64 `json:"similarity"`
	SampleRate int      `json:"sample_rate"`
}

// synthesize answers with the audio itself; its history entry's id is in
// X-Synthesis-Id.
func (h *handler) synthesize(w http.ResponseWriter, r *http.Request, u app.User) {
	var in synthesizeRequest
	if err := readJSON(w, r, h.maxJSON, &in); err != nil {
		writeError(w, r, h.log, err)
		return
	}
	s, data, err := h.svc.Synthesize(r.Context(), u.ID, app.SynthesizeInput{
		ModelID: in.ModelID, Text: in.Text, Format: in.Format, Speed: in.Speed,
		Pitch: in.Pitch, Similarity: in.Similarity, SampleRate: in.SampleRate,
	})
	if err != nil {
		writeError(w, r, h.log, err)
		return
	}
	setAudioHeaders(w, s, int64(len(data)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
}

// setAudioHeaders describes a synthesis' audio in the response headers.
func setAudioHeaders(w http.ResponseWriter, s app.Synthesis, size int64) {
	hd := w.Header()
	hd.Set("Content-Type", contentType(s.Format))
	if size > 0 {
		hd.Set("Content-Length", strconv.FormatInt(size, 10))
	}
	hd.Set("X-Synthesis-Id", s.ID)
	hd.Set("Content-Disposition", `inline; filename="voxclone-`+safeToken(s.ID)+"."+fileExt(s.Format)+`"`)
}

func (h *handler) listHistory(w http.ResponseWriter, r *http.Request, u app.User) {
	limit := 0
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeError(w, r, h.log, app.Errorf(app.EInvalid, "limit must be a positive whole number."))
			return
		}
		limit = n
	}
	page, err := h.svc.ListHistory(r.Context(), u.ID, limit, r.URL.Query().Get("cursor"))
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
	if rs, ok := rc.(io.ReadSeeker); ok {
		// Range requests let an <audio> element seek without a full download.
		setAudioHeaders(w, s, 0)
		http.ServeContent(w, r, "", s.CreatedAt, rs)
		return
	}
	setAudioHeaders(w, s, s.SizeBytes)
	w.WriteHeader(http.StatusOK)
	if _, err := io.Copy(w, rc); err != nil {
		// The status is sent; all that is left is to note the cut.
		h.log.WarnContext(r.Context(), "history audio cut short", "error", err)
	}
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
