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
	amp := make([]float64, s.n/2+1)
	half := s.n / 2
	for c := 0; c-h < len(y); c += h {
		s.noiseAmplitude(amp, c)
		buf := s.fft.buf
		clear(buf)
		for i, w := range win {
			buf[half-h+i] = w * s.rng.NormFloat64()
		}
		s.fft.forward()
		for k, a := range amp {
			s.fft.spec[k] *= complex(a/float64(s.n), 0)
		}
		s.fft.inverse()
		for j, v := range buf {
			if k := c - half + j; k >= 0 && k < len(y) {
				y[k] += v
			}
		}
	}
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
