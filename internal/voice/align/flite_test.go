package align

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/speechtest"
	"github.com/voxclone/voxclone/internal/tts/flite"
)

// fliteSentences are ordinary read-speech sentences; flite reports the exact
// phone boundaries of its own speech, which makes it a reference aligner.
var fliteSentences = []string{
	"Author of the danger trail, Philip Steels, etc.",
	"Please call Stella. Ask her to bring these things with her from the store.",
	"The invention of movable metal letters in the middle of the fifteenth century may justly be considered as the invention of the art of printing.",
	"Six spoons of fresh snow peas, five thick slabs of blue cheese, and maybe a snack for her brother Bob.",
	"When the sunlight strikes raindrops in the air, they act as a prism and form a rainbow.",
	"We also need a small plastic snake and a big toy frog for the kids.",
}

// boundaryErrors aligns the speech phones of ref and got by name (edit
// distance) and returns got's end time minus ref's for each matching phone,
// in seconds.
func boundaryErrors(ref []flite.Phone, got []Segment) []float64 {
	type ph struct {
		name string
		end  float64
	}
	var a, b []ph
	for _, p := range ref {
		if name := Normalize(p.Name); name != Silence {
			a = append(a, ph{name, p.End})
		}
	}
	for _, s := range got {
		if s.Phone != Silence {
			b = append(b, ph{s.Phone, s.End})
		}
	}
	pairs := matchNames(len(a), len(b), func(i, j int) bool { return a[i].name == b[j].name })
	errs := make([]float64, len(pairs))
	for k, p := range pairs {
		errs[k] = b[p[1]].end - a[p[0]].end
	}
	return errs
}

// errorStats gives the mean absolute error and the mean signed error in
// milliseconds and the fraction within 20 ms.
func errorStats(errs []float64) (meanAbs, bias, within20 float64) {
	for _, e := range errs {
		meanAbs += math.Abs(e)
		bias += e
		if math.Abs(e) <= 0.020 {
			within20++
		}
	}
	n := float64(len(errs))
	return 1000 * meanAbs / n, 1000 * bias / n, within20 / n
}

// matchNames returns the index pairs an edit-distance alignment matches.
func matchNames(n, m int, eq func(i, j int) bool) [][2]int {
	d := make([][]int, n+1)
	for i := range d {
		d[i] = make([]int, m+1)
		d[i][0] = i
	}
	for j := 0; j <= m; j++ {
		d[0][j] = j
	}
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			sub := d[i-1][j-1] + 1
			if eq(i-1, j-1) {
				sub = d[i-1][j-1]
			}
			d[i][j] = min(sub, d[i-1][j]+1, d[i][j-1]+1)
		}
	}
	var pairs [][2]int
	for i, j := n, m; i > 0 && j > 0; {
		switch {
		case eq(i-1, j-1) && d[i][j] == d[i-1][j-1]:
			pairs = append(pairs, [2]int{i - 1, j - 1})
			i, j = i-1, j-1
		case d[i][j] == d[i-1][j]+1:
			i--
		default:
			j--
		}
	}
	return pairs
}

func TestAlignFliteBoundaries(t *testing.T) {
	ctx := context.Background()
	var all []float64
	phones := 0
	for _, v := range []string{"slt", "rms"} {
		for _, s := range fliteSentences {
			r, err := flite.Synthesize(ctx, v, s, flite.Options{})
			if err != nil {
				t.Fatal(err)
			}
			segs, err := Align(ctx, r.Audio, s)
			if err != nil {
				t.Fatalf("%s %q: %v", v, s, err)
			}
			errs := boundaryErrors(r.Phones, segs)
			for _, p := range r.Phones {
				if p.Name != Silence {
					phones++
				}
			}
			mean, _, _ := errorStats(errs)
			t.Logf("%s: %.1f ms mean over %d phones: %q", v, mean, len(errs), s)
			all = append(all, errs...)
		}
	}
	mean, bias, within := errorStats(all)
	t.Logf("boundary error: mean %.1f ms, bias %+.1f ms, %.0f%% within 20 ms, over %d of flite's %d phones",
		mean, bias, 100*within, len(all), phones)
	if mean > 40 {
		t.Errorf("mean boundary error %.1f ms, want < 40 ms", mean)
	}
	if float64(len(all)) < 0.8*float64(phones) {
		t.Errorf("only %d of %d phones matched by name", len(all), phones)
	}
}

// TestAlignLongFlite aligns over a minute of flite speech in one call,
// which the aligner decodes in chunks, against flite's exact boundaries.
func TestAlignLongFlite(t *testing.T) {
	text := strings.Join(speechtest.Passage()[:16], " ")
	r, err := flite.Synthesize(context.Background(), "slt", text, flite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Audio.Seconds() < 2*(chunkSeconds+chunkTail) {
		t.Fatalf("only %.0f s of speech; the test needs several chunks", r.Audio.Seconds())
	}
	segs, err := Align(context.Background(), r.Audio, text)
	if err != nil {
		t.Fatal(err)
	}
	checkTiling(t, "long", segs, r.Audio.Seconds())
	checkWordOrder(t, "long", segs, Words(text))
	errs := boundaryErrors(r.Phones, segs)
	mean, bias, within := errorStats(errs)
	t.Logf("%.0f s: mean %.1f ms, bias %+.1f ms, %.0f%% within 20 ms over %d phones",
		r.Audio.Seconds(), mean, bias, 100*within, len(errs))
	if mean > 40 {
		t.Errorf("mean boundary error %.1f ms, want < 40 ms", mean)
	}
}
