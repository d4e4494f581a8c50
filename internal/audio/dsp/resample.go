// Package dsp holds the signal processing the audio layer is built from:
// band-limited resampling, biquad filters and windows. Functions work on
// float32 sample slices or *audio.PCM and never fail on data; size
// mismatches are programmer errors and panic.
package dsp

import (
	"math"
	"sync"

	"github.com/voxclone/voxclone/internal/audio"
)

// Two resampler designs, both Kaiser-windowed sincs with the cutoff
// placed relative to the lower of the two Nyquist frequencies (fNyq),
// chosen by who consumes the result:
//
// soft, Resample, for analysis: 16 zero crossings, cutoff 0.92, β 8.6.
// Flat only to about 0.75·fNyq, −3.8 dB at 0.9 and −6 dB at 0.92, and lets
// aliases from just above fNyq through at −25 dB. Everything that measures
// audio uses it (reference preparation, the engine's internals, the
// watermark, consent verification, speaker identification, evaluation):
// it is the cheaper design, and uploads and clones have CPU budgets it
// fits (a 60-s 44.1 kHz upload in 150 CPU-ms, a 48 kHz transcribed clone
// in 1.0 CPU-s) and the sharp one does not; and stored profiles, the
// engine's goldens and the watermark's calibrated thresholds were all
// measured through it, so its output must stay byte-identical
// (TestResampleUnchanged).
//
// sharp, ResampleSharp and SharpResampler, for what the listener hears
// (the output formats, and the built-in voices' and the baseline's
// 16 → 24 kHz): flat to 0.9·fNyq (−0.03 dB there, within ±0.001 dB below
// 0.85) and at least 87 dB down from fNyq on, so nothing aliases and a
// 16 kHz answer keeps the 6–7.2 kHz of consonants (through the soft
// design a 7 kHz tone comes out 2.5 dB down). A Kaiser filter of
// attenuation A and transition width Δ (fraction of fNyq) needs
// (A−8)/(2.285·π·Δ) taps at the lower rate; with the band edges 0.9 and
// 1.0 (Δ = 0.1) and A ≈ 87 dB (β 8.6) that is ≈ 110, and the cutoff 0.945
// with 48 zero crossings a side gives 2·48/0.945 ≈ 102 and puts the
// −6 dB point just under the middle of the transition; 44 crossings, or
// the cutoff at 0.95, fell to 51–81 dB at fNyq (measured on the
// prototype). Downsampling by 2.5× or more first halves
// the rate with half-band stages (halfband.go), which cost a tenth of the
// polyphase stage per input sample. It costs about twice the soft design
// per second of audio, which is nothing next to synthesis (24 → 16 kHz:
// ≈ 1 CPU-ms per second of audio).
//
// maxPhases bounds the filter bank for awkward rate pairs (44100→47999
// would need 47999 exact phases); beyond it the fractional delay is rounded
// to 1/maxPhases of a sample, a timing error under 0.00013 samples that
// keeps a full-band sine above 74 dB SNR.
const maxPhases = 4096

type design struct {
	zeroCrossings int
	beta          float64
	rolloff       float64 // cutoff as a fraction of the lower Nyquist frequency
	halfBand      bool    // decimate by 2 in half-band stages first (see halfband.go)
}

var (
	sharp = design{zeroCrossings: 48, beta: 8.6, rolloff: 0.945, halfBand: true}
	soft  = design{zeroCrossings: 16, beta: 8.6, rolloff: 0.92}
)

// Resample converts p to rate Hz with the soft design, the one for
// analysis (see above): flat to about 0.75 of the lower Nyquist frequency.
// Audio delivered to a listener goes through ResampleSharp instead. It
// returns p itself when the rate already matches (callers must not assume
// a copy). The output has round(frames·rate/p.Rate) frames and the same
// channel count; the filter is linear-phase and aligned, so there is no
// delay. Resample panics if either rate is not positive.
func Resample(p *audio.PCM, rate int) *audio.PCM { return resample(p, rate, soft) }

