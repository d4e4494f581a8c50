package voice

import (
	"context"
	"math"
	"strings"
	"unicode"

	"github.com/voxclone/voxclone/internal/tts/flite"
)

// Speaking-rate fit. With transcripts, the base voice reads the same words
// and the ratio of speaking times is the speaker's rate relative to it.
// Without them the rate is left alone: a syllable-nucleus counter
// (de Jong & Wempe) read flite 11–34% faster than real speakers whose
// speaking time for the same text was within 5–13% of flite's
// (docs/engine.md).
const (
	minRateRatio  = 0.8
	maxRateRatio  = 1.25
	rateActiveDB  = 30.0 // frames this close to the loud ones count as speaking
	minRateSecond = 3.0  // least transcribed speaking time to fit a rate
)

// speakingTime is the duration in seconds of the 10 ms frames of x within
// rateActiveDB of its 95th-percentile frame energy.
func speakingTime(x []float64, rate int) float64 {
	hop := rate / 100
	var es []float64
	for s := 0; s+hop <= len(x); s += hop {
		var e float64
		for _, v := range x[s : s+hop] {
			e += v * v
		}
		es = append(es, e)
	}
	thr := quantile(append([]float64(nil), es...), 0.95) * math.Pow(10, -rateActiveDB/10)
	n := 0
	for _, e := range es {
		if e > thr && e > 0 {
			n++
		}
	}
	return float64(n) / 100
}

// rateSample is a transcribed reference's text and speaking time.
type rateSample struct {
	text string
	secs float64
}

// fitRate returns the speaker's duration ratio to the base voice (1 when
// too little is transcribed).
func fitRate(ctx context.Context, voice string, samples []rateSample) (float64, error) {
	var real, base float64
	for _, s := range samples {
		r, err := flite.Synthesize(ctx, voice, s.text, flite.Options{})
		if err != nil {
			return 1, err
		}
		real += s.secs
		base += speakingTime(toFloat64(r.Audio.Samples), r.Audio.Rate)
	}
	if real < minRateSecond || base <= 0 {
		return 1, nil
	}
	return clamp(real/base, minRateRatio, maxRateRatio), nil
}

// speakable reports whether a transcript has words flite can read.
func speakable(text string) bool {
	return len(text) <= flite.MaxTextBytes &&
		strings.IndexFunc(text, func(r rune) bool { return unicode.IsLetter(r) }) >= 0
}
