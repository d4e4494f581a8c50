package prep

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/dsp/fourier"
)

// Noise reduction parameters: 32 ms sqrt-Hann frames at 75% overlap, the
// decision-directed a-priori SNR of Ephraim and Malah with α = 0.98, a
// Wiener gain floored at −15 dB and smoothed over three bins. The floor and
// the smoothing are what keep the residual noise a quieter copy of the
// original rather than the warbling "musical noise" of isolated spectral
// peaks that an unfloored gain leaves behind.
const (
	nrFrameSec    = 0.032
	nrAlpha       = 0.98
	nrFloor       = 0.17782794100389226 // −15 dB
	nrMinNoiseSec = 1.0
	nrBias        = 1.5 // minimum statistics underestimate the mean noise power
)

// Denoise reduces stationary background noise in mono x at rate Hz and
// returns a new slice of the same length. speech holds the VAD decision of
// analysis frames spaced hop samples apart (as Speech computes them); the
// non-speech frames provide the noise spectrum when there is at least a
// second of them, otherwise a low percentile of each bin over time does.
func Denoise(x []float32, rate int, speech []bool, hop int) []float32 {
	n := nextPow2(int(nrFrameSec * float64(rate)))
	step := n / 4
	if len(x) < n {
		return slices.Clone(x)
	}
	win := make([]float64, n)
	for i := range win {
		win[i] = math.Sqrt(0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n)))
	}
	fft := fourier.NewFFT(n)
	frames := (len(x)-n)/step + 1
	spec := make([][]complex128, frames)
	buf := make([]float64, n)
	for f := range spec {
		for i := range buf {
			buf[i] = float64(x[f*step+i]) * win[i]
		}
		spec[f] = fft.Coefficients(nil, buf)
	}
	noise := noisePSD(spec, func(f int) bool {
		c := (f*step + n/2) / max(1, hop)
		return c < len(speech) && speech[c]
	}, float64(frames*step)/float64(rate))
	applyGains(spec, noise)
	return overlapAdd(fft, spec, win, x, step)
}

// noisePSD estimates the noise power per bin. With at least a second of
// non-speech frames it takes each bin's median over them divided by ln 2
// (the median of an exponentially distributed periodogram bin is ln 2 times
// its mean): unlike the mean, the median ignores the speech onsets and
// breaths a VAD lets through. Otherwise it takes the 10th percentile over
// all frames, scaled by nrBias.
func noisePSD(spec [][]complex128, isSpeech func(int) bool, seconds float64) []float64 {
	var idx []int
	for f := range spec {
		if !isSpeech(f) {
			idx = append(idx, f)
		}
	}
	pct, scale := 0.5, 1/math.Ln2
	if seconds*float64(len(idx))/float64(len(spec)) < nrMinNoiseSec {
		idx = idx[:0]
		for f := range spec {
			idx = append(idx, f)
		}
		pct, scale = 0.1, nrBias
	}
	psd := make([]float64, len(spec[0]))
	col := make([]float64, len(idx))
	for k := range psd {
		for j, f := range idx {
			c := spec[f][k]
			col[j] = real(c)*real(c) + imag(c)*imag(c)
		}
		slices.Sort(col)
		psd[k] = scale * col[int(pct*float64(len(col)-1))]
	}
	return psd
}

// applyGains scales every bin by its floored, smoothed Wiener gain.
func applyGains(spec [][]complex128, noise []float64) {
	bins := len(noise)
	prevClean := make([]float64, bins) // |G·X|² of the previous frame
	gain := make([]float64, bins)
	smooth := make([]float64, bins)
	for f, s := range spec {
		for k, c := range s {
			lambda := math.Max(noise[k], 1e-20)
			p := real(c)*real(c) + imag(c)*imag(c)
			post := p / lambda
			prior := math.Max(post-1, 0)
			if f > 0 {
				prior = nrAlpha*prevClean[k]/lambda + (1-nrAlpha)*prior
			}
			gain[k] = math.Max(prior/(1+prior), nrFloor)
		}
		for k := range smooth {
			lo, hi := max(0, k-1), min(bins, k+2)
			var sum float64
			for _, g := range gain[lo:hi] {
				sum += g
			}
			smooth[k] = sum / float64(hi-lo)
		}
		for k, c := range s {
			g := smooth[k]
			s[k] = complex(real(c)*g, imag(c)*g)
			prevClean[k] = (real(c)*real(c) + imag(c)*imag(c)) * g * g
		}
	}
}

// overlapAdd resynthesises with the analysis window and divides by the
// summed squared window (2 in the interior for sqrt-Hann at 75% overlap),
// so the edges, covered by fewer frames, keep their level. Samples no frame
// covers (the tail after the last full frame) pass through from x.
func overlapAdd(fft *fourier.FFT, spec [][]complex128, win []float64, x []float32, step int) []float32 {
	n := len(win)
	acc := make([]float64, len(x))
	norm := make([]float64, len(x))
	buf := make([]float64, n)
	for f, s := range spec {
		fft.Sequence(buf, s) // unnormalised: n times the signal
		off := f * step
		for i, v := range buf {
			acc[off+i] += v * win[i] / float64(n)
			norm[off+i] += win[i] * win[i]
		}
	}
	out := make([]float32, len(x))
	for i, v := range acc {
		if norm[i] > 0.1 {
			out[i] = float32(v / norm[i])
		} else {
			out[i] = x[i]
		}
	}
	return out
}
