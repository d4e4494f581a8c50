package dsp

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
)

func sine(rate int, freq, amp float64, seconds float64) *audio.PCM {
	n := int(float64(rate) * seconds)
	p := &audio.PCM{Rate: rate, Channels: 1, Samples: make([]float32, n)}
	for i := range p.Samples {
		p.Samples[i] = float32(amp * math.Sin(2*math.Pi*freq*float64(i)/float64(rate)))
	}
	return p
}

// sineSNR fits a sine of the given frequency by least squares to the middle
// of x (edges hold the filter's start-up) and returns signal over residual
// in dB, plus the fitted amplitude.
func sineSNR(x []float32, rate int, freq float64) (snr, amp float64) {
	skip := len(x) / 10
	var ss, cc, sc, xs, xc float64
	for i := skip; i < len(x)-skip; i++ {
		w := 2 * math.Pi * freq * float64(i) / float64(rate)
		s, c := math.Sin(w), math.Cos(w)
		ss, cc, sc = ss+s*s, cc+c*c, sc+s*c
		xs, xc = xs+float64(x[i])*s, xc+float64(x[i])*c
	}
	det := ss*cc - sc*sc
	a, b := (xs*cc-xc*sc)/det, (xc*ss-xs*sc)/det
	var sig, res float64
	for i := skip; i < len(x)-skip; i++ {
		w := 2 * math.Pi * freq * float64(i) / float64(rate)
		fit := a*math.Sin(w) + b*math.Cos(w)
		sig += fit * fit
		d := float64(x[i]) - fit
		res += d * d
	}
	return 10 * math.Log10(sig/res), math.Hypot(a, b)
}

func rms(x []float32) float64 {
	var s float64
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return math.Sqrt(s / float64(len(x)))
}

func TestResampleSineChain(t *testing.T) {
	in := sine(48000, 1000, 0.5, 1)
	mid := Resample(in, 16000)
	out := Resample(mid, 44100)
	if got, want := out.Frames(), 44100; got != want {
		t.Fatalf("frames = %d, want %d", got, want)
	}
	snr, amp := sineSNR(out.Samples, 44100, 1000)
	if snr < 70 {
		t.Errorf("48k→16k→44.1k SNR = %.1f dB, want > 70", snr)
	}
	if math.Abs(20*math.Log10(amp/0.5)) > 0.05 {
		t.Errorf("amplitude %.4f, want 0.5 ± 0.05 dB", amp)
	}
	t.Logf("SNR %.1f dB, amplitude %.5f", snr, amp)
}

func TestResampleRejectsAliases(t *testing.T) {
	// 12 kHz is above the 8 kHz Nyquist of the output; an unfiltered
	// decimator would fold it to 4 kHz at full level.
	for _, tc := range []struct {
		from, to int
		freq     float64
	}{{48000, 16000, 12000}, {44100, 16000, 9500}, {48000, 8000, 6000}, {22050, 16000, 10000}} {
		out := Resample(sine(tc.from, tc.freq, 0.5, 1), tc.to)
		level := 20 * math.Log10(rms(out.Samples[tc.to/10:out.Frames()-tc.to/10])/(0.5/math.Sqrt2))
		if level > -70 {
			t.Errorf("%d→%d: %.0f Hz leaks at %.1f dB, want < -70", tc.from, tc.to, tc.freq, level)
		}
	}
}

func TestResamplePassband(t *testing.T) {
	for _, tc := range []struct {
		from, to int
		freq     float64
	}{{44100, 16000, 3000}, {16000, 48000, 6000}, {8000, 44100, 3000}, {44100, 47999, 10000}} {
		out := Resample(sine(tc.from, tc.freq, 0.5, 0.5), tc.to)
		snr, amp := sineSNR(out.Samples, tc.to, tc.freq)
		if db := 20 * math.Log10(amp/0.5); math.Abs(db) > 0.1 || snr < 70 {
			t.Errorf("%d→%d at %.0f Hz: gain %.3f dB, SNR %.1f dB", tc.from, tc.to, tc.freq, db, snr)
		}
	}
}

func TestResampleStereoAndIdentity(t *testing.T) {
	p := &audio.PCM{Rate: 16000, Channels: 2, Samples: make([]float32, 2*1600)}
	for i := 0; i < 1600; i++ {
		p.Samples[2*i] = 0.25
		p.Samples[2*i+1] = -0.25
	}
	if Resample(p, 16000) != p {
		t.Error("same rate should return the input")
	}
	out := Resample(p, 48000)
	if out.Channels != 2 || out.Frames() != 4800 {
		t.Fatalf("got %d ch %d frames", out.Channels, out.Frames())
	}
	if l, r := out.Samples[2*2400], out.Samples[2*2400+1]; math.Abs(float64(l)-0.25) > 1e-4 || math.Abs(float64(r)+0.25) > 1e-4 {
		t.Errorf("channels mixed: L %v R %v", l, r)
	}
}

