package watermark

import (
	"math"
	"math/cmplx"
	"sync"

	"github.com/voxclone/voxclone/internal/fftpack"
)

// The short-time spectrum the mark is shaped and whitened in: 64 ms
// frames. The embedder's overlap by half, with a square-root Hann window
// on analysis and on synthesis so that an unmodified spectrum
// resynthesises exactly; the detector's, see detectFraming. 64 ms
// resolve the harmonics of low voices, between which the mark sits: with
// 32 ms frames the mark was found in half the 3-s excerpts (no transform)
// at the same loudness, with 64 ms in 70%, with 128 ms in 53%.
const (
	frameLen = 512
	hop      = frameLen / 2
	nBins    = frameLen/2 + 1
	loBin    = 10  // 156.25 Hz (see shapeBands)
	hiBin    = 216 // 3,375 Hz
	smoothR  = 4   // the envelope averages 2·smoothR+1 bins
	wideR    = 5   // the detector's whitening envelope, 2·wideR+1 bins
)

var window = func() [frameLen]float64 {
	var w [frameLen]float64
	for i := range w {
		w[i] = math.Sqrt(0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/frameLen))
	}
	return w
}()

var fftPool = sync.Pool{New: func() any { return fftpack.NewFFT(frameLen) }}

// framing is a window and hop for analysis and synthesis (the same window
// for both).
type framing struct {
	win  *[frameLen]float64
	step int
	norm float64 // the overlap-added squared window, over frameLen
}

func newFraming(win *[frameLen]float64, step int) framing {
	var e float64
	for _, v := range win {
		e += v * v
	}
	return framing{win: win, step: step, norm: e / float64(step) * frameLen}
}

// markFraming is the embedder's: sqrt-Hann at half overlap.
var markFraming = newFraming(&window, hop)

// detectFraming is the detector's whitening: Hann windows overlapping by
// three quarters (also exact on resynthesis). Every sample is weighed by
// four frames' estimates instead of two, and a Hann window leaks less of a
// harmonic into the valleys beside it, where the mark is (its sidelobes
// fall three times as fast as the square-root Hann's). Against the
// embedder's own framing, on 3-s excerpts with no transform, 79.8% →
// 92.4% found; half-overlapping Hann 83.0%; square-root Hann overlapping
// by three quarters 89.7%; Hann by seven eighths 94.2% at twice the cost.
var detectFraming = newFraming(&hannWindow, frameLen/4)

// fineFraming is the detector's whitening for excerpts of at most
// fineMax samples: Hann windows overlapping by seven eighths, the
// envelope averaged over nine of them (fineTaps, the same ±32 ms as
// timeTaps). It costs about twice as much per second as detectFraming
// (45 ms of CPU for 10 s against 25 ms, over the 50-ms budget), so it is
// only used where that matters: short excerpts, which it finds more
// often (3-s excerpts, quarter-sample lags: no transform 98.3% → 98.3%,
// Opus 24 kbps 69.8% → 71.6%, μ-law 91.4% → 94.0%, noise at 20 dB SNR
// 70.7% → 75.9%; every mean score 2–3% higher), while 10 s are found
// after every required transform either way.
var fineFraming = newFraming(&hannWindow, frameLen/8)

// fineMax is the longest excerpt (samples at Rate) whitened in
// fineFraming: 6 s, which cost about 27 ms.
const fineMax = 6 * Rate

var hannWindow = func() [frameLen]float64 {
	var w [frameLen]float64
	for i := range w {
		w[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/frameLen)
	}
	return w
}()

// spectrum is the short-time spectrum of a signal of n samples: frame t
// covers samples [t·step−frameLen+step, t·step+step).
type spectrum struct {
	n      int
	fr     framing
	frames [][]complex128
}

func (fr framing) numFrames(n int) int { return (n-1+frameLen-fr.step)/fr.step + 1 }

func (fr framing) start(t int) int { return t*fr.step - frameLen + fr.step }

func analyze(x []float64) *spectrum { return analyzeWith(x, markFraming) }

