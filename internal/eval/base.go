package eval

import (
	"context"
	"fmt"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/tts/flite"
	"github.com/voxclone/voxclone/internal/voice"
)

// VoiceBase reads text with the flite voice a package-voice profile chose,
// with flite's own pitch and timing: the unconverted base voice, whose word
// error rate is the clone's point of comparison.
func VoiceBase(ctx context.Context, profile []byte, text string) (*audio.PCM, error) {
	var p voice.Profile
	if err := p.UnmarshalBinary(profile); err != nil {
		return nil, fmt.Errorf("base voice: %w", err)
	}
	r, err := flite.Synthesize(ctx, p.Base.Voice, text, flite.Options{})
	if err != nil {
		return nil, err
	}
	return r.Audio, nil
}
