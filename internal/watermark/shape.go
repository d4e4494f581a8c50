package watermark

import "math"

// detectorGain is, per frame and bin of the band, how much the detector
// (weigh) multiplies a small change of that bin by: env·w/(|X|²+floor·env²),
// with w its noise-floor weight. The mark is cancelled and shaped through
// it so that the embedder sees what the detector will.
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
var shapeBands = [...]int{loBin, 13, 16, 20, 26, 32, 40, 51, 64, 80, 101, hiBin + 1}

// valleyShape moves the mark, within each band, towards the bins the
// detector listens to most (between harmonics) at the same energy; false
// shapes it by the envelope alone.
var valleyShape = true

// markShape returns the mark's magnitude per frame and bin: the envelope
// (the mark a fixed distance below the speech), or, with valleyShape, the
// detector's gain scaled so that every band of a frame holds the energy the
// envelope would give it. For a detector that weighs bin k by g_k, the mark
// that scores most for a given energy is ∝ g_k.
func markShape(env, gain [][hiBin + 1]float64) [][hiBin + 1]float64 {
	if !valleyShape {
		return env
	}
	out := make([][hiBin + 1]float64, len(env))
	for t := range env {
		for b := 0; b+1 < len(shapeBands); b++ {
			var num, den float64
			for j := shapeBands[b]; j < shapeBands[b+1]; j++ {
				num += env[t][j] * env[t][j]
				den += gain[t][j] * gain[t][j]
			}
			if den == 0 {
				continue
			}
			for j := shapeBands[b]; j < shapeBands[b+1]; j++ {
				out[t][j] = gain[t][j] * math.Sqrt(num/den)
			}
		}
	}
	return out
}
