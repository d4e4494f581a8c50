package watermark

import "math"

// matchMargin is how far, in standard deviations, the best candidate must
// stand above both what the best of that many unmarked guesses would reach
// and the runner-up.
const matchMargin = 2.5

// Match finds which of the candidate payloads r's mark carries, when its
// bits are too noisy to read alone (the CRC fails) but a short list of
// possible payloads is known: each candidate is scored by correlating all
// 40 of its bit signs at once, which needs far less signal than reading
// them one by one. It returns the index of the match, or -1.
func (r Result) Match(candidates []Payload) int {
	if !r.Watermarked || len(r.Soft) != dataBits || len(candidates) == 0 {
		return -1
	}
	best, second, at := math.Inf(-1), math.Inf(-1), -1
	for i, c := range candidates {
		bits := c.bits()
		var s float64
		for b, v := range r.Soft {
			s += v * bits[b]
		}
		s /= math.Sqrt(dataBits)
		switch {
		case s > best:
			best, second, at = s, best, i
		case s > second:
			second = s
		}
	}
	// The best of n standard normal scores stays under √(2 ln n) but for
	// rare draws.
	bound := math.Sqrt(2 * math.Log(float64(max(len(candidates), 2))))
	if best < bound+matchMargin || best-second < matchMargin {
		return -1
	}
	return at
}
