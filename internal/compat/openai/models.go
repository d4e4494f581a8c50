package openai

import (
	"net/http"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/compat"
	"github.com/voxclone/voxclone/internal/httpapi/respond"
)

// modelsCreated is the "created" time of every listed model: the day
// voxclone first spoke OpenAI's API (2026-01-01, Unix seconds).
const modelsCreated = 1767225600

// ModelObject is one entry of GET /v1/models.
type ModelObject struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Created int64  `json:"created"`
	OwnedBy string `json:"owned_by"`
}

// ModelList is GET /v1/models, in OpenAI's list shape.
type ModelList struct {
	Object string        `json:"object"`
	Data   []ModelObject `json:"data"`
}

func modelObject(id string) ModelObject {
	return ModelObject{ID: id, Object: "model", Created: modelsCreated, OwnedBy: "voxclone"}
}

// ListModels serves GET /v1/models: the model names speech accepts.
func (h *Handler) ListModels(w http.ResponseWriter, r *http.Request, _ app.User) {
	list := ModelList{Object: "list", Data: []ModelObject{}}
	for _, id := range Models {
		list.Data = append(list.Data, modelObject(id))
	}
	h.writeJSON(w, list)
}

// GetModel serves GET /v1/models/{model}.
func (h *Handler) GetModel(w http.ResponseWriter, r *http.Request, _ app.User) {
	id := r.PathValue("model")
	if err := checkModel(id); err != nil {
		WriteError(w, r, h.log, compat.WithReason(compat.ReasonBadModel,
			compat.Fieldf("model", app.ENotFound, "The model %q does not exist.", compat.Clip(id, 40))))
		return
	}
	h.writeJSON(w, modelObject(id))
}

// VoiceObject is one entry of GET /v1/audio/voices: one of the caller's
// voice models (type "cloned") or a built-in voice ("builtin"). Status is
// "ready" when it can speak.
type VoiceObject struct {
	ID          string `json:"id"`
	Object      string `json:"object"`
	Name        string `json:"name"`
	Type        string `json:"type"`
	Status      string `json:"status"`
	Created     int64  `json:"created"`
	Description string `json:"description,omitempty"`
}

// VoiceList is GET /v1/audio/voices.
type VoiceList struct {
	Object string        `json:"object"`
	Data   []VoiceObject `json:"data"`
}

// ListVoices serves GET /v1/audio/voices: what "voice" may name, the
// caller's voices newest first, then the built-in ones. OpenAI has no such route; other OpenAI-compatible servers do.
func (h *Handler) ListVoices(w http.ResponseWriter, r *http.Request, u app.User) {
	models, err := h.svc.ListModels(r.Context(), u.ID)
	if err != nil {
		WriteError(w, r, h.log, err)
		return
	}
	list := VoiceList{Object: "list", Data: []VoiceObject{}}
	for _, m := range models {
		list.Data = append(list.Data, VoiceObject{ID: m.ID, Object: "voice", Name: m.Name,
			Type: "cloned", Status: m.Status, Created: m.CreatedAt.Unix()})
	}
	for _, b := range h.svc.BuiltinVoices() {
		list.Data = append(list.Data, VoiceObject{ID: b.ID, Object: "voice", Name: b.ID, Type: "builtin",
			Status: app.ModelReady, Created: modelsCreated, Description: b.Description})
	}
	h.writeJSON(w, list)
}

func (h *Handler) writeJSON(w http.ResponseWriter, v any) {
	respond.JSON(w, http.StatusOK, v, `{"error":{"message":"`+internalMessage+`","type":"server_error","param":null,"code":null}}`)
}
