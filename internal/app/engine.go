package app

import (
	"context"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/voice"
)

// Engine is the voice engine as the service uses it: it turns reference
// samples (decoded, not yet preprocessed) into an opaque voice profile, and
// speaks text with a profile. *voice.Engine implements it.
type Engine interface {
	// Name identifies the engine and its version, stored with each model.
	Name() string
	Clone(ctx context.Context, refs []voice.Reference) ([]byte, error)
	Synthesize(ctx context.Context, profile []byte, text string, opts voice.Options) (*audio.PCM, error)
}