// ResampleSharp is Resample with the sharp design, the one for audio a
// listener hears (the output formats, the built-in voices' 16 → 24 kHz):
// flat to 0.9 of the lower Nyquist frequency and ≥ 87 dB down from it on,
// at about twice the soft design's CPU. Do not use it for analysis:
// profiles, goldens and the watermark's thresholds were measured through
// Resample. SharpResampler converts the same way a piece at a time.
func ResampleSharp(p *audio.PCM, rate int) *audio.PCM { return resample(p, rate, sharp) }

func resample(p *audio.PCM, rate int, d design) *audio.PCM {
	if rate <= 0 || p.Rate <= 0 {
		panic("dsp: Resample with a non-positive rate")
	}
	if p.Rate == rate {
		return p
	}
	r := chainFor(p.Rate, rate, d)
	ch := p.Channels
	in := p.Frames()
	g := gcd(p.Rate, rate)
	up, down := int64(rate/g), int64(p.Rate/g)
	outN := int((int64(in)*up + down/2) / down)
	out := &audio.PCM{Rate: rate, Channels: ch, Samples: make([]float32, outN*ch)}
	if ch == 1 {
		r.run(out.Samples, p.Samples)
		return out
	}
	x := make([]float32, in)
	y := make([]float32, outN)
	for c := 0; c < ch; c++ {
		for i := range x {
			x[i] = p.Samples[i*ch+c]
		}
		r.run(y, x)
		for i, v := range y {
			out.Samples[i*ch+c] = v
		}
	}
	return out
}

// chain is the stages for one rate pair and design: half-band decimators
// by 2, then one polyphase stage to the target rate.
type chain struct {
	halves []*halfBand
	final  *resampler
}

// run fills out from the channel in. Without half-band stages the
// polyphase stage reads in directly; with them it reads their output a
// block at a time (streamBlock), so a long input never has a second,
// half-rate copy: 60 s at 48 kHz would add 5 MB.
func (c *chain) run(out, in []float32) {
	if len(c.halves) == 0 {
		c.final.run(out, in)
		return
	}
	var src source = signal(in)
	n := len(in)
	for _, h := range c.halves {
		n = (n + 1) / 2
		src = &decimated{hb: h, src: src, n: n}
	}
	c.final.stream(out, 0, src)
}

// resampler is a filter bank for one rate pair: phase k holds the taps for
// a fractional input position of k/phases.
type resampler struct {
	up, down int // output/input rate ratio in lowest terms
	phases   int
	taps     int
	coef     []float32 // phases × taps
}

type chainKey struct {
	from, to int
	d        design
}

var (
	cacheMu sync.Mutex
	cache   = map[chainKey]*chain{}
)

// chainFor returns a cached chain; the service converts between the same
// few rates all day, and building a bank costs far more than using it on
// a short clip.
func chainFor(from, to int, d design) *chain {
	key := chainKey{from, to, d}
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if c, ok := cache[key]; ok {
		return c
	}
	if len(cache) >= 32 {
		clear(cache)
	}
	c := newChain(from, to, d)
	cache[key] = c
	return c
}

func newChain(from, to int, d design) *chain {
	c := &chain{}
	for d.halfBand && useHalfBand(from, to) {
		c.halves = append(c.halves, newHalfBand(from, to))
		from /= 2
	}
	c.final = newResampler(from, to, d)
	return c
}

func newResampler(from, to int, d design) *resampler {
	g := gcd(from, to)
	r := &resampler{up: to / g, down: from / g}
	// Cutoff in cycles per input sample.
	fc := 0.5 * d.rolloff * math.Min(1, float64(to)/float64(from))
	half := float64(d.zeroCrossings) / (2 * fc) // kernel half-length in input samples
	r.taps = 2 * int(math.Ceil(half))
	r.phases = min(r.up, maxPhases)
	r.coef = make([]float32, r.phases*r.taps)
	vals := make([]float64, r.taps)
	for k := 0; k < r.phases; k++ {
		frac := float64(k) / float64(r.phases)
		row := r.coef[k*r.taps : (k+1)*r.taps]
		var sum float64
		for j := range row {
			// Tap j multiplies input n-taps/2+1+j for an output at n+frac.
			x := frac + float64(r.taps/2-1-j)
			v := 2 * fc * sinc(2*fc*x) * Kaiser(x/half, d.beta)
			vals[j], sum = v, sum+v
		}
		// Unit DC gain in every phase: phase-dependent gain would modulate
		// the signal at the phase rate and show up as spurious tones.
		for j, v := range vals {
			row[j] = float32(v / sum)
		}
	}
	return r
}

