package httpapi

import (
	"net/http"

	"github.com/voxclone/voxclone/internal/app"
)

func (h *handler) clone(w http.ResponseWriter, r *http.Request, u app.User) {
	var in struct {
		Name        string   `json:"name"`
		Description string   `json:"description"`
		SampleIDs   []string `json:"sample_ids"`
	}
	if err := readJSON(w, r, h.maxJSON, &in); err != nil {
		writeError(w, r, h.log, err)
		return
	}
	m, err := h.svc.CreateModel(r.Context(), u.ID, app.CreateModelInput{
		Name: in.Name, Description: in.Description, SampleIDs: in.SampleIDs,
	})
	if err != nil {
		writeError(w, r, h.log, err)
		return
	}
	// 202: the model is pending until a worker builds it.
	w.Header().Set("Location", "/api/voice/models/"+m.ID)
	writeJSON(w, http.StatusAccepted, m)
}

func (h *handler) listModels(w http.ResponseWriter, r *http.Request, u app.User) {
	models, err := h.svc.ListModels(r.Context(), u.ID)
	respondList(w, r, h, models, err)
}

func (h *handler) getModel(w http.ResponseWriter, r *http.Request, u app.User) {
	m, err := h.svc.GetModel(r.Context(), u.ID, r.PathValue("id"))
	respondOK(w, r, h, m, err)
}

func (h *handler) modelSummary(w http.ResponseWriter, r *http.Request, u app.User) {
	s, err := h.svc.ModelSummary(r.Context(), u.ID, r.PathValue("id"))
	respondOK(w, r, h, s, err)
}

func (h *handler) updateModel(w http.ResponseWriter, r *http.Request, u app.User) {
	var in struct {
		Name        *string `json:"name"`
		Description *string `json:"description"`
	}
	if err := readJSON(w, r, h.maxJSON, &in); err != nil {
		writeError(w, r, h.log, err)
		return
	}
	m, err := h.svc.UpdateModel(r.Context(), u.ID, r.PathValue("id"), app.ModelUpdate{
		Name: in.Name, Description: in.Description,
	})
	respondOK(w, r, h, m, err)
}

func (h *handler) deleteModel(w http.ResponseWriter, r *http.Request, u app.User) {
	respondNoContent(w, r, h, h.svc.DeleteModel(r.Context(), u.ID, r.PathValue("id")))
}
