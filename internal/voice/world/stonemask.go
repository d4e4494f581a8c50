package world

import "math"

// stoneMask refines each voiced F0 in place from the instantaneous
// frequencies of its first harmonics, measured on a Blackman window of
// three periods and its time derivative (WORLD's StoneMask).
func stoneMask(x []float64, fs int, framePeriod float64, f0 []float64) {
	ForSpans(len(f0), func(lo, hi int) {
		s := &stoneMasker{x: x, fs: float64(fs), ffts: fftCache{}}
		for i := lo; i < hi; i++ {
			if f := f0[i]; f > 0 {
				f0[i] = s.refine(float64(i)*framePeriod/1000, f)
			}
		}
	})
}

type stoneMasker struct {
	x          []float64
	fs         float64
	ffts       fftCache
	win, dwin  []float64
	main, diff []complex128
}

func (s *stoneMasker) refine(t, f0 float64) float64 {
	if f0 <= 40 || f0 > s.fs/12 {
		return 0
	}
	half := int(1.5*s.fs/f0 + 1)
	n := 2*half + 1
	size := 1 << (2 + int(math.Log2(float64(n))))
	f := s.ffts.get(size)
	s.windows(n, t, half)
	origin := round(t * s.fs)
	spectra := func(w []float64, dst []complex128) []complex128 {
		clear(f.buf)
		for i := range n {
			j := clampInt(origin-half+i-1, 0, len(s.x)-1)
			f.buf[i] = s.x[j] * w[i]
		}
		f.forward()
		return append(dst[:0], f.spec...)
	}
	s.main = spectra(s.win, s.main)
	s.diff = spectra(s.dwin, s.diff)
	est := s.fix(f0, size, 2)
	if est <= 0 || est > 2*f0 {
		return f0 // keep DIO's estimate when refinement diverges
	}
	est = s.fix(est, size, 6)
	if math.Abs(est-f0) > 0.2*f0 {
		return f0
	}
	return est
}

// windows builds the Blackman window centred on t and its derivative.
func (s *stoneMasker) windows(n int, t float64, half int) {
	if cap(s.win) < n {
		s.win, s.dwin = make([]float64, n), make([]float64, n)
	}
	s.win, s.dwin = s.win[:n], s.dwin[:n]
	origin := round(t * s.fs)
	length := float64(n) / s.fs
	// Window position relative to t: (origin−half+i−1)/fs − t.
	p0 := (float64(origin-half-1)/s.fs - t) / length * 2 * math.Pi
	step := 1 / s.fs / length * 2 * math.Pi
	cosTable(s.win, p0, step)
	cosTable(s.dwin, 2*p0, 2*step)
	for i := range n {
		s.win[i] = 0.42 + 0.5*s.win[i] + 0.08*s.dwin[i]
	}
	s.dwin[0] = -s.win[1] / 2
	for i := 1; i < n-1; i++ {
		s.dwin[i] = -(s.win[i+1] - s.win[i-1]) / 2
	}
	s.dwin[n-1] = s.win[n-2] / 2
}

// fix is the amplitude-weighted mean of the first k harmonics' instantaneous
// frequencies, each divided by its harmonic number.
func (s *stoneMasker) fix(f0 float64, size, k int) float64 {
	var num, den float64
	for h := 1; h <= k; h++ {
		idx := min(round(f0*float64(size)/s.fs*float64(h)), size/2)
		m, d := s.main[idx], s.diff[idx]
		p := real(m)*real(m) + imag(m)*imag(m)
		inst := 0.0
		if p != 0 {
			ni := real(m)*imag(d) - imag(m)*real(d)
			inst = float64(idx)*s.fs/float64(size) + ni/p*s.fs/(2*math.Pi)
		}
		a := math.Sqrt(p)
		num += a * inst
		den += a * float64(h)
	}
	return num / (den + 1e-12)
}