// at is where output j reads: input sample n, phase k.
func (r *resampler) at(j int) (n, k int) {
	up, pos := int64(r.up), int64(j)*int64(r.down)
	n = int(pos / up)
	if r.phases == r.up {
		return n, int(pos % up)
	}
	k = int((pos%up*int64(r.phases) + up/2) / up)
	if k == r.phases {
		k, n = 0, n+1
	}
	return n, k
}

// run fills out from the channel in. Outputs whose taps reach past either
// end of in take zeros there, through a padded copy of just that edge.
func (r *resampler) run(out, in []float32) {
	taps := r.taps
	var edge []float32
	for j := range out {
		n, k := r.at(j)
		start := n - taps/2 + 1
		h := r.coef[k*taps : (k+1)*taps]
		if start >= 0 && start+taps <= len(in) {
			out[j] = dot(in[start:start+taps], h)
			continue
		}
		if edge == nil {
			edge = make([]float32, taps)
		}
		clear(edge)
		for t := range edge {
			if i := start + t; i >= 0 && i < len(in) {
				edge[t] = in[i]
			}
		}
		out[j] = dot(edge, h)
	}
}

// streamBlock is how many outputs stream computes from one window of its
// source; the windows overlap by the filter's length (2–4% of a block).
const streamBlock = 4096

// stream is run over a source, a block of outputs at a time: out[i] is
// output from+i.
func (r *resampler) stream(out []float32, from int, src source) {
	taps := r.taps
	var w []float32
	for b0 := 0; b0 < len(out); b0 += streamBlock {
		b1 := min(b0+streamBlock, len(out))
		first, _ := r.at(from + b0)
		last, _ := r.at(from + b1 - 1)
		base := first - taps/2 + 1
		size := last + taps/2 + 1 - base
		if cap(w) < size {
			w = make([]float32, size)
		}
		w = w[:size]
		src.fill(w, base)
		for i := b0; i < b1; i++ {
			n, k := r.at(from + i)
			start := n - taps/2 + 1 - base
			out[i] = dot(w[start:start+taps], r.coef[k*taps:(k+1)*taps])
		}
	}
}

// source is a signal read in stretches: fill writes its samples base …
// base+len(dst)−1 into dst, zeros where they fall outside it.
type source interface {
	fill(dst []float32, base int)
}

// signal is a source held in memory.
type signal []float32

func (s signal) fill(dst []float32, base int) {
	clear(dst)
	lo, hi := max(base, 0), min(base+len(dst), len(s))
	if lo < hi {
		copy(dst[lo-base:], s[lo:hi])
	}
}

// dot is the resampler's inner loop; four accumulators let the CPU overlap
// the multiply-adds.
func dot(x, h []float32) float32 {
	h = h[:len(x)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i] * h[i]
		s1 += x[i+1] * h[i+1]
		s2 += x[i+2] * h[i+2]
		s3 += x[i+3] * h[i+3]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * h[i]
	}
	return (s0 + s1) + (s2 + s3)
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	return math.Sin(math.Pi*x) / (math.Pi * x)
}

// Kaiser is the Kaiser window at x ∈ [-1, 1] (0 outside).
func Kaiser(x, beta float64) float64 {
	if x < -1 || x > 1 {
		return 0
	}
	return besselI0(beta*math.Sqrt(1-x*x)) / besselI0(beta)
}

// besselI0 is the modified Bessel function of the first kind, order 0, by
// its power series (converges quickly for the β used in windows).
func besselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	for k := 1; k < 64; k++ {
		term *= (x / (2 * float64(k))) * (x / (2 * float64(k)))
		sum += term
		if term < sum*1e-17 {
			break
		}
	}
	return sum
}
