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
// rateActiveDB of its 95th-percentile frame energy. With rt60 > 0 (a
// reverberant reference, reverb.go) the frames' energies first lose their
// late reverberation, so the room's tails do not count as speaking.
func speakingTime(x []float64, rate int, rt60 float64) float64 {
	n := 0
	for _, a := range activeFramesIn(x, rate, rt60) {
		if a {
			n++
		}
	}
	return float64(n) / 100
}

// activeFrames marks the 10 ms frames of x that speakingTime counts.
func activeFrames(x []float64, rate int) []bool { return activeFramesIn(x, rate, 0) }

// activeFramesIn is activeFrames in a room of reverberation time rt60 (0:
// dry).
func activeFramesIn(x []float64, rate int, rt60 float64) []bool {
	hop := rate / 100
	var es []float64
	for s := 0; s+hop <= len(x); s += hop {
		var e float64
		for _, v := range x[s : s+hop] {
			e += v * v
		}
		es = append(es, e)
	}
	if rt60 > 0 {
		rows := make([][]float64, len(es))
		for i := range es {
			rows[i] = es[i : i+1]
		}
		dereverb(rows, 10, rt60, 1, lateFloor, 0)
	}
	thr := quantile(append([]float64(nil), es...), 0.95) * math.Pow(10, -rateActiveDB/10)
	out := make([]bool, len(es))
	for i, e := range es {
		out[i] = e > thr && e > 0
	}
	return out
}

// phoneActivity predicts a base voice's speakingTime from flite's phone
// durations alone, so the rate fit need not render the transcripts: Share
// is the fraction of each phone's 10 ms frames that speakingTime counted
// when the voice read calibrationText, Default that fraction over all
// frames, for phones the text lacks. On the transcripts of six real
// speakers it came within 0–1.6% of speakingTime on the rendered audio
// (docs/engine.md).
type phoneActivity struct {
	Share   map[string]float64 `json:"share"`
	Default float64            `json:"default"`
}

// minActivityFrames is the fewest frames of a phone whose share is kept.
const minActivityFrames = 3

// activityCounts accumulates phoneActivity over readings.
type activityCounts struct{ active, all map[string]int }

func newActivityCounts() *activityCounts {
	return &activityCounts{active: map[string]int{}, all: map[string]int{}}
}

// add counts a reading's frames by the phone whose span holds their start.
func (c *activityCounts) add(x []float64, rate int, phones []flite.Phone) {
	act := activeFrames(x, rate)
	prev := 0.0
	for _, p := range phones {
		for f := int(prev*100 + 0.5); f < int(p.End*100+0.5) && f < len(act); f++ {
			c.all[p.Name]++
			if act[f] {
				c.active[p.Name]++
			}
		}
		prev = p.End
	}
}

func (c *activityCounts) result() *phoneActivity {
	a := &phoneActivity{Share: map[string]float64{}}
	var act, all int
	for name, n := range c.all {
		act, all = act+c.active[name], all+n
		if n >= minActivityFrames {
			a.Share[name] = float64(c.active[name]) / float64(n)
		}
	}
	a.Default = float64(act) / float64(max(all, 1))
	return a
}

// seconds predicts speakingTime for audio timed by phones.
func (a *phoneActivity) seconds(phones []flite.Phone) float64 {
	var t, prev float64
	for _, p := range phones {
		share, ok := a.Share[p.Name]
		if !ok {
			share = a.Default
		}
		t += (p.End - prev) * share
		prev = p.End
	}
	return t
}

// rateSample is a transcribed reference's text and speaking time.
type rateSample struct {
	text string
	secs float64
}

// fitRate returns the speaker's duration ratio to the base voice (1 when
// too little is transcribed). The base voice's speaking time is predicted
// from flite's phone durations (act), not measured on rendered audio: that
// was 0.5 CPU-s of a 60 s clone.
func fitRate(ctx context.Context, voice string, act *phoneActivity, samples []rateSample) (float64, error) {
	var real, base float64
	for _, s := range samples {
		phones, err := flite.Durations(ctx, voice, s.text, flite.Options{})
		if err != nil {
			return 1, err
		}
		real += s.secs
		base += act.seconds(phones)
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