func analyzeWith(x []float64, fr framing) *spectrum {
	fft := fftPool.Get().(*fftpack.FFT)
	defer fftPool.Put(fft)
	s := &spectrum{n: len(x), fr: fr, frames: make([][]complex128, fr.numFrames(len(x)))}
	buf := make([]float64, frameLen)
	back := make([]complex128, len(s.frames)*nBins)
	for t := range s.frames {
		start := fr.start(t)
		for i := range buf {
			j := start + i
			if j >= 0 && j < len(x) {
				buf[i] = x[j] * fr.win[i]
			} else {
				buf[i] = 0
			}
		}
		s.frames[t] = fft.Coefficients(back[t*nBins:(t+1)*nBins:(t+1)*nBins], buf)
	}
	return s
}

// synthesize overlap-adds the (modified) frames back into n samples.
func (s *spectrum) synthesize() []float64 {
	fft := fftPool.Get().(*fftpack.FFT)
	defer fftPool.Put(fft)
	out := make([]float64, s.n)
	buf := make([]float64, frameLen)
	for t, f := range s.frames {
		fft.Sequence(buf, f)
		start := s.fr.start(t)
		for i, v := range buf {
			j := start + i
			if j >= 0 && j < s.n {
				out[j] += v * s.fr.win[i] / s.fr.norm
			}
		}
	}
	return out
}

// envelope returns, per frame, the magnitude of the spectrum averaged over
// neighbouring bins (smoothR either side), for the bins of the band, never
// below floor.
func (s *spectrum) envelope(floor float64) [][hiBin + 1]float64 {
	env, _ := s.envelopes(floor, false)
	return env
}

// envelopes returns envelope's env and, when withWide, wide: averaged
// over wideR either side, which the detector whitens by (see weigh). The
// embedder, on the synthesis path, does not need wide.
func (s *spectrum) envelopes(floor float64, withWide bool) (env, wide [][hiBin + 1]float64) {
	r := smoothR
	env = make([][hiBin + 1]float64, len(s.frames))
	if withWide {
		r = wideR
		wide = make([][hiBin + 1]float64, len(s.frames))
	}
	var mag [nBins]float64
	for t, f := range s.frames {
		for k := loBin - r; k <= hiBin+r; k++ {
			mag[k] = math.Hypot(real(f[k]), imag(f[k]))
		}
		for k := loBin; k <= hiBin; k++ {
			var sum float64
			for j := k - smoothR; j <= k+smoothR; j++ {
				sum += mag[j]
			}
			env[t][k] = max(sum/(2*smoothR+1), floor)
			if wide == nil {
				continue
			}
			for j := smoothR + 1; j <= wideR; j++ {
				sum += mag[k-j] + mag[k+j]
			}
			wide[t][k] = max(sum/(2*wideR+1), floor)
		}
	}
	return env, wide
}

// timeTaps weigh a frame's envelope and its neighbours' in smoothTime
// in detectFraming, fineTaps in fineFraming.
var (
	timeTaps = []float64{1, 2, 3, 2, 1}
	fineTaps = []float64{1, 2, 3, 4, 5, 4, 3, 2, 1}
)

// smoothTime averages the detector's envelope over taps: five frames
// (±32 ms at detectFraming's hop; nine at fineFraming's). One frame's
// envelope is a noisy estimate of the speech's level, and the whitening
// divides by it. On 3-s excerpts with no
// transform / Opus 24 kbps / noise 20 dB SNR: 92.4% / 72.6% / 48.9%
// found with one frame, 94.6% / 75.8% / 52.0% with three (1, 2, 1),
// 95.5% / 75.8% / 52.5% with these five, 96.0% / 76.2% / 50.2% with
// seven (1, 2, 3, 4, 3, 2, 1).
func smoothTime(env [][hiBin + 1]float64, taps []float64) [][hiBin + 1]float64 {
	out := make([][hiBin + 1]float64, len(env))
	var total float64
	for _, w := range taps {
		total += w
	}
	h := len(taps) / 2
	for t := range env {
		for i, w := range taps {
			e := &env[max(0, min(len(env)-1, t+i-h))]
			for k := loBin; k <= hiBin; k++ {
				out[t][k] += w / total * e[k]
			}
		}
	}
	return out
}

