package voice

import (
	"context"
	"math"
	"testing"

	"github.com/voxclone/voxclone/internal/tts/flite"
)

// TestKeepUnvoicedPassesBaseVoice checks the passthrough on flite's own
// speech: with no spectral change the unvoiced samples are the base
// voice's, a uniform change of power by 4 doubles them, and voiced
// samples keep the vocoder's output. At analysisRate the base voice is
// kept exactly; at OutputRate the vocoder's band above the hand-over (a
// 10 kHz tone standing for the upper-band table's noise) stays too.
func TestKeepUnvoicedPassesBaseVoice(t *testing.T) {
	r, err := flite.Synthesize(context.Background(), "slt", "She sells sea shells at the shore.", flite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	x16 := resampleTo(toFloat64(r.Audio.Samples), r.Audio.Rate, analysisRate)
	par, err := analyzeBase(x16, r.Phones)
	if err != nil {
		t.Fatal(err)
	}
	peak := 0.0
	for _, v := range x16 {
		peak = math.Max(peak, math.Abs(v))
	}
	for _, rate := range []int{analysisRate, OutputRate} {
		x := resampleTo(x16, analysisRate, rate)
		hop := int(synthHop) * rate / 1000
		voiced := voicedWeight(par.F0, len(x), hop, uvRampSamples*rate/analysisRate)
		tone := func(i int) float64 {
			if rate == analysisRate {
				return 0
			}
			return 0.01 * math.Sin(2*math.Pi*10000*float64(i)/float64(rate))
		}
		tol := 1e-9
		if rate != analysisRate {
			// What little of flite's band reaches the hand-over, and the
			// tone's leakage below it.
			tol = 2e-3 * peak
		}
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
				y[i] = 1e3 + tone(i) // stands for the vocoder's output
			}
			keepUnvoiced(y, x, par.F0, before, after, rate, hop)
			var uv, v int
			for i := range y {
				switch voiced[i] {
				case 0:
					uv++
					if edge := uvWindowHops * hop; rate != analysisRate && (i < edge || i >= len(y)-edge) {
						// A window cut by the ends of y sees the stand-in's
						// constant as a step, which reaches the upper band.
						continue
					}
					if want := math.Sqrt(power)*x[i] + tone(i); math.Abs(y[i]-want) > tol {
						t.Fatalf("%d Hz, power %g: unvoiced sample %d = %g, want %g", rate, power, i, y[i], want)
					}
				case 1:
					v++
					if y[i] != 1e3+tone(i) {
						t.Fatalf("%d Hz, power %g: voiced sample %d changed to %g", rate, power, i, y[i])
					}
				}
			}
			if uv < len(x)/10 || v < len(x)/10 {
				t.Fatalf("%d Hz: %d unvoiced and %d voiced samples of %d: the sentence should have both", rate, uv, v, len(x))
			}
		}
	}
}
