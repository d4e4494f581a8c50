package world

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"
)

func finite2(t testing.TB, name string, m [][]float64) {
	t.Helper()
	for i, row := range m {
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("%s[%d][%d] = %v", name, i, j, v)
			}
		}
	}
}

// roundTrip analyses and resynthesises x, checking shapes and finiteness.
func roundTrip(t testing.TB, x []float64, fs int, opt AnalyzeOptions) (*Params, []float64) {
	t.Helper()
	p, err := Analyze(x, fs, opt)
	if err != nil {
		t.Fatalf("Analyze: %v", err)
	}
	if n := NumFrames(len(x), fs, p.FramePeriod); len(p.F0) != n {
		t.Fatalf("%d frames, want %d", len(p.F0), n)
	}
	if err := p.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	finite2(t, "envelope", p.Envelope)
	finite2(t, "aperiodicity", p.Aperiodicity)
	for i, f := range p.F0 {
		if math.IsNaN(f) || f < 0 {
			t.Fatalf("F0[%d] = %v", i, f)
		}
	}
	y, err := Synthesize(p, SynthesisOptions{})
	if err != nil {
		t.Fatalf("Synthesize: %v", err)
	}
	if len(y) != len(x) {
		t.Fatalf("synthesised %d samples, want %d", len(y), len(x))
	}
	return p, y
}

func TestRobustInputs(t *testing.T) {
	square := make([]float64, 8000)
	for i := range square {
		v := math.Sin(2 * math.Pi * 150 * float64(i) / 16000)
		square[i] = math.Max(-0.5, math.Min(0.5, 4*v)) // hard-clipped
	}
	impulse := make([]float64, 4000)
	impulse[2000] = 1
	cases := map[string][]float64{
		"empty":   {},
		"one":     {0.3},
		"short":   {0, 0.1, -0.2, 0.5, 1, -1, 0},
		"zeros":   make([]float64, 16000),
		"dc":      constant(16000, 0.9),
		"square":  square,
		"impulse": impulse,
	}
	for name, x := range cases {
		for _, mode := range []AperiodicityMode{D4C, Template} {
			t.Run(name, func(t *testing.T) {
				p, y := roundTrip(t, x, 16000, AnalyzeOptions{Aperiodicity: AperiodicityOptions{Mode: mode}})
				if name == "zeros" {
					for i, f := range p.F0 {
						if f != 0 {
							t.Fatalf("silence voiced at frame %d (%.1f Hz)", i, f)
						}
					}
					if e := energy(y); e > 1e-6 {
						t.Errorf("silence resynthesised with energy %g", e)
					}
				}
			})
		}
	}
}

func TestSquareIsVoiced(t *testing.T) {
	x := make([]float64, 16000)
	for i := range x {
		if math.Sin(2*math.Pi*150*float64(i)/16000) < 0 {
			x[i] = -0.9
		} else {
			x[i] = 0.9
		}
	}
	p, _ := roundTrip(t, x, 16000, AnalyzeOptions{})
	var voiced int
	for _, f := range p.F0[10 : len(p.F0)-10] {
		if math.Abs(f-150) < 1.5 {
			voiced++
		}
	}
	if voiced < len(p.F0)-30 {
		t.Errorf("only %d of %d frames voiced at 150 Hz", voiced, len(p.F0)-20)
	}
}

func TestOtherRates(t *testing.T) {
	for _, fs := range []int{8000, 22050, 24000, 48000} {
		x := harmonic(fs, 0.5, func(float64) float64 { return 180 })
		p, _ := roundTrip(t, x, fs, AnalyzeOptions{})
		if got, want := p.FFTSize, FFTSizeFor(fs, 0); got != want {
			t.Errorf("%d Hz: FFT size %d, want %d", fs, got, want)
		}
		if f := p.F0[len(p.F0)/2]; math.Abs(f-180) > 1.8 {
			t.Errorf("%d Hz: mid F0 %.2f, want 180", fs, f)
		}
	}
}

