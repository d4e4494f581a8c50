package watermark

import (
	"math"
	"math/cmplx"
	"sync"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/dsp"
	"gonum.org/v1/gonum/dsp/fourier"
)

// Result is what Detect finds.
type Result struct {
	// Watermarked says the mark is present: the pilot's score is over
	// the threshold. (A CRC that checks is not used to lower it: on 3-s
	// excerpts of unmarked speech, a lower threshold with the CRC let one
	// window in a thousand through.)
	Watermarked bool
	// Score is the pilot's best correlation in standard deviations of
	// what unmarked audio gives at one lag.
	Score float64
	// Confidence maps Score to [0, 1]: 0 at or below what unmarked audio
	// reaches, 1 well above the threshold.
	Confidence float64
	// Payload is the decoded payload, meaningful when PayloadOK.
	Payload   Payload
	PayloadOK bool
	// Soft holds the 40 data bits' correlations, each in standard
	// deviations of what unmarked audio gives; Match uses them.
	Soft []float64
	// Lag is the mark's position at the excerpt's first sample (mod Period).
	Lag int
}

// threshold on Score, set from the null distribution measured in
// TestFalsePositives: the best of 2·Period lags on 3-s windows of
// unmarked speech reached 5.19 (real) and 5.25 (engine) at the 99.9th
// percentile and 5.35 at most; in theory the chance of passing 5.6 is
// about 2·10⁻⁴ per window. floor is the median of that null.
const (
	threshold = 5.6
	floor     = 3.9
)

// periodFFTs holds FFT plans of Period points; a plan has work buffers, so
// each detection takes its own.
var periodFFTs = sync.Pool{New: func() any { return fourier.NewFFT(Period) }}

var pilotSpectra sync.Map // Key → []complex128

// Detect looks for k's mark in pcm, of any rate and channel count.
func Detect(k Key, pcm *audio.PCM) Result {
	if pcm == nil || pcm.Frames() == 0 || pcm.Rate <= 0 {
		return Result{}
	}
	m := dsp.Resample(finite(pcm.Mono()), Rate).Samples
	folded := fold(whiten(m))
	return decide(k, folded)
}

// finite returns p with NaNs and infinities (which no decoder should give,
// but uploads are anyone's) made silent.
func finite(p *audio.PCM) *audio.PCM {
	out := &audio.PCM{Rate: p.Rate, Channels: 1, Samples: make([]float32, len(p.Samples))}
	for i, v := range p.Samples {
		if !math.IsNaN(float64(v)) && !math.IsInf(float64(v), 0) {
			out.Samples[i] = v
		}
	}
	return out
}

// whiten divides the signal's short-time spectrum by its own envelope in
// the band, so that every frame and band weighs alike whatever the gain,
// then clips the rare outliers that voiced pulses leave.
func whiten(m []float32) []float64 {
	x := make([]float64, len(m))
	var peak float64
	for i, v := range m {
		x[i] = float64(v)
		peak = max(peak, math.Abs(x[i]))
	}
	if peak == 0 {
		return nil
	}
	spec := analyze(x)
	env := spec.envelope(peak * 1e-4)
	spec.weigh(env)
	z := spec.synthesize()
	var e float64
	for _, v := range z {
		e += v * v
	}
	lim := 2.5 * math.Sqrt(e/float64(len(z)))
	for i, v := range z {
		z[i] = max(-lim, min(lim, v))
	}
	return z
}

// fold sums the signal modulo Period.
func fold(z []float64) []float64 {
	f := make([]float64, Period)
	for i, v := range z {
		f[i%Period] += v
	}
	return f
}

// decide finds the pilot's best lag in the folded signal and reads the
// payload there.
func decide(k Key, f []float64) Result {
	var energy float64
	for _, v := range f {
		energy += v * v
	}
	if energy == 0 {
		return Result{}
	}
	s := sequencesFor(k)
	fft := periodFFTs.Get().(*fourier.FFT)
	defer periodFFTs.Put(fft)
	fc := fft.Coefficients(nil, f)
	lag, half, best := 0, false, math.Inf(-1)
	// An excerpt may start between two samples of the mark's grid (an odd
	// sample at 16 kHz): the pilot is also tried half a sample later.
	for _, h := range []bool{false, true} {
		for l, v := range correlate(fft, k, s, fc, h) {
			if v > best {
				lag, half, best = l, h, v
			}
		}
	}
	r := Result{Score: best / math.Sqrt(energy), Lag: lag}
	if half {
		f = shiftHalf(fft, fc)
	}
	r.Soft = softBits(s, f, lag)
	r.Payload, r.PayloadOK = fromSoft(r.Soft)
	r.Watermarked = r.Score >= threshold
	r.Confidence = confidence(r.Score)
	return r
}

// confidence maps a score to [0, 1]: 0 at the null's median, 0.5 at the
// threshold, 1 at twice the threshold's distance from the median.
func confidence(score float64) float64 {
	c := 0.5 * (score - floor) / (threshold - floor)
	if score >= threshold {
		c = max(c, 0.5)
	} else {
		c = min(c, 0.49)
	}
	return max(0, min(1, c))
}

// correlate returns, for every lag l, Σ f[i]·pilot[(i+l) mod Period] (with
// half, the pilot delayed by half a sample), given f's spectrum.
func correlate(fft *fourier.FFT, k Key, s *sequences, fc []complex128, half bool) []float64 {
	ps, ok := pilotSpectra.Load(k)
	if !ok {
		ps, _ = pilotSpectra.LoadOrStore(k, fft.Coefficients(nil, s.pilot[:]))
	}
	pc := ps.([]complex128)
	prod := make([]complex128, len(fc))
	for i := range fc {
		prod[i] = cmplx.Conj(fc[i]) * pc[i]
		if half {
			prod[i] *= halfShift(i)
		}
	}
	c := fft.Sequence(nil, prod)
	for i := range c {
		c[i] /= Period
	}
	return c
}

// halfShift is the phase of bin i of a half-sample delay over Period.
func halfShift(i int) complex128 {
	return cmplx.Exp(complex(0, -math.Pi*float64(i)/Period))
}

// shiftHalf returns the signal whose spectrum is fc, moved half a sample
// earlier, so that it lines up with a pilot delayed by half a sample.
func shiftHalf(fft *fourier.FFT, fc []complex128) []float64 {
	g := make([]complex128, len(fc))
	for i, v := range fc {
		g[i] = v * cmplx.Conj(halfShift(i))
	}
	f := fft.Sequence(nil, g)
	for i := range f {
		f[i] /= Period
	}
	return f
}

// softBits correlates the folded signal with each bit's data chips at lag.
func softBits(s *sequences, f []float64, lag int) []float64 {
	soft := make([]float64, dataBits)
	energy := make([]float64, dataBits)
	for i, v := range f {
		j := (i + lag) % Period
		soft[s.bitOf[j]] += v * s.data[j]
		energy[s.bitOf[j]] += v * v
	}
	for b := range soft {
		if energy[b] > 0 {
			soft[b] /= math.Sqrt(energy[b])
		}
	}
	return soft
}
