package voice

import (
	"math"
	"testing"

	"github.com/voxclone/voxclone/internal/tts/flite"
)

// synthPool builds a pool with n voiced frames per phone; phone k's
// mel-cepstra sit around centre[k] with a small deterministic spread.
func synthPool(phones []string, centre []float64, n int) *Pool {
	p := &Pool{Dim: mcepOrder + 1, Bands: 1, Phones: phones}
	p.alloc(n * len(phones))
	for k := range phones {
		for j := range n {
			i := k*n + j
			p.Phone[i], p.LogF0[i] = uint8(k), 5
			for m := range p.Dim {
				p.MCep[i*p.Dim+m] = quantF16(centre[k] + 0.1*math.Sin(float64(3*i+m)))
			}
		}
	}
	return p
}

func TestSelectionPrefersSamePhone(t *testing.T) {
	s := newSelector(synthPool([]string{"aa", "iy", "s"}, []float64{1, -1, 0}, 8), 1)
	// A query labelled "aa" whose spectrum looks exactly like an "iy" frame.
	iy := make([]float64, mcepOrder+1)
	for m := range iy {
		iy[m] = -1
	}
	q := s.normalise(nil, iy)
	cases := []struct {
		name, phone string
		want        float64 // mean of c1…cM of the selected frames; NaN: no candidates
	}{
		{"SamePhone", "aa", 1},
		{"OwnPhone", "iy", -1},
		{"ClassFallback", "ao", 1}, // back vowel: only "aa" shares the class
		{"FrontClass", "eh", -1},
		{"NoMatch", "m", math.NaN()}, // no nasal in the pool
		{"Silence", "pau", math.NaN()},
	}
	for _, c := range cases {
		cands := s.candidates(c.phone, 1)
		if math.IsNaN(c.want) {
			if len(cands) != 0 {
				t.Errorf("%s: %d candidates, want none", c.name, len(cands))
			}
			continue
		}
		out := make([]float64, mcepOrder+1)
		w := s.match(q, cands, out)
		mean := 0.0
		for _, v := range out[1:] {
			mean += v / mcepOrder
		}
		if math.Abs(mean-c.want) > 0.2 {
			t.Errorf("%s: selected frames average %.2f, want %.0f", c.name, mean, c.want)
		}
		if c.want == -1 && w < 0.99 {
			t.Errorf("%s: exact match weighted %.2f, want 1", c.name, w)
		}
	}
}

func TestSelectionWeightFallsWithDistance(t *testing.T) {
	s := newSelector(synthPool([]string{"aa", "iy"}, []float64{1, -1}, 8), 0.25)
	near := make([]float64, mcepOrder+1)
	far := make([]float64, mcepOrder+1)
	for m := range near {
		near[m], far[m] = 1, 40
	}
	out := make([]float64, mcepOrder+1)
	wNear := s.match(s.normalise(nil, near), s.candidates("aa", 1), out)
	wFar := s.match(s.normalise(nil, far), s.candidates("aa", 1), out)
	if wNear != 0.5 || wFar != 0 {
		t.Errorf("weights near %.2f far %.2f, want 0.5 (twice the strength) and 0", wNear, wFar)
	}
}

func TestSelectionSkipsUnvoicedMismatch(t *testing.T) {
	s := newSelector(synthPool([]string{"s", "z"}, []float64{1, -1}, 8), 1)
	if c := s.candidates("s", 0); len(c) != 0 { // the pool's "s" frames are voiced
		t.Errorf("unvoiced query got %d voiced candidates", len(c))
	}
}

func TestFrameLabels(t *testing.T) {
	phones := []flite.Phone{{Name: "pau", End: 0.01}, {Name: "ax", End: 0.02}, {Name: "s", End: 0.03}}
	got := frameLabels(phones, 5, 8)
	want := []string{"pau", "pau", "ah", "ah", "s", "s", "pau", "pau"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("labels %v, want %v", got, want)
		}
	}
}

func TestSelectionWeightBySimilarity(t *testing.T) {
	mid := (nearRMS + farRMS) / 2 // distance-gated trust 0.5
	cases := []struct{ sim, rms, want float64 }{
		{0, 0, 0},
		{0.25, 0, 0.5},
		{0.5, 0, 1},
		{0.5, mid, 0.5},
		{0.5, 10, 0},
		{0.75, mid, 0.75},
		{0.75, 10, 0.5},
		{1, 10, 1},
	}
	for _, c := range cases {
		s := &selector{strength: c.sim}
		if got := s.weight(c.rms); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("similarity %.2f, rms %.2f: weight %.3f, want %.3f", c.sim, c.rms, got, c.want)
		}
	}
}

func TestSegmentMeans(t *testing.T) {
	d := [][]float64{{1}, {3}, {10}, {0}, {4}}
	segmentMeans(d, []string{"aa", "aa", "s", "aa", "aa"})
	want := []float64{2, 2, 10, 2, 2}
	for i, w := range want {
		if d[i][0] != w {
			t.Fatalf("segment means %v, want %v", d, want)
		}
	}
}