func TestHighPass(t *testing.T) {
	f := HighPass(50, 16000, math.Sqrt2/2)
	if g := f.Response(10, 16000); g > 0.05 {
		t.Errorf("10 Hz gain %.3f, want < 0.05", g)
	}
	if g := f.Response(200, 16000); math.Abs(g-1) > 0.01 {
		t.Errorf("200 Hz gain %.3f, want ≈1", g)
	}
	x := make([]float32, 16000)
	for i := range x {
		x[i] = 0.3 // DC
	}
	f.Process(x)
	if v := math.Abs(float64(x[len(x)-1])); v > 1e-4 {
		t.Errorf("DC not removed: %v", v)
	}
}

// The sharp design's promise, measured on the rate pairs the service uses:
// within 0.05 dB (and ≥ 80 dB SNR) from 100 Hz to 0.9 of the lower Nyquist
// frequency, and every tone from that Nyquist frequency up to the input's
// at least 80 dB down in the output, whether it would alias (downsampling)
// or image (upsampling; measured as the residual around the tone, which
// holds the image of a tone near the input's Nyquist frequency).
var ratePairs = [][2]int{
	{16000, 24000}, {24000, 16000}, {48000, 16000}, {44100, 16000}, {24000, 8000},
	{24000, 22050}, {24000, 44100}, {24000, 48000}, {22050, 16000}, {32000, 16000},
}

func TestResampleSharpPassband(t *testing.T) {
	for _, pair := range ratePairs {
		from, to := pair[0], pair[1]
		nyq := 0.5 * float64(min(from, to))
		worst, worstF, minSNR := 0.0, 0.0, math.Inf(1)
		for _, frac := range []float64{0.0125, 0.25, 0.5, 0.75, 0.8, 0.85, 0.875, 0.9} {
			f := frac * nyq
			out := ResampleSharp(sine(from, f, 0.5, 0.5), to)
			snr, amp := sineSNR(out.Samples, to, f)
			db := 20 * math.Log10(amp/0.5)
			if math.Abs(db) > math.Abs(worst) {
				worst, worstF = db, frac
			}
			minSNR = min(minSNR, snr)
		}
		if math.Abs(worst) > 0.05 || minSNR < 80 {
			t.Errorf("%d→%d: gain %.3f dB at %.3f of Nyquist, SNR ≥ %.1f dB; want within ±0.05 dB to 0.9 and ≥ 80 dB", from, to, worst, worstF, minSNR)
		}
		t.Logf("%d→%d: worst gain %+.4f dB (at %.3f of Nyquist), SNR ≥ %.1f dB", from, to, worst, worstF, minSNR)
	}
}

func TestResampleSharpStopband(t *testing.T) {
	for _, pair := range ratePairs {
		from, to := pair[0], pair[1]
		if to > from {
			continue // images: TestResampleSharpImages
		}
		nyqOut, nyqIn := 0.5*float64(to), 0.5*float64(from)
		worst, worstF := math.Inf(-1), 0.0
		for f := nyqOut; f < 0.995*nyqIn; f += (nyqIn - nyqOut) / 37 {
			out := ResampleSharp(sine(from, f, 0.5, 0.5), to)
			level := 20 * math.Log10(rms(out.Samples[to/10:out.Frames()-to/10])/(0.5/math.Sqrt2))
			if level > worst {
				worst, worstF = level, f
			}
		}
		if worst > -80 {
			t.Errorf("%d→%d: a %.0f Hz tone leaks at %.1f dB, want < -80", from, to, worstF, worst)
		}
		t.Logf("%d→%d: worst leak %.1f dB (%.0f Hz)", from, to, worst, worstF)
	}
}

func TestResampleSharpImages(t *testing.T) {
	for _, pair := range ratePairs {
		from, to := pair[0], pair[1]
		if to < from {
			continue
		}
		// A tone at 0.9 of the input's Nyquist frequency images at 1.1 of
		// it; the fit's residual holds the image.
		f := 0.9 * 0.5 * float64(from)
		out := ResampleSharp(sine(from, f, 0.5, 0.5), to)
		if snr, _ := sineSNR(out.Samples, to, f); snr < 80 {
			t.Errorf("%d→%d: %.0f Hz comes out with its image %.1f dB under it, want ≥ 80", from, to, f, snr)
		}
	}
}

