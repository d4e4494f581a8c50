package world

import (
	"math"

	"github.com/voxclone/voxclone/internal/fftpack"
)

// Defaults for EnvelopeOptions.
const (
	DefaultQ1              = -0.15
	DefaultEnvelopeF0Floor = 71.0
	// unvoicedF0 is the F0 CheapTrick assumes for unvoiced frames: a short
	// window, so noise bursts keep their timing.
	unvoicedF0 = 500.0
)

// EnvelopeOptions tune Envelope. The zero value means defaults.
type EnvelopeOptions struct {
	// Q1 is CheapTrick's spectral recovery coefficient (default −0.15).
	Q1 float64
	// F0Floor sets the FFT size through FFTSizeFor (default 71 Hz, giving
	// 1024 at 16 and 24 kHz).
	F0Floor float64
	// FFTSize overrides the FFT size (a power of two) when positive.
	FFTSize int
}

func (o EnvelopeOptions) fftSize(fs int) int {
	if o.FFTSize > 0 {
		return o.FFTSize
	}
	return FFTSizeFor(fs, o.F0Floor)
}

// Envelope computes the CheapTrick spectral envelope (Morise, Speech Comm.
// 67, 2015) of x at the frames of f0 (one per framePeriod ms; 0 = unvoiced):
// a power spectrum of FFTSize/2+1 bins per frame, independent of F0.
// Unvoiced frames use a 500 Hz analysis window.
func Envelope(x []float64, fs int, f0 []float64, framePeriod float64, opt EnvelopeOptions) ([][]float64, error) {
	env, _, err := envelope(x, fs, f0, framePeriod, opt, false)
	return env, err
}

// EnvelopeCepstra is Envelope that also returns each frame's liftered
// cepstrum c, the series whose DCT-I (fftpack.DCT) is the natural log of
// the frame's envelope. CheapTrick computes it on the way to the envelope,
// so a caller after cepstra (mel-cepstra) need not take the log of every
// bin and transform back.
func EnvelopeCepstra(x []float64, fs int, f0 []float64, framePeriod float64, opt EnvelopeOptions) (env, cep [][]float64, err error) {
	return envelope(x, fs, f0, framePeriod, opt, true)
}

func envelope(x []float64, fs int, f0 []float64, framePeriod float64, opt EnvelopeOptions, withCep bool) (out, cep [][]float64, err error) {
	if err := checkInput(x, fs); err != nil {
		return nil, nil, err
	}
	if framePeriod <= 0 {
		framePeriod = DefaultFramePeriod
	}
	q1 := opt.Q1
	if q1 == 0 {
		q1 = DefaultQ1
	}
	out = make([][]float64, len(f0))
	if withCep {
		cep = make([][]float64, len(f0))
	}
	ForSpans(len(f0), func(lo, hi int) {
		c := newCheapTrick(fs, opt.fftSize(fs), q1)
		for i := lo; i < hi; i++ {
			f := f0[i]
			out[i] = make([]float64, c.fft.n/2+1)
			if withCep {
				cep[i] = make([]float64, c.fft.n/2+1)
				c.cep = cep[i]
			}
			if f <= c.floor || math.IsNaN(f) {
				f = unvoicedF0
			}
			c.frame(x, float64(i)*framePeriod/1000, f, out[i])
		}
	})
	return out, cep, nil
}

type cheapTrick struct {
	fs    float64
	q1    float64
	floor float64 // lowest F0 whose window fits the FFT
	fft   *realFFT
	dct   *fftpack.DCT
	win   []float64
	pow   []float64
	tmp   []float64
	cum   []float64
	cep   []float64 // where smoothWithRecovery copies the cepstrum, if not nil
}

func newCheapTrick(fs, size int, q1 float64) *cheapTrick {
	return &cheapTrick{
		fs: float64(fs), q1: q1, floor: 3 * float64(fs) / float64(size-3),
		fft: newRealFFT(size), dct: fftpack.NewDCT(size/2 + 1),
		pow: make([]float64, size/2+1), tmp: make([]float64, size/2+1),
	}
}

// frame writes the envelope at time t (s) for fundamental f0 into dst.
func (c *cheapTrick) frame(x []float64, t, f0 float64, dst []float64) {
	c.windowedPower(x, t, f0, 3)
	dcCorrection(c.pow, f0, c.fs, c.fft.n)
	c.cum = linearSmoothing(c.pow, c.pow, 2*f0/3, c.fs, c.fft.n, c.cum)
	c.smoothWithRecovery(f0, dst)
}

