package eval

import (
	"context"
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
