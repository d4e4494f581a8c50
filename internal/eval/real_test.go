package eval

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/voxclone/voxclone/internal/speechtest"
)

// TestRealSpeechIdentified trains the identifier on the held-out half of
// every shared speaker and identifies the reference half it never saw.
// A broken front end, EM or MAP step drops this toward chance (1/9).
func TestRealSpeechIdentified(t *testing.T) {
	ctx := context.Background()
	speakers, _, err := LoadDataset(ctx, speechtest.Dir(t))
	if err != nil {
		t.Fatal(err)
	}
	// At most 8 recordings per speaker (4 to train, 4 to test; 2 and 2
	// under the race detector) keep the test quick; the eval command uses
	// them all.
	limit := 8
	if raceEnabled {
		limit = 4
	}
	for i, s := range speakers {
		all := append(append([]Utterance(nil), s.Reference...), s.HeldOut...)
		all = all[:min(len(all), limit)]
		n := max(1, len(all)/2)
		speakers[i].Reference, speakers[i].HeldOut = all[:n], all[n:]
	}
	real, err := prepareReal(ctx, speakers, 0)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := trainIdentifiers(real)
	if err != nil {
		t.Fatal(err)
	}
	var n, right, rightNorm int
	for s, spk := range speakers {
		c := tally(ids, s, real[s].refRaw, real[s].refNorm)
		t.Logf("%-18s %d/%d plain, %d/%d CMVN, margin %+.2f / %+.2f", spk.Name, c.right, c.n, c.rightNorm, c.n,
			c.margin/float64(c.n), c.marginNorm/float64(c.n))
		if len(spk.Reference)+len(spk.HeldOut) >= 4 {
			n, right, rightNorm = n+c.n, right+c.right, rightNorm+c.rightNorm
		}
	}
	chance := 1 / float64(len(speakers))
	if acc := float64(rightNorm) / float64(n); acc < 0.7 {
		t.Errorf("CMVN accuracy on real speech %.2f (chance %.2f), want ≥ 0.7", acc, chance)
	}
	if acc := float64(right) / float64(n); acc < 0.7 {
		t.Errorf("plain accuracy on real speech %.2f (chance %.2f), want ≥ 0.7", acc, chance)
	}
}

// A speaker none of whose frames stand above its noise floor (a very
// noisy recording) leaves the secondary identifier untrained; the main
// identifiers, and so the protocol's figures, must still come out.
func TestTrainIdentifiersWithoutFloorFrames(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	utt := func(mean float64) [][]float64 {
		x := make([][]float64, 200)
		for i := range x {
			x[i] = []float64{mean + rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()}
		}
		return x
	}
	real := []realSpeech{
		{raw: [][][]float64{utt(0)}, norm: [][][]float64{utt(0)}, floor: [][][]float64{utt(0)}},
		{raw: [][][]float64{utt(3)}, norm: [][][]float64{utt(3)}, floor: [][][]float64{nil}},
	}
	ids, err := trainIdentifiers(real)
	if err != nil {
		t.Fatalf("the secondary identifier stopped the protocol's: %v", err)
	}
	if ids.raw == nil || ids.norm == nil || ids.floor != nil {
		t.Fatalf("identifiers raw %v norm %v floor %v, want the main two and no floor", ids.raw != nil, ids.norm != nil, ids.floor != nil)
	}
	var c condResult
	tallyFloor(&c, ids.floor, 1, [][][]float64{utt(3)})
	if c.floorScored {
		t.Error("an untrained secondary identifier counted as scored")
	}
}
