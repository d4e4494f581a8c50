package app

import (
	"context"

	"github.com/voxclone/voxclone/internal/voice"
)

// Engine is the voice engine as the service uses it: it turns reference
// samples (decoded, not yet preprocessed) into an opaque voice profile, and
// speaks prepared text (voice.Prepare) in a profile's or a built-in voice,
// chunk by chunk as each is ready. *voice.Engine implements it.
type Engine interface {
	// Name identifies the engine and its version, stored with each model.
	Name() string
	Clone(ctx context.Context, refs []voice.Reference) ([]byte, error)
	Stream(ctx context.Context, sp voice.Speaker, s *voice.Script, opts voice.Options, emit func(voice.Chunk) error) error
}
