package eval

import (
	"math"

	"github.com/voxclone/voxclone/internal/voice"
)

// The pool swap ("pool") takes both halves of what the phone means are
// made of: the labels that group the frames and the frames' spectra. The
// two pieces below take one half each. The profile keeps no frame times,
// and the damaged and clean references keep different frames (their
// speech detection and labelling budgets differ), so the clean frames
// are matched to the damaged ones by dynamic time warping over the
// mel-cepstra. "labels+frames" together should then come close to
// "pool": how close says how well the frames were matched.

// relabelPool gives each frame of bad the phone and voicing of its
// matching clean frame (the phone means group frames by both); its
// spectra stay the damaged ones.
func relabelPool(b, c *voice.Profile) { relabel(b, c, true) }

// rephonePool gives each frame of bad its matching clean frame's phone
// alone: the damaged references' voicing (their pitch tracking) stays.
func rephonePool(b, c *voice.Profile) { relabel(b, c, false) }

func relabel(b, c *voice.Profile, voicing bool) {
	if b.Pool == nil || c.Pool == nil {
		return
	}
	p, match := b.Pool, matchFrames(b.Pool, c.Pool)
	p.Phones = append([]string(nil), c.Pool.Phones...)
	for j, i := range match {
		p.Phone[j] = c.Pool.Phone[i]
		if voicing {
			p.LogF0[j] = c.Pool.LogF0[i]
		}
	}
}

// reframePool gives each frame of bad the mel-cepstrum of its matching
// clean frame; its labels stay the damaged ones.
func reframePool(b, c *voice.Profile) {
	if b.Pool == nil || c.Pool == nil {
		return
	}
	p, match := b.Pool, matchFrames(b.Pool, c.Pool)
	for j, i := range match {
		copy(p.Frame(j), c.Pool.Frame(i))
	}
}

// matchFrames returns, for each frame of bad, the clean frame on the
// cheapest monotonic path from first frames to last frames (Euclidean
// mel-cepstral distance, unit steps); where several clean frames share
// a damaged one, the nearest of them.
func matchFrames(bad, clean *voice.Pool) []int {
	n, m := bad.Len(), clean.Len()
	dist := func(j, i int) float64 {
		var s float64
		a, b := bad.Frame(j), clean.Frame(i)
		for k := range a {
			d := float64(a[k] - b[k])
			s += d * d
		}
		return math.Sqrt(s)
	}
	// acc[j*m+i]: cheapest path cost to (j, i).
	acc := make([]float32, n*m)
	for j := range n {
		for i := range m {
			best := math.Inf(1)
			if j > 0 {
				best = float64(acc[(j-1)*m+i])
			}
			if i > 0 {
				best = min(best, float64(acc[j*m+i-1]))
			}
			if j > 0 && i > 0 {
				best = min(best, float64(acc[(j-1)*m+i-1]))
			}
			if j == 0 && i == 0 {
				best = 0
			}
			acc[j*m+i] = float32(best + dist(j, i))
		}
	}
	match := make([]int, n)
	for j := range match {
		match[j] = -1
	}
	j, i := n-1, m-1
	for {
		if match[j] < 0 || dist(j, i) < dist(j, match[j]) {
			match[j] = i
		}
		if j == 0 && i == 0 {
			break
		}
		switch {
		case j == 0:
			i--
		case i == 0:
			j--
		default:
			d, l, u := acc[(j-1)*m+i-1], acc[j*m+i-1], acc[(j-1)*m+i]
			switch {
			case d <= l && d <= u:
				j, i = j-1, i-1
			case l <= u:
				i--
			default:
				j--
			}
		}
	}
	return match
}