// Resample is the analysis design: its output must stay byte for byte what
// it was when profiles, goldens and the watermark's thresholds were
// measured (hashes of dsp.Resample at commit 1c4cdeb, and at 0bbe6fb for
// the rate pairs after the first five).
func TestResampleUnchanged(t *testing.T) {
	for _, tc := range []struct {
		from, to, n int
		hash        uint64
	}{
		{24000, 8000, 4002, 0x7734c306bb619d8c},
		{8000, 24000, 12021, 0xa3ef3c1c28592804},
		{44100, 8000, 4001, 0xd0e582b55ec24eda},
		{16000, 8000, 4004, 0xfb300b98926fc2a4},
		{48000, 8000, 4001, 0xd42ae33312384b59},
		{24000, 16000, 8005, 0x548a029e0b2923a1},
		{16000, 24000, 12011, 0xff9b43de2a704bb2},
		{44100, 16000, 8003, 0x5b95564a9efab66b},
		{48000, 16000, 8002, 0x47d0411ddde5ef8c},
		{24000, 22050, 11031, 0xaa6cb90217265015},
		{22050, 16000, 8005, 0x6e50294a4fdddbfe},
	} {
		rng := rand.New(rand.NewPCG(1, 2))
		p := &audio.PCM{Rate: tc.from, Channels: 1, Samples: make([]float32, tc.from/2+7)}
		for i := range p.Samples {
			p.Samples[i] = float32(rng.NormFloat64() * 0.1)
		}
		out := Resample(p, tc.to)
		h := fnv.New64a()
		for _, v := range out.Samples {
			b := math.Float32bits(v)
			h.Write([]byte{byte(b), byte(b >> 8), byte(b >> 16), byte(b >> 24)})
		}
		if len(out.Samples) != tc.n || h.Sum64() != tc.hash {
			t.Errorf("%d→%d: %d samples hashing %#x, want %d and %#x", tc.from, tc.to, len(out.Samples), h.Sum64(), tc.n, tc.hash)
		}
	}
}

// The analysis design keeps what it always did: flat to about 0.75 of the
// lower Nyquist frequency, not to 0.9.
func TestResampleRollsOff(t *testing.T) {
	out := Resample(sine(24000, 7200, 0.5, 0.5), 16000)
	_, amp := sineSNR(out.Samples, 16000, 7200)
	if db := 20 * math.Log10(amp/0.5); db > -3 || db < -4.5 {
		t.Errorf("7.2 kHz 24→16 kHz through the soft design: %.2f dB, want ≈ −3.8", db)
	}
}

// BenchmarkResample reports the CPU per second of mono audio for the
// conversions the service makes most: the engine's 16 → 24 kHz, the
// 16 kHz formats' 24 → 16, and uploads' 48 and 44.1 → 16 kHz; sharp/ is
// the design for output, soft/ the one for analysis.
func BenchmarkResample(b *testing.B) {
	for _, pair := range [][2]int{{16000, 24000}, {24000, 16000}, {48000, 16000}, {44100, 16000}} {
		for _, d := range []struct {
			name string
			fn   func(*audio.PCM, int) *audio.PCM
		}{{"sharp", ResampleSharp}, {"soft", Resample}} {
			b.Run(fmt.Sprintf("%dto%d/%s", pair[0], pair[1], d.name), func(b *testing.B) {
				const seconds = 10
				p := sine(pair[0], 440, 0.5, seconds)
				d.fn(p, pair[1]) // build the filter bank outside the timer
				for b.Loop() {
					d.fn(p, pair[1])
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/seconds, "ns/audio-s")
			})
		}
	}
}

func TestLimit(t *testing.T) {
	// A 200 Hz tone at 0.5 with a burst at 1.0 in the middle.
	p := sine(16000, 200, 0.5, 1)
	for i := 7000; i < 9000; i++ {
		p.Samples[i] *= 2
	}
	orig := append([]float32(nil), p.Samples...)
	if !Limit(p, 0.8) {
		t.Fatal("Limit reported nothing to do")
	}
	if pk := PeakAbs(p.Samples); pk > 0.8 {
		t.Errorf("peak %.3f over the 0.8 ceiling", pk)
	}
	// Far from the burst the tone is untouched; near it the gain moves
	// smoothly (no sample changes by more than the tone itself allows).
	for _, i := range []int{100, 3000, 15500} {
		if p.Samples[i] != orig[i] {
			t.Errorf("sample %d changed: %v → %v", i, orig[i], p.Samples[i])
		}
	}
	q := sine(16000, 200, 0.5, 0.1)
	if Limit(q, 0.8) {
		t.Error("a signal under the ceiling was limited")
	}
}
