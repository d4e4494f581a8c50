package voice

import (
	"context"
	"fmt"
	"math"

	"github.com/voxclone/voxclone/internal/tts/flite"
)

// baseVoices are the flite voices the engine speaks with: slt for higher
// and rms for lower voices. awb has a Scottish accent and kal16 converts
// badly (docs/engine.md).
var baseVoices = []string{"slt", "rms"}

// calibrationText is read by each base voice once per process to measure
// it. It is phonetically varied so the statistics describe the voice, not
// the sentence.
const calibrationText = "The birch canoe slid on the smooth planks. Glue the sheet to the dark blue background. " +
	"It's easy to tell the depth of a well. These days a chicken leg is a rare dish. " +
	"Rice is often served in round bowls. The juice of lemons makes fine punch. " +
	"The box was thrown beside the parked truck. Four hours of steady work faced us."

// baseStats are a base voice's own measurements.
type baseStats struct {
	logF0Median, logF0SD float64
}

// bases measures every base voice once per engine.
func (e *Engine) bases(ctx context.Context) (map[string]baseStats, error) {
	e.baseOnce.Do(func() {
		e.baseStats = map[string]baseStats{}
		for _, v := range baseVoices {
			r, err := flite.Synthesize(context.WithoutCancel(ctx), v, calibrationText, flite.Options{})
			if err != nil {
				e.baseErr = fmt.Errorf("voice: measuring base voice %s: %w", v, err)
				return
			}
			tr := trackPitch(r.Audio.Samples, r.Audio.Rate, analysisHop)
			var lf []float64
			for _, f := range tr.F0 {
				if f > 0 {
					lf = append(lf, math.Log(f))
				}
			}
			med, sd := robustStats(lf)
			e.baseStats[v] = baseStats{logF0Median: med, logF0SD: sd}
		}
	})
	return e.baseStats, e.baseErr
}
