package speechtest

import "math"

// Tempo speeds speech (samples at rate Hz) up by speed without changing
// its pitch, by WSOLA
// (waveform-similarity overlap-add): 40 ms Hann-windowed segments are
// taken every speed·20 ms of the input and added every 20 ms to the
// output, each shifted by up to ±10 ms to where it best continues the
// waveform of the segment before. Real recordings made fast this way
// stand in for fast talkers.
func Tempo(x []float32, rate int, speed float64) []float32 {
	n, hop, tol := rate/25, rate/50, rate/100
	win := make([]float32, n)
	for i := range win {
		win[i] = float32(0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n)))
	}
	var out []float32
	prev := 0
	for k := 0; ; k++ {
		at := int(float64(k*hop) * speed)
		if at+tol+n > len(x) {
			break
		}
		if k > 0 {
			at = bestMatch(x, x[prev+hop:prev+2*hop], at-tol, at+tol)
		}
		out = append(out, make([]float32, hop)...)
		if len(out) < k*hop+n {
			out = append(out, make([]float32, k*hop+n-len(out))...)
		}
		for i, w := range win {
			out[k*hop+i] += w * x[at+i]
		}
		prev = at
	}
	return out
}

// bestMatch returns the start in [lo, hi] (clipped to x) where x is most
// like want, by normalised cross-correlation.
func bestMatch(x, want []float32, lo, hi int) int {
	best, at := math.Inf(-1), max(lo, 0)
	for c := max(lo, 0); c <= hi && c+len(want) <= len(x); c++ {
		var xy, yy float64
		for i, w := range want {
			v := float64(x[c+i])
			xy += float64(w) * v
			yy += v * v
		}
		if r := xy / math.Sqrt(yy+1e-9); r > best {
			best, at = r, c
		}
	}
	return at
}
