package consent

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/dsp"
	"github.com/voxclone/voxclone/internal/audio/speaker"
	"github.com/voxclone/voxclone/internal/voice/align"
)

// MaxRecording bounds a consent recording; reading the phrase takes about
// ten seconds.
const MaxRecording = 60 // seconds

// Reasons a recording is refused (tested with errors.Is). Each error's
// text says what to do about it.
var (
	ErrNoSpeech   = errors.New("no speech was heard in the recording; read the phrase aloud, close to the microphone")
	ErrWrongWords = errors.New("the recording does not say the phrase; read all of it aloud, clearly")
	ErrTooLong    = fmt.Errorf("the recording is longer than %d s; record just the phrase", MaxRecording)
)

// Result is a recording that passed: what was heard and the voice's print.
type Result struct {
	Words WordCheck
	Print *speaker.Print
}

// Verify checks that pcm is speech saying c. A refusal is one of the
// errors above, wrapped with the figures behind it; other errors are
// failures of the recognizer itself.
func Verify(ctx context.Context, c Challenge, pcm *audio.PCM) (Result, error) {
	if pcm == nil || pcm.Frames() == 0 {
		return Result{}, ErrNoSpeech
	}
	if pcm.Seconds() > MaxRecording {
		return Result{}, ErrTooLong
	}
	m := pcm.Mono()
	if m.Rate != align.Rate {
		m = dsp.Resample(m, align.Rate)
	}
	pr, err := speaker.Extract(m)
	if errors.Is(err, speaker.ErrTooLittleSpeech) {
		return Result{}, ErrNoSpeech
	}
	if err != nil {
		return Result{}, err
	}
	wc, err := c.listen(ctx, m)
	if err != nil {
		return Result{}, err
	}
	if !wc.OK() {
		return Result{Words: wc}, fmt.Errorf("%w (heard %d of %d words)", ErrWrongWords, wc.WordsFound, wc.Words)
	}
	return Result{Words: wc, Print: pr}, nil
}

// listen checks which of c's words m (16 kHz mono) says. When spotting
// with the acoustic model scored on every other frame hears too few, it
// listens again scoring every frame and keeps that answer. The two miss
// different words near the threshold, so the second look passes honest
// readings the first refused: real readings of 3–15 s, sped up to 1.0,
// 1.15, 1.3 and 1.45, were refused 13, 20, 24 and 25 of 54 times by the
// first pass and 10, 12, 15 and 22 with the second, while random
// challenges passed none of those 216 recordings either way (docs/trust.md,
// "Spoken consent"). A second pass costs as much as the first (the word
// loop's search, not Gaussian scoring, dominates), and only readings that
// fall short pay it. Spotting never came back empty, so retrying only
// when it finds nothing would rescue none.
func (c Challenge) listen(ctx context.Context, m *audio.PCM) (WordCheck, error) {
	words, weights := c.vocabulary()
	heard, err := align.Spot(ctx, m, words, weights)
	if err != nil {
		return WordCheck{}, err
	}
	if wc := c.checkWords(heard); wc.OK() {
		return wc, nil
	}
	if heard, err = align.SpotEveryFrame(ctx, m, words, weights); err != nil {
		return WordCheck{}, err
	}
	return c.checkWords(heard), nil
}

// ErrMismatch is returned by MatchSamples when a sample is not the voice
// that gave consent.
var ErrMismatch = errors.New("voice does not match the consent recording")

// MismatchError names the first sample (from 0) that is not the voice of
// the consent; it is ErrMismatch.
type MismatchError struct {
	Sample   int
	Distance float64 // +Inf when the sample had too little speech
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("sample %d: %v (distance %.2f, at most %.2f)", e.Sample+1, ErrMismatch, e.Distance, speaker.Threshold)
}

func (e *MismatchError) Is(target error) bool { return target == ErrMismatch }

// MatchSamples checks that every sample is the voice of the consent print.
// A sample with too little speech to compare counts as a mismatch: nothing
// shows it is the consenting voice.
func MatchSamples(consent *speaker.Print, samples []*audio.PCM) error {
	for i, s := range samples {
		if err := MatchSample(consent, i, s); err != nil {
			return err
		}
	}
	return nil
}

// MatchSample is MatchSamples for the sample numbered i (from 0), for a
// caller that holds one decoded sample at a time.
func MatchSample(consent *speaker.Print, i int, sample *audio.PCM) error {
	pr, err := speaker.Extract(sample)
	if err != nil {
		return &MismatchError{Sample: i, Distance: math.Inf(1)}
	}
	// Written so that a NaN distance, which no print should give, is a
	// mismatch too.
	if d := speaker.Distance(consent, pr); !(d <= speaker.Threshold) {
		return &MismatchError{Sample: i, Distance: d}
	}
	return nil
}
