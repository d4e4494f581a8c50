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

// A tone between pauses of noise 20 dB under it: the main rule keeps the
// noise as speech (it lies within speechRangeDB), the secondary rule only
// the tone; with silent pauses both keep the same frames.
func TestFloorFramesDropNoisePauses(t *testing.T) {
	// uniform noise of rms 0.035, 20 dB under the tone's 0.354
	var seed uint32 = 1
	noise := func(n int) []float32 {
		x := make([]float32, n)
		for i := range x {
			seed = seed*1664525 + 1013904223
			x[i] = 0.0612 * (2*float32(seed>>8)/(1<<24) - 1)
		}
		return x
	}
	tn := tone(700, featRate)
	noisy := append(noise(featRate), tn...)
	for i, v := range noise(len(tn)) {
		noisy[featRate+i] += v
	}
	noisy = append(noisy, noise(featRate)...)
	e := newMFCCExtractor()
	_, energy := e.fx.Cepstra(noisy)
	speech := speechFrames(energy)
	floor := floorFrames(energy, speech)
	if len(speech) < 250 {
		t.Errorf("main rule kept %d frames of ~300, want the noise kept too", len(speech))
	}
	if n := len(floor); n < 90 || n > 110 {
		t.Errorf("floor rule kept %d frames, want about 100 (the tone)", n)
	}
	silent := append(make([]float32, featRate), tn...)
	silent = append(silent, make([]float32, featRate)...)
	_, energy = e.fx.Cepstra(silent)
	speech = speechFrames(energy)
	if got := floorFrames(energy, speech); len(got) != len(speech) {
		t.Errorf("silent pauses: floor rule kept %d frames, main rule %d", len(got), len(speech))
	}
}
