package compat

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/voxclone/voxclone/internal/app"
)

// Voices is what finding a voice needs from the service.
type Voices interface {
	GetModel(ctx context.Context, userID, id string) (app.Model, error)
	ListModels(ctx context.Context, userID string) ([]app.Model, error)
}

// FindVoice returns the caller's voice model whose id is ref or, when
// byName is set and no id matches, the newest one named exactly ref.
// Another user's voices do not exist here. An unknown voice is ENotFound
// and a voice whose cloning failed EUnprocessable, each with a Reason
// (ReasonVoiceNotFound, ReasonVoiceNotReady) and naming field.
func FindVoice(ctx context.Context, svc Voices, userID, ref, field string, byName bool) (app.Model, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return app.Model{}, Fieldf(field, app.EInvalid, "'%s' is required: a voice id or name.", field)
	}
	m, err := svc.GetModel(ctx, userID, ref)
	if app.ErrorCode(err) == app.ENotFound && byName {
		m, err = findByName(ctx, svc, userID, ref)
	}
	if app.ErrorCode(err) == app.ENotFound {
		return app.Model{}, WithReason(ReasonVoiceNotFound,
			Fieldf(field, app.ENotFound, "No voice %q: use the id or exact name of one of your voices.", Clip(ref, 64)))
	}
	if err != nil {
		return app.Model{}, err
	}
	if m.Status != app.ModelReady {
		return app.Model{}, WithReason(ReasonVoiceNotReady,
			Fieldf(field, app.EUnprocessable, "The voice %q cannot speak yet: %s", Clip(m.Name, 64), notReady(m)))
	}
	return m, nil
}

// findByName picks the newest ready model named name, else the newest of
// that name, so a failed attempt does not hide a working voice.
func findByName(ctx context.Context, svc Voices, userID, name string) (app.Model, error) {
	models, err := svc.ListModels(ctx, userID)
	if err != nil {
		return app.Model{}, err
	}
	var found *app.Model
	for i := range models { // newest first
		m := &models[i]
		if m.Name != name {
			continue
		}
		if m.Status == app.ModelReady {
			return *m, nil
		}
		if found == nil {
			found = m
		}
	}
	if found == nil {
		return app.Model{}, app.NotFound("voice")
	}
	return *found, nil
}

func notReady(m app.Model) string {
	if m.Failure != "" {
		return m.Failure
	}
	return "its status is " + m.Status + "."
}

// Text trims text and checks it holds 1 to max characters: EInvalid when
// empty, ETooLarge (ReasonTextTooLong) naming the cap when longer.
func Text(field, text string, max int) (string, error) {
	text = strings.TrimSpace(text)
	n := utf8.RuneCountInString(text)
	switch {
	case n == 0:
		return "", Fieldf(field, app.EInvalid, "'%s' is empty: give 1 to %s characters to speak.", field, humanCount(max))
	case n > max:
		return "", WithReason(ReasonTextTooLong, Fieldf(field, app.ETooLarge,
			"'%s' is %s characters long; voxclone speaks at most %s characters per request.", field, humanCount(n), humanCount(max)))
	}
	return text, nil
}

// Clip cuts s to at most n bytes on a rune boundary, for echoing user
// input in messages.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
