package dsp

import "math"

// Biquad is a second-order IIR section in transposed direct form II, with
// its own state so a signal can be filtered block by block. The zero value
// passes nothing; build one with HighPass, LowPass or NewBiquad.
type Biquad struct {
	b0, b1, b2, a1, a2 float64
	z1, z2             float64
}

// NewBiquad returns a section with the given coefficients, normalised so
// that a0 = 1.
func NewBiquad(b0, b1, b2, a0, a1, a2 float64) *Biquad {
	return &Biquad{b0: b0 / a0, b1: b1 / a0, b2: b2 / a0, a1: a1 / a0, a2: a2 / a0}
}

// HighPass is a 2nd-order high-pass at fc Hz (RBJ cookbook; q = 1/√2 gives
// Butterworth).
func HighPass(fc, rate, q float64) *Biquad {
	w := 2 * math.Pi * fc / rate
	cw, alpha := math.Cos(w), math.Sin(w)/(2*q)
	return NewBiquad((1+cw)/2, -(1 + cw), (1+cw)/2, 1+alpha, -2*cw, 1-alpha)
}

// LowPass is a 2nd-order low-pass at fc Hz (RBJ cookbook).
func LowPass(fc, rate, q float64) *Biquad {
	w := 2 * math.Pi * fc / rate
	cw, alpha := math.Cos(w), math.Sin(w)/(2*q)
	return NewBiquad((1-cw)/2, 1-cw, (1-cw)/2, 1+alpha, -2*cw, 1-alpha)
}

// Reset clears the filter state.
func (f *Biquad) Reset() { f.z1, f.z2 = 0, 0 }

// Process filters x in place.
func (f *Biquad) Process(x []float32) {
	b0, b1, b2, a1, a2 := f.b0, f.b1, f.b2, f.a1, f.a2
	z1, z2 := f.z1, f.z2
	for i, v := range x {
		in := float64(v)
		out := b0*in + z1
		z1 = b1*in - a1*out + z2
		z2 = b2*in - a2*out
		x[i] = float32(out)
	}
	// Denormals would slow every later block to a crawl after silence.
	if math.Abs(z1) < 1e-30 {
		z1 = 0
	}
	if math.Abs(z2) < 1e-30 {
		z2 = 0
	}
	f.z1, f.z2 = z1, z2
}

// Response returns the filter's magnitude response at f Hz.
func (f *Biquad) Response(freq, rate float64) float64 {
	w := 2 * math.Pi * freq / rate
	z1 := complex(math.Cos(-w), math.Sin(-w))
	z2 := z1 * z1
	num := complex(f.b0, 0) + complex(f.b1, 0)*z1 + complex(f.b2, 0)*z2
	den := 1 + complex(f.a1, 0)*z1 + complex(f.a2, 0)*z2
	return cmplxAbs(num / den)
}

func cmplxAbs(c complex128) float64 { return math.Hypot(real(c), imag(c)) }
