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

	"github.com/voxclone/voxclone/internal/fftpack"
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
	dct   *fftpack.DCT
	buf   []float64
	fwd   [][]float64 // fwd[n]: warped image (order+1 values) of unit cepstrum e_n
	inv   [][]float64 // inv[m]: unwarped image (bins values) of unit mel-cepstrum e_m
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
		dct: fftpack.NewDCT(bins), buf: make([]float64, bins),
		fwd: warpMatrix(bins, order+1, alpha),
		inv: warpMatrix(order+1, bins, -alpha),
	}
}

// Clone returns a converter of the same shape for another goroutine: it
// shares c's warping tables, which never change, and has its own buffers,
// so it costs a fraction of NewConverter and gives the same results.
func (c *Converter) Clone() *Converter {
	d := *c
	d.dct, d.buf = fftpack.NewDCT(c.bins), make([]float64, c.bins)
	return &d
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
	clear(dst)
	for n, v := range c.buf {
		axpy(dst, v, c.fwd[n])
	}
	return dst
}

// FromCepstrum is FromEnvelope for an envelope given by its cepstrum c
// (len bins), the series whose DCT-I is the natural log of the power
// spectrum, as world.EnvelopeCepstra returns it. Transforming twice is
// 2(bins−1) times the identity, so FromEnvelope's log and transform would
// give back c (to rounding): halving the log for amplitude and doubling
// the positive quefrencies leave c[0] and c[bins−1] halved, the rest as
// they are. Unlike FromEnvelope it has no floor for empty bins; CheapTrick
// floors the power before its log.
func (c *Converter) FromCepstrum(dst, cep []float64) []float64 {
	if len(cep) != c.bins {
		panic("mcep: cepstrum length mismatch")
	}
	dst = sized(dst, c.order+1)
	clear(dst)
	last := len(cep) - 1
	for n, v := range cep {
		if n == 0 || n == last {
			v /= 2
		}
		axpy(dst, v, c.fwd[n])
	}
	return dst
}

// ToEnvelope writes the power spectrum (len bins) that mel-cepstrum mc
// (length order+1) describes to dst (allocated when nil) and returns it.
func (c *Converter) ToEnvelope(dst, mc []float64) []float64 {
	if len(mc) != c.order+1 {
		panic("mcep: mel-cepstrum length mismatch")
	}
	dst = sized(dst, c.bins)
	clear(c.buf)
	for m, v := range mc {
		axpy(c.buf, v, c.inv[m])
	}
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

func axpy(dst []float64, a float64, x []float64) {
	x = x[:len(dst)]
	for i, v := range x {
		dst[i] += a * v
	}
}

// warpMatrix returns the frequency warping of cepstra (SPTK freqt, after
// Oppenheim & Johnson) as nIn columns of nOut values: the warped image of
// input e_n is column n. freqt feeds input coefficients from the highest
// down through one fixed linear step A, adding c[n] to element 0 after
// each step, so its result is Σ_n c[n]·Aⁿe₀ and the columns are
// successive powers of A applied to e₀: building the whole matrix costs
// as much as one freqt call, and applying it is a plain matrix product.
func warpMatrix(nIn, nOut int, alpha float64) [][]float64 {
	b := 1 - alpha*alpha
	cols := make([][]float64, nIn)
	v := make([]float64, nOut)
	v[0] = 1
	for n := range cols {
		cols[n] = append([]float64(nil), v...)
		// v ← A·v, in place; prev is the pre-step value of v[j-1].
		prev := v[0]
		v[0] = alpha * prev
		if nOut > 1 {
			old := v[1]
			v[1] = b*prev + alpha*old
			prev = old
		}
		for j := 2; j < nOut; j++ {
			old := v[j]
			v[j] = prev + alpha*(old-v[j-1])
			prev = old
		}
	}
	return cols
}
