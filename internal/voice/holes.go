package voice

import (
	"math"
	"slices"
)

// codecFloorDB bounds how far below its 1–3 kHz level a reference frame's
// envelope is believed (docs/engine.md, "Lossy references"). A perceptual
// codec at a low bitrate spends no bits on what lies under its masking
// threshold: where a frame's upper bands are weak it drops them, so the
// decoded spectrum has holes that come and go from frame to frame.
// Through MP3 at 32 kbit/s, 6–13% of the 3–8 kHz envelope of loud voiced
// frames lies more than 60 dB under the frame's 1–3 kHz level, down to
// 80 dB; in the same speech before the codec, 0–4% lies that far down and
// 0–1% beyond 70 dB. A mean of logarithms follows the holes: the voiced
// mean lost about 10 dB above 4 kHz, the phone means moved 3.6–7 dB and
// the variance of c1–c8 grew up to ×1.6, and the clone, moved toward them
// by the phone shift and the GV stage, lost words. So a bin further down
// than codecFloorDB is held there: it says only that the speech was weak
// there, which is all a codec that dropped it lets one know.
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