func TestBadInput(t *testing.T) {
	if _, err := Analyze([]float64{0, math.NaN()}, 16000, AnalyzeOptions{}); !errors.Is(err, ErrNotFinite) {
		t.Errorf("NaN input: err = %v, want ErrNotFinite", err)
	}
	if _, err := F0(make([]float64, 100), 100, F0Options{}); !errors.Is(err, ErrRate) {
		t.Errorf("100 Hz rate: err = %v, want ErrRate", err)
	}
	p := &Params{Rate: 16000, FramePeriod: 5, FFTSize: 1024, F0: []float64{100}, Envelope: [][]float64{{1}}}
	if _, err := Synthesize(p, SynthesisOptions{}); !errors.Is(err, ErrShape) {
		t.Errorf("short envelope row: err = %v, want ErrShape", err)
	}
}

// TestSynthesizeEditedParams checks the engine's use: F0 scaled, frames
// dropped, extreme F0 values, and Samples derived from the frame count.
func TestSynthesizeEditedParams(t *testing.T) {
	x := harmonic(16000, 0.5, func(float64) float64 { return 120 })
	p, _ := roundTrip(t, x, 16000, AnalyzeOptions{Aperiodicity: AperiodicityOptions{Mode: Template}})
	q := *p
	q.Samples = 0
	q.F0 = append([]float64(nil), p.F0...)
	q.F0[3], q.F0[4], q.F0[5] = 1e9, math.Inf(1), -5
	q.Envelope, q.Aperiodicity = p.Envelope[:50], nil
	q.F0 = q.F0[:50]
	y, err := Synthesize(&q, SynthesisOptions{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if want := int(49*0.005*16000) + 1; len(y) != want {
		t.Errorf("%d samples, want %d", len(y), want)
	}
	for i, v := range y {
		if math.IsNaN(v) || math.Abs(v) > 100 {
			t.Fatalf("sample %d = %v", i, v)
		}
	}
}

func TestClone(t *testing.T) {
	x := harmonic(16000, 0.2, func(float64) float64 { return 200 })
	p, _ := roundTrip(t, x, 16000, AnalyzeOptions{})
	q := p.Clone()
	q.F0[10], q.Envelope[10][5], q.Aperiodicity[10][5] = 1, 2, 0.5
	if p.F0[10] == 1 || p.Envelope[10][5] == 2 || p.Aperiodicity[10][5] == 0.5 {
		t.Error("editing the clone changed the original")
	}
	if q.Rate != p.Rate || q.Samples != p.Samples || len(q.Envelope) != len(p.Envelope) {
		t.Error("clone lost scalar fields or frames")
	}
}

func constant(n int, v float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = v
	}
	return x
}

func energy(x []float64) float64 {
	var e float64
	for _, v := range x {
		e += v * v
	}
	return e
}

// FuzzAnalyzeSynthesize feeds arbitrary 16-bit sample streams through the
// whole vocoder: nothing may panic, and every output must be finite.
func FuzzAnalyzeSynthesize(f *testing.F) {
	f.Add([]byte{}, false)
	f.Add([]byte{0x00, 0x80, 0xff, 0x7f}, true)
	seed := make([]byte, 3200)
	for i := range seed {
		seed[i] = byte(i * 37)
	}
	f.Add(seed, false)
	f.Fuzz(func(t *testing.T, b []byte, template bool) {
		if len(b) > 1<<15 {
			b = b[:1<<15]
		}
		x := make([]float64, len(b)/2)
		for i := range x {
			x[i] = float64(int16(binary.LittleEndian.Uint16(b[2*i:]))) / 32768
		}
		mode := D4C
		if template {
			mode = Template
		}
		_, y := roundTrip(t, x, 16000, AnalyzeOptions{Aperiodicity: AperiodicityOptions{Mode: mode}})
		for i, v := range y {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("sample %d = %v", i, v)
			}
		}
	})
}
