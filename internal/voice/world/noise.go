package world

import "math"

// aperiodic adds filtered noise over the whole signal. White noise is cut
// into independent sine-windowed segments every hop samples (the squared
// windows sum to one, so the noise variance is flat), each segment is
// filtered with the zero-phase amplitude of the aperiodic envelope at its
// centre and overlap-added. Noise phase is random anyway, so a zero-phase
// filter loses nothing against WORLD's per-pulse minimum-phase noise and
// runs at the frame rate instead of the pulse rate.
func (s *synth) aperiodic(y []float64) {
	h := max(1, int(math.Round(s.hop)))
	win := make([]float64, 2*h)
	for i := range win {
		win[i] = math.Sin(math.Pi * (float64(i) + 0.5) / float64(2*h))
	}
	half := s.n / 2
	segments := (len(y)+h-1)/h + 1 // centres 0, h, … while c-h < len(y)
	// Each batch's noise is drawn before it is filtered, in segment order,
	// so that it does not depend on which worker filters which segment.
	var noise []float64
	first := 0
	draw := func(lo, hi int) {
		noise, first = noise[:0], lo
		for range hi - lo {
			for _, w := range win {
				noise = append(noise, w*s.rng.NormFloat64())
			}
		}
	}
	s.renderInOrder(segments, draw, func(w *synthWorker, k int, out []float64) (float64, bool) {
		c := k * h
		w.s.noiseAmplitude(w.amp, c)
		buf := w.fft.buf
		clear(buf)
		copy(buf[half-h:], noise[(k-first)*2*h:(k-first+1)*2*h])
		w.fft.forward()
		for j, a := range w.amp {
			w.fft.spec[j] *= complex(a/float64(s.n), 0)
		}
		w.fft.plan.Sequence(out, w.fft.spec) // inverse, into out
		return 0, true
	}, func(k int, out []float64, _ float64) {
		c := k * h
		for j, v := range out {
			if i := c - half + j; i >= 0 && i < len(y) {
				y[i] += v
			}
		}
	})
}

// noiseAmplitude fills amp with sqrt(env·ap²) (sqrt(env) when unvoiced)
// interpolated at sample c.
func (s *synth) noiseAmplitude(amp []float64, c int) {
	voiced := c < len(s.f0) && s.f0[c] > 0
	u := float64(c) / s.hop
	last := len(s.p.F0) - 1
	a := min(int(u), last)
	b := min(a+1, last)
	w := u - float64(a)
	ea, eb := s.p.Envelope[a], s.p.Envelope[b]
	pa, pb := s.ap[a], s.ap[b]
	for k := range amp {
		e := (1-w)*math.Abs(ea[k]) + w*math.Abs(eb[k])
		if voiced {
			r := (1-w)*safeAp(pa[k]) + w*safeAp(pb[k])
			e *= r * r
		}
		amp[k] = math.Sqrt(e)
	}
}
