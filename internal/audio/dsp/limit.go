package dsp

import (
	"math"

	"github.com/voxclone/voxclone/internal/audio"
)

// Limiter timing: the gain reaches its floor 2 ms before a peak and climbs
// back over about 60 ms, short enough to be inaudible on speech and long
// enough not to distort low voices.
const (
	limitAttack  = 0.002
	limitRelease = 0.060
)

// Limit brings every sample of p to at most ceiling (linear, e.g. 0.89 for
// −1 dBFS) in place, with a look-ahead gain envelope shared by all channels
// so the stereo image does not move. Audio already under the ceiling is
// untouched. It reports whether any gain reduction happened.
func Limit(p *audio.PCM, ceiling float32) bool {
	ch, n := p.Channels, p.Frames()
	if PeakAbs(p.Samples) <= ceiling {
		return false
	}
	need := make([]float32, n) // the gain each frame needs on its own
	for i := range need {
		m := PeakAbs(p.Samples[i*ch : (i+1)*ch])
		need[i] = min(1, ceiling/m)
	}
	look := max(1, int(limitAttack*float64(p.Rate)))
	g := movingMin(need, look)
	g = movingMean(g, look/2)
	rel := float32(1 - math.Exp(-1/(limitRelease*float64(p.Rate))))
	prev := float32(1)
	for i := 0; i < n; i++ {
		// Rise slowly, fall at once; the min keeps the guarantee g ≤ need.
		up := prev + (1-prev)*rel
		if up > 0.9995 {
			up = 1 // within 0.005 dB: leave the samples exactly as they were
		}
		prev = min(g[i], up, need[i])
		for c := 0; c < ch; c++ {
			p.Samples[i*ch+c] *= prev
		}
	}
	return true
}

// movingMin returns, for each i, the minimum of x over [i-r+1, i+r-1],
// with a monotonic deque in O(n).
func movingMin(x []float32, r int) []float32 {
	n := len(x)
	out := make([]float32, n)
	dq := make([]int, 0, 2*r)
	next := 0
	for i := 0; i < n; i++ {
		for ; next < n && next <= i+r-1; next++ {
			for len(dq) > 0 && x[dq[len(dq)-1]] >= x[next] {
				dq = dq[:len(dq)-1]
			}
			dq = append(dq, next)
		}
		for dq[0] < i-r+1 {
			dq = dq[1:]
		}
		out[i] = x[dq[0]]
	}
	return out
}

// movingMean returns the centred mean of x over [i-r, i+r], clamped at the
// ends. Every window it averages lies inside the movingMin window of the
// centre sample, so the result stays at or below the original minimum there.
func movingMean(x []float32, r int) []float32 {
	n := len(x)
	if r <= 0 {
		return x
	}
	pre := make([]float64, n+1)
	for i, v := range x {
		pre[i+1] = pre[i] + float64(v)
	}
	out := make([]float32, n)
	for i := range out {
		lo, hi := max(0, i-r), min(n, i+r+1)
		out[i] = float32((pre[hi] - pre[lo]) / float64(hi-lo))
	}
	return out
}
