package mcep

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/voxclone/voxclone/internal/fftpack"
)

// formantEnvelope is a smooth power spectrum with three resonances and a
// spectral tilt, like a vowel's.
func formantEnvelope(bins int, fs float64, formants [][2]float64) []float64 {
	env := make([]float64, bins)
	for k := range env {
		w := math.Pi * float64(k) / float64(bins-1)
		h := complex(1, 0)
		for _, f := range formants {
			r := math.Exp(-math.Pi * f[1] / fs)
			th := 2 * math.Pi * f[0] / fs
			z1 := complex(math.Cos(w), -math.Sin(w))
			den := 1 - complex(2*r*math.Cos(th), 0)*z1 + complex(r*r, 0)*z1*z1
			h /= den
		}
		env[k] = real(h)*real(h) + imag(h)*imag(h)
	}
	return env
}

func rmsDB(a, b []float64) float64 {
	var s float64
	for i := range a {
		d := 10 * math.Log10(a[i]/b[i])
		s += d * d
	}
	return math.Sqrt(s / float64(len(a)))
}

// TestRoundTripExact: a mel-cepstrum → envelope → mel-cepstrum round trip
// returns the same coefficients (the envelope holds the whole series).
func TestRoundTripExact(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	c := NewConverter(513, 24, 0.42)
	mc := make([]float64, 25)
	for m := range mc {
		mc[m] = r.NormFloat64() / float64(m+1)
	}
	env := c.ToEnvelope(nil, mc)
	back := c.FromEnvelope(nil, env)
	for m := range mc {
		if math.Abs(back[m]-mc[m]) > 1e-3 {
			t.Errorf("c[%d] = %.6f, want %.6f", m, back[m], mc[m])
		}
	}
	if d := MCD(mc, back); d > 0.01 {
		t.Errorf("MCD after round trip %.4f dB", d)
	}
}

// TestEnvelopeRoundTrip: a vowel-like envelope survives order-24 and order-40
// coding with small log-spectral error, and higher order is more accurate.
func TestEnvelopeRoundTrip(t *testing.T) {
	env := formantEnvelope(513, 16000, [][2]float64{{650, 90}, {1100, 110}, {2700, 160}})
	var errs []float64
	for _, order := range []int{24, 40} {
		c := NewConverter(513, order, 0.42)
		back := c.ToEnvelope(nil, c.FromEnvelope(nil, env))
		errs = append(errs, rmsDB(env, back))
	}
	t.Logf("RMS log-spectral error: order 24 %.2f dB, order 40 %.2f dB", errs[0], errs[1])
	if errs[0] > 1.5 || errs[1] > errs[0] || errs[1] > 0.7 {
		t.Errorf("RMS errors %.2f dB (order 24), %.2f dB (order 40)", errs[0], errs[1])
	}
}

// TestGainIsC0: scaling the power by g moves only c0, by ln(g)/2.
func TestGainIsC0(t *testing.T) {
	env := formantEnvelope(513, 16000, [][2]float64{{500, 80}, {1500, 100}})
	c := NewConverter(513, 24, 0.42)
	a := c.FromEnvelope(nil, env)
	louder := make([]float64, len(env))
	for i, v := range env {
		louder[i] = 4 * v
	}
	b := c.FromEnvelope(nil, louder)
	if d := b[0] - a[0]; math.Abs(d-math.Log(4)/2) > 1e-9 {
		t.Errorf("c0 moved by %.6f, want %.6f", d, math.Log(4)/2)
	}
	if d := MCD(a, b); d > 1e-9 {
		t.Errorf("MCD of a pure gain change = %g, want 0", d)
	}
}

