package prep

import (
	"math"
	"slices"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/dsp"
)

const (
	maxSNR       = 60.0 // dB; cleaner than this is reported as 60
	minNoiseSec  = 0.5  // non-speech needed to trust it as the noise sample
	clipRun      = 3    // consecutive samples at the peak that count as clipping
	clipTol      = 0.001
	clipMinLevel = 0.05 // peaks lower than this (−26 dBFS) are not clipping
)

// snr estimates the speech-to-noise ratio in dB from frame energies: mean
// speech power against the median non-speech power (robust to breaths and
// clicks), or against the 10th-percentile frame when there are too few
// pauses to sample the noise. It returns 0 when there is no speech, and at
// most maxSNR (digital silence between phrases would otherwise be +Inf).
func (f *frames) snr() float64 {
	var sp, noise []float64
	for i, e := range f.energy {
		pw := math.Pow(10, e/10)
		if f.speech[i] {
			sp = append(sp, pw)
		} else {
			noise = append(noise, pw)
		}
	}
	if len(sp) == 0 {
		return 0
	}
	var pn float64
	if float64(len(noise))*hopSec >= minNoiseSec {
		pn = median(noise)
	} else {
		all := slices.Clone(f.energy)
		slices.Sort(all)
		pn = math.Pow(10, all[int(floorPct*float64(len(all)-1))]/10)
	}
	var ps float64
	for _, v := range sp {
		ps += v
	}
	ps /= float64(len(sp))
	if pn < 1e-12 {
		return maxSNR
	}
	snr := 10 * math.Log10(math.Max(ps-pn, pn*1e-3)/pn)
	return math.Min(snr, maxSNR)
}

func median(x []float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	return s[len(s)/2]
}

// ClippingRatio returns the fraction of samples (all channels) that sit in
// runs of three or more within 0.1% of the signal's peak: the flat tops a
// clipping converter or a brick-wall limiter leaves. Natural audio almost
// never holds its peak for three samples. Signals peaking under −26 dBFS
// are not considered clipped.
func ClippingRatio(p *audio.PCM) float64 {
	peak := dsp.PeakAbs(p.Samples)
	if peak < clipMinLevel || len(p.Samples) == 0 {
		return 0
	}
	th := math.Float32bits(peak*(1-clipTol)) & 0x7FFFFFFF
	ch := p.Channels
	clipped := 0
	for c := 0; c < ch; c++ {
		run := 0
		for i := c; i < len(p.Samples); i += ch {
			if math.Float32bits(p.Samples[i])&0x7FFFFFFF >= th {
				run++
				continue
			}
			if run >= clipRun {
				clipped += run
			}
			run = 0
		}
		if run >= clipRun {
			clipped += run
		}
	}
	return float64(clipped) / float64(len(p.Samples))
}
