package prep

import (
	"math"
	"slices"

	"github.com/voxclone/voxclone/internal/fftpack"
)

// Noise reduction parameters: 32 ms sqrt-Hann frames at 75% overlap, the
// decision-directed a-priori SNR of Ephraim and Malah with α = 0.98, a
// Wiener gain floored at −15 dB and smoothed over three bins. The floor and
// the smoothing are what keep the residual noise a quieter copy of the
// original rather than the warbling "musical noise" of isolated spectral
// peaks that an unfloored gain leaves behind.
const (
	nrFrameSec    = 0.032
	nrAlpha       = 0.98
	nrFloor       = 0.17782794100389226 // −15 dB
	nrMinNoiseSec = 1.0
	nrBias        = 1.5 // minimum statistics underestimate the mean noise power
)

// nrMaxNoiseFrames bounds the spectra kept to estimate the noise: enough
// for a stable median, small enough (about 1 MB at 16 kHz) that denoising
// an hour would not need more.
const nrMaxNoiseFrames = 1000

// Denoise reduces stationary background noise in mono x at rate Hz and
// returns a new slice of the same length. speech holds the VAD decision of
// analysis frames spaced hop samples apart (as Speech computes them); the
// non-speech frames provide the noise spectrum when there is at least a
// second of them, otherwise a low percentile of each bin over time does.
// It streams frame by frame: memory is the output plus a few frames.
func Denoise(x []float32, rate int, speech []bool, hop int) []float32 {
	n := nextPow2(int(nrFrameSec * float64(rate)))
	step := n / 4
	if len(x) < n {
		return slices.Clone(x)
	}
	st := newSTFT(n, step)
	frames := (len(x)-n)/step + 1
	isSpeech := func(f int) bool {
		c := (f*step + n/2) / max(1, hop)
		return c < len(speech) && speech[c]
	}
	noise := st.noisePSD(x, frames, isSpeech, float64(rate))
	out := make([]float32, len(x))
	g := newGainer(noise)
	for f := 0; f < frames; f++ {
		c := st.forward(x[f*step : f*step+n])
		g.apply(c)
		st.inverseAdd(c, out[f*step:f*step+n])
	}
	st.normalise(out, x, frames)
	return out
}

// stft holds the transform, window and buffers for one frame size.
type stft struct {
	n, step int
	fft     *fftpack.FFT
	win     []float64
	buf     []float64
	coef    []complex128
}

func newSTFT(n, step int) *stft {
	s := &stft{n: n, step: step, fft: fftpack.NewFFT(n), win: make([]float64, n), buf: make([]float64, n)}
	for i := range s.win {
		s.win[i] = math.Sqrt(0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n)))
	}
	return s
}

func (s *stft) forward(frame []float32) []complex128 {
	for i, v := range frame {
		s.buf[i] = float64(v) * s.win[i]
	}
	s.coef = s.fft.Coefficients(s.coef, s.buf)
	return s.coef
}

// inverseAdd overlap-adds the windowed inverse transform into dst.
func (s *stft) inverseAdd(c []complex128, dst []float32) {
	s.fft.Sequence(s.buf, c) // unnormalised: n times the signal
	inv := 1 / float64(s.n)
	for i, v := range s.buf {
		dst[i] += float32(v * s.win[i] * inv)
	}
}

// normalise divides by the summed squared window, which is 2 in the
// interior (sqrt-Hann squared is Hann, at 75% overlap) and less at the
// edges; samples no frame covers pass through from x.
func (s *stft) normalise(out, x []float32, frames int) {
	end := (frames-1)*s.step + s.n
	for i := range out {
		if i >= s.n && i < end-s.n {
			out[i] /= 2
			continue
		}
		var norm float64
		for f := max(0, (i-s.n)/s.step); f < frames && f*s.step <= i; f++ {
			if j := i - f*s.step; j < s.n {
				norm += s.win[j] * s.win[j]
			}
		}
		if norm > 0.1 {
			out[i] = float32(float64(out[i]) / norm)
		} else {
			out[i] = x[i]
		}
	}
}

// noisePSD estimates the noise power per bin. With at least a second of
// non-speech frames it takes each bin's median over them divided by ln 2
// (the median of an exponentially distributed periodogram bin is ln 2 times
// its mean): unlike the mean, the median ignores the speech onsets and
// breaths a VAD lets through. Otherwise it takes the 10th percentile over
// all frames, scaled by nrBias. At most nrMaxNoiseFrames spectra, evenly
// spread, are kept.
func (s *stft) noisePSD(x []float32, frames int, isSpeech func(int) bool, rate float64) []float64 {
	var idx []int
	for f := 0; f < frames; f++ {
		if !isSpeech(f) {
			idx = append(idx, f)
		}
	}
	pct, scale := 0.5, 1/math.Ln2
	if float64(len(idx)*s.step)/rate < nrMinNoiseSec {
		idx = idx[:0]
		for f := 0; f < frames; f++ {
			idx = append(idx, f)
		}
		pct, scale = 0.1, nrBias
	}
	if len(idx) > nrMaxNoiseFrames {
		sub := make([]int, nrMaxNoiseFrames)
		for i := range sub {
			sub[i] = idx[i*len(idx)/nrMaxNoiseFrames]
		}
		idx = sub
	}
	bins := s.n/2 + 1
	pow := make([]float32, len(idx)*bins)
	for j, f := range idx {
		for k, c := range s.forward(x[f*s.step : f*s.step+s.n]) {
			pow[k*len(idx)+j] = float32(real(c)*real(c) + imag(c)*imag(c))
		}
	}
	psd := make([]float64, bins)
	for k := range psd {
		col := pow[k*len(idx) : (k+1)*len(idx)]
		slices.Sort(col)
		psd[k] = max(scale*float64(col[int(pct*float64(len(col)-1))]), 1e-20)
	}
	return psd
}

// gainer holds the per-bin state of the decision-directed estimator.
type gainer struct {
	noise, prevClean, gain, smooth []float64
	started                        bool
}

func newGainer(noise []float64) *gainer {
	n := len(noise)
	return &gainer{noise: noise, prevClean: make([]float64, n), gain: make([]float64, n), smooth: make([]float64, n)}
}

// apply scales every bin of one frame by its floored, smoothed Wiener gain.
func (g *gainer) apply(c []complex128) {
	// Plain comparisons instead of math.Max: this loop runs for every bin
	// of every frame, and no value here can be NaN.
	for k, v := range c {
		lambda := g.noise[k] // floored when estimated
		post := (real(v)*real(v) + imag(v)*imag(v)) / lambda
		prior := post - 1
		if prior < 0 {
			prior = 0
		}
		if g.started {
			prior = nrAlpha*g.prevClean[k]/lambda + (1-nrAlpha)*prior
		}
		gain := prior / (1 + prior)
		if gain < nrFloor {
			gain = nrFloor
		}
		g.gain[k] = gain
	}
	g.started = true
	bins := len(c)
	for k := range g.smooth {
		lo, hi := max(0, k-1), min(bins, k+2)
		var sum float64
		for _, x := range g.gain[lo:hi] {
			sum += x
		}
		g.smooth[k] = sum / float64(hi-lo)
	}
	for k, v := range c {
		a := g.smooth[k]
		c[k] = complex(real(v)*a, imag(v)*a)
		g.prevClean[k] = (real(v)*real(v) + imag(v)*imag(v)) * a * a
	}
}
