package dsp

import "math"

// Hann returns the periodic Hann window of n points (the form whose
// overlapped copies at a hop of n/2 sum to one). Callers compute it once
// and keep it for all their frames.
func Hann(n int) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n))
	}
	return w
}
