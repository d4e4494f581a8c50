// Package flite speaks English text with the flite synthesizer's built-in
// voices (linked through cgo) and reports the phone segmentation flite
// used, so later stages can analyse the audio cheaply and per phone, and
// when each token of the text is spoken, for word timings.
//
// flite voices keep per-call settings in shared state and are not safe for
// concurrent use. Their noise excitation also draws on the C library's one
// global random generator, which this package reseeds before each call so
// the same text and options always give the same samples. Both reasons make
// one process-wide lock the guard: calls queue, and since flite speaks about
// a hundred times faster than real time the queue stays short.
package flite

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/voxclone/voxclone/internal/audio"
)

// MaxTextBytes bounds one call's text. flite's memory grows with the
// utterance; callers split longer text into sentences.
const MaxTextBytes = 20000

// Errors returned by Synthesize.
var (
	ErrUnknownVoice = errors.New("flite: unknown voice")
	ErrTextTooLong  = errors.New("flite: text too long")
)

// Phone is one segment of flite's phone relation: its name in flite's
// US English phone set ("pau" for silence) and the time it ends.
type Phone struct {
	Name string
	End  float64 // seconds from the start of the audio
}

// Token is one whitespace-separated token of the text as flite read it,
// with the time its words are spoken. Name is the token without the
// punctuation around it. A token read as no words (Words 0) has Start and
// End −1.
type Token struct {
	Name       string
	Words      int
	Start, End float64 // seconds from the start of the audio
}

// Result is one synthesis: mono audio at the voice's rate, the phones in
// order, and the text's tokens in order; no phone or token ends after the
// audio.
type Result struct {
	Audio  *audio.PCM
	Phones []Phone
	Tokens []Token
}

// Options adjust one synthesis. The zero value uses the voice's defaults.
type Options struct {
	// DurationStretch scales every duration (2 = half as fast); 0 means 1.
	DurationStretch float64
	// F0Mean and F0Stddev, in Hz, set the intonation target's mean and
	// spread. F0Mean 0 keeps the voice's own.
	F0Mean, F0Stddev float64
}

// voiceNames lists the built-in voices in the order cflite registers them.
var voiceNames = []string{"slt", "rms", "awb", "kal16"}

// Voices returns the names of the built-in voices.
func Voices() []string { return append([]string(nil), voiceNames...) }

type voiceSlot struct {
	once sync.Once
	v    cVoice
	err  error
}

var (
	regMu sync.Mutex // flite's voice list is global; register one at a time
	// sem holds one token: the lock around every synthesis, cancellable.
	sem   = make(chan struct{}, 1)
	slots = func() []*voiceSlot {
		s := make([]*voiceSlot, len(voiceNames))
		for i := range s {
			s[i] = &voiceSlot{}
		}
		return s
	}()
)

func slot(name string) (*voiceSlot, error) {
	for i, n := range voiceNames {
		if n == name {
			s := slots[i]
			s.once.Do(func() {
				regMu.Lock()
				defer regMu.Unlock()
				s.v, s.err = cRegister(i)
			})
			return s, s.err
		}
	}
	return nil, fmt.Errorf("%w %q", ErrUnknownVoice, name)
}

// F0Controllable reports whether Options.F0Mean and F0Stddev change the
// voice's pitch. rms draws its F0 from an accent model that ignores them.
func F0Controllable(voice string) bool { return voice != "rms" }

// acquire checks text, finds the voice and waits for flite to be free,
// giving up when ctx ends; the caller then holds a place in sem, which it
// must give back. It returns the text as flite may read it and the
// duration stretch to use.
func acquire(ctx context.Context, voice, text string, opt Options) (*voiceSlot, string, float64, error) {
	if len(text) > MaxTextBytes {
		return nil, "", 0, ErrTextTooLong
	}
	s, err := slot(voice)
	if err != nil {
		return nil, "", 0, err
	}
	// flite reads C strings; an interior NUL would silently cut the text.
	text = strings.ReplaceAll(text, "\x00", " ")
	stretch := opt.DurationStretch
	if stretch <= 0 {
		stretch = 1
	}
	if err := ctx.Err(); err != nil {
		return nil, "", 0, err
	}
	select {
	case sem <- struct{}{}:
	case <-ctx.Done():
		return nil, "", 0, ctx.Err()
	}
	return s, text, stretch, nil
}

// Synthesize speaks text with the named voice. It waits for flite to be
// free, giving up when ctx ends. Text that flite cannot speak (empty, or
// only punctuation) gives a short, silent result rather than an error.
func Synthesize(ctx context.Context, voice, text string, opt Options) (*Result, error) {
	s, text, stretch, err := acquire(ctx, voice, text, opt)
	if err != nil {
		return nil, err
	}
	rate, pcm16, phones, tokens, err := s.v.synth(text, stretch, opt.F0Mean, opt.F0Stddev)
	<-sem
	if err != nil {
		return nil, err
	}
	samples := make([]float32, len(pcm16))
	for i, x := range pcm16 {
		samples[i] = float32(x) / 32768
	}
	// Diphone voices can label a little past their last sample.
	dur := float64(len(samples)) / float64(rate)
	for i := range phones {
		phones[i].End = min(phones[i].End, dur)
	}
	for i := range tokens {
		if tokens[i].Words > 0 && tokens[i].Start >= 0 {
			tokens[i].Start, tokens[i].End = min(tokens[i].Start, dur), min(tokens[i].End, dur)
		}
	}
	return &Result{Audio: &audio.PCM{Rate: rate, Channels: 1, Samples: samples}, Phones: phones, Tokens: tokens}, nil
}

// Durations returns the phones Synthesize would give for the same voice,
// text and DurationStretch, timed by flite's duration model alone: nothing
// is rendered, so it costs a small part of a synthesis. (F0 options do not
// move phone times.) The last phone may end a little past the audio
// Synthesize would return; Synthesize clips it.
func Durations(ctx context.Context, voice, text string, opt Options) ([]Phone, error) {
	s, text, stretch, err := acquire(ctx, voice, text, opt)
	if err != nil {
		return nil, err
	}
	phones, err := s.v.durations(text, stretch)
	<-sem
	return phones, err
}
