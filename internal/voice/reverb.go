package voice

import (
	"math"
	"sort"
)

// Late-reverberation suppression at enrolment. A reference recorded in a
// room carries the room's decay into every frame after a loud one: the
// mean spectra blur toward the previous sounds, pauses fill with tails,
// and the profile describes the room as much as the speaker. When a
// reference set reads clearly reverberant, each frame's power envelope
// loses the late reverberation predicted from the frame lateLag earlier
// (Lebart, Boucher & Denbigh 2001, from Polack's exponential model):
//
//	late(t) = e^{−2δ·lateLag}·|X(t − lateLag)|²,  δ = 3·ln10 / RT60.
//
// The reverberation time is estimated blind from the references
// themselves: a room cannot make speech fall faster than its own decay,
// while speech often fades more slowly by itself, so the steepest of the
// free decays after speech offsets read the room (the free-decay regions
// of Löllmann et al. 2010, with a low percentile in place of their
// maximum-likelihood fit). Dry references read 0.14–0.28 s this way (the
// decays of the articulators and the 20 ms window), the synthetic room of
// RT60 0.5 s 0.37–0.51 s.
const (
	decayWin   = 0.020 // s, energy window
	decayHop   = 0.010 // s
	decayStart = 25.0  // dB: a decay starts within this of the loud frames
	decayAbove = 10.0  // dB: and is followed only while this above the floor
	decaySkip  = 3     // frames: the direct sound's own fall is left out
	decayLen   = 8     // frames fitted at least, after the skip
	decayTol   = 0.5   // dB a decay may rise by from one frame to the next
	// decayQuantile of the decays' reverberation times is the estimate.
	decayQuantile = 0.2
	decayMinSeg   = 10 // decays needed for an estimate
	// reverberantRT60 is the estimate (s) above which references count as
	// reverberant and are dereverberated; drier ones keep every byte.
	reverberantRT60 = 0.33
	lateLag         = 0.040 // s: 4 frames at 10 ms, 1 at the 40 ms stride
	// lateFloor is the least a bin keeps of its power in the model's own
	// estimate of the late share (aperiodicity, speaking time): −10 dB.
	lateFloor = 0.1
	// envOver and envFloor subtract more from the envelopes themselves,
	// as the noise subtraction does (denoised: twice the noise, −20 dB).
	// The estimate reads the room short (0.37–0.51 s for 0.5 s) and the
	// reverberation within lateLag of the direct sound is not modelled at
	// all; on the synthetic room the clones' likeness rose with the
	// strength up to 8× and −30 dB, their clarity up to 5× and −25 dB
	// (docs/engine.md, "Reverberant references"). Chosen on that one room.
	envOver  = 5.0
	envFloor = 0.003
)

// decayTimes returns the reverberation time each free decay of x reads
// (seconds: −60 dB over the fitted slope).
func decayTimes[T float32 | float64](x []T, rate int) []float64 {
	win, hop := int(decayWin*float64(rate)), int(decayHop*float64(rate))
	var e []float64
	for s := 0; s+win <= len(x); s += hop {
		var p float64
		for _, v := range x[s : s+win] {
			p += float64(v) * float64(v)
		}
		e = append(e, 10*math.Log10(p/float64(win)+1e-12))
	}
	if len(e) < 10 {
		return nil
	}
	sorted := append([]float64(nil), e...)
	sort.Float64s(sorted)
	top, floor := quantile(sorted, 0.95), quantile(sorted, 0.05)
	var rts []float64
	for i := 1; i < len(e); {
		if e[i] >= e[i-1] || e[i-1] < top-decayStart {
			i++
			continue
		}
		j := i
		for j < len(e) && e[j] < e[j-1]+decayTol && e[j] > floor+decayAbove {
			j++
		}
		// frames i-1 … j-1 fall; the fit starts decaySkip frames in.
		if a := i - 1 + decaySkip; j-a >= decayLen {
			if sl := frameSlope(e[a:j], decayHop); sl < 0 {
				rts = append(rts, -60/sl)
			}
		}
		i = j + 1
	}
	return rts
}

// reverbTime is the reverberation time (s) the decays read, or 0 when
// there are too few to tell.
func reverbTime(decays []float64) float64 {
	if len(decays) < decayMinSeg {
		return 0
	}
	return quantile(append([]float64(nil), decays...), decayQuantile)
}

// frameSlope is the least-squares slope of y (one value per dt seconds).
func frameSlope(y []float64, dt float64) float64 {
	n := float64(len(y))
	var mx, my float64
	for i, v := range y {
		mx += float64(i)
		my += v
	}
	mx, my = mx/n, my/n
	var sxy, sxx float64
	for i, v := range y {
		sxy += (float64(i) - mx) * (v - my)
		sxx += (float64(i) - mx) * (float64(i) - mx)
	}
	return sxy / sxx / dt
}

// dereverb subtracts from env (power envelopes every period ms, in place)
// over times the late reverberation of a room of reverberation time rt60,
// each bin keeping at least floor of its power, and returns the share of
// each frame's power the model itself (over 1, floor lateFloor) assigns to
// the late reverberation per coded aperiodicity band (3 kHz apart, each
// ±1.5 kHz wide). Frames are rewritten from the last, so each still reads
// the unmodified frame lateLag before it.
func dereverb(env [][]float64, period, rt60, over, floor float64, bands int) [][]float64 {
	lag := max(1, int(math.Round(lateLag*1000/period)))
	k := math.Exp(-2 * 3 * math.Ln10 / rt60 * float64(lag) * period / 1000)
	shares := make([][]float64, len(env))
	if len(env) == 0 {
		return shares
	}
	// Each coded band's bins, the same for every frame.
	top := len(env[0]) - 1
	hz := float64(analysisRate) / 2 / float64(top)
	lo, hi := make([]int, bands), make([]int, bands)
	for b := range bands {
		lo[b] = int(math.Ceil((3000*float64(b+1) - 1500) / hz))
		hi[b] = min(top, int((3000*float64(b+1)+1500)/hz))
	}
	for i := len(env) - 1; i >= 0; i-- {
		e := env[i]
		shares[i] = make([]float64, bands)
		if i < lag {
			continue
		}
		prev := env[i-lag]
		for b := range bands {
			var all, late float64
			for j := lo[b]; j <= hi[b]; j++ {
				all += e[j]
				late += e[j] - math.Max(e[j]-k*prev[j], lateFloor*e[j])
			}
			if all > 0 {
				shares[i][b] = late / all
			}
		}
		for j, p := range e {
			e[j] = math.Max(p-over*k*prev[j], floor*p)
		}
	}
	return shares
}

// dryAperiodicity removes the late reverberation's share r of each band's
// power from a frame's coded aperiodicity row (dB, in place): the tail of
// earlier periods is aperiodic power the speaker did not make.
func dryAperiodicity(row, r []float64) {
	for b, v := range row {
		a := math.Pow(10, v/10)
		d := math.Max(a-r[b], lateFloor*a) / (1 - r[b])
		row[b] = math.Min(0, 10*math.Log10(d))
	}
}
