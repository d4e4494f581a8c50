package httpapi

import (
	"bytes"
	"net/http"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// detection is the answer of POST /api/voice/detect.
type detection struct {
	Watermarked bool       `json:"watermarked"`
	Confidence  float64    `json:"confidence"`
	SynthesisID string     `json:"synthesis_id,omitempty"`
	CreatedAt   *time.Time `json:"created_at,omitempty"`
}

// detect looks for this instance's watermark in an uploaded file (the
// upload form: an "audio" part, limited like a sample).
func (h *handler) detect(w http.ResponseWriter, r *http.Request, u app.User) {
	form, err := h.uploadForm(w, r)
	if err != nil {
		// Logged as a file the service could not read would be: every
		// detection asked for is in the caller's log.
		h.svc.AuditDetectUnread(r.Context(), u.ID, err)
		writeError(w, r, h.log, err)
		return
	}
	d, err := h.svc.DetectWatermark(r.Context(), u.ID, bytes.NewReader(form.Audio))
	if err != nil {
		writeError(w, r, h.log, err)
		return
	}
	writeJSON(w, http.StatusOK, detection{Watermarked: d.Watermarked, Confidence: d.Confidence,
		SynthesisID: d.SynthesisID, CreatedAt: d.CreatedAt})
}
