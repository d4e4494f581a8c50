package voice

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/tts/flite"
)

// Mode selects how Synthesize makes the base voice sound like the speaker.
type Mode string

const (
	// ModeConvert (Engine A) analyses the base voice with the vocoder and
	// maps its pitch, vocal-tract length, spectral balance and breathiness
	// onto the speaker's. It is the default.
	ModeConvert Mode = "convert"
	// ModeBaseline only picks the closer base voice and sets its intonation
	// target to the speaker's F0 statistics. The evaluation compares
	// against it.
	ModeBaseline Mode = "baseline"
)

// Errors returned by the engine, besides ErrBadProfile.
var (
	ErrNoSpeech    = errors.New("voice: not enough speech in the references")
	ErrEmptyText   = errors.New("voice: no text to speak")
	ErrTextTooLong = errors.New("voice: text too long")
)

// MaxTextBytes bounds the text of one Synthesize call.
const MaxTextBytes = 20000

// minVoicedSeconds is the least voiced speech a profile is built from:
// below it the F0 statistics are noise.
const minVoicedSeconds = 1.0

// Config configures an Engine. The zero value is ModeConvert.
type Config struct {
	Mode Mode
}

// Engine clones voices and speaks text in them. It is safe for concurrent
// use; New is cheap and the base voices are measured on first use.
type Engine struct {
	mode Mode

	baseOnce  sync.Once
	baseStats map[string]baseStats
	baseErr   error
}

// New returns an engine.
func New(cfg Config) *Engine {
	if cfg.Mode == "" {
		cfg.Mode = ModeConvert
	}
	return &Engine{mode: cfg.Mode}
}

// Name identifies the engine and its version; profiles record it.
func (e *Engine) Name() string {
	if e.mode == ModeBaseline {
		return "voxclone-baseline/1"
	}
	return "voxclone-a/1"
}

// Clone builds a voice profile from the speaker's reference samples, which
// must be decoded but not preprocessed: the engine cleans them itself. It
// returns the profile's binary form, or ErrNoSpeech when the references
// hold too little voiced speech.
func (e *Engine) Clone(ctx context.Context, refs []Reference) ([]byte, error) {
	p, err := e.buildProfile(ctx, refs)
	if err != nil {
		return nil, err
	}
	return p.MarshalBinary()
}

// Synthesize speaks text in the profile's voice. The result is mono at the
// engine's rate, normalised to opt.LoudnessLUFS (−16 when 0) with a true
// peak at most −1 dBTP. The same profile, text and options always give
// the same samples.
func (e *Engine) Synthesize(ctx context.Context, profile []byte, text string, opt Options) (*audio.PCM, error) {
	var p Profile
	if err := p.UnmarshalBinary(profile); err != nil {
		return nil, err
	}
	if len(text) > MaxTextBytes {
		return nil, ErrTextTooLong
	}
	chunks := splitSentences(text)
	if len(chunks) == 0 {
		return nil, ErrEmptyText
	}
	var out *audio.PCM
	for _, c := range chunks {
		pcm, err := e.speak(ctx, &p, c, opt)
		if err != nil {
			return nil, err
		}
		out = appendPCM(out, pcm)
	}
	lufs := opt.LoudnessLUFS
	if lufs == 0 {
		lufs = -16
	}
	return normalizeLoudness(out, lufs, -1), nil
}

// speak renders one sentence.
func (e *Engine) speak(ctx context.Context, p *Profile, text string, opt Options) (*audio.PCM, error) {
	fo := flite.Options{DurationStretch: durationStretch(opt.Speed)}
	// The F0 target follows the speaker; the user's pitch shift moves it.
	med := math.Exp(float64(p.Prosody.LogF0Median) + opt.Pitch*math.Ln2/12)
	fo.F0Mean, fo.F0Stddev = med, med*float64(p.Prosody.LogF0SD)
	r, err := flite.Synthesize(ctx, p.Base.Voice, text, fo)
	if err != nil {
		return nil, fmt.Errorf("voice: base synthesis: %w", err)
	}
	return r.Audio, nil
}

// durationStretch maps the speed option (0 = 1, clamped to 0.5–2) to
// flite's duration factor.
func durationStretch(speed float64) float64 {
	if speed == 0 {
		speed = 1
	}
	return 1 / math.Min(2, math.Max(0.5, speed))
}

func appendPCM(dst, src *audio.PCM) *audio.PCM {
	if dst == nil {
		return &audio.PCM{Rate: src.Rate, Channels: 1, Samples: append([]float32(nil), src.Samples...)}
	}
	dst.Samples = append(dst.Samples, src.Samples...)
	return dst
}
