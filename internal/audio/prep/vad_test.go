package prep

import (
	"math"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/speechtest"
)

// twoUtterances joins two real utterances with a gap of quiet room noise
// and returns the signal and where the gap is, in samples.
func twoUtterances(t *testing.T, gapSec float64) (*audio.PCM, int, int) {
	files := speechtest.WAVs(t, "librispeech_1998")
	a, b := speechtest.Load(t, files[0]), speechtest.Load(t, files[1])
	gap := make([]float32, int(gapSec*float64(a.Rate)))
	p := &audio.PCM{Rate: a.Rate, Channels: 1}
	p.Samples = append(append(append(p.Samples, a.Samples...), gap...), b.Samples...)
	p = addNoise(p, 50, 9)
	return p, len(a.Samples), len(a.Samples) + len(gap)
}

func TestSpeechFindsTheGap(t *testing.T) {
	p, gapStart, gapEnd := twoUtterances(t, 2)
	segs := Speech(p)
	if len(segs) < 2 {
		t.Fatalf("%d segments, want at least 2: %v", len(segs), segs)
	}
	tol := int(0.3 * float64(p.Rate)) // hangover plus the utterances' own edges
	for _, s := range segs {
		if s.End > gapStart+tol && s.Start < gapEnd-tol {
			t.Errorf("segment %.2f–%.2f s runs into the silent gap %.2f–%.2f s",
				float64(s.Start)/float64(p.Rate), float64(s.End)/float64(p.Rate),
				float64(gapStart)/float64(p.Rate), float64(gapEnd)/float64(p.Rate))
		}
	}
	var speech float64
	for _, s := range segs {
		speech += s.Seconds(p.Rate)
	}
	if total := p.Seconds() - 2; speech < 0.7*total {
		t.Errorf("%.1f s of speech found in %.1f s of read speech", speech, total)
	}
}

func TestShortenPauses(t *testing.T) {
	p, gapStart, gapEnd := twoUtterances(t, 2)
	segs := Speech(p)
	out := ShortenPauses(p.Samples, p.Rate, segs)
	removed := float64(len(p.Samples)-len(out)) / float64(p.Rate)
	// The 2 s gap (plus the utterances' own pauses at the join) becomes
	// 0.3 s; nothing else may go.
	if removed < 1.5 || removed > 2.5+0.5 {
		t.Errorf("removed %.2f s, want about 1.7 s (gap %.1f s)", removed, float64(gapEnd-gapStart)/float64(p.Rate))
	}
	if got := ShortenPauses(p.Samples, p.Rate, nil); len(got) != len(p.Samples) {
		t.Error("no segments should leave the signal alone")
	}
}

// amplitude returns the amplitude of the f Hz component of x (f = 0: the
// mean), by projection over a whole number of periods.
func amplitude(x []float32, f float64, rate int) float64 {
	if f == 0 {
		var m float64
		for _, v := range x {
			m += float64(v)
		}
		return math.Abs(m / float64(len(x)))
	}
	var s, c float64
	for i, v := range x {
		w := 2 * math.Pi * f * float64(i) / float64(rate)
		s += float64(v) * math.Sin(w)
		c += float64(v) * math.Cos(w)
	}
	return 2 * math.Hypot(s, c) / float64(len(x))
}

func TestHighPassRemovesRumble(t *testing.T) {
	x := make([]float32, 32000)
	for i := range x {
		w := 2 * math.Pi * float64(i) / 16000
		x[i] = float32(0.2 + 0.3*math.Sin(10*w) + 0.1*math.Sin(300*w))
	}
	HighPass(x, 16000)
	tail := x[16000:] // after the filter has settled
	if a := amplitude(tail, 0, 16000); a > 0.001 {
		t.Errorf("DC left: %.4f", a)
	}
	if a := amplitude(tail, 10, 16000); a > 0.3*0.05 {
		t.Errorf("10 Hz rumble at %.4f, want under %.4f", a, 0.3*0.05)
	}
	if a := amplitude(tail, 300, 16000); math.Abs(a-0.1) > 0.002 {
		t.Errorf("300 Hz voice band changed: %.4f, want 0.1", a)
	}
}
