package world_test

import (
	"fmt"
	"math"

	"github.com/voxclone/voxclone/internal/voice/world"
)

// Analyse a one-second 200 Hz tone, lower it an octave and resynthesise.
func Example() {
	const fs = 16000
	x := make([]float64, fs)
	for i := range x {
		for h := 1.0; h <= 5; h++ {
			x[i] += 0.1 / h * math.Sin(2*math.Pi*200*h*float64(i)/fs)
		}
	}
	p, err := world.Analyze(x, fs, world.AnalyzeOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d frames of %d bins, F0 %.1f Hz\n", len(p.F0), len(p.Envelope[0]), p.F0[100])
	for i := range p.F0 {
		p.F0[i] /= 2
	}
	y, err := world.Synthesize(p, world.SynthesisOptions{})
	if err != nil {
		panic(err)
	}
	f0, _ := world.F0(y, fs, world.F0Options{})
	fmt.Printf("%d samples, F0 %.0f Hz\n", len(y), f0[100])
	// Output:
	// 201 frames of 513 bins, F0 200.0 Hz
	// 16000 samples, F0 100 Hz
}
