package eval

import (
	"context"
	"strconv"
	"strings"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/tts/flite"
	"github.com/voxclone/voxclone/internal/voice"
)

// fliteEngine is a minimal engine for tests: the profile names a flite
// voice and, with pitchMatch, the reference's median F0 for flite's
// intonation target. It stands in for the real engine where a test must
// not depend on its quality.
type fliteEngine struct{ pitchMatch bool }

func (e fliteEngine) Clone(_ context.Context, refs []voice.Reference) ([]byte, error) {
	pt := newPitchTracker()
	var f0s []float64
	for _, r := range refs {
		f0s = append(f0s, pt.voicedF0s(to16k(r.Audio).Samples)...)
	}
	f0 := robustMedianF0(f0s)
	name := "slt"
	if f0 > 0 && f0 < 150 {
		name = "rms"
	}
	return []byte(name + " " + strconv.FormatFloat(f0, 'f', 1, 64)), nil
}

func (e fliteEngine) Synthesize(ctx context.Context, profile []byte, text string, _ voice.Options) (*audio.PCM, error) {
	name, f0s, _ := strings.Cut(string(profile), " ")
	var opt flite.Options
	if f0, _ := strconv.ParseFloat(f0s, 64); e.pitchMatch && flite.F0Controllable(name) {
		opt.F0Mean = f0
	}
	r, err := flite.Synthesize(ctx, name, text, opt)
	if err != nil {
		return nil, err
	}
	return r.Audio, nil
}

// fliteBase reads text with a fliteEngine profile's voice, unconverted.
func fliteBase(ctx context.Context, profile []byte, text string) (*audio.PCM, error) {
	name, _, _ := strings.Cut(string(profile), " ")
	r, err := flite.Synthesize(ctx, name, text, flite.Options{})
	if err != nil {
		return nil, err
	}
	return r.Audio, nil
}
