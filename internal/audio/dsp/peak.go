package dsp

import "math"

// PeakAbs returns the largest absolute value in x. It compares the float
// bits with the sign cleared, which is exact for finite values and several
// times faster than math.Abs with max, and it runs on every upload.
// NaN counts as larger than any number; decoders never produce it.
func PeakAbs(x []float32) float32 {
	var m0, m1, m2, m3 uint32
	i := 0
	for ; i+4 <= len(x); i += 4 {
		m0 = max(m0, math.Float32bits(x[i])&0x7FFFFFFF)
		m1 = max(m1, math.Float32bits(x[i+1])&0x7FFFFFFF)
		m2 = max(m2, math.Float32bits(x[i+2])&0x7FFFFFFF)
		m3 = max(m3, math.Float32bits(x[i+3])&0x7FFFFFFF)
	}
	for ; i < len(x); i++ {
		m0 = max(m0, math.Float32bits(x[i])&0x7FFFFFFF)
	}
	return math.Float32frombits(max(m0, m1, m2, m3))
}
