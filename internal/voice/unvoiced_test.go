package voice

import (
	"context"
	"math"
	"testing"

	"github.com/voxclone/voxclone/internal/tts/flite"
)

// TestKeepUnvoicedPassesBaseVoice checks the passthrough on flite's own
// speech: with no spectral change the unvoiced samples are the base
// voice's exactly, a uniform change of power by 4 doubles them, and voiced
// samples keep the vocoder's output.
func TestKeepUnvoicedPassesBaseVoice(t *testing.T) {
	r, err := flite.Synthesize(context.Background(), "slt", "She sells sea shells at the shore.", flite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	x := resampleTo(toFloat64(r.Audio.Samples), r.Audio.Rate, analysisRate)
	par, err := analyzeBase(x, r.Phones)
	if err != nil {
		t.Fatal(err)
	}
	hop := int(synthHop * analysisRate / 1000)
	voiced := voicedWeight(par.F0, len(x), hop)
	for _, power := range []float64{1, 4} {
		before := unvoicedEnvelopes(par.Envelope, par.F0)
		after := make([][]float64, len(par.Envelope))
		for i, e := range par.Envelope {
			after[i] = make([]float64, len(e))
			for j, v := range e {
				after[i][j] = power * v
			}
		}
		y := make([]float64, len(x))
		for i := range y {
			y[i] = 1e3 // stands for the vocoder's output
		}
		keepUnvoiced(y, x, par.F0, before, after, hop)
		var uv, v int
		for i := range y {
			switch voiced[i] {
			case 0:
				uv++
				if want := math.Sqrt(power) * x[i]; math.Abs(y[i]-want) > 1e-9 {
					t.Fatalf("power %g: unvoiced sample %d = %g, want %g", power, i, y[i], want)
				}
			case 1:
				v++
				if y[i] != 1e3 {
					t.Fatalf("power %g: voiced sample %d changed to %g", power, i, y[i])
				}
			}
		}
		if uv < len(x)/10 || v < len(x)/10 {
			t.Fatalf("%d unvoiced and %d voiced samples of %d: the sentence should have both", uv, v, len(x))
		}
	}
}
