package world

// F0Cache keeps what DIO can reuse between F0 calls: the FFT plan for each
// transform size and the spectra of its filters (the 50 Hz low-cut and
// one Nuttall low-pass per band), which depend only on the size, the
// decimated rate and the options, not on the signal. Analysing a long
// recording in chunks of equal length then builds them once instead of
// once per chunk. The results are the same bit for bit as without it.
//
// An F0Cache is not safe for concurrent use; give each goroutine its own.
// The zero value is ready to use. It holds at most f0CachePlans sizes
// (16 bytes per frequency bin per filter: the 7 default bands and the
// low-cut filter take ≈ 8 MB for 20 s decimated to 4 kHz, 17 MB to 8 kHz).
type F0Cache struct {
	plans map[int]*dioPlan
	order []int // transform sizes, oldest first
}

// f0CachePlans bounds the transform sizes an F0Cache keeps.
const f0CachePlans = 3

// dioPlan is one transform size's FFT plan and filter spectra, keyed by
// the filter's length parameter (the Nuttall window's half length; the
// low-cut filter's as −1−lowCut), which with the size determines it.
type dioPlan struct {
	fft     *realFFT
	filters map[int][]complex128 // nil: keep none
}

// F0 is F0 with c's plans and filters (c may be nil).
func (c *F0Cache) F0(x []float64, fs int, opt F0Options) ([]float64, error) {
	return f0(x, fs, opt, c)
}

// plan returns the plan for an n-point transform, building it when
// missing. A nil cache builds a fresh one that keeps no filters.
func (c *F0Cache) plan(n int) *dioPlan {
	if c == nil {
		return &dioPlan{fft: newRealFFT(n)}
	}
	if p, ok := c.plans[n]; ok {
		return p
	}
	if c.plans == nil {
		c.plans = map[int]*dioPlan{}
	}
	if len(c.order) >= f0CachePlans {
		delete(c.plans, c.order[0])
		c.order = c.order[1:]
	}
	p := &dioPlan{fft: newRealFFT(n), filters: map[int][]complex128{}}
	c.plans[n] = p
	c.order = append(c.order, n)
	return p
}

// filter returns the spectrum stored under key, or runs build, which must
// leave it in p.fft.spec, and keeps a copy (without a cache it returns
// p.fft.spec itself).
func (p *dioPlan) filter(key int, build func()) []complex128 {
	if s, ok := p.filters[key]; ok {
		return s
	}
	build()
	if p.filters == nil {
		return p.fft.spec
	}
	s := append([]complex128(nil), p.fft.spec...)
	p.filters[key] = s
	return s
}
