package dsp

import (
	"math"
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

func BenchmarkResample44100To16000(b *testing.B) {
	p := sine(44100, 440, 0.5, 60)
	b.ResetTimer()
	for b.Loop() {
		Resample(p, 16000)
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
