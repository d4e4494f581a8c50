package elevenlabs

import (
	"net/http"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/compat"
	"github.com/voxclone/voxclone/internal/httpapi/respond"
)

// Voice is ElevenLabs' voice object, for one of the caller's voice models
// (category "cloned") or a built-in voice ("premade"). A voice that cannot
// speak carries the label voxclone_status with its model's status.
type Voice struct {
	VoiceID       string            `json:"voice_id"`
	Name          string            `json:"name"`
	Category      string            `json:"category"`
	Description   string            `json:"description"`
	Labels        map[string]string `json:"labels"`
	Samples       []VoiceSample     `json:"samples"`
	PreviewURL    *string           `json:"preview_url"`
	Settings      *VoiceSettings    `json:"settings"`
	CreatedAtUnix int64             `json:"created_at_unix"`
	IsOwner       bool              `json:"is_owner"`
}

// VoiceSample describes one recording a voice was cloned from.
type VoiceSample struct {
	SampleID     string  `json:"sample_id"`
	FileName     string  `json:"file_name"`
	MimeType     string  `json:"mime_type"`
	SizeBytes    int64   `json:"size_bytes"`
	DurationSecs float64 `json:"duration_secs"`
}

// voicesResponse is GET /v1/voices' answer.
type voicesResponse struct {
	Voices []Voice `json:"voices"`
}

// deleteResponse answers a deletion.
type deleteResponse struct {
	Status string `json:"status"`
}

// voiceOf describes model m; samples holds the caller's samples by id.
func voiceOf(m app.Model, samples map[string]app.Sample) Voice {
	v := Voice{VoiceID: m.ID, Name: m.Name, Category: "cloned", Description: m.Description,
		Labels: map[string]string{}, Samples: []VoiceSample{}, CreatedAtUnix: m.CreatedAt.Unix(), IsOwner: true}
	if m.Status != app.ModelReady {
		v.Labels["voxclone_status"] = m.Status
	}
	for _, id := range m.SampleIDs {
		s, ok := samples[id]
		if !ok {
			continue // deleted since; the model keeps its profile
		}
		v.Samples = append(v.Samples, VoiceSample{SampleID: s.ID, FileName: s.Name,
			MimeType: codec.ContentType(audio.Format(s.Format)), SizeBytes: s.SizeBytes, DurationSecs: s.DurationSeconds})
	}
	return v
}

// voices describes all the caller's voice models, newest first.
func (h *Handler) voices(r *http.Request, u app.User) ([]Voice, error) {
	models, err := h.svc.ListModels(r.Context(), u.ID)
	if err != nil {
		return nil, err
	}
	samples, err := h.samples(r, u)
	if err != nil {
		return nil, err
	}
	out := make([]Voice, 0, len(models))
	for _, m := range models {
		out = append(out, voiceOf(m, samples))
	}
	for _, b := range h.svc.BuiltinVoices() {
		out = append(out, premadeVoice(b))
	}
	return out, nil
}

// premadeVoice describes a built-in voice, which ElevenLabs calls premade.
func premadeVoice(b app.BuiltinVoice) Voice {
	return Voice{VoiceID: b.ID, Name: b.ID, Category: "premade", Description: b.Description,
		Labels: map[string]string{"gender": b.Gender, "accent": b.Accent}, Samples: []VoiceSample{}}
}

func (h *Handler) samples(r *http.Request, u app.User) (map[string]app.Sample, error) {
	list, err := h.svc.ListSamples(r.Context(), u.ID)
	if err != nil {
		return nil, err
	}
	m := make(map[string]app.Sample, len(list))
	for _, s := range list {
		m[s.ID] = s
	}
	return m, nil
}

// ListVoices serves GET /v1/voices: {"voices": [...]}.
func (h *Handler) ListVoices(w http.ResponseWriter, r *http.Request, u app.User) {
	list, err := h.voices(r, u)
	if err != nil {
		WriteError(w, r, h.log, err)
		return
	}
	h.writeJSON(w, http.StatusOK, voicesResponse{Voices: list})
}

// GetVoice serves GET /v1/voices/{voice_id}.
func (h *Handler) GetVoice(w http.ResponseWriter, r *http.Request, u app.User) {
	m, err := h.svc.GetModel(r.Context(), u.ID, r.PathValue("voice_id"))
	if b, ok := compat.Builtin(h.svc, r.PathValue("voice_id")); ok && app.ErrorCode(err) == app.ENotFound {
		h.writeJSON(w, http.StatusOK, premadeVoice(b))
		return
	}
	if err != nil {
		WriteError(w, r, h.log, voiceError(err, r))
		return
	}
	samples, err := h.samples(r, u)
	if err != nil {
		WriteError(w, r, h.log, err)
		return
	}
	h.writeJSON(w, http.StatusOK, voiceOf(m, samples))
}

// DeleteVoice serves DELETE /v1/voices/{voice_id}: the voice model and
// its history go; the samples it was cloned from stay among the caller's
// samples (docs/compat.md).
func (h *Handler) DeleteVoice(w http.ResponseWriter, r *http.Request, u app.User) {
	err := h.svc.DeleteModel(r.Context(), u.ID, r.PathValue("voice_id"))
	if _, ok := compat.Builtin(h.svc, r.PathValue("voice_id")); ok && app.ErrorCode(err) == app.ENotFound {
		err = app.Errorf(app.EInvalid, "%s is a premade voice, which cannot be deleted.", compat.Clip(r.PathValue("voice_id"), 40))
	}
	if err != nil {
		WriteError(w, r, h.log, voiceError(err, r))
		return
	}
	h.writeJSON(w, http.StatusOK, deleteResponse{Status: "ok"})
}

// voiceError words a missing voice as ElevenLabs does.
func voiceError(err error, r *http.Request) error {
	if app.ErrorCode(err) != app.ENotFound {
		return err
	}
	return compat.WithReason(compat.ReasonVoiceNotFound, app.Errorf(app.ENotFound,
		"A voice with the voice_id %q was not found.", compat.Clip(r.PathValue("voice_id"), 64)))
}

func (h *Handler) writeJSON(w http.ResponseWriter, status int, v any) {
	respond.JSON(w, status, v, `{"detail":{"status":"internal_error","message":"`+internalMessage+`"}}`)
}
