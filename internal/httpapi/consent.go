package httpapi

import (
	"bytes"
	"net/http"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/consent"
)

// consentBody is a consent challenge as the API shows it.
type consentBody struct {
	ID string `json:"id"`
	// Phrase is the text to read aloud: the statement, then the words.
	Phrase    string    `json:"phrase"`
	Statement string    `json:"statement"`
	Words     []string  `json:"words"`
	Status    string    `json:"status"` // app.ConsentPending, …
	ExpiresAt time.Time `json:"expires_at"`
	// UsedFor is the voice cloned under a used consent.
	UsedFor     string     `json:"used_for,omitempty"`
	VerifiedAt  *time.Time `json:"verified_at,omitempty"`
	UsableUntil *time.Time `json:"usable_until,omitempty"`
}

func (h *handler) consentBody(c app.Consent) consentBody {
	b := consentBody{ID: c.ID, Phrase: c.Phrase(), Statement: c.Statement, Words: c.Words,
		Status: h.svc.ConsentStatus(c), ExpiresAt: c.ExpiresAt, UsedFor: c.UsedFor, VerifiedAt: c.VerifiedAt}
	if c.VerifiedAt != nil {
		until := c.VerifiedAt.Add(consent.ConsentTTL)
		b.UsableUntil = &until
	}
	return b
}

// issueConsent draws a new consent phrase for the caller. It takes no
// parameters: a body naming any is refused rather than ignored.
func (h *handler) issueConsent(w http.ResponseWriter, r *http.Request, u app.User) {
	if err := readNoFields(w, r, h.maxJSON); err != nil {
		writeError(w, r, h.log, err)
		return
	}
	c, err := h.svc.IssueConsent(r.Context(), u.ID)
	if err != nil {
		writeError(w, r, h.log, err)
		return
	}
	writeJSON(w, http.StatusCreated, h.consentBody(c))
}

// verifyConsent checks a recording of the phrase (the upload form: an
// "audio" part, limited like a sample).
func (h *handler) verifyConsent(w http.ResponseWriter, r *http.Request, u app.User) {
	if _, err := h.svc.OpenConsent(r.Context(), u.ID, r.PathValue("id")); err != nil {
		// Another user's challenge (404), or a used or expired one (409),
		// is refused before the body is read.
		writeError(w, r, h.log, err)
		return
	}
	form, ok := h.readUpload(w, r)
	if !ok {
		return
	}
	c, err := h.svc.VerifyConsent(r.Context(), u.ID, r.PathValue("id"), bytes.NewReader(form.Audio))
	if err != nil {
		writeError(w, r, h.log, err)
		return
	}
	writeJSON(w, http.StatusOK, h.consentBody(c))
}

// getConsent shows one of the caller's challenges.
func (h *handler) getConsent(w http.ResponseWriter, r *http.Request, u app.User) {
	c, err := h.svc.GetConsent(r.Context(), u.ID, r.PathValue("id"))
	if err != nil {
		writeError(w, r, h.log, err)
		return
	}
	writeJSON(w, http.StatusOK, h.consentBody(c))
}
