package voice

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/voxclone/voxclone/internal/tts/flite"
	"github.com/voxclone/voxclone/internal/voice/world"
)

// baseVoices are the flite voices the engine speaks with: slt for higher
// and rms for lower voices. awb has a Scottish accent and kal16 converts
// badly (docs/engine.md).
var baseVoices = []string{"slt", "rms"}

// calibrationText is read by each base voice to measure it. It is
// phonetically varied (Harvard sentences) so the statistics describe the
// voice, not the sentence.
const calibrationText = "The birch canoe slid on the smooth planks. Glue the sheet to the dark blue background. " +
	"It's easy to tell the depth of a well. These days a chicken leg is a rare dish. " +
	"Rice is often served in round bowls. The juice of lemons makes fine punch. " +
	"The box was thrown beside the parked truck. The hogs were fed chopped corn and garbage. " +
	"Four hours of steady work faced us. A large size in stockings is hard to sell. " +
	"The boy was there when the sun rose. A rod is used to catch pink salmon. " +
	"The source of the huge river is the clear spring. Kick the ball straight and follow through. " +
	"Help the woman get back to her feet. A pot of tea helps to pass the evening."

// baseStatsJSON holds every base voice's measurements on calibrationText,
// so neither Clone nor Synthesize pays for measuring them.
// TestBaseStatsCurrent regenerates it with -update and fails when it is
// stale.
//
//go:embed basestats.json
var baseStatsJSON []byte

var (
	baseOnce  sync.Once
	baseTable map[string]*speakerStats
	baseErr   error
)

// bases returns the base voices' statistics.
func bases() (map[string]*speakerStats, error) {
	baseOnce.Do(func() {
		baseErr = json.Unmarshal(baseStatsJSON, &baseTable)
		for _, v := range baseVoices {
			if baseErr == nil && (baseTable[v] == nil || baseTable[v].Activity == nil) {
				baseErr = fmt.Errorf("voice: no statistics for base voice %s", v)
			}
		}
	})
	return baseTable, baseErr
}

// measureBase synthesizes calibrationText with a base voice and analyses it
// exactly as enrolment analyses a speaker.
func measureBase(ctx context.Context, voice string) (*speakerStats, error) {
	acc := newStatsAcc()
	acc.pool = newPoolAcc()
	act := newActivityCounts()
	for _, s := range splitSentences(calibrationText) {
		r, err := flite.Synthesize(ctx, voice, s, flite.Options{})
		if err != nil {
			return nil, err
		}
		x := toFloat64(r.Audio.Samples)
		act.add(x, r.Audio.Rate, r.Phones)
		acc.labels = frameLabels(r.Phones, analysisPeriod, world.NumFrames(len(x), analysisRate, analysisPeriod))
		acc.aligned = true
		if err := acc.add(x, false); err != nil {
			return nil, err
		}
	}
	st := acc.finish()
	st.Phones = phoneMeans(acc.pool.result())
	st.Activity = act.result()
	return st, nil
}

func toFloat64(x []float32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}
