package dsp

import "math"

// Half-band decimation: a filter whose response is symmetric about a
// quarter of the sample rate has every even tap but the centre (½) at
// zero, so halving the rate costs one multiply per side tap pair per
// output sample. The sharp design (ResampleSharp, SharpResampler) runs one
// before its polyphase stage whenever the rate falls by 2.5× or more (24 kHz
// to 8 kHz, 48 kHz to 16 kHz):
// the polyphase stage's taps per output grow with the ratio, and after
// halving they are half as many.
const (
	// halfBandMinWidth is the narrowest transition, as a fraction of the
	// stage's input Nyquist frequency, for which a half-band stage is
	// used: below it (ratios under 2.5) the stage grows long and saves
	// little.
	halfBandMinWidth = 0.2
	// halfBandAtten is the stopband the stages are designed for, in dB,
	// with Kaiser's β for it; the polyphase stage reaches ≈ 87.
	halfBandAtten = 90.0
)

// halfBand is a decimator by 2: out[j] = ½·in[2j] + Σ h[k]·(in[2j−o] +
// in[2j+o]) with o = 2k+1.
type halfBand struct {
	h []float32
}

// useHalfBand reports whether from → to should first halve the rate: from
// is even and the transition a half-band stage has to make (it must pass
// up to to/2 and reject from from/2 − to/2 on, everything that would fold
// onto the final band) is at least halfBandMinWidth wide.
func useHalfBand(from, to int) bool {
	return from%2 == 0 && halfBandWidth(from, to) >= halfBandMinWidth
}

func halfBandWidth(from, to int) float64 { return 1 - 2*float64(to)/float64(from) }

// newHalfBand designs the stage for from → to by Kaiser's estimate: N =
// (A − 7.95)/(2.285·π·Δ) taps for attenuation A and transition Δ (as a
// fraction of the Nyquist frequency).
func newHalfBand(from, to int) *halfBand {
	beta := 0.1102 * (halfBandAtten - 8.7)
	n := (halfBandAtten - 7.95) / (2.285 * math.Pi * halfBandWidth(from, to))
	sides := int(math.Ceil((n/2 + 1) / 2)) // odd offsets 1, 3, …, 2·sides−1
	half := float64(2 * sides)             // the window reaches zero one sample past the last tap
	vals := make([]float64, sides)
	var sum float64
	for k := range vals {
		o := float64(2*k + 1)
		vals[k] = 0.5 * sinc(o/2) * Kaiser(o/half, beta)
		sum += 2 * vals[k]
	}
	// Unit DC gain, the centre kept at exactly ½ so the response stays
	// symmetric about the quarter rate.
	hb := &halfBand{h: make([]float32, sides)}
	for k, v := range vals {
		hb.h[k] = float32(v * 0.5 / sum)
	}
	return hb
}

// decimated is a source's half-band decimation: n samples, sample i read
// at the source's 2i.
type decimated struct {
	hb  *halfBand
	src source
	n   int
	buf []float32
}

func (d *decimated) fill(dst []float32, base int) {
	reach := 2*len(d.hb.h) - 1
	size := 2*(len(dst)-1) + 2*reach + 1
	if cap(d.buf) < size {
		d.buf = make([]float32, size)
	}
	in := d.buf[:size]
	d.src.fill(in, 2*base-reach)
	for t := range dst {
		if i := base + t; i < 0 || i >= d.n {
			dst[t] = 0
			continue
		}
		dst[t] = d.hb.at(in[2*t : 2*t+2*reach+1])
	}
}

// at filters a window of 2·reach+1 samples centred on its middle one.
func (hb *halfBand) at(w []float32) float32 {
	m := len(w) / 2
	lo, hi := w[:m], w[m+1:]
	hi = hi[:len(lo)]
	var s0, s1 float32
	k := 0
	for ; k+2 <= len(hb.h); k += 2 {
		o := 2*k + 1
		s0 += hb.h[k] * (lo[m-o] + hi[o-1])
		s1 += hb.h[k+1] * (lo[m-o-2] + hi[o+1])
	}
	for ; k < len(hb.h); k++ {
		o := 2*k + 1
		s0 += hb.h[k] * (lo[m-o] + hi[o-1])
	}
	return 0.5*w[m] + (s0 + s1)
}
