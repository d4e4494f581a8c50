package voice

import (
	"math"

	"github.com/voxclone/voxclone/internal/voice/world"
)

// Band-limited references (docs/engine.md, "Degraded references"). A
// telephone recording carries nothing above 4 kHz, and a low-bitrate MP3
// little above its encoder's lowpass: the profile then measures an empty
// upper band, and converting the base voice toward it muffles the clone.
// Above the reference's bandwidth the profile knows nothing of the
// speaker, so the conversion leaves the base voice's upper band alone.
const (
	// bandDropDB is how far below the 1–3 kHz level a band's long-term
	// energy must fall, and stay, to count as beyond the reference's
	// bandwidth: speech itself falls 20–30 dB from there to 8 kHz, a
	// telephone line's stopband 50 dB and more.
	bandDropDB = 40
	// bandFadeHz is the transition below the cutoff over which the
	// speaker's spectrum hands over to the base voice's: the reference's
	// own roll-off (a resampler's, an encoder's lowpass) lies there.
	bandFadeHz = 800
	// fullBandFrac: cutoffs above this share of the Nyquist frequency
	// count as the full band, so clean references convert as before.
	fullBandFrac = 0.9
)

// ltasBandwidth returns the frequency (Hz) above which a profile's
// long-term spectrum stays bandDropDB below its 1–3 kHz level, or the
// Nyquist frequency when no such band is found. Profiles without a
// spectrum are full band.
func ltasBandwidth(ltas []float32) float64 {
	nyq := float64(analysisRate) / 2
	if len(ltas) != ltasBands {
		return nyq
	}
	// The LTAS sums the envelope's bins per mel band: per bin, high bands
	// would read louder for holding more bins.
	count := ltasBinCounts()
	level := make([]float64, ltasBands)
	var ref float64
	var nRef int
	for b, v := range ltas {
		level[b] = float64(v) - 10*math.Log10(math.Max(1, count[b]))
		if f := ltasBandHz(b + 1); f > 1000 && ltasBandHz(b) < 3000 {
			ref += level[b]
			nRef++
		}
	}
	if nRef == 0 {
		return nyq
	}
	ref /= float64(nRef)
	cut := nyq
	for b := ltasBands - 1; b >= 0 && ltasBandHz(b) >= 3000; b-- {
		if level[b] > ref-bandDropDB {
			break
		}
		cut = ltasBandHz(b)
	}
	if cut >= fullBandFrac*nyq {
		return nyq
	}
	return cut
}

// ltasBandHz is the lower edge of LTAS band b (b = ltasBands: Nyquist).
func ltasBandHz(b int) float64 {
	m := float64(b) / ltasBands * hzToMel(analysisRate/2)
	return 700 * (math.Exp(m/1127) - 1)
}

// ltasBinCounts is how many envelope bins addLTAS sums into each band.
func ltasBinCounts() []float64 {
	bins := world.FFTSizeFor(analysisRate, 0)/2 + 1
	nyqMel := hzToMel(analysisRate / 2)
	n := make([]float64, ltasBands)
	for j := range bins {
		f := float64(j) * analysisRate / 2 / float64(bins-1)
		n[min(ltasBands-1, int(hzToMel(f)/nyqMel*ltasBands))]++
	}
	return n
}

// bandWeights returns, per envelope bin, how much of the speaker's
// correction applies: 1 up to bandFadeHz below cutoff, 0 above it, a
// half-cosine between. nil for the full band.
func bandWeights(bins int, cutoff float64) []float64 {
	nyq := float64(analysisRate) / 2
	if cutoff >= nyq {
		return nil
	}
	w := make([]float64, bins)
	lo := cutoff - bandFadeHz
	for j := range w {
		f := float64(j) * nyq / float64(bins-1)
		switch {
		case f <= lo:
			w[j] = 1
		case f < cutoff:
			w[j] = 0.5 + 0.5*math.Cos(math.Pi*(f-lo)/bandFadeHz)
		}
	}
	return w
}

// limitBand keeps a per-bin power multiplier to the reference's band,
// in place: above it the multiplier goes to 1 (the base voice unchanged).
func limitBand(mult, weights []float64) {
	if weights == nil {
		return
	}
	for j := range mult {
		mult[j] = math.Pow(mult[j], weights[j])
	}
}

// apBandWeight is the share of the speaker's aperiodicity offset kept for
// coded band i (centred at (i+1)·3 kHz).
func apBandWeight(i int, cutoff float64) float64 {
	if cutoff >= float64(analysisRate)/2 {
		return 1
	}
	return clamp((cutoff-float64(i+1)*3000)/bandFadeHz+1, 0, 1)
}
