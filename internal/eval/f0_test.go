package eval

import (
	"math"
	"math/rand/v2"
	"testing"
)

// harmonic makes a voiced-like signal: a slowly gliding F0 with a strong
// second harmonic, the classic trap for octave errors.
func harmonic(f0 float64, seconds float64) []float32 {
	n := int(seconds * featRate)
	x := make([]float32, n)
	var phase float64
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range x {
		f := f0 * (1 + 0.03*math.Sin(2*math.Pi*2*float64(i)/featRate))
		phase += 2 * math.Pi * f / featRate
		x[i] = float32(0.2*math.Sin(phase) + 0.35*math.Sin(2*phase) + 0.1*math.Sin(3*phase) + 0.005*rng.NormFloat64())
	}
	return x
}

func TestMedianF0OfHarmonicSignals(t *testing.T) {
	pt := newPitchTracker()
	for _, f0 := range []float64{80, 110, 180, 260, 400} {
		got := robustMedianF0(pt.voicedF0s(harmonic(f0, 1.5)))
		if math.Abs(semitones(got, f0)) > 0.2 {
			t.Errorf("F0 %g Hz measured as %.1f Hz", f0, got)
		}
	}
}

func TestNoF0InNoise(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	x := make([]float32, featRate)
	for i := range x {
		x[i] = float32(0.1 * rng.NormFloat64())
	}
	if f := newPitchTracker().voicedF0s(x); len(f) > 5 {
		t.Errorf("%d voiced frames in white noise", len(f))
	}
	if f := newPitchTracker().voicedF0s(make([]float32, featRate)); len(f) != 0 {
		t.Errorf("%d voiced frames in silence", len(f))
	}
}

func TestRobustMedianDropsOctaveErrors(t *testing.T) {
	f := []float64{100, 101, 99, 100, 102, 98, 200, 201, 50}
	if got := robustMedianF0(f); math.Abs(got-100) > 1 {
		t.Errorf("median %g, want ≈100", got)
	}
}