// shape multiplies (or, with divide, divides) every frame by env inside
// the band and clears it outside.
func (s *spectrum) shape(env [][hiBin + 1]float64, divide bool) {
	for t, f := range s.frames {
		for k := range f {
			switch {
			case k < loBin || k > hiBin:
				f[k] = 0
			case divide:
				f[k] /= complex(env[t][k], 0)
			default:
				f[k] *= complex(env[t][k], 0)
			}
		}
	}
}

// wienerFloor keeps the embedder's model of the whitening (detectorGain)
// from dividing by almost nothing; whiteFloor does so in the detector's
// own whitening (see weigh).
const (
	wienerFloor = 0.1
	whiteFloor  = 0.05
)

// noiseSub is how many times its noise floor (the 20th percentile of the
// envelope's power, which for noise is π/4 of its power) the detector
// takes off a bin's power before estimating where the mark is (g in
// weigh), as spectral subtraction does: in added noise, or a codec's,
// the valleys between harmonics fill up, g flattens and no longer points
// at them, where the embedder, shaping the mark on the clean speech, put
// it. Only the detector's estimate changes; the mark, the whitening and
// the score's normalisation do not. On 3-s excerpts one a second (223;
// none / Opus 24 kbps / AAC 64 kbps / noise 20 dB SNR): found 97.8% /
// 81.6% / 93.3% / 80.7% → 98.2% / 82.1% / 93.3% / 84.3%, mean scores
// 0.5–0.9% higher; 1 (nearer the floor's power): 98.2% / 81.6% / 93.3% /
// 82.5%; 4 and 8, scores up another 0.3% each, 83.4% and 82.1% after
// noise.
const noiseSub = 2

// weigh whitens the band for detection. Each bin Y becomes
// Y·d·√(g·c/env), with d = w·wide/(|Y|²+whiteFloor·wide²) the whitening
// and g = w·env/(|Y|²+wienerFloor·env²) what the embedder takes it to be
// (detectorGain: bins between harmonics count more, w the cube of the
// share of the envelope above the bin's noise floor, so that bins of
// noise or pauses count little) and c the embedder's scale for the bin's
// band (bandScales). The mark the embedder puts in a bin is ∝ g·c; over
// the host's power there (∝ env/g) that is the weight a matched detector
// would give it. The square root tempers the estimate, which rests on one
// frame: the full weight found the mark less often (3-s excerpts, no
// transform: 63% against 71%, plain g 70%).
//
// The whitening itself divides by an envelope averaged over eleven bins
// (wideR) instead of nine, with half the floor: valleys between
// harmonics, where the mark is, count more, and the wider average
// follows the spectrum's level rather than its nearest harmonic. Only the
// detector changed, so marks made before keep the gain. On 3-s excerpts
// one every 0.5 s (445; no transform / Opus 24 kbps / μ-law / noise
// 20 dB SNR): 97.8% / 70.1% / 93.5% / 72.6% found → with whiteFloor
// 0.05 alone 97.8% / 71.2% / 94.6% / 73.7% → with both 97.5% / 71.7% /
// 94.6% / 75.1%, mean scores 1–2.5% higher (floor 0.2: 96.4% / 67.0% /
// 92.4% / 69.0%; 0.025 no better than 0.05; wideR 3: 97.8% / 68.5% /
// 94.4% / 68.1%, 6: 97.3% / 71.0% / 94.4% / 75.3%, 9 and 14 lower).
//
// With emphasis, the first formant's bands weigh more (bandEmphasis).
func (s *spectrum) weigh(env, wide [][hiBin + 1]float64, emphasis bool) {
	gain := detectorGain(s, env, wienerFloor, noiseSub)
	white := detectorGain(s, wide, whiteFloor, 0)
	for t, f := range s.frames {
		for k := range f {
			if k < loBin || k > hiBin {
				f[k] = 0
			}
		}
		for b, c := range bandScales(f, env, gain, t) {
			e := 1.0
			if emphasis {
				e = bandEmphasis(b)
			}
			for j := shapeBands[b]; j < shapeBands[b+1]; j++ {
				f[j] *= complex(e*white[t][j]*math.Sqrt(gain[t][j]*c/env[t][j]), 0)
			}
		}
	}
	s.limitBins(binLimit)
}

