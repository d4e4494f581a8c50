package world

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/voxclone/voxclone/internal/fftpack"
)

// SynthesisOptions tune Synthesize. The zero value means defaults.
type SynthesisOptions struct {
	// Seed fixes the noise source; the same Params and Seed always give
	// the same samples.
	Seed uint64
}

// Synthesize renders p as p.OutputSamples() samples at p.Rate. Voiced
// samples get one minimum-phase pulse per period shaped by the periodic part
// of the envelope, env·(1−ap²); the aperiodic part, env·ap² (all of env
// when unvoiced), drives white noise through short-time filtering on a
// 50%-overlapped sine-window grid. A nil Aperiodicity means the default
// voicing template. The output is not clipped.
func Synthesize(p *Params, opt SynthesisOptions) ([]float64, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	y := make([]float64, p.OutputSamples())
	if len(p.F0) == 0 || len(y) == 0 {
		return y, nil
	}
	ap := p.Aperiodicity
	if ap == nil {
		ap = templateAperiodicity(p.Rate, p.F0, p.FFTSize, nil)
	}
	s := newSynth(p, ap, opt.Seed)
	s.voicing(len(y))
	s.periodic(y)
	s.aperiodic(y)
	for _, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: synthesis produced non-finite samples (envelope out of range?)", ErrNotFinite)
		}
	}
	return y, nil
}

// synth holds what every part of one synthesis reads; the transforms
// and caches of each goroutine rendering pulses or noise are a
// synthWorker's.
type synth struct {
	p     *Params
	ap    [][]float64
	fs    float64
	hop   float64 // frame period in samples
	n     int     // FFT size
	rng   *rand.Rand
	f0    []float64 // per-sample F0, 0 where unvoiced
	dcRem []float64 // unit-sum Hann, circular around index 0
	// workers render pulses and noise (renderInOrder).
	workers []*synthWorker
}

func newSynth(p *Params, ap [][]float64, seed uint64) *synth {
	n := p.FFTSize
	s := &synth{
		p: p, ap: ap, fs: float64(p.Rate), n: n,
		hop: p.FramePeriod / 1000 * float64(p.Rate),
		rng: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)),
	}
	s.dcRem = make([]float64, n)
	var sum float64
	for i := range n {
		w := 0.5 - 0.5*math.Cos(2*math.Pi*float64(i+1)/float64(n+1))
		s.dcRem[(i+n/2)%n] = w
		sum += w
	}
	for i := range s.dcRem {
		s.dcRem[i] /= sum
	}
	return s
}

// synthWorker is one goroutine's FFT, DCT and cepstrum cache.
type synthWorker struct {
	s      *synth
	fft    *realFFT
	dct    *fftpack.DCT
	cepIdx [2]int
	cep    [2][]float64
	amp    []float64
}

func (s *synth) newWorker() *synthWorker {
	h := s.n/2 + 1
	return &synthWorker{s: s, fft: newRealFFT(s.n), dct: fftpack.NewDCT(h), cepIdx: [2]int{-1, -1},
		cep: [2][]float64{make([]float64, h), make([]float64, h)}, amp: make([]float64, h)}
}

