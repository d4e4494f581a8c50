package elevenlabs

import (
	"io"
	"net/http"
	"strconv"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/compat"
	"github.com/voxclone/voxclone/internal/httpapi/respond"
)

// History paging: ElevenLabs allows 1000 a page; voxclone's history
// answers at most 100, and says has_more.
const (
	defaultHistoryPage = 100
	maxHistoryPage     = 100
)

// HistoryItem is ElevenLabs' history entry for one of the caller's
// syntheses.
type HistoryItem struct {
	HistoryItemID string         `json:"history_item_id"`
	RequestID     string         `json:"request_id"`
	VoiceID       string         `json:"voice_id"`
	ModelID       string         `json:"model_id"`
	VoiceName     string         `json:"voice_name"`
	VoiceCategory string         `json:"voice_category"`
	Text          string         `json:"text"`
	DateUnix      int64          `json:"date_unix"`
	CharsFrom     int            `json:"character_count_change_from"`
	CharsTo       int            `json:"character_count_change_to"`
	ContentType   string         `json:"content_type"`
	State         string         `json:"state"`
	Settings      map[string]any `json:"settings"`
	Source        string         `json:"source"`
}

// historyPage is GET /v1/history's answer. LastHistoryItemID is the last
// entry looked at, which the next page starts after.
type historyPage struct {
	History           []HistoryItem `json:"history"`
	LastHistoryItemID *string       `json:"last_history_item_id"`
	HasMore           bool          `json:"has_more"`
	ScannedUntil      *int64        `json:"scanned_until"`
}

// ListHistory serves GET /v1/history: the caller's syntheses, newest
// first, page_size at a time after start_after_history_item_id.
// voice_id keeps only that voice's entries (a page may then be short;
// follow has_more); other filters are ignored.
func (h *Handler) ListHistory(w http.ResponseWriter, r *http.Request, u app.User) {
	q := r.URL.Query()
	size := defaultHistoryPage
	if v := q.Get("page_size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			WriteError(w, r, h.log, compat.Fieldf("page_size", app.EInvalid, "page_size must be a whole number from 1 to 1000."))
			return
		}
		size = min(n, maxHistoryPage)
	}
	cursor, err := h.historyCursor(r, u, q.Get("start_after_history_item_id"))
	if err != nil {
		WriteError(w, r, h.log, err)
		return
	}
	page, err := h.svc.ListHistory(r.Context(), u.ID, size, cursor)
	if err != nil {
		WriteError(w, r, h.log, err)
		return
	}
	names, err := h.voiceNames(r, u)
	if err != nil {
		WriteError(w, r, h.log, err)
		return
	}
	h.writeJSON(w, http.StatusOK, historyOf(page, names, q.Get("voice_id")))
}

// historyCursor turns the id of the entry to start after into voxclone's
// history cursor.
func (h *Handler) historyCursor(r *http.Request, u app.User, after string) (string, error) {
	if after == "" {
		return "", nil
	}
	s, err := h.svc.GetSynthesis(r.Context(), u.ID, after)
	if app.ErrorCode(err) == app.ENotFound {
		return "", compat.WithReason(reasonHistoryNotFound, compat.Fieldf("start_after_history_item_id", app.EInvalid,
			"No history item %q to start after.", compat.Clip(after, 64)))
	}
	if err != nil {
		return "", err
	}
	return app.EncodeCursor(app.HistoryCursor{CreatedAt: s.CreatedAt, ID: s.ID}), nil
}

func (h *Handler) voiceNames(r *http.Request, u app.User) (map[string]string, error) {
	models, err := h.svc.ListModels(r.Context(), u.ID)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(models))
	for _, m := range models {
		names[m.ID] = m.Name
	}
	return names, nil
}

// historyOf describes a page of voxclone's history, keeping only voiceID's
// entries when it is set.
func historyOf(page app.HistoryPage, names map[string]string, voiceID string) historyPage {
	out := historyPage{History: []HistoryItem{}, HasMore: page.NextCursor != ""}
	for _, s := range page.Items {
		if voiceID == "" || s.ModelID == voiceID || (s.Voice != "" && s.Voice == voiceID) {
			out.History = append(out.History, historyItem(s, names[s.ModelID]))
		}
	}
	if n := len(page.Items); n > 0 {
		last, at := page.Items[n-1].ID, page.Items[n-1].CreatedAt.Unix()
		out.LastHistoryItemID, out.ScannedUntil = &last, &at
	}
	return out
}

func historyItem(s app.Synthesis, voiceName string) HistoryItem {
	n := len([]rune(s.Text))
	settings := map[string]any{"speed": s.Speed, "format": s.Format, "sample_rate": s.SampleRate}
	if s.Similarity != nil {
		settings["similarity_boost"] = *s.Similarity
	}
	voiceID, category := s.ModelID, "cloned"
	if s.Voice != "" { // a built-in voice
		voiceID, voiceName, category = s.Voice, s.Voice, "premade"
	}
	return HistoryItem{
		HistoryItemID: s.ID, RequestID: s.ID, VoiceID: voiceID, ModelID: DefaultModel,
		VoiceName: voiceName, VoiceCategory: category, Text: s.Text, DateUnix: s.CreatedAt.Unix(),
		CharsFrom: 0, CharsTo: n, ContentType: compatContentType(s.Format), State: "created",
		Settings: settings, Source: "TTS",
	}
}

// HistoryAudio serves GET /v1/history/{history_item_id}/audio.
func (h *Handler) HistoryAudio(w http.ResponseWriter, r *http.Request, u app.User) {
	s, rc, err := h.svc.OpenHistoryAudio(r.Context(), u.ID, r.PathValue("history_item_id"))
	if app.ErrorCode(err) == app.ENotFound {
		err = compat.WithReason(reasonHistoryNotFound, app.Errorf(app.ENotFound,
			"No history item %q.", compat.Clip(r.PathValue("history_item_id"), 64)))
	}
	if err != nil {
		WriteError(w, r, h.log, err)
		return
	}
	defer rc.Close()
	w.Header().Set("Content-Type", compatContentType(s.Format))
	w.Header().Set("Content-Length", strconv.FormatInt(s.SizeBytes, 10))
	w.WriteHeader(http.StatusOK)
	// A long file on a slow link outlasts the server's WriteTimeout; each
	// write extends the deadline instead (as the native route does).
	if _, err := io.Copy(respond.Lasting(w), rc); err != nil {
		h.log.WarnContext(r.Context(), "history audio cut short", "error", err)
	}
}

// compatContentType is the MIME type of audio stored in a voxclone format.
func compatContentType(format string) string {
	return outputFormat{Service: format}.contentType()
}
