package voice

import (
	"math"
	"slices"
)

// codecFloorDB bounds how far below its 1–3 kHz level a reference frame's
// envelope is believed (docs/engine.md, "Lossy references"). A perceptual
// codec at a low bitrate spends no bits on what lies under its masking
// threshold: in a frame where the upper bands are weak it drops them
// altogether, so the decoded spectrum has holes that come and go from
// frame to frame. Through MP3 at 32 kbit/s, a tenth of the 3–8 kHz
// envelope of voiced frames lies more than 60 dB under the frame's 1–3
// kHz level, and reaches 80 dB down; in the same clean speech, speech
// that far down is rare (0–4% of it below 60 dB, none below 80). A mean
// of logarithms follows the holes: the profile's voiced mean lost 6–12 dB
// above 4 kHz and its variance grew by half, and the clone, moved toward
// it by the phone shift and the GV stage, lost words. So an envelope bin
// further down than codecFloorDB is held there: it says only that the
// speech was weak, not how weak. 50 dB lies under the weakest 5% of clean
// voiced speech's upper band in the development recordings (35–60 dB).
const codecFloorDB = 50

// holdHoles writes env to dst with every bin held at least codecFloorDB
// under the frame's mean 1–3 kHz level, and reports whether any bin was
// raised (when none was, dst is left unwritten).
func holdHoles(dst, env []float64) bool {
	lo, hi := holeRefBins(len(env))
	var s float64
	for _, v := range env[lo:hi] {
		s += math.Log(math.Max(v, 1e-30))
	}
	floor := math.Exp(s/float64(hi-lo) - codecFloorDB*math.Ln10/10)
	if !slices.ContainsFunc(env, func(v float64) bool { return v < floor }) {
		return false
	}
	for j, v := range env {
		dst[j] = math.Max(v, floor)
	}
	return true
}

// holeRefBins returns the bins [lo, hi) from 1 to 3 kHz of a bins-long
// envelope.
func holeRefBins(bins int) (lo, hi int) {
	step := float64(analysisRate) / 2 / float64(bins-1)
	return int(math.Ceil(1000 / step)), int(3000/step) + 1
}
