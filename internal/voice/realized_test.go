package voice

import (
	"context"
	"os"
	"strings"
	"testing"
)

// realizedText is read by each clone in TestRealizedShift: Harvard
// sentences outside calibrationText, so the base voice's phone means
// are not measured on the same words.
var realizedText = []string{
	"The stale smell of old beer lingers.", "It takes heat to bring out the odor.",
	"A cold dip restores health and zest.", "A salt pickle tastes fine with ham.",
	"The small pup gnawed a hole in the sock.", "The fish twisted and turned on the bent hook.",
	"Press the pants and sew a button on the vest.", "The swan dive was far short of perfect.",
	"The beauty of the view stunned the young boy.", "Two blue fish swam in the tank.",
	"Her purse was full of useless trash.", "The colt reared and threw the tall rider.",
	"It snowed, rained, and hailed the same morning.", "Read verse out loud for pleasure.",
}

// resynthesisMeans reads realizedText with profile prof at similarity sim
// and returns the phone means of that speech as enrolment measures them
// (Clone with the transcripts, so the aligner labels it).
func resynthesisMeans(t *testing.T, e *Engine, prof []byte, sim float64) *phoneTable {
	t.Helper()
	var refs []Reference
	for _, s := range realizedText {
		p, err := e.Synthesize(context.Background(), prof, s, Options{Similarity: &sim})
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, Reference{Audio: p, Transcript: s})
	}
	_, p := mustClone(t, e, refs)
	return phoneMeans(p.Pool)
}

func mustClone(t *testing.T, e *Engine, refs []Reference) ([]byte, *Profile) {
	t.Helper()
	b, err := e.Clone(context.Background(), refs)
	if err != nil {
		t.Fatal(err)
	}
	var p Profile
	if err := p.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	return b, &p
}

// TestRealizedShift measures how much of the distance from the
// unconverted resynthesis (similarity 0) to the speaker's phone means
// the clone (similarity 1) covers, all three measured by enrolment's
// analysis: the realised fraction is the projection of clone − base on
// speaker − base, over the voiced and unvoiced phones with at least 20
// frames in each; the residual is what is left of that distance
// (shiftGain). Numbers only, and slow (≈30 s per speaker): set
// VOXCLONE_REALIZED to a comma-separated list of speakers to run it.
func TestRealizedShift(t *testing.T) {
	list := os.Getenv("VOXCLONE_REALIZED")
	if list == "" {
		t.Skip("set VOXCLONE_REALIZED=speaker,… to measure")
	}
	e := New(Config{})
	for _, spk := range strings.Split(list, ",") {
		b, p := mustClone(t, e, loadRefs(t, spk, 30))
		want := phoneMeans(p.Pool)
		base, clone := resynthesisMeans(t, e, b, 0), resynthesisMeans(t, e, b, 1)
		var along, dist, resid float64
		keys := 0
		for k, s := range want.Phones {
			b0, c1 := base.Phones[k], clone.Phones[k]
			if s.N < 20 || b0.N < 20 || c1.N < 20 {
				continue
			}
			keys++
			for m := 1; m < len(s.Mean); m++ {
				d, got := s.Mean[m]-b0.Mean[m], c1.Mean[m]-b0.Mean[m]
				along += got * d
				dist += d * d
				resid += (s.Mean[m] - c1.Mean[m]) * (s.Mean[m] - c1.Mean[m])
			}
		}
		if dist == 0 {
			t.Fatalf("%s: no phone heard often enough on all three sides", spk)
		}
		t.Logf("%s: %d phones, realised fraction %.3f, residual %.3f of the distance", spk, keys, along/dist, resid/dist)
	}
}
