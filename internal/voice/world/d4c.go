package world

import "math"

// D4C constants (Morise, "D4C, a band-aperiodicity estimator for
// high-quality speech synthesis", Speech Comm. 84, 2016).
const (
	d4cFloorF0       = 47.0 // lowest F0 the group-delay windows support
	loveTrainFloorF0 = 40.0
	d4cSafeGuard     = 1e-6 // tiny dither so empty windows stay finite
)

// d4c returns full-resolution aperiodicity rows: D4C band values for voiced
// frames that pass the LoveTrain voicing check (thr < 0 disables it),
// pure noise otherwise.
func d4c(x []float64, fs int, f0 []float64, framePeriod float64, fftSize int, thr float64) [][]float64 {
	e := newD4CEstimator(x, fs)
	nb := NumBands(fs)
	coarse := make([]float64, nb)
	out := make([][]float64, len(f0))
	for i, f := range f0 {
		t := float64(i) * framePeriod / 1000
		if f <= 0 || (thr >= 0 && e.loveTrain(t, math.Max(f, loveTrainFloorF0)) <= thr) {
			out[i] = noiseRow(fftSize)
			continue
		}
		e.bands(t, math.Max(f, d4cFloorF0), coarse)
		out[i] = decodeRow(nil, coarse, fs, fftSize)
	}
	return out
}

type d4cEstimator struct {
	x      []float64
	fs     float64
	fft    *realFFT // group-delay analysis size
	ltFFT  *realFFT // LoveTrain size
	win    []float64
	spec   []complex128
	cen    []float64
	pow    []float64
	gd     []float64
	smooth []float64
	cum    []float64
	bandW  []float64 // Nuttall window over one band of group delay
	dither uint64
	top    []float64
}

func newD4CEstimator(x []float64, fs int) *d4cEstimator {
	f := float64(fs)
	size := pow2Above(4*f/d4cFloorF0 + 1)
	e := &d4cEstimator{
		x: x, fs: f, fft: newRealFFT(size),
		ltFFT: newRealFFT(pow2Above(3*f/loveTrainFloorF0 + 1)),
		spec:  make([]complex128, size/2+1), cen: make([]float64, size/2+1),
		pow: make([]float64, size/2+1), gd: make([]float64, size/2+1),
		smooth: make([]float64, size/2+1), dither: 0x2545f4914f6cdd1d,
	}
	e.bandW = make([]float64, int(bandSpacing*float64(size)/f)*2+1)
	nuttall(e.bandW)
	return e
}

// windowed writes x around t times a Hann (blackman=false) or Blackman
// window of ratio periods into buf (zero-padded), removes the window-
// weighted mean and returns the window length.
func (e *d4cEstimator) windowed(buf []float64, t, f0, ratio float64, blackman bool) int {
	half := round(ratio * e.fs / f0 / 2)
	n := 2*half + 1
	if cap(e.win) < 2*n {
		e.win = make([]float64, 2*n)
	}
	w, w2 := e.win[:n], e.win[n:2*n]
	step := 2 * math.Pi * f0 / ratio / e.fs
	cosTable(w, -float64(half)*step, step)
	if blackman {
		cosTable(w2, -2*float64(half)*step, 2*step)
		for i := range w {
			w[i] = 0.42 + 0.5*w[i] + 0.08*w2[i]
		}
	} else {
		for i := range w {
			w[i] = 0.5 + 0.5*w[i]
		}
	}
	origin := round(t*e.fs + 0.001)
	clear(buf)
	var sx, sw float64
	for i, wi := range w {
		buf[i] = e.x[clampInt(origin-half+i, 0, len(e.x)-1)]*wi + d4cSafeGuard*e.rand()
		sx += buf[i]
		sw += wi
	}
	k := sx / sw
	for i, wi := range w {
		buf[i] -= wi * k
	}
	return n
}

// rand is a xorshift generator in [−1, 1): deterministic dither.
func (e *d4cEstimator) rand() float64 {
	e.dither ^= e.dither << 13
	e.dither ^= e.dither >> 7
	e.dither ^= e.dither << 17
	return float64(e.dither>>11)/(1<<52) - 1
}

