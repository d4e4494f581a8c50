package voice

import (
	"math"
	"math/bits"
	"math/cmplx"
	"sync"

	"github.com/voxclone/voxclone/internal/audio/dsp"
	"github.com/voxclone/voxclone/internal/fftpack"
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
	// at each voicing edge, at analysisRate (1.25 ms).
	uvRampSamples = 20
	// uvMaxGainDB bounds the filter's gain per bin either way.
	uvMaxGainDB = 40.0
	// uvMaxLiftDB bounds the lift that undoes the upsampler's roll-off
	// (upsampleLift).
	uvMaxLiftDB = 20.0
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

// keepUnvoiced replaces y (the vocoder's output at rate) over f0's
// unvoiced frames with x, the base voice the frames were analysed from
// (resampled to rate), filtered frame by frame with sqrt(after/before):
// the conversion's change to that frame's power envelope, both rows at
// analysisRate. Above the hand-over to the upper-band table (fadeFrom to
// fadeTo, highband.go) y keeps its own spectrum: flite has no band there.
// hop is the frame period in samples at rate.
func keepUnvoiced(y, x, f0 []float64, before, after [][]float64, rate, hop int) {
	n := min(len(y), len(x))
	voiced := voicedWeight(f0, n, hop, uvRampSamples*rate/analysisRate)
	z, wsum := make([]float64, n), make([]float64, n)
	win := dsp.Hann(uvWindowHops * hop)
	half := len(win) / 2
	// The window plus room on each side for the gain's short response.
	size := 1 << bits.Len(uint(len(win)+len(win)/2-1))
	bin, keepY := passthroughBins(size, rate, len(after[0]))
	lift := upsampleLift(size, rate)
	fft := fftpack.NewFFT(size)
	seg, segY, out := make([]float64, size), make([]float64, size), make([]float64, size)
	spec, specY := make([]complex128, size/2+1), make([]complex128, size/2+1)
	lo, hi := math.Pow(10, -uvMaxGainDB/20), math.Pow(10, uvMaxGainDB/20)
	for i := range f0 {
		c := i * hop
		if before[i] == nil || !needsPassthrough(voiced, c-half, c+half) {
			continue
		}
		clear(seg)
		clear(segY)
		for k, w := range win {
			if t := c - half + k; t >= 0 && t < n {
				seg[size/2-half+k] = w * x[t]
				segY[size/2-half+k] = w * y[t]
				wsum[t] += w
			}
		}
		fft.Coefficients(spec, seg)
		if keepY != nil {
			fft.Coefficients(specY, segY)
		}
		for j := range spec {
			b := bin[j]
			spec[j] *= complex(lift[j]*clamp(math.Sqrt(math.Abs(after[i][b])/math.Max(math.Abs(before[i][b]), 1e-30)), lo, hi), 0)
		}
		if keepY != nil {
			// The band kept from y was set against y's 1–4 kHz (the
			// converted envelope's); what is heard there is x's.
			ky := complex(bandMatch(spec, specY, rate, size), 0)
			for j, k := range keepY {
				spec[j] = spec[j]*complex(1-k, 0) + specY[j]*ky*complex(k, 0)
			}
		}
		for j := range spec {
			spec[j] /= complex(float64(size), 0)
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

// bandMatch is the amplitude gain that gives y's spectrum the 1–4 kHz
// power of x's (both one windowed frame, size points at rate), within
// ±uvMaxGainDB: the upper band the table set in the vocoder's rendering
// then stands to the filtered base voice as the table says. Without it,
// where CheapTrick's envelope of flite's frame reads above the frame
// itself (its pauses, near digital silence) the band stood over a quieter
// 1–4 kHz than the one it was set against.
func bandMatch(x, y []complex128, rate, size int) float64 {
	hz := float64(rate) / float64(size)
	var px, py float64
	for j := int(math.Ceil(1000 / hz)); j <= int(4000/hz); j++ {
		px += real(x[j])*real(x[j]) + imag(x[j])*imag(x[j])
		py += real(y[j])*real(y[j]) + imag(y[j])*imag(y[j])
	}
	return clamp(math.Sqrt(px/math.Max(py, 1e-30)), math.Pow(10, -uvMaxGainDB/20), math.Pow(10, uvMaxGainDB/20))
}

// passthroughBins maps each bin of a size-point spectrum at rate to the
// nearest of the analysisRate envelope's rows bins, and gives the weight
// y's own spectrum keeps there: the hand-over to the upper band, or nil
// when rate has no band above analysisRate's.
func passthroughBins(size, rate, rows int) (bin []int, keepY []float64) {
	bin = make([]int, size/2+1)
	hz := float64(rate) / float64(size)
	envHz := float64(analysisRate) / 2 / float64(rows-1)
	for j := range bin {
		bin[j] = min(int(math.Round(float64(j)*hz/envHz)), rows-1)
	}
	if rate <= analysisRate {
		return bin, nil
	}
	keepY = make([]float64, len(bin))
	for j := range keepY {
		g := clamp((float64(j)*hz-fadeFrom)/(fadeTo-fadeFrom), 0, 1)
		keepY[j] = 0.5 - 0.5*math.Cos(math.Pi*g)
	}
	return bin, keepY
}

// voicedWeight is 1 on samples of voiced frames and 0 on unvoiced ones,
// ramped linearly over 2·ramp samples at each edge.
func voicedWeight(f0 []float64, n, hop, ramp int) []float64 {
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
		lo, hi := max(0, t-ramp), min(n, t+ramp+1)
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

// upsampleLift is, per bin of a size-point spectrum at rate, the inverse
// of the roll-off that resampling x from analysisRate to rate put on it
// (dsp.Resample is flat to 0.75 of the lower Nyquist frequency and −6 dB
// at 0.92 of it, so 6–8 kHz of flite's consonants came out 1–20 dB
// short), bounded by uvMaxLiftDB, up to analysisRate's Nyquist frequency;
// 1 elsewhere and when rate is analysisRate. The response is measured on
// the resampler itself: an impulse, carried over. Kept per (size, rate)
// and only read.
func upsampleLift(size, rate int) []float64 {
	key := [2]int{size, rate}
	if l, ok := lifts.Load(key); ok {
		return l.([]float64)
	}
	l, _ := lifts.LoadOrStore(key, measureLift(size, rate))
	return l.([]float64)
}

var lifts sync.Map // [2]int{size, rate} → []float64

func measureLift(size, rate int) []float64 {
	lift := make([]float64, size/2+1)
	for j := range lift {
		lift[j] = 1
	}
	if rate <= analysisRate {
		return lift
	}
	n := 4 * size * analysisRate / rate
	imp := make([]float64, n)
	imp[n/2] = 1
	h := resampleTo(imp, analysisRate, rate)
	c := n / 2 * rate / analysisRate
	seg := make([]float64, size)
	for k := range seg {
		if t := c - size/2 + k; t >= 0 && t < len(h) {
			seg[k] = h[t]
		}
	}
	spec := fftpack.NewFFT(size).Coefficients(nil, seg)
	dc := cmplx.Abs(spec[0])
	hz := float64(rate) / float64(size)
	floor := math.Pow(10, -uvMaxLiftDB/20)
	for j := range lift {
		if float64(j)*hz <= float64(analysisRate)/2 {
			lift[j] = 1 / math.Max(cmplx.Abs(spec[j])/dc, floor)
		}
	}
	return lift
}
