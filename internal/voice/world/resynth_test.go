package world

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/voxclone/voxclone/internal/speechtest"
	"github.com/voxclone/voxclone/internal/voice/mcep"
)

// speech16k returns the first utterance (at most 3 s) of four real 16 kHz
// speakers, two male and two female.
func speech16k(t testing.TB) map[string][]float64 {
	t.Helper()
	out := map[string][]float64{}
	for _, spk := range []string{"cmuarctic_aew", "cmuarctic_axb", "librispeech_1688", "librispeech_1998"} {
		p := speechtest.WAVs(t, spk)[0]
		x, fs := readWAV(t, p)
		if fs != 16000 {
			t.Fatalf("%s: rate %d, want 16000", p, fs)
		}
		secs := 3
		if raceEnabled {
			secs = 2
		}
		out[spk+"/"+filepath.Base(p)] = x[:min(len(x), secs*fs)]
	}
	return out
}

// envelopeMCD is the mean MCD (order 24, α 0.42, c0 excluded) between the
// envelopes of a and b over frames a calls voiced (or unvoiced) that are
// within 40 dB of a's loudest frame.
func envelopeMCD(a, b *Params, voiced bool) float64 {
	ca := mcep.FromEnvelopes(a.Envelope, 24, 0.42)
	cb := mcep.FromEnvelopes(b.Envelope, 24, 0.42)
	peak := math.Inf(-1)
	for _, c := range ca {
		peak = math.Max(peak, c[0])
	}
	floor := peak - 40/(20/math.Ln10) // c0 is a log amplitude
	var sum float64
	var n int
	for i := range min(len(ca), len(cb)) {
		if ca[i][0] < floor || (a.F0[i] > 0) != voiced {
			continue
		}
		sum += mcep.MCD(ca[i], cb[i])
		n++
	}
	return sum / float64(n)
}

// reanalyse synthesises p and measures the envelope of the result at p's own
// F0, so only the envelope path is compared.
func reanalyse(t *testing.T, p *Params, seed uint64) *Params {
	t.Helper()
	y, err := Synthesize(p, SynthesisOptions{Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	if len(y) != p.Samples {
		t.Fatalf("resynthesis has %d samples, want %d", len(y), p.Samples)
	}
	env, err := Envelope(y, p.Rate, p.F0, p.FramePeriod, EnvelopeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	q := *p
	q.Envelope = env
	return &q
}

// TestResynthesisTransparent re-analyses the resynthesis of real speech.
// Voiced frames mix pulses with noise whose re-analysis varies from one
// noise draw to the next, so the test reports that floor (two seeds against
// each other) beside the distortion, and bounds the deterministic pulse path
// separately by resynthesising with the noise removed.
func TestResynthesisTransparent(t *testing.T) {
	var full, periodic float64
	speech := speech16k(t)
	for name, x := range speech {
		p, err := Analyze(x, 16000, AnalyzeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		r0, r1 := reanalyse(t, p, 0), reanalyse(t, p, 1)
		pp := *p
		pp.Aperiodicity = make([][]float64, len(p.F0))
		for i, row := range p.Aperiodicity {
			pp.Aperiodicity[i] = row
			if p.F0[i] > 0 {
				pp.Aperiodicity[i] = constant(len(row), 0.001)
			}
		}
		rp := reanalyse(t, &pp, 0)
		v, u := envelopeMCD(p, r0, true), envelopeMCD(p, r0, false)
		floor, per := envelopeMCD(r0, r1, true), envelopeMCD(p, rp, true)
		t.Logf("%s: voiced %.2f dB (noise floor %.2f), unvoiced %.2f dB, pulses only %.2f dB", name, v, floor, u, per)
		if v > 2.2 || per > 1.8 {
			t.Errorf("%s: voiced MCD %.2f dB (want ≤ 2.2), pulses-only %.2f dB (want ≤ 1.8)", name, v, per)
		}
		full += v / float64(len(speech))
		periodic += per / float64(len(speech))
	}
	t.Logf("mean voiced MCD %.2f dB, pulses only %.2f dB", full, periodic)
	if full >= 1.8 || periodic >= 1.5 {
		t.Errorf("mean voiced MCD %.2f dB (want < 1.8), pulses only %.2f dB (want < 1.5)", full, periodic)
	}
}
