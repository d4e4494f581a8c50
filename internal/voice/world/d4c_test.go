package world

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestPushTop(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	for _, k := range []int{1, 3, 22} {
		var top, all []float64
		for range 500 {
			v := r.Float64()
			all = append(all, v)
			top = pushTop(top, k, v)
		}
		slices.Sort(all)
		if want := all[len(all)-k:]; !slices.Equal(top, want) {
			t.Errorf("k=%d: top %v, want %v", k, top, want)
		}
	}
}

// TestD4CNoiseVersusTone: D4C calls a clean harmonic tone periodic at the
// first band and a tone buried in noise much less so.
func TestD4CNoiseVersusTone(t *testing.T) {
	const fs = 16000
	// Harmonics up to 7.5 kHz so the 3 kHz band has periodic content.
	tone := func() []float64 {
		x := make([]float64, fs*6/10)
		for i := range x {
			for h := 1.0; h*150 < 7500; h++ {
				x[i] += 0.05 / math.Sqrt(h) * math.Sin(2*math.Pi*150*h*float64(i)/fs)
			}
		}
		return x
	}
	clean, noisy := tone(), tone()
	addNoise(noisy, 0, 9)
	f0 := constant(NumFrames(len(clean), fs, 5), 150)
	band := func(x []float64) float64 {
		ap, err := Aperiodicity(x, fs, f0, 5, 1024, AperiodicityOptions{Threshold: -1})
		if err != nil {
			t.Fatal(err)
		}
		c := CodeAperiodicity(ap, fs)
		var s float64
		for _, row := range c[10 : len(c)-10] {
			s += row[0]
		}
		return s / float64(len(c)-20)
	}
	a, b := band(clean), band(noisy)
	t.Logf("coded aperiodicity at 3 kHz: clean %.1f dB, 0 dB SNR %.1f dB", a, b)
	if a > -20 || b < a+10 || math.IsNaN(b) {
		t.Errorf("clean %.1f dB, noisy %.1f dB: want clean ≤ −20 dB and noisy ≥ 10 dB higher", a, b)
	}
}
