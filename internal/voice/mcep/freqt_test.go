package mcep

import (
	"math"
	"math/rand/v2"
	"testing"
)

// freqtRecursive is SPTK's freqt recursion written out directly: the
// reference the precomputed warp matrices must reproduce.
func freqtRecursive(in []float64, m2 int, alpha float64) []float64 {
	b := 1 - alpha*alpha
	g, d := make([]float64, m2+1), make([]float64, m2+1)
	for i := len(in) - 1; i >= 0; i-- {
		copy(d, g)
		g[0] = in[i] + alpha*d[0]
		if m2 >= 1 {
			g[1] = b*d[0] + alpha*d[1]
		}
		for j := 2; j <= m2; j++ {
			g[j] = d[j-1] + alpha*(d[j]-g[j-1])
		}
	}
	return g
}

func TestWarpMatrixMatchesFreqt(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct {
		in, out int
		alpha   float64
	}{{513, 25, 0.42}, {25, 513, -0.42}, {257, 41, 0.466}, {5, 3, 0.1}} {
		c := make([]float64, tc.in)
		for i := range c {
			c[i] = r.NormFloat64() / float64(i+1)
		}
		want := freqtRecursive(c, tc.out-1, tc.alpha)
		w := warpMatrix(tc.in, tc.out, tc.alpha)
		got := make([]float64, tc.out)
		for n, v := range c {
			axpy(got, v, w[n])
		}
		for m := range want {
			if math.Abs(got[m]-want[m]) > 1e-9*(1+math.Abs(want[m])) {
				t.Fatalf("%+v: c[%d] = %.12f, want %.12f", tc, m, got[m], want[m])
			}
		}
	}
}
