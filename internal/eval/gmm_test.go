package eval

import (
	"math"
	"math/rand/v2"
	"testing"
)

func clusters(n int, centres [][]float64, seed uint64) [][]float64 {
	rng := rand.New(rand.NewPCG(seed, 1))
	var x [][]float64
	for i := 0; i < n; i++ {
		c := centres[i%len(centres)]
		row := make([]float64, len(c))
		for j := range c {
			row[j] = c[j] + 0.5*rng.NormFloat64()
		}
		x = append(x, row)
	}
	return x
}

func TestEMIncreasesLikelihood(t *testing.T) {
	x := clusters(3000, [][]float64{{0, 0}, {5, 0}, {0, 5}}, 3)
	g, trace := trainGMM(x, 4, 20, 9)
	for i := 1; i < len(trace); i++ {
		if trace[i] < trace[i-1]-1e-9 {
			t.Fatalf("log-likelihood fell at iteration %d: %v", i, trace)
		}
	}
	if trace[len(trace)-1]-trace[0] < 0.1 {
		t.Errorf("EM barely moved: %v", trace)
	}
	// Every cluster centre has a heavy component nearby.
	for _, c := range [][]float64{{0, 0}, {5, 0}, {0, 5}} {
		found := false
		for k, mu := range g.means {
			if math.Hypot(mu[0]-c[0], mu[1]-c[1]) < 0.3 && g.weights[k] > 0.15 {
				found = true
			}
		}
		if !found {
			t.Errorf("no component near %v: means %v weights %v", c, g.means, g.weights)
		}
	}
}

func TestEMIsDeterministic(t *testing.T) {
	x := clusters(2000, [][]float64{{0, 0}, {3, 3}}, 5)
	a, _ := trainGMM(x, 3, 5, 42)
	b, _ := trainGMM(x, 3, 5, 42)
	for k := range a.means {
		for j := range a.means[k] {
			if a.means[k][j] != b.means[k][j] {
				t.Fatalf("same seed, different means: %v vs %v", a.means, b.means)
			}
		}
	}
}

func TestMAPMovesMeansTowardData(t *testing.T) {
	ubm := &gmm{
		weights: []float64{0.5, 0.5},
		means:   [][]float64{{0, 0}, {10, 10}},
		vars:    [][]float64{{1, 1}, {1, 1}},
	}
	ubm.prepare()
	data := clusters(400, [][]float64{{1, -1}}, 7) // near component 0 only
	st := ubm.stats(data, false)
	m := mapAdapt(ubm, st, mapRelevance)
	n := st.n[0]
	a := n / (n + mapRelevance)
	for j, target := range []float64{st.f[0][0] / n, st.f[0][1] / n} {
		if want := a * target; math.Abs(m.means[0][j]-want) > 1e-9 {
			t.Errorf("mean[0][%d] = %g, want %g", j, m.means[0][j], want)
		}
	}
	if d0, d1 := math.Hypot(m.means[0][0]-1, m.means[0][1]+1), math.Hypot(1, 1); d0 > 0.1*d1 {
		t.Errorf("adapted mean %v still far from the data near (1,-1)", m.means[0])
	}
	if math.Hypot(m.means[1][0]-10, m.means[1][1]-10) > 1e-6 {
		t.Errorf("component without data moved: %v", m.means[1])
	}
	if ubm.means[0][0] != 0 {
		t.Error("mapAdapt modified the UBM")
	}
	if ll, base := m.avgLogLik(data), ubm.avgLogLik(data); ll <= base {
		t.Errorf("adapted model fits its data worse: %g ≤ %g", ll, base)
	}
}