// The bands from emphasisLo up to emphasisHi (bins; 312–625 Hz, the
// first formant's region) weigh firstFormantWeight times as much as the
// others in the detector. Opus 24 kbps and white noise at 20 dB SNR both
// leave the mark where the speech is loudest against them: there the
// codec kept 88–95% of a high voice's mark (slt) and 58–76% of a low
// one's (cmuarctic_aew), against 46–75% and 39–54% from 625 Hz to
// 3.2 kHz (TestBandProbe; docs/trust.md, "Where Opus takes the mark"),
// and after noise those bands held about half the correlation or more
// (slt 55%, aew 49%, rms 66%). 1.5 is that ratio of the mark kept, under
// 625 Hz to above, for both voices: the weight a matched detector gives a
// band grows with the mark it holds. The bands under 312 Hz are left at 1: high voices have
// little speech there, so after noise they hold noise alone (weighed 1.5
// with the rest, 156–625 Hz: Opus 91.5% but noise 89.7%, against 90.1%
// without). The mark is unchanged, so audio marked before gains as
// measured (marks of before 2026-12-07, from 312 Hz, were not measured).
// Only excerpts shorter than legacyMin are weighed so: those are where
// the 3-s targets are missed, while longer ones are found after every
// required transform either way, and with the weight at every length
// one 6-s window of real speech in 1,197 passed its threshold (5.36
// against 5.2; none had before). docs/trust.md, "Detector: the first
// formant's bands weigh more".
const (
	emphasisLo         = 20 // 312.5 Hz
	emphasisHi         = 40 // 625 Hz
	firstFormantWeight = 1.5
)

// bandEmphasis is band b's weight in the detector (see firstFormantWeight).
func bandEmphasis(b int) float64 {
	if shapeBands[b] >= emphasisLo && shapeBands[b+1] <= emphasisHi {
		return firstFormantWeight
	}
	return 1
}

// binLimit is how far above its RMS over the excerpt limitBins lets a
// whitened bin rise. The embedder gives each bin a share of the envelope,
// so the mark's whitened level in a bin is about the same from frame to
// frame; what rises far above it in a few frames is host the weights
// misjudge (which frames these are was not analysed). Those frames add to
// the energy a score is divided by and little to the correlation; low
// voices, whose harmonics lie close, gain most. Detector only, so marks
// made before gain too. The limit is applied after the weights because
// the outliers come mostly with them. Behind this limit the time-domain
// clip in whiten no longer binds on speech; it stays for other inputs.
// Measurements and the variants not kept: docs/trust.md, "Detector:
// every whitened bin limited".
const binLimit = 2

// limitBins limits every bin of the band, in every frame, to lim times
// the bin's RMS over the frames.
func (s *spectrum) limitBins(lim float64) {
	for k := loBin; k <= hiBin; k++ {
		var e float64
		for _, f := range s.frames {
			e += real(f[k])*real(f[k]) + imag(f[k])*imag(f[k])
		}
		l := lim * math.Sqrt(e/float64(len(s.frames)))
		for _, f := range s.frames {
			if a := cmplx.Abs(f[k]); a > l {
				f[k] *= complex(l/a, 0)
			}
		}
	}
}

// noiseFloor is, per bin of the band, the 20th percentile over frames of
// the envelope's power.
func noiseFloor(env [][hiBin + 1]float64) [hiBin + 1]float64 {
	var floor [hiBin + 1]float64
	col := make([]float64, len(env))
	for k := loBin; k <= hiBin; k++ {
		for t := range env {
			col[t] = env[t][k] * env[t][k]
		}
		floor[k] = nth(col, len(col)/5)
	}
	return floor
}

// nth returns the k-th smallest of x (which it reorders): the value
// sorting would put at k, without sorting all of x, which dominated the
// detector's time once its frames overlapped by three quarters.
func nth(x []float64, k int) float64 {
	lo, hi := 0, len(x)-1
	for lo < hi {
		p := x[(lo+hi)/2]
		i, j := lo, hi
		for i <= j {
			for x[i] < p {
				i++
			}
			for x[j] > p {
				j--
			}
			if i <= j {
				x[i], x[j] = x[j], x[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return x[k]
		}
	}
	return x[k]
}
