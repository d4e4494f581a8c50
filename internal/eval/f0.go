package eval

import (
	"math"
	"sort"

	"github.com/voxclone/voxclone/internal/fftpack"
)

// F0 estimation for the median-pitch metric: YIN (de Cheveigné & Kawahara,
// JASA 2002) on 40 ms windows every 10 ms, searched over 60–500 Hz. It is
// deliberately independent of the engine's own pitch tracker, so a bias in
// that tracker cannot hide itself.
const (
	f0Min       = 60.0
	f0Max       = 500.0
	yinWindow   = 640 // 40 ms at 16 kHz: two periods of 50 Hz
	yinThresh   = 0.15
	yinFFTSize  = 1024
	octaveLimit = 0.7 // octaves from the first-pass median beyond which a frame is an octave error
)

// pitchTracker holds the FFT plan and buffers of the YIN difference function.
// It must not be used concurrently.
type pitchTracker struct {
	fft    *fftpack.FFT
	a, b   []float64
	fa, fb []complex128
	r      []float64
	d      []float64
}

func newPitchTracker() *pitchTracker {
	return &pitchTracker{
		fft: fftpack.NewFFT(yinFFTSize),
		a:   make([]float64, yinFFTSize), b: make([]float64, yinFFTSize),
		fa: make([]complex128, yinFFTSize/2+1), fb: make([]complex128, yinFFTSize/2+1),
		r: make([]float64, yinFFTSize), d: make([]float64, yinFFTSize),
	}
}

// voicedF0s returns F0 (Hz) of the voiced frames of 16 kHz audio. Only
// frames within speechRangeDB of the loud end are considered.
func (p *pitchTracker) voicedF0s(x []float32) []float64 {
	maxLag := featRate / int(f0Min)
	span := yinWindow + maxLag
	if len(x) < span {
		return nil
	}
	n := 1 + (len(x)-span)/frameHop
	energy := make([]float64, n)
	for t := range energy {
		var e float64
		for _, v := range x[t*frameHop : t*frameHop+yinWindow] {
			e += float64(v) * float64(v)
		}
		energy[t] = math.Log(e + 1e-10)
	}
	var f0s []float64
	for _, t := range speechFrames(energy) {
		if f, ok := p.frameF0(x[t*frameHop : t*frameHop+span]); ok {
			f0s = append(f0s, f)
		}
	}
	return f0s
}

// frameF0 runs YIN on one segment of yinWindow+maxLag samples.
func (p *pitchTracker) frameF0(seg []float32) (float64, bool) {
	minLag, maxLag := featRate/int(f0Max), featRate/int(f0Min)
	for i := range p.a {
		p.a[i], p.b[i] = 0, 0
	}
	for i, v := range seg {
		p.b[i] = float64(v)
		if i < yinWindow {
			p.a[i] = float64(v)
		}
	}
	// r(τ) = Σ_{j<W} a_j b_{j+τ}, by FFT cross-correlation.
	p.fft.Coefficients(p.fa, p.a)
	p.fft.Coefficients(p.fb, p.b)
	for k := range p.fa {
		p.fa[k] = complex(real(p.fa[k]), -imag(p.fa[k])) * p.fb[k]
	}
	p.fft.Sequence(p.r, p.fa)
	// Energies of the window at lag 0 and at lag τ, from running sums.
	var e0 float64
	for _, v := range p.a[:yinWindow] {
		e0 += v * v
	}
	if e0 == 0 {
		return 0, false
	}
	et := e0
	var cum float64
	p.d[0] = 1
	best := -1
	for tau := 1; tau <= maxLag; tau++ {
		out, in := p.b[tau-1], p.b[tau-1+yinWindow]
		et += in*in - out*out
		diff := e0 + et - 2*p.r[tau]/float64(yinFFTSize)
		cum += diff
		p.d[tau] = 1
		if cum > 0 {
			p.d[tau] = diff * float64(tau) / cum
		}
		if best < 0 && tau > minLag && p.d[tau-1] < yinThresh && p.d[tau] >= p.d[tau-1] {
			best = tau - 1 // first dip under the threshold, at its local minimum
			break
		}
	}
	if best < minLag || best >= maxLag {
		return 0, false
	}
	return featRate / parabolicMin(p.d, best), true
}

// parabolicMin refines a minimum's position by fitting a parabola through
// the sample and its neighbours.
func parabolicMin(d []float64, i int) float64 {
	a, b, c := d[i-1], d[i], d[i+1]
	den := a - 2*b + c
	if den <= 0 {
		return float64(i)
	}
	return float64(i) + 0.5*(a-c)/den
}

// robustMedianF0 is the median of f0s after dropping octave errors: frames
// more than octaveLimit octaves from a first-pass median. 0 means no voiced
// frames.
func robustMedianF0(f0s []float64) float64 {
	if len(f0s) == 0 {
		return 0
	}
	m := percentile(f0s, 0.5)
	var kept []float64
	for _, f := range f0s {
		if math.Abs(math.Log2(f/m)) <= octaveLimit {
			kept = append(kept, f)
		}
	}
	return percentile(kept, 0.5)
}

// semitones is the absolute distance between two frequencies.
func semitones(a, b float64) float64 { return math.Abs(12 * math.Log2(a/b)) }

// percentile returns the q-quantile (0…1) of x by linear interpolation,
// without modifying x.
func percentile(x []float64, q float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	pos := q * float64(len(s)-1)
	i := int(pos)
	if i >= len(s)-1 {
		return s[len(s)-1]
	}
	return s[i] + (pos-float64(i))*(s[i+1]-s[i])
}
