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
	// maxFillDB bounds the correction above the cutoff (upperBandFill):
	// flite's own band ends near 7.5 kHz, and lifting its floor further
	// would only add vocoder noise.
	maxFillDB = 20
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
	n := make([]float64, ltasBands)
	for _, b := range ltasBandOf(world.FFTSizeFor(analysisRate, 0)/2 + 1) {
		n[b]++
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
// in place. Above the band it becomes fillDB (nil: 1, the base voice
// unchanged). The corrections keep c0 (the level) at zero, so over a
// band-limited reference they carry the dark band's deficit as a boost
// of everything below it: cutting the dark part away would leave that
// boost, and the base voice's upper band 20–30 dB too quiet beside the
// speaker's lower one (TestPhoneReferenceUpperBand). The EQ uses it. The multiplier is
// therefore anchored at 1–3 kHz first: the reference tells the
// spectrum's shape there, not its level against a band it never had.
// This drops the unvoiced EQ's level against the voiced one too, which
// the dark band skews as well (fricatives lose most of their energy).
func limitBand(mult, weights, fillDB []float64) {
	if weights == nil {
		return
	}
	nyq := float64(analysisRate) / 2
	var sum, n float64
	for j, w := range weights {
		if f := float64(j) * nyq / float64(len(mult)-1); f >= 1000 && f <= 3000 {
			sum += w * math.Log(math.Max(mult[j], 1e-30))
			n += w
		}
	}
	mean := sum / math.Max(n, 1e-12)
	for j, w := range weights {
		l := w * (math.Log(math.Max(mult[j], 1e-30)) - mean)
		if fillDB != nil {
			l += (1 - w) * fillDB[j] * math.Ln10 / 10
		}
		mult[j] = math.Exp(l)
	}
}

// fadeBand takes a per-bin power multiplier to 1 above the reference's
// band, in place, without anchoring its level. The phone shifts use it:
// anchored like the EQ, they brought the telephone clones' spectrum
// closer still to the full-band clones' but cost likeness under CMVN
// (docs/engine.md, "Telephone references"). Their level comes instead
// from the speaker's phone means, whose dark band is filled first
// (fillDarkBand); with it, dropping the fade moved the telephone clones'
// 4–8 kHz distance to the full-band clones' by under 0.4 dB.
func fadeBand(mult, weights []float64) {
	if weights == nil {
		return
	}
	for j := range mult {
		mult[j] = math.Pow(mult[j], weights[j])
	}
}

// speechUpperBand is the mean envelope of speech, voiced and unvoiced
// frames, in dB against its 1–3 kHz mean, every 250 Hz from 0 to 8 kHz:
// the means of four clean profiles (cmuarctic_axb, librispeech_1688,
// librispeech_2033, librispeech_3080, 30 s each: none of them in the
// 5-speaker subset the first telephone figures came from, but four of
// the nine the full evaluation runs on, so a telephone gain on those four
// may be theirs rather than the engine's).
// Above a band-limited reference's cutoff it stands in for the speaker:
// from 4.5 to 6.5 kHz the base voices are 10–15 dB brighter than the
// nine shared speakers on average, so keeping the base voice there kept
// a brightness the clones of full-band references do not have (the EQ
// takes it away).
var speechUpperBand = [2][]float64{
	{31.1, 30.5, 23.5, 12.7, 6.9, 3.8, 2.6, -1.1, -2.3, -3.1, -2.7, -0.3, -1, -4.3, -7.4, -7.8, -6.1,
		-4.9, -6.3, -9.6, -13.4, -17, -19.9, -21.7, -21.9, -20.4, -18.4, -17.2, -18, -21.1, -25.4, -29.1, -30.5},
	{17.4, 17.7, 13.6, 4.9, -0.5, -1.1, 0.1, 1, 0.5, -0.6, -0.9, 0.7, 1.3, -0.1, -1.7, -1.6, -0,
		0.8, 0.2, -0.8, -1.3, -1.8, -2.9, -4.5, -5.8, -6, -5.3, -4.8, -5.5, -8, -11.4, -14.4, -15.6},
}

// upperBandFill returns, per envelope bin, the power correction (dB)
// from a base voice's mean envelope (voiced or unvoiced, already warped)
// to speechUpperBand, both taken against their 1–3 kHz means: the EQ
// limitBand gives the band above a band-limited reference's cutoff.
func upperBandFill(baseEnv []float64, voiced int) []float64 {
	bins := len(baseEnv)
	nyq := float64(analysisRate) / 2
	fill := make([]float64, bins) // the base voice's level (dB) first
	for j, v := range baseEnv {
		fill[j] = 10 * math.Log10(math.Max(v, 1e-30))
	}
	ref := bandMean(fill, 1000, 3000)
	tab := speechUpperBand[1-voiced]
	for j := range fill {
		x := float64(j) * nyq / float64(bins-1) / 250
		i := min(int(x), len(tab)-2)
		target := tab[i] + (tab[i+1]-tab[i])*(x-float64(i))
		fill[j] = clamp(target-(fill[j]-ref), -maxFillDB, maxFillDB)
	}
	return fill
}

// bandMean is the mean of a per-bin level (dB, or a log envelope) over
// the bins from lo to hi Hz.
func bandMean(level []float64, lo, hi float64) float64 {
	nyq := float64(analysisRate) / 2
	var sum, n float64
	for j, v := range level {
		if f := float64(j) * nyq / float64(len(level)-1); f >= lo && f <= hi {
			sum += v
			n++
		}
	}
	return sum / math.Max(n, 1)
}

// apBandWeight is the share of the speaker's aperiodicity offset kept for
// coded band i (centred at (i+1)·3 kHz). D4C measures a band over a
// window reaching 3 kHz either side of its centre, so a band is only
// measured within the reference's bandwidth if that window's upper edge
// is: the 3 kHz band under a telephone line's 4 kHz cutoff read the
// line's stopband too (+0.3 to +2.4 dB), and there the base voice's
// aperiodicity stands in for the speaker's.
func apBandWeight(i int, cutoff float64) float64 {
	if cutoff >= float64(analysisRate)/2 {
		return 1
	}
	return clamp((cutoff-float64(i+2)*3000)/bandFadeHz+1, 0, 1)
}
