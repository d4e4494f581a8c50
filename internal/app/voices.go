package app

import (
	"context"
	"strings"

	"github.com/voxclone/voxclone/internal/voice"
)

// BuiltinVoice is a voice every user can speak with without cloning one.
// Its ID never changes.
type BuiltinVoice struct {
	ID          string `json:"id"`
	Description string `json:"description"`
	Gender      string `json:"gender"`
	Accent      string `json:"accent"`
}

// BuiltinVoices lists the built-in voices.
func (s *Service) BuiltinVoices() []BuiltinVoice {
	var out []BuiltinVoice
	for _, b := range voice.Builtins() {
		out = append(out, BuiltinVoice{ID: b.ID, Description: b.Description, Gender: b.Gender, Accent: b.Accent})
	}
	return out
}

// builtinVoice finds a built-in voice by id, ignoring case.
func builtinVoice(id string) (voice.Builtin, bool) {
	for _, b := range voice.Builtins() {
		if strings.EqualFold(b.ID, id) {
			return b, true
		}
	}
	return voice.Builtin{}, false
}

func builtinNames() string {
	var ids []string
	for _, b := range voice.Builtins() {
		ids = append(ids, b.ID)
	}
	return strings.Join(ids, ", ")
}

// FindModelByName returns the user's model with exactly this name: the
// newest ready one, else the newest of that name (which cannot speak).
// None is ENotFound.
func (s *Service) FindModelByName(ctx context.Context, userID, name string) (Model, error) {
	ms, err := s.store.ListModels(ctx, userID)
	if err != nil {
		return Model{}, err
	}
	var found *Model
	for i := range ms { // newest first
		if ms[i].Name != name {
			continue
		}
		if ms[i].Status == ModelReady {
			return ms[i], nil
		}
		if found == nil {
			found = &ms[i]
		}
	}
	if found == nil {
		return Model{}, Errorf(ENotFound, "You have no voice model named %q.", truncate(name, 60))
	}
	return *found, nil
}

// VoiceRef is a resolved voice: a model of the user's or a built-in voice,
// to put in SynthesizeInput.
type VoiceRef struct {
	ModelID string
	Voice   string
}

// ResolveVoice finds the voice a client names: the id of one of the user's
// models, else the exact name of one (as FindModelByName), else a
// built-in voice's id (any case). None is ENotFound.
func (s *Service) ResolveVoice(ctx context.Context, userID, ref string) (VoiceRef, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return VoiceRef{}, Errorf(EInvalid, "Name a voice: one of your voice models, or a built-in voice.")
	}
	if m, err := s.findModel(ctx, userID, ref); err == nil {
		return VoiceRef{ModelID: m.ID}, nil
	} else if ErrorCode(err) != ENotFound {
		return VoiceRef{}, err
	}
	if m, err := s.FindModelByName(ctx, userID, ref); err == nil {
		return VoiceRef{ModelID: m.ID}, nil
	} else if ErrorCode(err) != ENotFound {
		return VoiceRef{}, err
	}
	if b, ok := builtinVoice(ref); ok {
		return VoiceRef{Voice: b.ID}, nil
	}
	return VoiceRef{}, Errorf(ENotFound, "No voice %q: use one of your voice models (by id or name) or a built-in voice (%s).",
		truncate(ref, 60), builtinNames())
}