// voicing interpolates F0 to the sample rate. A sample is voiced when the
// linear interpolation of the frames' voiced flags exceeds one half.
func (s *synth) voicing(length int) {
	f0 := s.p.F0
	last := len(f0) - 1
	// Below one bin the pulse responses would overlap into a drone; above
	// a quarter of the rate there are too few harmonics to be a voice.
	lo, hi := s.fs/float64(s.n)+1, s.fs/4
	s.f0 = make([]float64, length)
	for i := range s.f0 {
		u := float64(i) / s.hop
		a := min(int(u), last)
		b := min(a+1, last)
		w := u - float64(a)
		if a == b {
			w = 0
		}
		va, vb := b2f(f0[a] > 0), b2f(f0[b] > 0)
		if (1-w)*va+w*vb <= 0.5 {
			continue
		}
		var f float64
		switch {
		case f0[a] > 0 && f0[b] > 0:
			f = (1-w)*f0[a] + w*f0[b]
		case f0[a] > 0:
			f = f0[a]
		default:
			f = f0[b]
		}
		if f >= lo {
			s.f0[i] = math.Min(f, hi)
		}
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// pulseAt is one glottal pulse: at sample i+frac, at F0 f.
type pulseAt struct {
	i       int
	frac, f float64
}

// periodic adds one pulse response per glottal period: pulses fall where
// the running phase of the F0 contour wraps, with sub-sample timing.
func (s *synth) periodic(y []float64) {
	pulses := s.pulseTimes(len(y))
	s.renderInOrder(len(pulses), nil, func(w *synthWorker, k int, out []float64) (float64, bool) {
		pl := pulses[k]
		return w.pulse(out, pl.i, pl.frac, pl.f)
	}, func(k int, out []float64, dc float64) {
		s.overlapAdd(y, pulses[k].i, out, dc)
	})
}

// pulseTimes finds the pulses of a signal of n samples.
func (s *synth) pulseTimes(n int) []pulseAt {
	var pulses []pulseAt
	phase := 0.0
	for i := 0; i < n-1; i++ {
		f := s.f0[i]
		if f <= 0 {
			phase = 0.999 // the next voiced sample starts a period
			continue
		}
		next := phase + f/s.fs
		if next < 1 {
			phase = next
			continue
		}
		frac := (1 - phase) / (next - phase) // crossing between i and i+1
		phase = next - 1
		pulses = append(pulses, pulseAt{i, frac, f})
	}
	return pulses
}

// pulse writes to out the minimum-phase response for the envelope at
// sample i+frac, and returns its sum; false when the frame has nothing
// periodic to add.
func (w *synthWorker) pulse(out []float64, i int, frac, f0 float64) (float64, bool) {
	s := w.s
	u := (float64(i) + frac) / s.hop
	last := len(s.p.F0) - 1
	a := min(int(u), last)
	b := min(a+1, last)
	wt := u - float64(a)
	if s.p.F0[b] <= 0 || a == b {
		wt = 0
	} else if s.p.F0[a] <= 0 {
		wt = 1
	}
	if s.ap[a][0] > 0.999 && (wt == 0 || s.ap[b][0] > 0.999) {
		return 0, false // all noise (D4C rejected the frame): nothing periodic to add
	}
	ca, cb := w.cepstrum(a), w.cepstrum(b)
	buf := w.fft.buf
	clear(buf)
	for k := range ca {
		buf[k] = (1-wt)*ca[k] + wt*cb[k]
	}
	w.fft.forward()
	gain := math.Sqrt(s.fs/f0) / float64(s.n)
	step := -2 * math.Pi * frac / float64(s.n)
	for k, c := range w.fft.spec {
		sn, cs := math.Sincos(imag(c) + step*float64(k))
		m := math.Exp(real(c)) * gain
		w.fft.spec[k] = complex(m*cs, m*sn)
	}
	w.fft.plan.Sequence(out, w.fft.spec) // inverse, into out
	var dc float64
	for _, v := range out {
		dc += v
	}
	return dc, true
}

// overlapAdd adds the circular response buf (time 0 at index 0) at y[i],
// minus dc spread by the Hann DC remover.
func (s *synth) overlapAdd(y []float64, i int, buf []float64, dc float64) {
	h := s.n / 2
	for j, v := range buf {
		t := j
		if j >= h {
			t = j - s.n
		}
		if k := i + t; k >= 0 && k < len(y) {
			y[k] += v - dc*s.dcRem[j]
		}
	}
}

// cepstrum returns the folded (minimum-phase) cepstrum of the periodic
// amplitude spectrum of frame k, caching the last two frames used.
func (w *synthWorker) cepstrum(k int) []float64 {
	s := w.s
	for j := range 2 {
		if w.cepIdx[j] == k {
			return w.cep[j]
		}
	}
	slot := 0
	if w.cepIdx[0] >= 0 && (w.cepIdx[1] < 0 || w.cepIdx[1] < w.cepIdx[0]) {
		slot = 1
	}
	c := w.cep[slot]
	env, ap := s.p.Envelope[k], s.ap[k]
	for j := range c {
		a := safeAp(ap[j])
		c[j] = 0.5 * math.Log(math.Max(env[j]*(1-a*a), 1e-30))
	}
	w.dct.Transform(c, c)
	last := len(c) - 1
	c[0] /= float64(s.n)
	for j := 1; j < last; j++ {
		c[j] *= 2 / float64(s.n)
	}
	c[last] /= float64(s.n)
	w.cepIdx[slot] = k
	return c
}

func safeAp(a float64) float64 {
	switch {
	case math.IsNaN(a) || a < 0.001:
		return 0.001
	case a > 0.999999:
		return 0.999999
	}
	return a
}
