package voice

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/dsp/fourier"
)

// pitchTrack is an F0 contour on a fixed hop; F0 is 0 in unvoiced frames.
type pitchTrack struct {
	Hop float64 // seconds between frames
	F0  []float64
}

// Pitch tracker limits: 60 Hz covers low male voices, 500 Hz children.
const (
	minF0      = 60.0
	maxF0      = 500.0
	yinThresh  = 0.15 // CMND dip taken as the period (de Cheveigné & Kawahara)
	yinVoiced  = 0.35 // best CMND above this: unvoiced
	octaveJump = 0.7  // octaves from the local median that mark a tracking error
)

// trackPitch estimates F0 every hop seconds with YIN's cumulative-mean-normalised
// difference, computed through an FFT cross-correlation so a minute of
// audio costs tens of milliseconds. Octave errors are then removed.
func trackPitch(x []float32, rate int, hopS float64) pitchTrack {
	hop := max(1, int(math.Round(hopS*float64(rate))))
	maxLag := int(float64(rate) / minF0)
	minLag := int(float64(rate) / maxF0)
	win := maxLag + maxLag/2
	n := nextPow2(win + maxLag)
	fft := fourier.NewFFT(n)
	a, b := make([]float64, n), make([]float64, n)
	ca, cb := make([]complex128, n/2+1), make([]complex128, n/2+1)
	r := make([]float64, n)
	cum := prefixEnergy(x)
	floor := energyFloor(x, win, hop)
	nf := len(x) / hop
	f0 := make([]float64, nf)
	d := make([]float64, maxLag+1)
	cm := make([]float64, maxLag+1)
	for i := 0; i < nf; i++ {
		s := i*hop - win/2
		if s < 0 || s+win+maxLag > len(x) {
			continue
		}
		e0 := cum[s+win] - cum[s]
		if e0 < floor {
			continue
		}
		for j := range a {
			a[j], b[j] = 0, 0
		}
		for j := 0; j < win; j++ {
			a[j] = float64(x[s+j])
		}
		for j := 0; j < win+maxLag; j++ {
			b[j] = float64(x[s+j])
		}
		ca = fft.Coefficients(ca, a)
		cb = fft.Coefficients(cb, b)
		for k := range ca {
			cb[k] *= complex(real(ca[k]), -imag(ca[k]))
		}
		r = fft.Sequence(r, cb)
		for tau := 1; tau <= maxLag; tau++ {
			et := cum[s+tau+win] - cum[s+tau]
			d[tau] = e0 + et - 2*r[tau]/float64(n)
		}
		f0[i] = yinPick(d, cm, minLag, maxLag, rate)
	}
	removeOctaveJumps(f0)
	return pitchTrack{Hop: float64(hop) / float64(rate), F0: f0}
}

// yinPick turns a difference function into F0 (0 when aperiodic): the
// first CMND dip under yinThresh, refined by parabolic interpolation.
func yinPick(d, cm []float64, minLag, maxLag, rate int) float64 {
	var sum float64
	cm[0] = 1
	for tau := 1; tau <= maxLag; tau++ {
		sum += d[tau]
		if sum <= 0 {
			cm[tau] = 1
			continue
		}
		cm[tau] = d[tau] * float64(tau) / sum
	}
	best := -1
	for tau := minLag; tau < maxLag; tau++ {
		if cm[tau] < yinThresh {
			for tau+1 < maxLag && cm[tau+1] < cm[tau] {
				tau++
			}
			best = tau
			break
		}
		if best < 0 || cm[tau] < cm[best] {
			best = tau
		}
	}
	if best <= minLag || best >= maxLag || cm[best] > yinVoiced {
		return 0
	}
	den := cm[best-1] - 2*cm[best] + cm[best+1]
	shift := 0.0
	if den > 0 {
		shift = 0.5 * (cm[best-1] - cm[best+1]) / den
	}
	return float64(rate) / (float64(best) + shift)
}

// removeOctaveJumps unvoices frames more than octaveJump octaves from the
// median of the voiced frames within ±25 ms, and isolated voiced frames.
func removeOctaveJumps(f0 []float64) {
	orig := append([]float64(nil), f0...)
	var nb []float64
	for i, v := range orig {
		if v == 0 {
			continue
		}
		nb = nb[:0]
		for j := max(0, i-5); j <= min(len(orig)-1, i+5); j++ {
			if orig[j] > 0 {
				nb = append(nb, orig[j])
			}
		}
		if len(nb) < 3 {
			f0[i] = 0
			continue
		}
		sort.Float64s(nb)
		if math.Abs(math.Log2(v/nb[len(nb)/2])) > octaveJump {
			f0[i] = 0
		}
	}
}

func prefixEnergy(x []float32) []float64 {
	cum := make([]float64, len(x)+1)
	for i, v := range x {
		cum[i+1] = cum[i] + float64(v)*float64(v)
	}
	return cum
}

// energyFloor is the window energy below which frames are not analysed:
// 40 dB under the 95th percentile of window energies.
func energyFloor(x []float32, win, hop int) float64 {
	cum := prefixEnergy(x)
	var es []float64
	for s := 0; s+win <= len(x); s += 4 * hop {
		es = append(es, cum[s+win]-cum[s])
	}
	if len(es) == 0 {
		return math.Inf(1)
	}
	sort.Float64s(es)
	return es[len(es)*95/100] * 1e-4
}

func nextPow2(n int) int {
	p := 1
	for p < n {
		p <<= 1
	}
	return p
}
