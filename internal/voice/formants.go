package voice

import (
	"math"
	"math/cmplx"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// Formant analysis follows the usual LPC recipe: the waveform at 10 kHz,
// pre-emphasised, 25 ms Hamming windows, order 12 (five resonances below
// 5 kHz plus spectral tilt). Poles sharper than maxFormantBW are
// candidates; each formant takes the first candidate in its range that
// lies minFormantGap above the previous formant. Fitting the smoothed
// vocoder envelope instead put the base voices' F2 and F3 too high
// (docs/engine.md).
const (
	formantRate   = 10000
	lpcOrder      = 12
	formantWin    = 250 // samples at formantRate
	maxFormantBW  = 400.0
	minFormantGap = 150.0
	preEmphasis   = 0.95
)

var formantRanges = [4][2]float64{{250, 1100}, {700, 3000}, {1700, 4000}, {2800, 5000}}

// formantAnalyzer estimates formants of frames of one utterance.
type formantAnalyzer struct {
	y   []float64 // utterance at formantRate, pre-emphasised
	win []float64
	r   []float64
	// rn is the noise's mean windowed autocorrelation (nil: clean).
	// Noise adds to speech, so its autocorrelation adds to the speech's:
	// subtracting it keeps LPC from fitting the noise's flat spectrum
	// where the speech is weak (around F4, which noisy references read
	// a few per cent high, moving the warp: docs/engine.md, "Noisy
	// references").
	rn []float64
}

// newFormantAnalyzer prepares an utterance sampled at analysisRate.
func newFormantAnalyzer(x []float64) *formantAnalyzer {
	y := resampleTo(x, analysisRate, formantRate)
	for i := len(y) - 1; i > 0; i-- {
		y[i] -= preEmphasis * y[i-1]
	}
	w := make([]float64, formantWin)
	for i := range w {
		w[i] = 0.54 - 0.46*math.Cos(2*math.Pi*float64(i)/float64(formantWin-1))
	}
	return &formantAnalyzer{y: y, win: w, r: make([]float64, lpcOrder+1)}
}

// at returns F1–F4 in Hz of the window centred t seconds in; missing
// formants are 0.
func (fa *formantAnalyzer) at(t float64) [4]float64 {
	var out [4]float64
	seg := fa.window(t)
	if seg == nil {
		return out
	}
	fa.autocorr(fa.r, seg)
	for k := range fa.rn {
		fa.r[k] -= fa.rn[k]
	}
	if fa.r[0] <= 0 {
		return out
	}
	fa.r[0] *= 1 + 1e-4 // a little white noise keeps the solution stable
	a, ok := levinson(fa.r)
	if !ok {
		return out
	}
	return pickFormants(polyRoots(a))
}

// window is the analysis window centred t seconds in, nil where it
// would reach past either end.
func (fa *formantAnalyzer) window(t float64) []float64 {
	c := int(t*formantRate) - formantWin/2
	if c < 0 || c+formantWin > len(fa.y) {
		return nil
	}
	return fa.y[c : c+formantWin]
}

// autocorr writes the windowed autocorrelation of seg into r.
func (fa *formantAnalyzer) autocorr(r, seg []float64) {
	for k := range r {
		var s float64
		for j := 0; j+k < formantWin; j++ {
			s += seg[j] * fa.win[j] * seg[j+k] * fa.win[j+k]
		}
		r[k] = s
	}
}

// setNoise measures the noise's autocorrelation on the frames marked
// quiet (period ms apart), which hold the noise alone.
func (fa *formantAnalyzer) setNoise(quiet []bool, period float64) {
	rn, r := make([]float64, lpcOrder+1), make([]float64, lpcOrder+1)
	n := 0
	for i, q := range quiet {
		seg := fa.window(float64(i) * period / 1000)
		if !q || seg == nil {
			continue
		}
		fa.autocorr(r, seg)
		for k := range rn {
			rn[k] += r[k]
		}
		n++
	}
	if n < minNoiseFrames {
		return
	}
	for k := range rn {
		rn[k] /= float64(n)
	}
	fa.rn = rn
}

// pickFormants assigns LPC roots to F1–F4.
func pickFormants(roots []complex128) [4]float64 {
	var out [4]float64
	var fs []float64
	for _, z := range roots {
		if imag(z) <= 0 {
			continue
		}
		f := cmplx.Phase(z) * formantRate / (2 * math.Pi)
		if bw := -math.Log(cmplx.Abs(z)) * formantRate / math.Pi; bw < maxFormantBW {
			fs = append(fs, f)
		}
	}
	sort.Float64s(fs)
	prev := 0.0
	for k, rg := range formantRanges {
		for _, f := range fs {
			if f >= rg[0] && f >= prev+minFormantGap && f <= rg[1] {
				out[k], prev = f, f
				break
			}
		}
	}
	return out
}

// levinson solves the normal equations for predictor coefficients
// a[0]=1…a[p]; ok is false when the autocorrelation is not positive
// definite.
func levinson(r []float64) ([]float64, bool) {
	p := len(r) - 1
	a := make([]float64, p+1)
	tmp := make([]float64, p+1)
	a[0] = 1
	e := r[0]
	for i := 1; i <= p; i++ {
		acc := r[i]
		for j := 1; j < i; j++ {
			acc += a[j] * r[i-j]
		}
		k := -acc / e
		copy(tmp, a)
		for j := 1; j < i; j++ {
			a[j] = tmp[j] + k*tmp[i-j]
		}
		a[i] = k
		e *= 1 - k*k
		if e <= 0 {
			return nil, false
		}
	}
	return a, true
}

// polyRoots returns the roots of z^p + a[1]z^(p−1) + … + a[p] as the
// eigenvalues of its companion matrix.
func polyRoots(a []float64) []complex128 {
	p := len(a) - 1
	c := mat.NewDense(p, p, nil)
	for j := 0; j < p; j++ {
		c.Set(0, j, -a[j+1])
	}
	for i := 1; i < p; i++ {
		c.Set(i, i-1, 1)
	}
	var eig mat.Eigen
	if !eig.Factorize(c, mat.EigenNone) {
		return nil
	}
	return eig.Values(nil)
}
