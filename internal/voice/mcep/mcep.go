// Package mcep converts spectral envelopes to and from mel-cepstra and
// measures mel-cepstral distortion (MCD).
//
// Conventions follow SPTK (Tokuda et al., ICSLP 1994): a mel-cepstrum c of
// order M models the amplitude response
//
//	log|H(e^{jω})| = Σ_{m=0..M} c[m]·cos(m·β(ω)),
//
// where β is the phase response of the first-order all-pass
// (z⁻¹−α)/(1−αz⁻¹). Envelopes are power spectra (|H|², linear) of n/2+1
// bins from 0 Hz to Nyquist, as produced by the world package. With this
// convention MCD (Kubichek 1993) is the RMS distance in dB between the two
// warped log spectra, ignoring c[0] (overall gain).
package mcep

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/dsp/fourier"
)

// Defaults for 16 kHz speech.
const (
	DefaultOrder = 24
	DefaultAlpha = 0.42
)

// AlphaFor returns the usual all-pass constant for sample rate fs (the value
// that best approximates the mel scale): 0.42 at 16 kHz, 0.466 at 24 kHz.
func AlphaFor(fs int) float64 {
	switch {
	case fs <= 8000:
		return 0.31
	case fs <= 11025:
		return 0.35
	case fs <= 16000:
		return 0.42
	case fs <= 22050:
		return 0.455
	case fs <= 24000:
		return 0.466
	case fs <= 32000:
		return 0.50
	case fs <= 44100:
		return 0.53
	}
	return 0.55
}

// Converter turns envelopes of a fixed size into mel-cepstra of a fixed
// order and back. It reuses its buffers, so a Converter must not be used by
// two goroutines at once; create one per goroutine.
type Converter struct {
	order int
	alpha float64
	bins  int
	dct   *fourier.DCT
	buf   []float64
	w     warper
}

// NewConverter prepares conversions between envelopes of bins = fftSize/2+1
// values and mel-cepstra of the given order (≥ 1) and all-pass constant
// alpha (|alpha| < 1). It panics on impossible sizes, which are programmer
// errors.
func NewConverter(bins, order int, alpha float64) *Converter {
	if bins < 3 || order < 1 || order >= bins || math.Abs(alpha) >= 1 {
		panic(fmt.Sprintf("mcep: bad converter shape bins=%d order=%d alpha=%g", bins, order, alpha))
	}
	return &Converter{
		order: order, alpha: alpha, bins: bins,
		dct: fourier.NewDCT(bins), buf: make([]float64, bins),
		w: newWarper(max(bins, order+1)),
	}
}

// Order returns the mel-cepstral order M (vectors have M+1 values).
func (c *Converter) Order() int { return c.order }

// FromEnvelope writes the mel-cepstrum of power spectrum env (len bins) to
// dst (allocated when nil; length order+1) and returns it. Zero or negative
// bins are floored at 1e-30 so silence stays finite.
func (c *Converter) FromEnvelope(dst, env []float64) []float64 {
	if len(env) != c.bins {
		panic("mcep: envelope length mismatch")
	}
	dst = sized(dst, c.order+1)
	n := float64(2 * (c.bins - 1))
	for i, v := range env {
		c.buf[i] = 0.5 * math.Log(math.Max(v, 1e-30))
	}
	// DCT-I of the half spectrum is the DFT of the even full spectrum, so
	// buf/n is the real (two-sided) cepstrum; doubling the positive
	// quefrencies gives the one-sided form the model above uses.
	c.dct.Transform(c.buf, c.buf)
	c.buf[0] /= n
	for i := 1; i < len(c.buf); i++ {
		c.buf[i] *= 2 / n
	}
	c.buf[len(c.buf)-1] /= 2
	c.w.freqt(dst, c.buf, c.alpha)
	return dst
}

// ToEnvelope writes the power spectrum (len bins) that mel-cepstrum mc
// (length order+1) describes to dst (allocated when nil) and returns it.
func (c *Converter) ToEnvelope(dst, mc []float64) []float64 {
	if len(mc) != c.order+1 {
		panic("mcep: mel-cepstrum length mismatch")
	}
	dst = sized(dst, c.bins)
	c.w.freqt(c.buf, mc, -c.alpha)
	// Back to the two-sided cepstrum, then DCT-I evaluates the cosine series.
	for i := 1; i < len(c.buf); i++ {
		c.buf[i] /= 2
	}
	c.buf[len(c.buf)-1] *= 2
	c.dct.Transform(c.buf, c.buf)
	for i, v := range c.buf {
		dst[i] = math.Exp(2 * v)
	}
	return dst
}

// FromEnvelopes converts every row of env (all the same length).
func FromEnvelopes(env [][]float64, order int, alpha float64) [][]float64 {
	if len(env) == 0 {
		return nil
	}
	c := NewConverter(len(env[0]), order, alpha)
	out := make([][]float64, len(env))
	for i, e := range env {
		out[i] = c.FromEnvelope(nil, e)
	}
	return out
}

// ToEnvelopes converts every mel-cepstrum in mc to an envelope of bins values.
func ToEnvelopes(mc [][]float64, bins int, alpha float64) [][]float64 {
	if len(mc) == 0 {
		return nil
	}
	c := NewConverter(bins, len(mc[0])-1, alpha)
	out := make([][]float64, len(mc))
	for i, m := range mc {
		out[i] = c.ToEnvelope(nil, m)
	}
	return out
}

func sized(dst []float64, n int) []float64 {
	if dst == nil {
		return make([]float64, n)
	}
	if len(dst) != n {
		panic("mcep: destination length mismatch")
	}
	return dst
}

// warper holds scratch for freqt.
type warper struct{ prev, cur []float64 }

func newWarper(n int) warper {
	return warper{prev: make([]float64, n), cur: make([]float64, n)}
}

// freqt re-expresses cepstrum in on an all-pass-warped frequency axis
// (Oppenheim & Johnson's recursion, as in SPTK freqt): out gets len(out)
// coefficients. Warping by α then by −α is the identity when out is long
// enough to hold the warped series.
func (w *warper) freqt(out, in []float64, alpha float64) {
	m2 := len(out) - 1
	b := 1 - alpha*alpha
	g, d := w.cur[:m2+1], w.prev[:m2+1]
	clear(g)
	for i := len(in) - 1; i >= 0; i-- {
		copy(d, g)
		g[0] = in[i] + alpha*d[0]
		if m2 >= 1 {
			g[1] = b*d[0] + alpha*d[1]
		}
		for j := 2; j <= m2; j++ {
			g[j] = d[j-1] + alpha*(d[j]-g[j-1])
		}
	}
	copy(out, g)
}
