package world

import (
	"math"
	"math/rand/v2"
	"testing"
)

// harmonic returns dur seconds of a 10-harmonic tone whose F0 follows f(t),
// with a 1/h spectral tilt like a glottal source.
func harmonic(fs int, dur float64, f func(t float64) float64) []float64 {
	x := make([]float64, int(dur*float64(fs)))
	phase := 0.0
	for i := range x {
		f0 := f(float64(i) / float64(fs))
		phase += 2 * math.Pi * f0 / float64(fs)
		for h := 1; h <= 10 && float64(h)*f0 < float64(fs)/2; h++ {
			x[i] += 0.3 / float64(h) * math.Sin(float64(h)*phase)
		}
	}
	return x
}

func addNoise(x []float64, snrDB float64, seed uint64) {
	var p float64
	for _, v := range x {
		p += v * v
	}
	sd := math.Sqrt(p / float64(len(x)) / math.Pow(10, snrDB/10))
	r := rand.New(rand.NewPCG(seed, 1))
	for i := range x {
		x[i] += sd * r.NormFloat64()
	}
}

// checkTrack asserts every interior frame is voiced and within tol of want.
func checkTrack(t *testing.T, f0 []float64, fp float64, want func(t float64) float64, tol float64) {
	t.Helper()
	bad, worst := 0, 0.0
	edge := 8 // frames near the ends lack a full window
	for i := edge; i < len(f0)-edge; i++ {
		w := want(float64(i) * fp / 1000)
		e := math.Abs(f0[i]-w) / w
		worst = math.Max(worst, e)
		if e > tol {
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d frames off by more than %.1f%% (worst %.2f%%)", bad, len(f0)-2*edge, tol*100, worst*100)
	}
}

func TestF0Steady(t *testing.T) {
	for _, fs := range []int{16000, 24000} {
		for _, hz := range []float64{80, 110, 150, 220, 300, 400} {
			want := func(float64) float64 { return hz }
			x := harmonic(fs, 1, want)
			f0, err := F0(x, fs, F0Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := len(f0); got != NumFrames(len(x), fs, 5) {
				t.Fatalf("%d frames, want %d", got, NumFrames(len(x), fs, 5))
			}
			t.Run("", func(t *testing.T) { checkTrack(t, f0, 5, want, 0.01) })
		}
	}
}

func TestF0Glide(t *testing.T) {
	// 100 → 300 Hz exponential glide over 1.5 s (≈1 octave per 0.95 s).
	want := func(t float64) float64 { return 100 * math.Pow(3, t/1.5) }
	x := harmonic(16000, 1.5, want)
	f0, err := F0(x, 16000, F0Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkTrack(t, f0, 5, want, 0.01)
}

func TestF0Noisy(t *testing.T) {
	for _, hz := range []float64{90, 200, 350} {
		want := func(float64) float64 { return hz }
		x := harmonic(16000, 1, want)
		addNoise(x, 20, uint64(hz))
		f0, err := F0(x, 16000, F0Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkTrack(t, f0, 5, want, 0.01)
	}
}

// TestF0Voicing checks the voiced/unvoiced decision on a silence – tone –
// noise – tone – silence sequence.
func TestF0Voicing(t *testing.T) {
	const fs = 16000
	seg := func(kind string) []float64 {
		switch kind {
		case "tone":
			return harmonic(fs, 0.5, func(float64) float64 { return 140 })
		case "noise":
			x := make([]float64, fs/2)
			r := rand.New(rand.NewPCG(7, 7))
			for i := range x {
				x[i] = 0.1 * r.NormFloat64()
			}
			return x
		}
		return make([]float64, fs/2)
	}
	kinds := []string{"silence", "tone", "noise", "tone", "silence"}
	var x []float64
	for _, k := range kinds {
		x = append(x, seg(k)...)
	}
	f0, err := F0(x, fs, F0Options{})
	if err != nil {
		t.Fatal(err)
	}
	wrong := 0
	for i, f := range f0 {
		ts := float64(i) * 0.005
		k := int(ts / 0.5)
		if k >= len(kinds) || math.Abs(ts-float64(k)*0.5) < 0.04 || math.Abs(ts-float64(k+1)*0.5) < 0.04 {
			continue // within 40 ms of a boundary
		}
		if (kinds[k] == "tone") != (f > 0) {
			wrong++
			t.Logf("frame %d (%.3fs, %s): f0 %.1f", i, ts, kinds[k], f)
		}
	}
	if wrong > 0 {
		t.Errorf("%d frames with the wrong voicing decision", wrong)
	}
}
