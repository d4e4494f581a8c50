package eval

import (
	"math"

	"gonum.org/v1/gonum/dsp/fourier"
)

// Feature front end of the speaker identifier. The constants are part of the
// evaluation protocol: changing any of them makes numbers incomparable with
// earlier runs.
const (
	featRate    = 16000 // all audio is scored at 16 kHz
	frameLen    = 400   // 25 ms
	frameHop    = 160   // 10 ms
	fftSize     = 512
	melBands    = 40
	numCeps     = 20 // c1..c20; c0 is dropped because it follows recording level
	deltaWidth  = 2  // ±2 frames regression window
	featDim     = 2 * numCeps
	preEmphasis = 0.97
	// speechRangeDB keeps frames whose energy is within this range of the
	// utterance's loud frames, so silences and pauses do not train or score.
	speechRangeDB = 30
)

// mfccExtractor turns 16 kHz mono samples into MFCC frames. It owns its FFT
// plan and buffers, so one extractor must not be used concurrently.
type mfccExtractor struct {
	fft    *fourier.FFT
	window []float64
	bank   [][]melWeight // per band: the FFT bins and weights it sums
	dct    [][]float64   // numCeps × melBands, rows c1..c20
	frame  []float64
	spec   []complex128
	power  []float64
	logmel []float64
}

type melWeight struct {
	bin int
	w   float64
}

func newMFCCExtractor() *mfccExtractor {
	e := &mfccExtractor{
		fft:    fourier.NewFFT(fftSize),
		window: make([]float64, frameLen),
		bank:   melFilterbank(melBands, fftSize, featRate, 20, featRate/2),
		frame:  make([]float64, fftSize),
		spec:   make([]complex128, fftSize/2+1),
		power:  make([]float64, fftSize/2+1),
		logmel: make([]float64, melBands),
	}
	for i := range e.window { // Hamming
		e.window[i] = 0.54 - 0.46*math.Cos(2*math.Pi*float64(i)/float64(frameLen-1))
	}
	e.dct = make([][]float64, numCeps)
	for k := range e.dct {
		e.dct[k] = make([]float64, melBands)
		for m := range e.dct[k] { // orthonormal DCT-II, coefficient k+1
			e.dct[k][m] = math.Sqrt(2.0/melBands) *
				math.Cos(math.Pi*float64(k+1)*(float64(m)+0.5)/melBands)
		}
	}
	return e
}

func hzToMel(f float64) float64 { return 2595 * math.Log10(1+f/700) }
func melToHz(m float64) float64 { return 700 * (math.Pow(10, m/2595) - 1) }

// melFilterbank builds triangular filters equally spaced on the mel scale
// between lo and hi Hz, with unit peak (HTK style).
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

// logMel computes the log mel energies of one frame starting at x[0] and the
// frame's log energy (natural log).
func (e *mfccExtractor) logMel(x []float32) (energy float64) {
	prev := 0.0
	var en float64
	for i := 0; i < frameLen; i++ {
		s := float64(x[i])
		v := s - preEmphasis*prev
		prev = s
		e.frame[i] = v * e.window[i]
		en += s * s
	}
	for i := frameLen; i < fftSize; i++ {
		e.frame[i] = 0
	}
	e.fft.Coefficients(e.spec, e.frame)
	for k, c := range e.spec {
		e.power[k] = real(c)*real(c) + imag(c)*imag(c)
	}
	for b, ws := range e.bank {
		var s float64
		for _, w := range ws {
			s += w.w * e.power[w.bin]
		}
		e.logmel[b] = math.Log(s + 1e-10)
	}
	return math.Log(en + 1e-10)
}

// cepstra returns one row of numCeps cepstra per frame and each frame's log
// energy.
func (e *mfccExtractor) cepstra(x []float32) (ceps [][]float64, energy []float64) {
	if len(x) < frameLen {
		return nil, nil
	}
	n := 1 + (len(x)-frameLen)/frameHop
	ceps = make([][]float64, n)
	energy = make([]float64, n)
	for t := 0; t < n; t++ {
		energy[t] = e.logMel(x[t*frameHop:])
		c := make([]float64, numCeps)
		for k, row := range e.dct {
			var s float64
			for m, d := range row {
				s += d * e.logmel[m]
			}
			c[k] = s
		}
		ceps[t] = c
	}
	return ceps, energy
}

// features returns the speaker-ID features of one utterance, cepstra plus
// deltas restricted to speech frames, both as they are (raw) and with
// per-utterance cepstral mean and variance normalization (norm). Both are
// nil when there is too little speech to score.
func (e *mfccExtractor) features(x []float32) (raw, norm [][]float64) {
	ceps, energy := e.cepstra(x)
	if len(ceps) == 0 {
		return nil, nil
	}
	full := appendDeltas(ceps)
	keep := speechFrames(energy)
	if len(keep) < 10 {
		return nil, nil
	}
	raw = make([][]float64, 0, len(keep))
	norm = make([][]float64, 0, len(keep))
	for _, t := range keep {
		raw = append(raw, full[t])
		norm = append(norm, append([]float64(nil), full[t]...))
	}
	normalize(norm)
	return raw, norm
}

// appendDeltas appends regression deltas over ±deltaWidth frames (edges
// replicated) to each cepstral row.
func appendDeltas(ceps [][]float64) [][]float64 {
	n := len(ceps)
	var norm float64
	for k := 1; k <= deltaWidth; k++ {
		norm += 2 * float64(k*k)
	}
	out := make([][]float64, n)
	clamp := func(i int) int { return min(max(i, 0), n-1) }
	for t := range ceps {
		row := make([]float64, featDim)
		copy(row, ceps[t])
		for d := 0; d < numCeps; d++ {
			var s float64
			for k := 1; k <= deltaWidth; k++ {
				s += float64(k) * (ceps[clamp(t+k)][d] - ceps[clamp(t-k)][d])
			}
			row[numCeps+d] = s / norm
		}
		out[t] = row
	}
	return out
}

// speechFrames returns the frames within speechRangeDB of the loud end of the
// utterance. The reference is the 95th percentile rather than the maximum so
// one click cannot discard the whole utterance.
func speechFrames(energy []float64) []int {
	ref := percentile(energy, 0.95)
	thr := ref - speechRangeDB*math.Ln10/10
	var keep []int
	for t, e := range energy {
		if e >= thr {
			keep = append(keep, t)
		}
	}
	return keep
}

// normalize applies cepstral mean and variance normalization in place.
func normalize(x [][]float64) {
	if len(x) == 0 {
		return
	}
	d := len(x[0])
	for j := 0; j < d; j++ {
		var m, v float64
		for _, r := range x {
			m += r[j]
		}
		m /= float64(len(x))
		for _, r := range x {
			v += (r[j] - m) * (r[j] - m)
		}
		sd := math.Sqrt(v/float64(len(x))) + 1e-8
		for _, r := range x {
			r[j] = (r[j] - m) / sd
		}
	}
}
