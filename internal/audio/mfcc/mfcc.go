// Package mfcc is the mel-cepstral front end shared by the speaker checks:
// consent's voice prints and the evaluation's speaker identifier. Its
// constants are part of both measurements (the consent threshold was set
// from an equal-error rate, the evaluation's figures are compared across
// runs), so changing any of them changes what those numbers mean.
package mfcc

import (
	"math"

	"github.com/voxclone/voxclone/internal/fftpack"
)

// Frames of 25 ms every 10 ms of 16 kHz audio, 40 mel bands from 20 Hz to
// the Nyquist frequency, Hamming window, pre-emphasis 0.97.
const (
	Rate        = 16000
	FrameLen    = 400
	FrameHop    = 160
	FFTSize     = 512
	MelBands    = 40
	preEmphasis = 0.97
)

// Extractor turns 16 kHz mono samples into cepstra c1…cN (c0 is left out
// because it follows the recording level, not the voice). It owns its FFT
// plan and buffers, so one must not be used by two goroutines at once.
type Extractor struct {
	fft    *fftpack.FFT
	window []float64
	bank   [][]weight  // per band: the FFT bins and weights it sums
	dct    [][]float64 // numCeps × MelBands, rows c1…cN
	frame  []float64
	spec   []complex128
	logmel []float64
}

type weight struct {
	bin int
	w   float64
}

// New returns an extractor of numCeps cepstra per frame.
func New(numCeps int) *Extractor {
	e := &Extractor{
		fft:    fftpack.NewFFT(FFTSize),
		window: make([]float64, FrameLen),
		bank:   filterbank(MelBands, FFTSize, Rate, 20, Rate/2),
		frame:  make([]float64, FFTSize),
		spec:   make([]complex128, FFTSize/2+1),
		logmel: make([]float64, MelBands),
	}
	for i := range e.window {
		e.window[i] = 0.54 - 0.46*math.Cos(2*math.Pi*float64(i)/float64(FrameLen-1))
	}
	e.dct = make([][]float64, numCeps)
	for k := range e.dct {
		e.dct[k] = make([]float64, MelBands)
		for m := range e.dct[k] { // orthonormal DCT-II, coefficient k+1
			e.dct[k][m] = math.Sqrt(2.0/MelBands) *
				math.Cos(math.Pi*float64(k+1)*(float64(m)+0.5)/MelBands)
		}
	}
	return e
}

// HzToMel and MelToHz are the HTK mel scale the filterbank is spaced on.
func HzToMel(f float64) float64 { return 2595 * math.Log10(1+f/700) }
func MelToHz(m float64) float64 { return 700 * (math.Pow(10, m/2595) - 1) }

// filterbank builds triangular filters equally spaced on the mel scale
// between lo and hi Hz, with unit peak.
func filterbank(bands, n, rate int, lo, hi float64) [][]weight {
	mlo, mhi := HzToMel(lo), HzToMel(hi)
	edges := make([]float64, bands+2)
	for i := range edges {
		edges[i] = MelToHz(mlo + (mhi-mlo)*float64(i)/float64(bands+1))
	}
	bank := make([][]weight, bands)
	for b := 0; b < bands; b++ {
		l, c, r := edges[b], edges[b+1], edges[b+2]
		for k := 0; k <= n/2; k++ {
			f := float64(k) * float64(rate) / float64(n)
			var w float64
			switch {
			case f > l && f <= c:
				w = (f - l) / (c - l)
			case f > c && f < r:
				w = (r - f) / (r - c)
			}
			if w > 0 {
				bank[b] = append(bank[b], weight{k, w})
			}
		}
	}
	return bank
}

// LogMel computes the log mel energies of the frame starting at x[0] and
// the frame's log energy (natural log of the sum of squares). The slice is
// the extractor's own and is overwritten by the next call.
func (e *Extractor) LogMel(x []float32) (logmel []float64, energy float64) {
	prev, en := 0.0, 0.0
	for i := 0; i < FrameLen; i++ {
		s := float64(x[i])
		e.frame[i] = (s - preEmphasis*prev) * e.window[i]
		prev = s
		en += s * s
	}
	for i := FrameLen; i < FFTSize; i++ {
		e.frame[i] = 0
	}
	e.fft.Coefficients(e.spec, e.frame)
	for b, ws := range e.bank {
		var s float64
		for _, w := range ws {
			v := e.spec[w.bin]
			s += w.w * (real(v)*real(v) + imag(v)*imag(v))
		}
		e.logmel[b] = math.Log(s + 1e-10)
	}
	return e.logmel, math.Log(en + 1e-10)
}

// Cepstra returns one row of cepstra per frame of x and each frame's log
// energy; nothing when x is shorter than a frame.
func (e *Extractor) Cepstra(x []float32) (ceps [][]float64, energy []float64) {
	if len(x) < FrameLen {
		return nil, nil
	}
	n := 1 + (len(x)-FrameLen)/FrameHop
	ceps = make([][]float64, n)
	energy = make([]float64, n)
	for t := range ceps {
		logmel, en := e.LogMel(x[t*FrameHop:])
		c := make([]float64, len(e.dct))
		for k, row := range e.dct {
			var s float64
			for m, d := range row {
				s += d * logmel[m]
			}
			c[k] = s
		}
		ceps[t], energy[t] = c, en
	}
	return ceps, energy
}
