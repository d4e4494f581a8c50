package compat

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/voxclone/voxclone/internal/app"
)

// Voices is what finding a voice needs from the service.
type Voices interface {
	ResolveVoice(ctx context.Context, userID, ref string) (app.VoiceRef, error)
	GetModel(ctx context.Context, userID, id string) (app.Model, error)
	ListModels(ctx context.Context, userID string) ([]app.Model, error)
	BuiltinVoices() []app.BuiltinVoice
}

// Voice is a voice a request named: one of the caller's voice models
// (Model set) or a built-in voice (Builtin set).
type Voice struct {
	Model   *app.Model
	Builtin *app.BuiltinVoice
}

// Input puts the voice into a synthesis request.
func (v Voice) Input(in app.SynthesizeInput) app.SynthesizeInput {
	if v.Builtin != nil {
		in.Voice = v.Builtin.ID
	} else {
		in.ModelID = v.Model.ID
	}
	return in
}

// FindVoice returns the voice ref names: the caller's voice model with that
// id, else the newest one named exactly so, else the built-in voice with
// that id, else the built-in voice aliases maps it to (an API's own voice
// names). Another user's voices do not exist here. An unknown voice is
// ENotFound and a voice whose cloning failed EUnprocessable, each with a
// Reason (ReasonVoiceNotFound, ReasonVoiceNotReady) and naming field.
func FindVoice(ctx context.Context, svc Voices, userID, ref, field string, aliases map[string]string) (Voice, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return Voice{}, Fieldf(field, app.EInvalid, "'%s' is required: a voice id or name.", field)
	}
	vr, err := svc.ResolveVoice(ctx, userID, ref)
	if app.ErrorCode(err) == app.ENotFound && aliases[strings.ToLower(ref)] != "" {
		vr, err = app.VoiceRef{Voice: aliases[strings.ToLower(ref)]}, nil
	}
	if app.ErrorCode(err) == app.ENotFound {
		return Voice{}, WithReason(ReasonVoiceNotFound, Fieldf(field, app.ENotFound,
			"No voice %q: use the id or exact name of one of your voices, or a built-in voice (%s).", Clip(ref, 64), builtinIDs(svc)))
	}
	if err != nil {
		return Voice{}, err
	}
	if vr.Voice != "" {
		b, ok := Builtin(svc, vr.Voice)
		if !ok {
			return Voice{}, fmt.Errorf("compat: resolved to unknown built-in voice %q", vr.Voice)
		}
		return Voice{Builtin: &b}, nil
	}
	m, err := svc.GetModel(ctx, userID, vr.ModelID)
	if err != nil {
		return Voice{}, err
	}
	if m.Status != app.ModelReady {
		return Voice{}, WithReason(ReasonVoiceNotReady,
			Fieldf(field, app.EUnprocessable, "The voice %q cannot speak: %s", Clip(m.Name, 64), notReady(m)))
	}
	return Voice{Model: &m}, nil
}

// Builtin returns the built-in voice with id, any case.
func Builtin(svc Voices, id string) (app.BuiltinVoice, bool) {
	for _, b := range svc.BuiltinVoices() {
		if strings.EqualFold(b.ID, id) {
			return b, true
		}
	}
	return app.BuiltinVoice{}, false
}

func builtinIDs(svc Voices) string {
	var ids []string
	for _, b := range svc.BuiltinVoices() {
		ids = append(ids, b.ID)
	}
	return strings.Join(ids, ", ")
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
