package speaker

import (
	"math"
	"slices"

	"github.com/voxclone/voxclone/internal/audio/mfcc"
)

// Front end: mfcc's cepstra c1…c19 of 25 ms frames every 10 ms at 16 kHz.
const (
	rate     = mfcc.Rate
	frameLen = mfcc.FrameLen
	frameHop = mfcc.FrameHop
	numCeps  = 19
	// speechRangeDB keeps frames within this range of the loud end of the
	// recording, so pauses and breaths carry no weight.
	speechRangeDB = 30
)

// extractor must not be shared between goroutines (see mfcc.Extractor).
type extractor struct{ fx *mfcc.Extractor }

func newExtractor() *extractor { return &extractor{mfcc.New(numCeps)} }

// speechCeps returns the cepstra of the speech frames of x (16 kHz mono).
func (e *extractor) speechCeps(x []float32) [][]float64 {
	ceps, energy := e.fx.Cepstra(x)
	if len(ceps) == 0 {
		return nil
	}
	thr := percentile(energy, 0.95) - speechRangeDB*math.Ln10/10
	out := ceps[:0]
	for t, c := range ceps {
		if energy[t] >= thr && energy[t] > silenceLogEnergy {
			out = append(out, c)
		}
	}
	return out
}

// silenceLogEnergy is the log frame energy (sum of squares of 400 samples)
// below which a frame counts as silence whatever the rest of the recording:
// about −80 dBFS.
var silenceLogEnergy = math.Log(frameLen * 1e-8)

func percentile(x []float64, p float64) float64 {
	s := append([]float64(nil), x...)
	slices.Sort(s)
	i := int(p * float64(len(s)-1))
	return s[i]
}