// loveTrain is D4C's voicing score: the share of 0.1–7.9 kHz power that lies
// below 4 kHz under a three-period Blackman window.
func (e *d4cEstimator) loveTrain(t, f0 float64) float64 {
	f := e.ltFFT
	e.windowed(f.buf, t, f0, 3, true)
	f.forward()
	size := float64(f.n)
	half := f.n / 2
	b0 := int(math.Ceil(100 * size / e.fs))
	b2 := min(int(math.Ceil(7900*size/e.fs)), half)
	b1 := min(int(math.Ceil(4000*size/e.fs)), b2)
	var low, all float64
	for i := b0 + 1; i <= b2; i++ {
		v := f.spec[i]
		p := real(v)*real(v) + imag(v)*imag(v)
		all += p
		if i <= b1 {
			low += p
		}
	}
	if all == 0 {
		return 0
	}
	return low / all
}

// bands writes the coarse aperiodicity (dB, ≤ 0) of each band to coarse.
func (e *d4cEstimator) bands(t, f0 float64, coarse []float64) {
	e.staticCentroid(t, f0)
	e.smoothedPower(t, f0)
	size := e.fft.n
	for i := range e.gd {
		e.gd[i] = e.cen[i] / e.pow[i]
	}
	e.cum = linearSmoothing(e.gd, e.gd, f0/2, e.fs, size, e.cum)
	e.cum = linearSmoothing(e.smooth, e.gd, f0, e.fs, size, e.cum)
	for i := range e.gd {
		e.gd[i] -= e.smooth[i]
	}
	for k := range coarse {
		coarse[k] = math.Min(0, e.bandAperiodicity(k)+(f0-100)/50)
	}
}

// staticCentroid fills e.cen with the sum of the group-delay centroids of
// two windows a quarter period either side of t, which cancels the
// periodic component's time dependence.
func (e *d4cEstimator) staticCentroid(t, f0 float64) {
	clear(e.cen)
	for _, dt := range []float64{-0.25 / f0, 0.25 / f0} {
		f := e.fft
		n := e.windowed(f.buf, t+dt, f0, 4, true)
		var p float64
		for _, v := range f.buf[:n] {
			p += v * v
		}
		norm := 1 / math.Sqrt(p)
		for i := range f.buf[:n] {
			f.buf[i] *= norm
		}
		f.forward()
		copy(e.spec, f.spec)
		for i := range f.buf {
			f.buf[i] *= float64(i + 1)
		}
		f.forward()
		for i, a := range e.spec {
			b := f.spec[i]
			e.cen[i] += real(a)*real(b) + imag(a)*imag(b)
		}
	}
	dcCorrection(e.cen, f0, e.fs, e.fft.n)
}

// smoothedPower fills e.pow with the Hann-windowed power spectrum smoothed
// over one harmonic spacing.
func (e *d4cEstimator) smoothedPower(t, f0 float64) {
	f := e.fft
	e.windowed(f.buf, t, f0, 4, false)
	f.forward()
	for i, v := range f.spec {
		e.pow[i] = real(v)*real(v) + imag(v)*imag(v)
	}
	dcCorrection(e.pow, f0, e.fs, f.n)
	e.cum = linearSmoothing(e.pow, e.pow, f0, e.fs, f.n, e.cum)
}

// bandAperiodicity measures how much of the power of the group-delay ripple
// around band k's centre is concentrated in a few strong components
// (periodic) rather than spread out (aperiodic), in dB.
func (e *d4cEstimator) bandAperiodicity(k int) float64 {
	f := e.fft
	size := f.n
	wl := len(e.bandW)
	half := wl / 2
	centre := int(bandSpacing * float64(k+1) * float64(size) / e.fs)
	clear(f.buf)
	for j, w := range e.bandW {
		f.buf[j] = e.gd[clampInt(centre-half+j, 0, len(e.gd)-1)] * w
	}
	f.forward()
	keep := round(float64(size)*8/float64(wl)) + 1
	if cap(e.top) < keep {
		e.top = make([]float64, keep)
	}
	top := e.top[:0]
	var total float64
	for _, v := range f.spec {
		p := real(v)*real(v) + imag(v)*imag(v)
		total += p
		top = pushTop(top, keep, p)
	}
	var strong float64
	for _, v := range top {
		strong += v
	}
	if total <= 0 {
		return 0
	}
	return 10 * math.Log10(math.Max((total-strong)/total, 1e-12))
}

// pushTop keeps the k largest values seen in top (ascending order).
func pushTop(top []float64, k int, v float64) []float64 {
	if len(top) == k {
		if v <= top[0] {
			return top
		}
		copy(top, top[1:])
		top = top[:k-1]
	}
	i := len(top)
	top = append(top, v)
	for i > 0 && top[i-1] > v {
		top[i] = top[i-1]
		i--
	}
	top[i] = v
	return top
}