// windowedPower fills c.pow with the power spectrum of x around t under a
// unit-energy Hann window spanning periods·T0, after removing the window-
// weighted mean so DC does not leak into the lowest harmonic.
func (c *cheapTrick) windowedPower(x []float64, t, f0, periods float64) {
	half := round(periods / 2 * c.fs / f0)
	n := 2*half + 1
	if cap(c.win) < n {
		c.win = make([]float64, n)
	}
	w := c.win[:n]
	step := math.Pi * f0 / (periods / 2) / c.fs
	cosTable(w, -float64(half)*step, step)
	var energy float64
	for i := range w {
		w[i] = 0.5*w[i] + 0.5
		energy += w[i] * w[i]
	}
	norm := 1 / math.Sqrt(energy)
	origin := round(t*c.fs + 0.001)
	b := c.fft.buf
	clear(b)
	var sx, sw float64
	for i := range w {
		w[i] *= norm
		b[i] = x[clampInt(origin-half+i, 0, len(x)-1)] * w[i]
		sx += b[i]
		sw += w[i]
	}
	k := sx / sw
	for i := range w {
		b[i] -= w[i] * k
	}
	c.fft.forward()
	for i, v := range c.fft.spec {
		c.pow[i] = real(v)*real(v) + imag(v)*imag(v)
	}
}

// smoothWithRecovery applies CheapTrick's cepstral lifter: a sinc that
// removes the harmonic ripple and a cosine term that restores the peaks
// the smoothing flattened. DCT-I of the half spectrum is the DFT of the
// even, full spectrum at half the cost.
func (c *cheapTrick) smoothWithRecovery(f0 float64, dst []float64) {
	n := float64(c.fft.n)
	for i, v := range c.pow {
		c.tmp[i] = math.Log(v + 1e-16)
	}
	c.dct.Transform(c.tmp, c.tmp)
	s, co := 0.0, 1.0
	ds, dc := math.Sincos(math.Pi * f0 / c.fs)
	c.tmp[0] /= n
	for i := 1; i < len(c.tmp); i++ {
		co, s = co*dc-s*ds, s*dc+co*ds
		theta := math.Pi * f0 * float64(i) / c.fs
		lift := s / theta * ((1 - 2*c.q1) + 2*c.q1*(1-2*s*s))
		c.tmp[i] *= lift / n
	}
	copy(c.cep, c.tmp)
	c.dct.Transform(c.tmp, c.tmp)
	for i, v := range c.tmp {
		dst[i] = math.Exp(v)
	}
}

// dcCorrection folds the mirror image of the band below f0 back onto it,
// undoing the dip windowing causes around DC.
func dcCorrection(p []float64, f0, fs float64, size int) {
	upper := 2 + int(f0*float64(size)/fs)
	df := fs / float64(size)
	var rep [128]float64 // f0 ≤ fs/2 with size ≤ 256·fs/f0 keeps this small
	replica := rep[:0]
	for i := 0; i < upper-1; i++ {
		pos := (f0 - float64(i)*df) / df
		b := int(pos)
		fr := pos - float64(b)
		v := p[b]
		if b+1 < len(p) && b+1 <= upper {
			v += (p[b+1] - p[b]) * fr
		}
		replica = append(replica, v)
	}
	for i, v := range replica {
		p[i] += v
	}
}

// linearSmoothing is a rectangular moving average of width Hz over the
// half spectrum in, mirrored at both ends, written to out (may alias in).
// cum is reusable scratch; the grown buffer is returned.
func linearSmoothing(out, in []float64, width, fs float64, size int, cum []float64) []float64 {
	half := size / 2
	boundary := int(width*float64(size)/fs) + 1
	m := half + 2*boundary + 1
	if cap(cum) < m {
		cum = make([]float64, m)
	}
	cum = cum[:m]
	df := fs / float64(size)
	acc := 0.0
	for i := range m {
		var v float64
		switch {
		case i < boundary:
			v = in[boundary-i]
		case i < half+boundary:
			v = in[i-boundary]
		default:
			v = in[half-(i-(half+boundary))]
		}
		acc += v * df
		cum[i] = acc
	}
	lo := float64(boundary) - 0.5 - width/2/df
	hi := lo + width/df
	bl, fl := int(math.Floor(lo)), lo-math.Floor(lo)
	bh, fh := int(math.Floor(hi)), hi-math.Floor(hi)
	at := func(b int, f float64) float64 {
		if b+1 >= m {
			return cum[m-1]
		}
		return cum[b] + (cum[b+1]-cum[b])*f
	}
	for i := 0; i <= half; i++ {
		out[i] = (at(bh+i, fh) - at(bl+i, fl)) / width
	}
	return cum
}
