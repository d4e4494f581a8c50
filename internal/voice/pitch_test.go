package voice

import (
	"context"
	"math"
	"testing"
)

// TestClonePitchMatchesSpeaker checks that a clone's pitch, as an
// independent tracker (YIN, yin_test.go) hears it, lands on the speaker's:
// the engine's own tracker must not be the judge of its own F0 map. The
// engine used to measure both sides over every voiced frame, creaky and
// transitional ones included, and its clones came out 0.5–0.6 semitones
// flat on these speakers (−0.47, −0.55 and −0.70).
func TestClonePitchMatchesSpeaker(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("slow")
	}
	texts := []string{
		"A cramp is no small danger on a swim.",
		"He said the same phrase thirty times.",
		"Pluck the bright rose without leaves.",
		"Two plus seven is less than ten.",
	}
	for _, spk := range []string{"librispeech_3080", "ljspeech_LJ", "librispeech_2033"} {
		refs := loadRefs(t, spk, 20)
		var real [][]float64
		for _, r := range refs {
			real = append(real, resampleTo(toFloat64(r.Audio.Samples), r.Audio.Rate, analysisRate))
		}
		e := New(Config{})
		prof, err := e.Clone(context.Background(), refs)
		if err != nil {
			t.Fatal(err)
		}
		var out [][]float64
		for _, text := range texts {
			y, err := e.Synthesize(context.Background(), prof, text, Options{})
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, resampleTo(toFloat64(y.Samples), y.Rate, analysisRate))
		}
		want, got := yinMedianF0(real...), yinMedianF0(out...)
		d := 12 * math.Log2(got/want)
		t.Logf("%s: speaker %.1f Hz, clone %.1f Hz (%+.2f st)", spk, want, got, d)
		if math.Abs(d) > 0.4 {
			t.Errorf("%s: clone's median F0 %.1f Hz is %+.2f semitones from the speaker's %.1f Hz", spk, got, d, want)
		}
	}
}

// TestPeriodicFrames checks the periodicity test on a harmonic tone, on
// noise, and on a tone buried in noise, and that old profiles keep the
// all-frame sentence median their statistics were measured with.
func TestPeriodicFrames(t *testing.T) {
	n := analysisRate
	tone, noise := make([]float64, n), make([]float64, n)
	seed := uint32(1)
	for i := range tone {
		for k := 1; k <= 8; k++ {
			tone[i] += math.Sin(2*math.Pi*150*float64(k*i)/analysisRate) / float64(k)
		}
		seed = seed*1664525 + 1013904223
		noise[i] = float64(seed)/(1<<32) - 0.5
	}
	mix := make([]float64, n)
	for i := range mix {
		mix[i] = tone[i] + 4*noise[i] // ≈ −3 dB harmonics-to-noise
	}
	share := func(x []float64) float64 {
		f0 := make([]float64, 100)
		for i := range f0 {
			f0[i] = 150
		}
		k := 0
		for _, p := range periodicFrames(x, f0, analysisRate, analysisPeriod) {
			if p {
				k++
			}
		}
		return float64(k) / 90 // frames whose window lies inside the signal
	}
	if s := share(tone); s < 0.99 {
		t.Errorf("harmonic tone: %.2f of frames periodic, want all", s)
	}
	if s := share(noise); s > 0 {
		t.Errorf("white noise: %.2f of frames periodic, want none", s)
	}
	if s := share(mix); s > 0 {
		t.Errorf("tone under noise: %.2f of frames periodic, want none", s)
	}
	if !allVoicedPitch(0x5643_0004) || allVoicedPitch(paramsHash) {
		t.Error("profiles before periodic-frame pitch must keep the all-frame median, and only they")
	}
}
