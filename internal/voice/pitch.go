package voice

import "math"

// Pitch level is measured on the clearly periodic frames only. The vocoder's
// tracker keeps every frame with a repeating low band, including creaky
// phrase ends, onsets and weak transitions, which sit 0.5–2 semitones below
// the rest; listeners (and YIN-style trackers) take the pitch of a voice
// from its strongly periodic stretches. Both sides of the F0 map, the
// speaker at enrolment and the base voice at synthesis, use this same set,
// so the map moves the pitch a listener hears.
const (
	// periodicWindow is the span (ms) over which a frame must repeat at its
	// period: two periods of the lowest F0 the tracker searches (60 Hz).
	periodicWindow = 40.0
	// maxAperiodic is the largest share of a frame's power that may differ
	// from one period to the next: YIN's customary absolute threshold, 0.15.
	maxAperiodic = 0.15
	// minPeriodicFrames is the least periodic frames a set needs for its own
	// statistics; with fewer, all voiced frames are used.
	minPeriodicFrames = 20
)

// periodicFrames reports which voiced frames of x (f0 in Hz every periodMS)
// are clearly periodic: over periodicWindow around the frame centre, the
// difference between the signal and itself one period later holds at most
// maxAperiodic of their power, (Σ(a−b)²)/(Σa²+Σb²) ≤ maxAperiodic, which is
// YIN's difference function normalised by energy.
func periodicFrames(x, f0 []float64, fs int, periodMS float64) []bool {
	out := make([]bool, len(f0))
	half := int(periodicWindow * float64(fs) / 2000)
	for i, f := range f0 {
		if f <= 0 {
			continue
		}
		lag := float64(fs) / f
		c := int(float64(i) * periodMS * float64(fs) / 1000)
		lo := c - half - int(lag/2)
		hi := c + half - int(lag/2)
		if lo < 0 || hi+int(lag)+1 >= len(x) {
			continue
		}
		out[i] = aperiodicShare(x, lo, hi, lag) <= maxAperiodic
	}
	return out
}

// aperiodicShare is Σ(a−b)²/(Σa²+Σb²) with a = x[n], b = x(n+lag)
// (linearly interpolated) for n in [lo, hi).
func aperiodicShare(x []float64, lo, hi int, lag float64) float64 {
	k := int(lag)
	w := lag - float64(k)
	var d, e float64
	for n := lo; n < hi; n++ {
		a := x[n]
		b := x[n+k] + w*(x[n+k+1]-x[n+k])
		d += (a - b) * (a - b)
		e += a*a + b*b
	}
	if e == 0 {
		return 1
	}
	return d / e
}

// periodicLogF0 returns log F0 of the frames marked periodic, or of all
// voiced frames when fewer than minPeriodicFrames are.
func periodicLogF0(f0 []float64, periodic []bool) []float64 {
	var strong, all []float64
	for i, f := range f0 {
		if f <= 0 {
			continue
		}
		all = append(all, math.Log(f))
		if periodic[i] {
			strong = append(strong, math.Log(f))
		}
	}
	if len(strong) < minPeriodicFrames {
		return all
	}
	return strong
}
