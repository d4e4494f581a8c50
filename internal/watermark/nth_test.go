package watermark

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestNth checks the selection against sorting, with many ties.
func TestNth(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 1; n < 300; n += 7 {
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(r.IntN(20))
		}
		s := slices.Clone(x)
		slices.Sort(s)
		for k := 0; k < n; k += 3 {
			if got := nth(slices.Clone(x), k); got != s[k] {
				t.Fatalf("n %d k %d: %v want %v", n, k, got, s[k])
			}
		}
	}
}
