package world

import "math"

// dio holds the decimated signal and its filtered spectrum, shared by all
// bands (Morise, Kawahara & Katayose, "Fast and reliable F0 estimation
// method based on the period extraction of vocal fold vibration of singing
// voice and speech", AES 35th, 2009).
type dio struct {
	opt     F0Options
	fs      float64 // decimated rate
	y       []float64
	fft     *realFFT
	plan    *dioPlan
	ySpec   []complex128
	times   []float64
	cands   [][]float64
	scores  [][]float64
	bands   []float64
	scratch []float64
	// Per-band scratch of interpolatedIntervals: the crossings, the
	// intervals, and one contour per kind of crossing (slot).
	edges, loc, val []float64
	sets            [4][]float64
}

func newDIO(x []float64, fs int, o F0Options, c *F0Cache) *dio {
	d := &dio{opt: o, fs: float64(fs) / float64(o.Speed)}
	nb := 1 + int(math.Log2(o.Ceil/o.Floor)*o.ChannelsInOctave)
	d.bands = make([]float64, nb)
	for i := range d.bands {
		d.bands[i] = o.Floor * math.Pow(2, float64(i+1)/o.ChannelsInOctave)
	}
	d.y = decimate(x, o.Speed)
	lowCut := round(d.fs / 50)
	size := len(d.y) + 2*lowCut + 1 + 4*int(1+d.fs/d.bands[0]/2)
	d.plan = c.plan(nextPow2(size))
	d.fft = d.plan.fft
	d.spectrum(lowCut)
	return d
}

// spectrum stores the spectrum of the DC-free, 50 Hz low-cut decimated signal.
func (d *dio) spectrum(lowCut int) {
	f := d.fft
	var mean float64
	for _, v := range d.y {
		mean += v
	}
	mean /= float64(len(d.y))
	clear(f.buf)
	for i, v := range d.y {
		f.buf[i] = v - mean
	}
	f.forward()
	d.ySpec = append([]complex128(nil), f.spec...)
	hp := d.plan.filter(-1-lowCut, func() { highPass(f, lowCut) })
	for i := range d.ySpec {
		d.ySpec[i] *= hp[i]
	}
}

// highPass leaves in f.spec the spectrum of the zero-phase 50 Hz low-cut
// filter: 1 − (normalised Hann lowpass of 2·lowCut+1 taps).
func highPass(f *realFFT, lowCut int) {
	n := 2*lowCut + 1
	clear(f.buf)
	var sum float64
	for i := 1; i <= n; i++ {
		sum += 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n+1))
	}
	for i := 1; i <= n; i++ {
		w := (0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n+1))) / sum
		k := i - 1 - lowCut // centred at 0, wrapped
		if k < 0 {
			k += f.n
		}
		f.buf[k] = -w
	}
	f.buf[0]++
	f.forward()
}

// run returns the post-processed DIO contour for n frames.
func (d *dio) run(n int) []float64 {
	d.times = frameTimes(n, d.opt.FramePeriod)
	d.cands = make([][]float64, len(d.bands))
	d.scores = make([][]float64, len(d.bands))
	for i, b := range d.bands {
		d.cands[i] = make([]float64, n)
		d.scores[i] = make([]float64, n)
		d.bandCandidates(b, d.cands[i], d.scores[i])
	}
	best := make([]float64, n)
	for j := range n {
		bs := math.Inf(1)
		for i := range d.bands {
			if d.scores[i][j] < bs {
				bs, best[j] = d.scores[i][j], d.cands[i][j]
			}
		}
	}
	return fixF0Contour(best, d.cands, d.opt)
}

// bandCandidates low-passes the signal with a Nuttall window matched to
// boundary and turns its four kinds of zero-crossing intervals into an F0
// candidate and a spread-based score per frame.
func (d *dio) bandCandidates(boundary float64, cand, score []float64) {
	s := d.filtered(round(d.fs / boundary / 2))
	var sets [4][]float64
	ok := true
	for k := range 4 {
		switch k {
		case 1:
			for i := range s {
				s[i] = -s[i]
			}
		case 2:
			for i := 0; i < len(s)-1; i++ {
				s[i] -= s[i+1]
			}
			s = s[:len(s)-1]
		case 3:
			for i := range s {
				s[i] = -s[i]
			}
		}
		sets[k] = d.interpolatedIntervals(s, k)
		ok = ok && sets[k] != nil
	}
	for j := range cand {
		cand[j], score[j] = 0, 1e5
		if !ok {
			continue
		}
		a, b, c, e := sets[0][j], sets[1][j], sets[2][j], sets[3][j]
		m := (a + b + c + e) / 4
		sd := math.Sqrt(((a-m)*(a-m) + (b-m)*(b-m) + (c-m)*(c-m) + (e-m)*(e-m)) / 3)
		if m > boundary || m < boundary/2 || m > d.opt.Ceil || m < d.opt.Floor {
			continue
		}
		cand[j], score[j] = m, sd/(m+1e-12)
	}
}

