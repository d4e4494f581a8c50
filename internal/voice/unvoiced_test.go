package voice

import (
	"context"
	"math"
	"testing"

	"github.com/voxclone/voxclone/internal/fftpack"
	"github.com/voxclone/voxclone/internal/tts/flite"
)

// TestKeepUnvoicedPassesBaseVoice checks the passthrough on flite's own
// speech: with no spectral change the unvoiced samples are the base
// voice's, a uniform change of power by 4 doubles them, and voiced
// samples keep the vocoder's output. At analysisRate the base voice is
// kept exactly; at OutputRate the vocoder's band above the hand-over (a
// 10 kHz tone standing for the upper-band table's noise) stays too, and
// the base voice comes out as it would through an ideal upsampler, flat
// to 8 kHz: the roll-off of the resampler that carried it over is undone
// (upsampleLift).
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
		ref := x // what the unvoiced samples should be at unit gain
		if rate != analysisRate {
			ref = idealUpsample(x16, len(x), rate)
		}
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
			// y stands for the vocoder's output: below 8 kHz twice the
			// filtered base voice, which must not reach the unvoiced
			// samples, and a tone above, which must, scaled by bandMatch
			// to the base voice's 1–4 kHz level: by ½.
			stand := func(i int) float64 { return 2*math.Sqrt(power)*ref[i] + tone(i) }
			y := make([]float64, len(x))
			for i := range y {
				y[i] = stand(i)
			}
			keepUnvoiced(y, x, par.F0, before, after, rate, hop)
			var uv, v int
			for i := range y {
				switch voiced[i] {
				case 0:
					uv++
					if edge := uvWindowHops * hop; rate != analysisRate && (i < edge || i >= len(y)-edge) {
						// A window cut by the ends of y sees the tone's
						// step, which reaches 1–4 kHz (bandMatch).
						continue
					}
					if want := math.Sqrt(power)*ref[i] + tone(i)/2; math.Abs(y[i]-want) > tol {
						t.Fatalf("%d Hz, power %g: unvoiced sample %d = %g, want %g", rate, power, i, y[i], want)
					}
				case 1:
					v++
					if y[i] != stand(i) {
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

// idealUpsample carries x16 (at analysisRate) to rate by zero-padding its
// spectrum: a band-limited interpolation with no roll-off below 8 kHz.
// n is the length at rate; the spectrum is circular, so the ends (which
// the test skips) wrap.
func idealUpsample(x16 []float64, n, rate int) []float64 {
	m := n * analysisRate / rate
	in := make([]float64, m)
	copy(in, x16)
	spec := fftpack.NewFFT(m).Coefficients(nil, in)
	wide := make([]complex128, n/2+1)
	for j := range spec {
		if j < m/2 { // the Nyquist bin of the input is left out
			wide[j] = spec[j] / complex(float64(m), 0)
		}
	}
	return fftpack.NewFFT(n).Sequence(nil, wide)
}
