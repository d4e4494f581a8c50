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
	// the high threshold, or over the low one with a payload whose CRC
	// checks.
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

// Thresholds on Score, set from the null distribution measured in
// TestFalsePositives (the best of Period lags on unmarked speech): high
// alone decides; low decides only together with a payload whose CRC
// checks.
var (
	thresholdHigh = 6.0
	thresholdLow  = 4.6
)

var periodFFT = sync.OnceValue(func() *fourier.FFT { return fourier.NewFFT(Period) })

var pilotSpectra sync.Map // Key → []complex128

// Detect looks for k's mark in pcm, of any rate and channel count.
func Detect(k Key, pcm *audio.PCM) Result {
	if pcm == nil || pcm.Frames() == 0 || pcm.Rate <= 0 {
		return Result{}
	}
	m := dsp.Resample(pcm.Mono(), Rate).Samples
	folded := fold(whiten(m))
	return decide(k, folded)
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
	corr := correlate(k, s, f)
	lag, best := 0, math.Inf(-1)
	for l, v := range corr {
		if v > best {
			lag, best = l, v
		}
	}
	r := Result{Score: best / math.Sqrt(energy), Lag: lag}
	r.Soft = softBits(s, f, lag)
	r.Payload, r.PayloadOK = fromSoft(r.Soft)
	r.Watermarked = r.Score >= thresholdHigh || (r.PayloadOK && r.Score >= thresholdLow)
	r.Confidence = max(0, min(1, (r.Score-thresholdLow+1)/(thresholdHigh+1-thresholdLow+1)))
	if r.Watermarked {
		r.Confidence = max(r.Confidence, 0.5)
	} else {
		r.Confidence = min(r.Confidence, 0.49)
	}
	return r
}

// correlate returns, for every lag l, Σ f[i]·pilot[(i+l) mod Period].
func correlate(k Key, s *sequences, f []float64) []float64 {
	fft := periodFFT()
	ps, ok := pilotSpectra.Load(k)
	if !ok {
		ps, _ = pilotSpectra.LoadOrStore(k, fft.Coefficients(nil, s.pilot[:]))
	}
	pc := ps.([]complex128)
	fc := fft.Coefficients(nil, f)
	for i := range fc {
		fc[i] = cmplx.Conj(fc[i]) * pc[i]
	}
	c := fft.Sequence(nil, fc)
	for i := range c {
		c[i] /= Period
	}
	return c
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
