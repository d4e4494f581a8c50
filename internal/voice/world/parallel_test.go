package world

import (
	"math"
	"runtime"
	"testing"
)

// TestSameOnAnyCores: analysis and synthesis split their frames, pulses
// and noise segments over the cores; every float64 of the result must be
// the same whatever the number (the additions happen in one order).
func TestSameOnAnyCores(t *testing.T) {
	x := harmonic(16000, 2, func(t float64) float64 { return 110 + 60*t })
	addNoise(x, 20, 3)
	run := func(procs int) ([]float64, *Params) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		p, err := Analyze(x, 16000, AnalyzeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		y, err := Synthesize(p, SynthesisOptions{Seed: 9})
		if err != nil {
			t.Fatal(err)
		}
		return y, p
	}
	want, wp := run(1)
	for _, procs := range []int{2, 3, 8} {
		y, p := run(procs)
		for i := range p.Envelope {
			if !sameBits(p.Envelope[i], wp.Envelope[i]) || math.Float64bits(p.F0[i]) != math.Float64bits(wp.F0[i]) {
				t.Fatalf("GOMAXPROCS=%d: frame %d's analysis differs from GOMAXPROCS=1's", procs, i)
			}
		}
		if !sameBits(y, want) {
			t.Errorf("GOMAXPROCS=%d: the synthesis differs from GOMAXPROCS=1's", procs)
		}
	}
}

func sameBits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}
