package watermark

import (
	"math"
	"slices"
	"sync"

	"gonum.org/v1/gonum/dsp/fourier"
)

// The short-time spectrum the mark is shaped and whitened in: 64 ms
// frames, half overlapping, with a square-root Hann window on analysis and
// on synthesis so that an unmodified spectrum resynthesises exactly. 64 ms
// resolve the harmonics of low voices, between which the mark sits: with
// 32 ms frames the mark was found in half the 3-s excerpts (no transform)
// at the same loudness, with 64 ms in 70%, with 128 ms in 53%.
const (
	frameLen = 512
	hop      = frameLen / 2
	nBins    = frameLen/2 + 1
	loBin    = 20  // 312.5 Hz
	hiBin    = 216 // 3,375 Hz
	smoothR  = 4   // the envelope averages 2·smoothR+1 bins
)

var window = func() [frameLen]float64 {
	var w [frameLen]float64
	for i := range w {
		w[i] = math.Sqrt(0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/frameLen))
	}
	return w
}()

var fftPool = sync.Pool{New: func() any { return fourier.NewFFT(frameLen) }}

// spectrum is the short-time spectrum of a signal of n samples: frame t
// covers samples [t·hop−hop, t·hop−hop+frameLen).
type spectrum struct {
	n      int
	frames [][]complex128
}

func numFrames(n int) int { return (n+hop-1)/hop + 1 }

func analyze(x []float64) *spectrum {
	fft := fftPool.Get().(*fourier.FFT)
	defer fftPool.Put(fft)
	s := &spectrum{n: len(x), frames: make([][]complex128, numFrames(len(x)))}
	buf := make([]float64, frameLen)
	back := make([]complex128, len(s.frames)*nBins)
	for t := range s.frames {
		start := t*hop - hop
		for i := range buf {
			j := start + i
			if j >= 0 && j < len(x) {
				buf[i] = x[j] * window[i]
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
	fft := fftPool.Get().(*fourier.FFT)
	defer fftPool.Put(fft)
	out := make([]float64, s.n)
	buf := make([]float64, frameLen)
	for t, f := range s.frames {
		fft.Sequence(buf, f)
		start := t*hop - hop
		for i, v := range buf {
			j := start + i
			if j >= 0 && j < s.n {
				out[j] += v * window[i] / frameLen
			}
		}
	}
	return out
}

// envelope returns, per frame, the magnitude of the spectrum averaged over
// neighbouring bins, for the bins of the band, never below floor.
func (s *spectrum) envelope(floor float64) [][hiBin + 1]float64 {
	env := make([][hiBin + 1]float64, len(s.frames))
	var mag [nBins]float64
	for t, f := range s.frames {
		for k := loBin - smoothR; k <= hiBin+smoothR; k++ {
			mag[k] = math.Hypot(real(f[k]), imag(f[k]))
		}
		for k := loBin; k <= hiBin; k++ {
			var sum float64
			for j := k - smoothR; j <= k+smoothR; j++ {
				sum += mag[j]
			}
			env[t][k] = max(sum/(2*smoothR+1), floor)
		}
	}
	return env
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

// wienerFloor keeps weigh from dividing by almost nothing.
const wienerFloor = 0.1

// weigh whitens the band for detection. Each bin Y becomes Y·g·√(g·c/env),
// with g = w·env/(|Y|²+floor·env²) the whitening (detectorGain: bins
// between harmonics count more, w the cube of the share of the envelope
// above the bin's noise floor, so that bins of noise or pauses count
// little) and c the embedder's scale for the bin's band (bandScale). The
// mark the embedder puts in a bin is ∝ g·c; over the host's power there
// (∝ env/g) that is the weight a matched detector would give it. The
// square root tempers the estimate, which rests on one frame: the full
// weight found the mark less often (3-s excerpts, no transform: 63% against
// 71%, plain g 70%).
func (s *spectrum) weigh(env [][hiBin + 1]float64) {
	gain := detectorGain(s, env)
	for t, f := range s.frames {
		for k := range f {
			if k < loBin || k > hiBin {
				f[k] = 0
			}
		}
		for b := 0; b+1 < len(shapeBands); b++ {
			c := bandScale(env, gain, t, b)
			for j := shapeBands[b]; j < shapeBands[b+1]; j++ {
				g := gain[t][j]
				f[j] *= complex(g*math.Sqrt(g*c/env[t][j]), 0)
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
		slices.Sort(col)
		floor[k] = col[len(col)/5]
	}
	return floor
}
