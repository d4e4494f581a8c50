package voice

import (
	"context"
	"errors"
	"fmt"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/tts/flite"
)

// ErrUnknownVoice is returned for a built-in voice name that does not
// exist.
var ErrUnknownVoice = errors.New("voice: no such built-in voice")

// Builtin is a voice anyone can use without cloning one: a base voice of
// the synthesizer, spoken as it is (no conversion, so Pitch and
// Similarity do not apply).
type Builtin struct {
	// ID is the stable name requests use.
	ID          string
	Description string
	Gender      string // "female" or "male"
	Accent      string
}

// builtins are flite's clustergen voices. kal16, a diphone voice, is left
// out: it sounds clearly more mechanical than the others.
var builtins = []Builtin{
	{ID: "slt", Description: "US English, female (CMU ARCTIC slt)", Gender: "female", Accent: "American"},
	{ID: "rms", Description: "US English, male (CMU ARCTIC rms)", Gender: "male", Accent: "American"},
	{ID: "awb", Description: "Scottish English, male (CMU ARCTIC awb)", Gender: "male", Accent: "Scottish"},
}

// Builtins lists the built-in voices; the IDs never change.
func Builtins() []Builtin { return append([]Builtin(nil), builtins...) }

func builtinByID(id string) (Builtin, bool) {
	for _, b := range builtins {
		if b.ID == id {
			return b, true
		}
	}
	return Builtin{}, false
}

// speakBuiltin renders text with a built-in voice: the base synthesizer
// alone, at the requested speed.
func speakBuiltin(ctx context.Context, b Builtin, text string, opt Options) (*audio.PCM, *flite.Result, error) {
	r, err := flite.Synthesize(ctx, b.ID, text, flite.Options{DurationStretch: durationStretch(opt.Speed)})
	if err != nil {
		return nil, nil, fmt.Errorf("voice: base synthesis: %w", err)
	}
	return r.Audio, r, nil
}
