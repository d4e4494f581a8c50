package eval

import (
	"math"
	"testing"
)

func tone(freq float64, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(0.5 * math.Sin(2*math.Pi*freq*float64(i)/featRate))
	}
	return x
}

func TestDeltasOfRamp(t *testing.T) {
	ceps := make([][]float64, 12)
	for i := range ceps {
		ceps[i] = make([]float64, numCeps)
		for d := range ceps[i] {
			ceps[i][d] = float64(d) * float64(i) // slope d per frame
		}
	}
	out := appendDeltas(ceps)
	for i := deltaWidth; i < len(ceps)-deltaWidth; i++ {
		for d := 0; d < numCeps; d++ {
			if got := out[i][numCeps+d]; math.Abs(got-float64(d)) > 1e-12 {
				t.Fatalf("frame %d delta %d = %g, want %d", i, d, got, d)
			}
		}
	}
}

func TestFeaturesDropSilenceAndNormalize(t *testing.T) {
	x := append(make([]float32, featRate), tone(700, featRate)...) // 1 s silence, 1 s tone
	x = append(x, make([]float32, featRate)...)
	e := newMFCCExtractor()
	raw, norm := e.features(x)
	if n := len(raw); n < 90 || n > 110 {
		t.Errorf("%d speech frames kept, want about 100 (the tone)", n)
	}
	mean, variance := moments(norm)
	for j := range mean {
		if math.Abs(mean[j]) > 1e-9 || (variance[j] > 1e-6 && math.Abs(variance[j]-1) > 1e-6) {
			t.Fatalf("CMVN dim %d: mean %g variance %g", j, mean[j], variance[j])
		}
	}
}
