package voice

import (
	"math"
	"math/bits"

	"gonum.org/v1/gonum/dsp/fourier"
)

// Unvoiced frames are not resynthesised: the vocoder's white-noise
// excitation, shaped by one smooth envelope per 5 ms frame, loses the
// bursts and fine temporal structure of flite's own consonants, and that
// cost more words than any other part of the resynthesis (docs/engine.md,
// "Where the resynthesis loses words"). Instead the base voice's waveform
// is kept there, filtered by each frame's spectral change (converted
// envelope over analysed envelope), and crossfaded with the vocoder's
// voiced output.
const (
	// uvWindowHops is the filter's analysis window, in frames: a Hann
	// window of four frames at a hop of one sums to a constant, so a unit
	// gain gives back the input exactly.
	uvWindowHops = 4
	// uvRampSamples is half the crossfade between vocoder and base voice
	// at each voicing edge (1.25 ms at 16 kHz).
	uvRampSamples = 20
	// uvMaxGainDB bounds the filter's gain per bin either way.
	uvMaxGainDB = 40.0
)

// unvoicedEnvelopes copies the envelope rows of frames the passthrough
// may need (unvoiced frames and their neighbours within the window), nil
// elsewhere, before the conversion changes them.
func unvoicedEnvelopes(env [][]float64, f0 []float64) [][]float64 {
	out := make([][]float64, len(env))
	for i := range env {
		if nearUnvoiced(f0, i) {
			out[i] = append([]float64(nil), env[i]...)
		}
	}
	return out
}

func nearUnvoiced(f0 []float64, i int) bool {
	for j := max(0, i-uvWindowHops); j <= min(len(f0)-1, i+uvWindowHops); j++ {
		if f0[j] <= 0 {
			return true
		}
	}
	return false
}

// keepUnvoiced replaces y (the vocoder's output) over f0's unvoiced frames
// with x, the base voice the frames were analysed from, filtered frame by
// frame with sqrt(after/before): the conversion's change to that frame's
// power envelope. hop is the frame period in samples.
func keepUnvoiced(y, x, f0 []float64, before, after [][]float64, hop int) {
	n := min(len(y), len(x))
	voiced := voicedWeight(f0, n, hop)
	z, wsum := make([]float64, n), make([]float64, n)
	win := hann(uvWindowHops * hop)
	half := len(win) / 2
	// The window plus room on each side for the gain's short response; the
	// envelopes' bins are sampled every step-th to fit.
	size := 1 << bits.Len(uint(len(win)+len(win)/2-1))
	step := max(1, (len(after[0])-1)/(size/2))
	fft := fourier.NewFFT(size)
	seg, out := make([]float64, size), make([]float64, size)
	spec := make([]complex128, size/2+1)
	lo, hi := math.Pow(10, -uvMaxGainDB/20), math.Pow(10, uvMaxGainDB/20)
	for i := range f0 {
		c := i * hop
		if before[i] == nil || !needsPassthrough(voiced, c-half, c+half) {
			continue
		}
		clear(seg)
		for k, w := range win {
			if t := c - half + k; t >= 0 && t < n {
				seg[size/2-half+k] = w * x[t]
				wsum[t] += w
			}
		}
		fft.Coefficients(spec, seg)
		for j := range spec {
			b := min(j*step, len(after[i])-1)
			g := math.Sqrt(math.Abs(after[i][b]) / math.Max(math.Abs(before[i][b]), 1e-30))
			spec[j] *= complex(clamp(g, lo, hi)/float64(size), 0)
		}
		fft.Sequence(out, spec)
		for k, v := range out {
			if t := c - size/2 + k; t >= 0 && t < n {
				z[t] += v
			}
		}
	}
	for t := range n {
		if voiced[t] >= 1 || wsum[t] < 1e-6 {
			continue
		}
		y[t] = voiced[t]*y[t] + (1-voiced[t])*z[t]/wsum[t]
	}
}

// voicedWeight is 1 on samples of voiced frames and 0 on unvoiced ones,
// ramped linearly over 2·uvRampSamples at each edge.
func voicedWeight(f0 []float64, n, hop int) []float64 {
	hard := make([]float64, n+1) // prefix sums of the hard decision
	for t := range n {
		k := min((t+hop/2)/hop, len(f0)-1)
		hard[t+1] = hard[t]
		if f0[k] > 0 {
			hard[t+1]++
		}
	}
	out := make([]float64, n)
	for t := range out {
		lo, hi := max(0, t-uvRampSamples), min(n, t+uvRampSamples+1)
		out[t] = (hard[hi] - hard[lo]) / float64(hi-lo)
	}
	return out
}

func needsPassthrough(voiced []float64, lo, hi int) bool {
	for t := max(0, lo); t < min(len(voiced), hi); t++ {
		if voiced[t] < 1 {
			return true
		}
	}
	return false
}

// hann is a periodic Hann window of n samples.
func hann(n int) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n))
	}
	return w
}
