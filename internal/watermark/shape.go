package watermark

import "math"

// detectorGain is, per frame and bin of the band, how much the whitening
// alone (before bandScale) multiplies a small change of that bin by:
// env·w/(|X|²+floor·env²), with w its noise-floor weight.
func detectorGain(s *spectrum, env [][hiBin + 1]float64) [][hiBin + 1]float64 {
	noise := noiseFloor(env)
	g := make([][hiBin + 1]float64, len(s.frames))
	for t, f := range s.frames {
		for k := loBin; k <= hiBin; k++ {
			e := env[t][k]
			p := real(f[k])*real(f[k]) + imag(f[k])*imag(f[k])
			w := max(0, 1-noise[k]/(e*e))
			g[t][k] = w * w * w * e / (p + wienerFloor*e*e)
		}
	}
	return g
}

// shapeBands are the bins' groups (about a third of an octave each, as the
// mark's level is judged) in which markShape keeps the mark's energy what
// the envelope gives it.
var shapeBands = [...]int{loBin, 26, 32, 40, 52, 64, 80, 102, 128, 160, 202, hiBin + 1}

// bandTrim lowers the mark in its lowest band, under the first harmonics
// of high voices, where it comes nearest the speech: 0.4 dB there keeps
// every band 30 dB down at the 24 kHz output (TestInaudible) and costs
// detection little, as the detector weighs that band least.
var bandTrim = [len(shapeBands) - 1]float64{0.955, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}

// bandScale is, for frame t and band b, the factor that gives the mark,
// shaped as the gain, the energy the envelope gives that band; 0 where the
// gain is nil.
func bandScale(env, gain [][hiBin + 1]float64, t, b int) float64 {
	var num, den float64
	for j := shapeBands[b]; j < shapeBands[b+1]; j++ {
		num += env[t][j] * env[t][j]
		den += gain[t][j] * gain[t][j]
	}
	if den == 0 {
		return 0
	}
	return math.Sqrt(num / den)
}

// markShape returns the mark's magnitude per frame and bin: the detector's
// gain, scaled so that every band of a frame holds the energy the envelope
// gives it (the mark a fixed distance below the speech). Within a band the
// mark goes towards the bins the detector listens to most (between
// harmonics): for a detector that weighs bin k by g_k, the mark that
// scores most for a given energy is ∝ g_k.
func markShape(env, gain [][hiBin + 1]float64) [][hiBin + 1]float64 {
	out := make([][hiBin + 1]float64, len(env))
	for t := range env {
		for b := 0; b+1 < len(shapeBands); b++ {
			c := bandScale(env, gain, t, b) * bandTrim[b]
			for j := shapeBands[b]; j < shapeBands[b+1]; j++ {
				out[t][j] = gain[t][j] * c
			}
		}
	}
	return out
}
