package loudness

import (
	"math"
	"slices"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/dsp"
)

// Defaults for synthesized speech: the usual podcast/streaming target and
// the EBU R128 true-peak ceiling.
const (
	DefaultTargetLUFS  = -16.0
	DefaultMaxTruePeak = -1.0
)

// Normalize returns a copy of p at targetLUFS integrated loudness with its
// true peak at or below maxTruePeakDBTP. When the gain would push peaks
// over the ceiling a look-ahead limiter takes them down first; only if that
// is not enough (a signal that is nearly all peaks) is the whole copy
// lowered, so the ceiling always wins over the target. Silence (Integrated
// = −Inf) is returned unchanged, as a copy.
func Normalize(p *audio.PCM, targetLUFS, maxTruePeakDBTP float64) *audio.PCM {
	lufs := Integrated(p)
	if math.IsInf(lufs, -1) {
		return &audio.PCM{Rate: p.Rate, Channels: p.Channels, Samples: slices.Clone(p.Samples)}
	}
	out := Gain(p, targetLUFS-lufs)
	if TruePeak(out) <= maxTruePeakDBTP {
		return out
	}
	// Limit the samples a little under the ceiling (interpolation between
	// limited samples can still overshoot them slightly). Limiting lowers
	// the loudness a little; one more round of gain and limiting wins most
	// of it back.
	ceiling := float32(math.Pow(10, (maxTruePeakDBTP-0.5)/20))
	dsp.Limit(out, ceiling)
	if miss := targetLUFS - Integrated(out); miss > 0.05 {
		out = Gain(out, miss)
		dsp.Limit(out, ceiling)
	}
	if tp := TruePeak(out); tp > maxTruePeakDBTP {
		g := float32(math.Pow(10, (maxTruePeakDBTP-tp-0.01)/20))
		for i := range out.Samples {
			out.Samples[i] *= g
		}
	}
	return out
}