// filtered convolves the signal with a Nuttall window of 4·half samples and
// compensates its delay; the result is valid for len(d.y) samples.
func (d *dio) filtered(half int) []float64 {
	f := d.fft
	w := d.plan.filter(half, func() {
		clear(f.buf)
		nuttall(f.buf[:4*half])
		f.forward()
	})
	for i := range f.spec {
		f.spec[i] = w[i] * d.ySpec[i]
	}
	f.inverse()
	d.scratch = grow(d.scratch, len(d.y))
	s := d.scratch
	copy(s, f.buf[2*half:])
	return s
}

// interpolatedIntervals finds the negative-going zero crossings of s and
// returns the F0 implied by consecutive crossings, interpolated at the
// frame times (held constant beyond the first and last interval), or nil
// when there are too few crossings. The slot selects a reusable buffer.
func (d *dio) interpolatedIntervals(s []float64, slot int) []float64 {
	edges := d.edges[:0]
	for i := 0; i < len(s)-1; i++ {
		if s[i] > 0 && s[i+1] <= 0 {
			e := float64(i+1) - s[i]/(s[i+1]-s[i])
			edges = append(edges, e)
		}
	}
	d.edges = edges
	if len(edges) < 3 {
		return nil
	}
	d.loc, d.val = grow(d.loc, len(edges)-1), grow(d.val, len(edges)-1)
	loc, val := d.loc, d.val
	for i := range loc {
		val[i] = d.fs / (edges[i+1] - edges[i])
		loc[i] = (edges[i] + edges[i+1]) / 2 / d.fs
	}
	d.sets[slot] = grow(d.sets[slot], len(d.times))
	interpSorted(d.sets[slot], d.times, loc, val)
	return d.sets[slot]
}

// grow returns b resized to n, reallocated only when too small; the
// contents are not kept.
func grow(b []float64, n int) []float64 {
	if cap(b) < n {
		return make([]float64, n)
	}
	return b[:n]
}

// interpSorted linearly interpolates (loc, val) at the increasing points t,
// holding the end values outside loc's span.
func interpSorted(dst, t, loc, val []float64) {
	k := 0
	for i, ti := range t {
		for k < len(loc)-1 && loc[k+1] <= ti {
			k++
		}
		switch {
		case ti <= loc[0]:
			dst[i] = val[0]
		case k >= len(loc)-1:
			dst[i] = val[len(val)-1]
		default:
			w := (ti - loc[k]) / (loc[k+1] - loc[k])
			dst[i] = val[k] + w*(val[k+1]-val[k])
		}
	}
}

// nuttall fills w with a Nuttall window (the DIO low-pass kernel).
func nuttall(w []float64) {
	n := float64(len(w) - 1)
	for i := range w {
		t := 2 * math.Pi * float64(i) / n
		w[i] = 0.355768 - 0.487396*math.Cos(t) + 0.144232*math.Cos(2*t) - 0.012604*math.Cos(3*t)
	}
}

// decimate low-passes x with a short Blackman-windowed sinc and keeps every
// r-th sample, returning 1+len(x)/r samples (zero beyond the input).
// DIO only looks below 500 Hz, so a loose transition band is enough.
func decimate(x []float64, r int) []float64 {
	y := make([]float64, 1+len(x)/r)
	if r == 1 {
		copy(y, x)
		return y
	}
	half := 4 * r
	h := make([]float64, 2*half+1)
	fc := 0.4 / float64(r)
	var sum float64
	for k := range h {
		t := float64(k - half)
		sinc := 1.0
		if t != 0 {
			sinc = math.Sin(2*math.Pi*fc*t) / (2 * math.Pi * fc * t)
		}
		a := 2 * math.Pi * float64(k) / float64(len(h)-1)
		h[k] = sinc * (0.42 - 0.5*math.Cos(a) + 0.08*math.Cos(2*a))
		sum += h[k]
	}
	for i := range y {
		c := i * r
		if c >= len(x) {
			break
		}
		var acc float64
		for k, hk := range h {
			j := c + k - half
			if j >= 0 && j < len(x) {
				acc += hk * x[j]
			}
		}
		y[i] = acc / sum
	}
	return y
}
