package httpapi

import (
	"net/http"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/httpapi/respond"
)

// jobBody is the answer about one job.
type jobBody struct {
	Job app.Job `json:"job"`
}

// startJob queues a long-form synthesis: the synthesize body without its
// answer options, with text up to app.MaxJobTextRunes characters. The
// service spends the synthesize budget once the request is valid.
func (h *handler) startJob(w http.ResponseWriter, r *http.Request, u app.User) {
	var in speechRequest
	if err := readJSON(w, r, h.maxJSON, &in); err != nil {
		writeError(w, r, h.log, err)
		return
	}
	j, st, err := h.svc.StartSpeechJob(r.Context(), u.ID, in.input())
	respond.SetRateHeaders(w, st, err)
	if err != nil {
		writeError(w, r, h.log, err)
		return
	}
	w.Header().Set("Location", "/api/voice/jobs/"+j.ID)
	writeJSON(w, http.StatusAccepted, jobBody{j})
}

func (h *handler) getJob(w http.ResponseWriter, r *http.Request, u app.User) {
	j, err := h.svc.GetJob(r.Context(), u.ID, r.PathValue("id"))
	respondOK(w, r, h, jobBody{j}, err)
}

func (h *handler) listJobs(w http.ResponseWriter, r *http.Request, u app.User) {
	limit, cursor, err := pageQuery(r)
	if err != nil {
		writeError(w, r, h.log, err)
		return
	}
	page, err := h.svc.ListJobs(r.Context(), u.ID, limit, cursor)
	respondOK(w, r, h, page, err)
}

// cancelJob cancels a queued or running job and answers with it.
func (h *handler) cancelJob(w http.ResponseWriter, r *http.Request, u app.User) {
	j, err := h.svc.CancelJob(r.Context(), u.ID, r.PathValue("id"))
	respondOK(w, r, h, jobBody{j}, err)
}