// TestMCDGrowsWithDistortion: identical cepstra give 0 dB and moving the
// formants further moves MCD further.
func TestMCDGrowsWithDistortion(t *testing.T) {
	env := formantEnvelope(513, 16000, [][2]float64{{700, 80}, {1200, 90}, {2600, 120}})
	c := NewConverter(513, 24, 0.42)
	ref := c.FromEnvelope(nil, env)
	if d := MCD(ref, ref); d != 0 {
		t.Fatalf("MCD of identical = %g", d)
	}
	prev := 0.0
	for _, shift := range []float64{20, 60, 150, 300} {
		moved := formantEnvelope(513, 16000, [][2]float64{{700 + shift, 80}, {1200 + shift, 90}, {2600 + shift, 120}})
		d := MCD(ref, c.FromEnvelope(nil, moved))
		t.Logf("formants +%3.0f Hz: MCD %.2f dB", shift, d)
		if d <= prev {
			t.Errorf("MCD %.2f dB at +%.0f Hz does not exceed %.2f dB", d, shift, prev)
		}
		prev = d
	}
}

func TestAlignedMCD(t *testing.T) {
	c := NewConverter(513, 24, 0.42)
	var a [][]float64
	for i := range 40 {
		f := 500 + 20*float64(i)
		a = append(a, c.FromEnvelope(nil, formantEnvelope(513, 16000, [][2]float64{{f, 80}, {2 * f, 100}})))
	}
	// b is a slowed down (every frame repeated) copy of a.
	var b [][]float64
	for _, v := range a {
		b = append(b, v, v)
	}
	if d := AlignedMCD(a, b); d > 1e-9 {
		t.Errorf("aligned MCD of a time-stretched copy = %g, want 0", d)
	}
	path := DTW(a, b)
	if path[0] != [2]int{0, 0} || path[len(path)-1] != [2]int{39, 79} {
		t.Errorf("path from %v to %v", path[0], path[len(path)-1])
	}
	if d := MeanMCD(a, b); d <= 0.5 {
		t.Errorf("unaligned MCD %.2f dB, want clearly above 0", d)
	}
	if AlignedMCD(nil, b) != 0 || DTW(a, nil) != nil {
		t.Error("empty input should give 0 / nil")
	}
}

func TestSilenceFinite(t *testing.T) {
	c := NewConverter(513, 24, 0.42)
	mc := c.FromEnvelope(nil, make([]float64, 513))
	for m, v := range mc {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("c[%d] = %v for silence", m, v)
		}
	}
}

func BenchmarkFromEnvelope(b *testing.B) {
	env := formantEnvelope(513, 16000, [][2]float64{{700, 80}, {1200, 90}, {2600, 120}})
	c := NewConverter(513, 24, 0.42)
	dst := make([]float64, 25)
	for b.Loop() {
		c.FromEnvelope(dst, env)
	}
}

func BenchmarkToEnvelope(b *testing.B) {
	env := formantEnvelope(513, 16000, [][2]float64{{700, 80}, {1200, 90}, {2600, 120}})
	c := NewConverter(513, 24, 0.42)
	mc := c.FromEnvelope(nil, env)
	dst := make([]float64, 513)
	for b.Loop() {
		c.ToEnvelope(dst, mc)
	}
}

func BenchmarkNewConverter(b *testing.B) {
	for b.Loop() {
		NewConverter(513, 24, 0.42)
	}
}

// TestFromCepstrumMatchesFromEnvelope gives FromCepstrum a cepstrum and
// FromEnvelope the envelope it describes (exp of its DCT-I).
func TestFromCepstrumMatchesFromEnvelope(t *testing.T) {
	const bins = 513
	r := rand.New(rand.NewPCG(5, 6))
	c := NewConverter(bins, 24, 0.42)
	dct := fftpack.NewDCT(bins)
	for range 20 {
		cep := make([]float64, bins)
		for i := range cep {
			cep[i] = r.NormFloat64() / float64(1+i*i) // smooth, like a liftered cepstrum
		}
		env := make([]float64, bins)
		dct.Transform(env, cep)
		for i, v := range env {
			env[i] = math.Exp(v)
		}
		want := c.FromEnvelope(nil, env)
		got := c.FromCepstrum(nil, cep)
		for m := range want {
			if math.Abs(got[m]-want[m]) > 1e-12 {
				t.Fatalf("mc[%d] = %.15f from the cepstrum, %.15f from the envelope", m, got[m], want[m])
			}
		}
	}
}
