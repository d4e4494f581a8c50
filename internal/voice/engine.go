package voice

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/loudness"
	"github.com/voxclone/voxclone/internal/tts/flite"
	"github.com/voxclone/voxclone/internal/voice/world"
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
	// Workers is how many sentences of one Synthesize call are rendered at
	// once; 0 means GOMAXPROCS. The base synthesizer itself runs one call at
	// a time; the vocoder stages run in parallel.
	Workers int
}

// Engine clones voices and speaks text in them. It is safe for concurrent
// use, and New is cheap: the base voices' statistics are built in.
type Engine struct {
	mode    Mode
	workers int
	// slots are the workers Stream renders on, shared by all streams so
	// that concurrent requests share the cores rather than multiply.
	slots chan struct{}
}

// New returns an engine.
func New(cfg Config) *Engine {
	if cfg.Mode == "" {
		cfg.Mode = ModeConvert
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	return &Engine{mode: cfg.Mode, workers: cfg.Workers, slots: make(chan struct{}, cfg.Workers)}
}

// Name identifies the engine and its version; models record it. Version 2
// measures pitch over periodic frames and shifts each phone toward the
// speaker's (version 1 selected frames by nearest neighbour); version 3
// renders at 24 kHz with the band above 8 kHz (baseline version 2: the
// same rate); version 4 learns that band from wide-band references
// (profiles without it keep version 3's table); version 5 undoes the
// upsampler's roll-off on flite's unvoiced frames (6–8 kHz); version 6
// sets the band above 8 kHz per phone from each frame's own level, learns
// it on frames inside their class (HBND layout 2) and matches it to the
// 1–4 kHz heard on flite's unvoiced frames; version 7 shifts each phone
// 1.15 times the speaker-minus-base difference (shiftGain); version 8
// (baseline version 3) brings the built-in voices and the baseline to
// 24 kHz through the sharp resampler, keeping flite's 6–8 kHz (clones and
// their profiles are unchanged); version 9 keeps at least −10 dB of each
// bin when it subtracts the noise prep's noise reduction left (params
// hash 7; clean references prep did not denoise keep their profiles);
// version 10 holds each reference frame's envelope at most 50 dB under
// its 1–3 kHz level, so a lossy codec's spectral holes do not pull the
// profile (params hash 8, holdHoles); version 11 reads the formants of
// noisy references with the noise's autocorrelation subtracted, so the
// noise does not raise F4 and move the warp (params hash 9).
// Profiles of every version still load and speak.
func (e *Engine) Name() string {
	if e.mode == ModeBaseline {
		return "voxclone-baseline/3"
	}
	return "voxclone-a/11"
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
	opt = sanitize(opt)
	parts, err := e.speakAll(ctx, &p, chunks, opt)
	if err != nil {
		return nil, err
	}
	return loudness.Normalize(concat(parts), opt.LoudnessLUFS, loudness.DefaultMaxTruePeak), nil
}

// sanitize replaces unset or non-finite options with defaults and clamps
// the rest to their documented ranges.
func sanitize(o Options) Options {
	finite := func(v, def float64) float64 {
		if math.IsNaN(v) || math.IsInf(v, 0) || v == 0 {
			return def
		}
		return v
	}
	o.Speed = clamp(finite(o.Speed, 1), 0.5, 2)
	o.Pitch = clamp(finite(o.Pitch, 0), -12, 12)
	o.LoudnessLUFS = clamp(finite(o.LoudnessLUFS, loudness.DefaultTargetLUFS), -70, 0)
	if o.Similarity != nil && math.IsNaN(*o.Similarity) {
		o.Similarity = nil
	}
	return o
}

// speakAll renders the sentences on up to e.workers goroutines. Each
// sentence's noise seed depends only on its position, so the result does
// not depend on scheduling.
func (e *Engine) speakAll(ctx context.Context, p *Profile, chunks []string, opt Options) ([]*audio.PCM, error) {
	parts := make([]*audio.PCM, len(chunks))
	errs := make([]error, len(chunks))
	sem := make(chan struct{}, e.workers)
	var conv *conversion // one mapping for the whole text, shared by the sentences
	if e.mode != ModeBaseline {
		conv = newConversion(p, similarity(opt.Similarity), opt.Pitch)
	}
	var wg sync.WaitGroup
	for i, c := range chunks {
		if err := ctx.Err(); err != nil {
			errs[i] = err
			break
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			parts[i], _, errs[i] = e.speak(ctx, p, conv, c, opt, uint64(opt.Seed)+uint64(i))
		}()
	}
	wg.Wait()
	return parts, errors.Join(errs...)
}

// speak renders one sentence with conv (nil in baseline mode), which it
// only reads.
// It also returns the base synthesizer's result, whose phone and token
// times hold for the rendered audio.
func (e *Engine) speak(ctx context.Context, p *Profile, conv *conversion, text string, opt Options, seed uint64) (*audio.PCM, *flite.Result, error) {
	if e.mode == ModeBaseline {
		return speakBaseline(ctx, p, text, opt)
	}
	stretch := durationStretch(opt.Speed)
	if p.Base.RateRatio > 0 {
		stretch *= float64(p.Base.RateRatio)
	}
	r, err := flite.Synthesize(ctx, p.Base.Voice, text, flite.Options{DurationStretch: stretch})
	if err != nil {
		return nil, nil, fmt.Errorf("voice: base synthesis: %w", err)
	}
	// A stream whose listener left cancels ctx; each stage below costs
	// about a quarter of the sentence's CPU, so checking between them
	// stops the work in a fraction of a sentence instead of a whole one
	// (a long sentence is tenths of a second of CPU, seconds on a busy
	// machine).
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	x := resampleTo(toFloat64(r.Audio.Samples), r.Audio.Rate, analysisRate)
	par, err := analyzeBase(x, r.Phones)
	if err != nil {
		return nil, nil, fmt.Errorf("voice: analysing base voice: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	periodic := periodicFrames(x, par.F0, analysisRate, synthHop)
	labels := frameLabels(r.Phones, synthHop, len(par.F0))
	before := unvoicedEnvelopes(par.Envelope, par.F0)
	conv.mapEnvelopes(par.Envelope, par.F0, labels)
	conv.mapF0(par.F0, periodic)
	par.Aperiodicity, err = world.Aperiodicity(x, analysisRate, par.F0, synthHop, par.FFTSize,
		world.AperiodicityOptions{Mode: world.Template, TemplateDB: conv.apDB})
	if err != nil {
		return nil, nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	y, err := world.Synthesize(widen(par, labels, conv.highBand), world.SynthesisOptions{Seed: seed})
	if err != nil {
		return nil, nil, fmt.Errorf("voice: vocoder: %w", err)
	}
	// The vocoder's noise blurs consonants that flite's own waveform keeps
	// (unvoiced.go); above 8 kHz the vocoder's band from the table stays.
	keepUnvoiced(y, resampleTo(x, analysisRate, OutputRate), par.F0, before, par.Envelope,
		OutputRate, int(synthHop*OutputRate/1000))
	return &audio.PCM{Rate: OutputRate, Channels: 1, Samples: f32s(y)}, r, nil
}

// analyzeBase measures F0 and the envelope of clean base-voice audio. The
// base voice is noise-free, so DIO runs decimated; flite's phones mark
// the frames that must be unvoiced.
func analyzeBase(x []float64, phones []flite.Phone) (*world.Params, error) {
	f0, err := world.F0(x, analysisRate, world.F0Options{FramePeriod: synthHop})
	if err != nil {
		return nil, err
	}
	maskUnvoiced(f0, phones, synthHop)
	env, err := world.Envelope(x, analysisRate, f0, synthHop, world.EnvelopeOptions{})
	if err != nil {
		return nil, err
	}
	return &world.Params{Rate: analysisRate, FramePeriod: synthHop, Samples: len(x),
		FFTSize: world.FFTSizeFor(analysisRate, 0), F0: f0, Envelope: env}, nil
}

// speakBaseline renders with flite alone, its intonation target set to the
// speaker's F0 statistics (rms ignores the target).
func speakBaseline(ctx context.Context, p *Profile, text string, opt Options) (*audio.PCM, *flite.Result, error) {
	fo := flite.Options{DurationStretch: durationStretch(opt.Speed)}
	med := math.Exp(float64(p.Prosody.LogF0Median) + opt.Pitch*math.Ln2/12)
	fo.F0Mean, fo.F0Stddev = med, med*float64(p.Prosody.LogF0SD)
	r, err := flite.Synthesize(ctx, p.Base.Voice, text, fo)
	if err != nil {
		return nil, nil, fmt.Errorf("voice: base synthesis: %w", err)
	}
	return resampleChunk(r.Audio), r, nil
}

// DefaultSimilarity is the strength of the spectral conversion when the
// caller does not choose one. It is exported so that callers can record the
// setting a synthesis actually used.
const DefaultSimilarity = 1.0

func similarity(s *float64) float64 {
	if s == nil {
		return DefaultSimilarity
	}
	return clamp(*s, 0, 1)
}

// durationStretch maps the (sanitised) speed option to flite's duration
// factor.
func durationStretch(speed float64) float64 { return 1 / speed }

// concat joins the sentences into one PCM, releasing each part as it is
// copied so long texts do not hold two copies.
func concat(parts []*audio.PCM) *audio.PCM {
	n := 0
	for _, p := range parts {
		n += len(p.Samples)
	}
	out := &audio.PCM{Rate: parts[0].Rate, Channels: 1, Samples: make([]float32, 0, n)}
	for i, p := range parts {
		out.Samples = append(out.Samples, p.Samples...)
		parts[i] = nil
	}
	return out
}
