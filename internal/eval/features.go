package eval

import (
	"math"

	"github.com/voxclone/voxclone/internal/audio/mfcc"
)

// Feature front end of the speaker identifier: mfcc's cepstra c1…c20 of
// 25-ms frames every 10 ms, with deltas. The constants are part of the
// evaluation protocol: changing any of them makes numbers incomparable with
// earlier runs.
const (
	featRate   = mfcc.Rate // all audio is scored at 16 kHz
	frameLen   = mfcc.FrameLen
	frameHop   = mfcc.FrameHop
	numCeps    = 20 // c1..c20; c0 is dropped because it follows recording level
	deltaWidth = 2  // ±2 frames regression window
	featDim    = 2 * numCeps
	// speechRangeDB keeps frames whose energy is within this range of the
	// utterance's loud frames, so silences and pauses do not train or score.
	speechRangeDB = 30
	// floorMarginDB is the secondary frame rule's distance above the
	// utterance's noise floor (its 10th-percentile frame energy): a frame
	// must carry at least about three times the noise's power. It is not
	// part of the main figures. 6 dB was chosen before measuring; 10 dB
	// was also run on the development speakers (docs/engine.md, "Likeness:
	// where it goes"), and 6 kept.
	floorMarginDB = 6
)

// mfccExtractor turns 16 kHz mono samples into speaker-ID features. One
// extractor must not be used concurrently.
type mfccExtractor struct{ fx *mfcc.Extractor }

func newMFCCExtractor() *mfccExtractor { return &mfccExtractor{mfcc.New(numCeps)} }

// features returns the speaker-ID features of one utterance, cepstra plus
// deltas restricted to speech frames, both as they are (raw) and with
// per-utterance cepstral mean and variance normalization (norm). Both are
// nil when there is too little speech to score.
func (e *mfccExtractor) features(x []float32) (raw, norm [][]float64) {
	raw, norm, _ = e.allFeatures(x)
	return raw, norm
}

// allFeatures also returns floor, the CMVN features of the frames
// floorFrames keeps (nil when too few): the secondary identifier's input.
func (e *mfccExtractor) allFeatures(x []float32) (raw, norm, floor [][]float64) {
	ceps, energy := e.fx.Cepstra(x)
	if len(ceps) == 0 {
		return nil, nil, nil
	}
	full := appendDeltas(ceps)
	keep := speechFrames(energy)
	if len(keep) < 10 {
		return nil, nil, nil
	}
	raw = make([][]float64, 0, len(keep))
	for _, t := range keep {
		raw = append(raw, full[t])
	}
	norm = normalized(full, keep)
	if keep := floorFrames(energy, keep); len(keep) >= 10 {
		floor = normalized(full, keep)
	}
	return raw, norm, floor
}

// normalized returns CMVN copies of the kept frames.
func normalized(full [][]float64, keep []int) [][]float64 {
	out := make([][]float64, 0, len(keep))
	for _, t := range keep {
		out = append(out, append([]float64(nil), full[t]...))
	}
	normalize(out)
	return out
}

// appendDeltas appends regression deltas over ±deltaWidth frames (edges
// replicated) to each cepstral row.
func appendDeltas(ceps [][]float64) [][]float64 {
	n := len(ceps)
	var norm float64
	for k := 1; k <= deltaWidth; k++ {
		norm += 2 * float64(k*k)
	}
	out := make([][]float64, n)
	clamp := func(i int) int { return min(max(i, 0), n-1) }
	for t := range ceps {
		row := make([]float64, featDim)
		copy(row, ceps[t])
		for d := 0; d < numCeps; d++ {
			var s float64
			for k := 1; k <= deltaWidth; k++ {
				s += float64(k) * (ceps[clamp(t+k)][d] - ceps[clamp(t-k)][d])
			}
			row[numCeps+d] = s / norm
		}
		out[t] = row
	}
	return out
}

// speechFrames returns the frames within speechRangeDB of the loud end of the
// utterance. The reference is the 95th percentile rather than the maximum so
// one click cannot discard the whole utterance.
func speechFrames(energy []float64) []int {
	ref := percentile(energy, 0.95)
	thr := ref - speechRangeDB*math.Ln10/10
	var keep []int
	for t, e := range energy {
		if e >= thr {
			keep = append(keep, t)
		}
	}
	return keep
}

// floorFrames keeps those of the speech frames that also stand floorMarginDB
// above the utterance's noise floor. speechFrames alone counts the pauses of
// a recording whose noise lies less than speechRangeDB under its speech as
// speech: all of librispeech_1998's frames pass, so its speaker model
// learns its room's noise, which no clean clone can match. Clones, whose
// pauses are silent, lose nothing to this rule.
func floorFrames(energy []float64, speech []int) []int {
	thr := percentile(energy, 0.10) + floorMarginDB*math.Ln10/10
	var keep []int
	for _, t := range speech {
		if energy[t] >= thr {
			keep = append(keep, t)
		}
	}
	return keep
}

// normalize applies cepstral mean and variance normalization in place.
func normalize(x [][]float64) {
	if len(x) == 0 {
		return
	}
	d := len(x[0])
	for j := 0; j < d; j++ {
		var m, v float64
		for _, r := range x {
			m += r[j]
		}
		m /= float64(len(x))
		for _, r := range x {
			v += (r[j] - m) * (r[j] - m)
		}
		sd := math.Sqrt(v/float64(len(x))) + 1e-8
		for _, r := range x {
			r[j] = (r[j] - m) / sd
		}
	}
}
