package world

import "math"

// fixF0Contour is DIO's four-step post-processing: drop abrupt jumps, drop
// voiced frames too close to a voicing edge, then grow each voiced section
// backwards and forwards through the candidates while the track stays
// continuous.
func fixF0Contour(best []float64, cands [][]float64, o F0Options) []float64 {
	n := len(best)
	out := make([]float64, n)
	vrm := int(0.5+1000/o.FramePeriod/o.Floor)*2 + 1
	if n <= vrm {
		return out
	}
	s1 := fixJumps(best, vrm, o.AllowedRange)
	s2 := fixEdges(s1, vrm)
	var onsets, offsets []int
	for i := 1; i < n; i++ {
		switch {
		case s2[i] == 0 && s2[i-1] != 0:
			offsets = append(offsets, i-1)
		case s2[i-1] == 0 && s2[i] != 0:
			onsets = append(onsets, i)
		}
	}
	s3 := extendForward(s2, cands, offsets, o.AllowedRange)
	copy(out, extendBackward(s3, cands, onsets, o.AllowedRange))
	return out
}

func fixJumps(best []float64, vrm int, allowed float64) []float64 {
	n := len(best)
	base := make([]float64, n)
	copy(base[vrm:n-vrm], best[vrm:n-vrm])
	out := make([]float64, n)
	for i := vrm; i < n; i++ {
		if math.Abs((base[i]-base[i-1])/(1e-12+base[i])) < allowed {
			out[i] = base[i]
		}
	}
	return out
}

func fixEdges(s1 []float64, vrm int) []float64 {
	out := append([]float64(nil), s1...)
	c := (vrm - 1) / 2
	for i := c; i < len(s1)-c; i++ {
		for j := -c; j <= c; j++ {
			if s1[i+j] == 0 {
				out[i] = 0
				break
			}
		}
	}
	return out
}

// selectBest picks the candidate at frame j closest to the linear
// extrapolation of the two previous frames, or 0 if none is within allowed.
func selectBest(cur, past float64, cands [][]float64, j int, allowed float64) float64 {
	ref := (cur*3 - past) / 2
	best, bestErr := 0.0, math.Inf(1)
	for _, c := range cands {
		if e := math.Abs(ref - c[j]); e < bestErr {
			best, bestErr = c[j], e
		}
	}
	if math.Abs(1-best/ref) > allowed {
		return 0
	}
	return best
}

func extendForward(s []float64, cands [][]float64, offsets []int, allowed float64) []float64 {
	out := append([]float64(nil), s...)
	n := len(s)
	for i, start := range offsets {
		limit := n - 1
		if i < len(offsets)-1 {
			limit = offsets[i+1]
		}
		for j := start; j < limit && j >= 1; j++ {
			out[j+1] = selectBest(out[j], out[j-1], cands, j+1, allowed)
			if out[j+1] == 0 {
				break
			}
		}
	}
	return out
}

func extendBackward(s []float64, cands [][]float64, onsets []int, allowed float64) []float64 {
	out := append([]float64(nil), s...)
	n := len(s)
	for i := len(onsets) - 1; i >= 0; i-- {
		limit := 1
		if i > 0 {
			limit = onsets[i-1]
		}
		for j := onsets[i]; j > limit && j < n-1; j-- {
			out[j-1] = selectBest(out[j], out[j+1], cands, j-1, allowed)
			if out[j-1] == 0 {
				break
			}
		}
	}
	return out
}

// checkPeriodicity unvoices frames whose low-band waveform does not repeat
// at the estimated period: normalised cross-correlation of the two halves
// of a lag-shifted window (at least 20 ms, or two periods) below thr.
func (d *dio) checkPeriodicity(f0 []float64, thr float64) {
	y := d.y
	for i, f := range f0 {
		if f <= 0 {
			continue
		}
		lag := d.fs / f
		half := math.Max(lag, 0.01*d.fs)
		c := d.times[i] * d.fs
		var sab, saa, sbb float64
		for n := int(c - half); n <= int(c+half); n++ {
			a := sampleAt(y, float64(n)-lag/2)
			b := sampleAt(y, float64(n)+lag/2)
			sab += a * b
			saa += a * a
			sbb += b * b
		}
		if saa == 0 || sbb == 0 || sab/math.Sqrt(saa*sbb) < thr {
			f0[i] = 0
		}
	}
}

// sampleAt linearly interpolates y at fractional index t (0 outside).
func sampleAt(y []float64, t float64) float64 {
	i := int(math.Floor(t))
	if i < 0 || i+1 >= len(y) {
		return 0
	}
	w := t - float64(i)
	return y[i] + w*(y[i+1]-y[i])
}
