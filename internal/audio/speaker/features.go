package speaker

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/dsp/fourier"
)

// Front end: mel cepstra of 25 ms frames every 10 ms at 16 kHz. c0 is left
// out because it follows the recording level, not the voice.
const (
	rate        = 16000
	frameLen    = 400
	frameHop    = 160
	fftSize     = 512
	melBands    = 40
	numCeps     = 19
	preEmphasis = 0.97
	// speechRangeDB keeps frames within this range of the loud end of the
	// recording, so pauses and breaths carry no weight.
	speechRangeDB = 30
)

type melWeight struct {
	bin int
	w   float64
}

// extractor owns its FFT plan and buffers; one must not be shared between
// goroutines.
type extractor struct {
	fft    *fourier.FFT
	window []float64
	bank   [][]melWeight
	dct    [][]float64
	frame  []float64
	spec   []complex128
	logmel []float64
}

func newExtractor() *extractor {
	e := &extractor{
		fft:    fourier.NewFFT(fftSize),
		window: make([]float64, frameLen),
		bank:   melFilterbank(melBands, fftSize, rate, 20, rate/2),
		frame:  make([]float64, fftSize),
		spec:   make([]complex128, fftSize/2+1),
		logmel: make([]float64, melBands),
	}
	for i := range e.window {
		e.window[i] = 0.54 - 0.46*math.Cos(2*math.Pi*float64(i)/float64(frameLen-1))
	}
	e.dct = make([][]float64, numCeps)
	for k := range e.dct {
		e.dct[k] = make([]float64, melBands)
		for m := range e.dct[k] {
			e.dct[k][m] = math.Sqrt(2.0/melBands) *
				math.Cos(math.Pi*float64(k+1)*(float64(m)+0.5)/melBands)
		}
	}
	return e
}

func hzToMel(f float64) float64 { return 2595 * math.Log10(1+f/700) }
func melToHz(m float64) float64 { return 700 * (math.Pow(10, m/2595) - 1) }

func melFilterbank(bands, n, rate int, lo, hi float64) [][]melWeight {
	mlo, mhi := hzToMel(lo), hzToMel(hi)
	edges := make([]float64, bands+2)
	for i := range edges {
		edges[i] = melToHz(mlo + (mhi-mlo)*float64(i)/float64(bands+1))
	}
	bank := make([][]melWeight, bands)
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
				bank[b] = append(bank[b], melWeight{k, w})
			}
		}
	}
	return bank
}

// frameCeps computes one frame's cepstra into c and returns its log energy.
func (e *extractor) frameCeps(x []float32, c []float64) float64 {
	prev, en := 0.0, 0.0
	for i := 0; i < frameLen; i++ {
		s := float64(x[i])
		e.frame[i] = (s - preEmphasis*prev) * e.window[i]
		prev = s
		en += s * s
	}
	for i := frameLen; i < fftSize; i++ {
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
	for k, row := range e.dct {
		var s float64
		for m, d := range row {
			s += d * e.logmel[m]
		}
		c[k] = s
	}
	return math.Log(en + 1e-10)
}

// speechCeps returns the cepstra of the speech frames of x (16 kHz mono).
func (e *extractor) speechCeps(x []float32) [][]float64 {
	if len(x) < frameLen {
		return nil
	}
	n := 1 + (len(x)-frameLen)/frameHop
	ceps := make([][]float64, n)
	energy := make([]float64, n)
	for t := range ceps {
		ceps[t] = make([]float64, numCeps)
		energy[t] = e.frameCeps(x[t*frameHop:], ceps[t])
	}
	thr := percentile(energy, 0.95) - speechRangeDB*math.Ln10/10
	out := ceps[:0]
	for t, c := range ceps {
		if energy[t] >= thr && energy[t] > silenceLogEnergy {
			out = append(out, c)
		}
	}
	return out
}

// silenceLogEnergy is the log frame energy (sum of squares of 400 samples)
// below which a frame counts as silence whatever the rest of the recording:
// about −80 dBFS.
var silenceLogEnergy = math.Log(frameLen * 1e-8)

func percentile(x []float64, p float64) float64 {
	s := append([]float64(nil), x...)
	slices.Sort(s)
	i := int(p * float64(len(s)-1))
	return s[i]
}
