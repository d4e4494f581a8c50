package voice

import (
	"context"
	"math"
	"testing"

	"gonum.org/v1/gonum/dsp/fourier"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/tts/flite"
)

// fricativeSentence is mostly sibilants and fricatives, whose strongest
// band is the 6–8 kHz the 16 → 24 kHz resampling must keep. No comma:
// the sentence is one chunk.
const fricativeSentence = "She sells six fresh fish and his sister says the sauce is sharp."

// TestBuiltinKeepsFliteHighBand holds a built-in voice's 6–7.5 kHz, as the
// engine renders its chunk at 24 kHz, to flite's own 16 kHz rendering of
// the same sentence over the same span of speech. Both spectra are taken
// against their own 1–4 kHz (so levels cancel), on 31.25 Hz bins the two
// rates share. The band's level (its power over 6–7.5 kHz) must be within
// 0.3 dB of flite's, and every bin from 6 kHz to 7.2 kHz (0.9 of flite's
// Nyquist frequency, where the sharp design is flat) within 0.2 dB.
// Through the analysis resampler (flat only to 6 kHz, −3.8 dB at 7.2 kHz)
// the band read 0.9–1.1 dB down and its bins 3.6–3.7 dB down at 7.2 kHz
// (8.4–8.5 dB at 7.5 kHz); through the sharp one 0.0–0.13 dB and 0.02 dB (its
// transition begins above 7.2 kHz: 7.5 kHz reads 3.4–3.6 dB down). The
// chunk is taken before the level and limiter, which act on every voice
// alike.
func TestBuiltinKeepsFliteHighBand(t *testing.T) {
	const levelTol, binTol = 0.3, 0.2 // dB
	for _, id := range []string{"slt", "rms", "awb"} {
		r, err := flite.Synthesize(context.Background(), id, fricativeSentence, flite.Options{DurationStretch: durationStretch(1)})
		if err != nil {
			t.Fatal(err)
		}
		start, end := speechSpan(r.Phones, r.Audio.Seconds())
		in := &audio.PCM{Rate: r.Audio.Rate, Channels: 1,
			Samples: r.Audio.Samples[int(start*float64(r.Audio.Rate)):int(math.Ceil(end*float64(r.Audio.Rate)))]}
		got, want := relSpectrum(renderBuiltinChunk(t, id, fricativeSentence)), relSpectrum(in)
		level := bandLevel(got, 6000, 7500) - bandLevel(want, 6000, 7500)
		worst := worstBin(got, want, 6000, 7200)
		t.Logf("%s: 6–7.5 kHz %+.2f dB from flite's own; worst bin to 7.2 kHz %+.2f dB", id, level, worst)
		if math.Abs(level) > levelTol {
			t.Errorf("%s: 6–7.5 kHz at %+.2f dB from flite's own, want within ±%.1f dB", id, level, levelTol)
		}
		if math.Abs(worst) > binTol {
			t.Errorf("%s: a bin of 6–7.2 kHz at %+.2f dB from flite's own, want within ±%.1f dB", id, worst, binTol)
		}
	}
}

// renderBuiltinChunk is the engine's rendering of a one-chunk text in a
// built-in voice: resampled, trimmed to its speech and faded, not levelled.
func renderBuiltinChunk(t *testing.T, id, text string) *audio.PCM {
	t.Helper()
	s, err := Prepare(text)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.chunks) != 1 {
		t.Fatalf("%d chunks, want the text in one", len(s.chunks))
	}
	r, err := New(Config{}).newRenderer(Speaker{Builtin: id}, s, sanitize(Options{}))
	if err != nil {
		t.Fatal(err)
	}
	res := r.render(context.Background(), 0)
	if res.err != nil {
		t.Fatal(res.err)
	}
	if res.pcm.Rate != OutputRate {
		t.Fatalf("rendered at %d Hz, want %d", res.pcm.Rate, OutputRate)
	}
	return res.pcm
}

// binHz is the bin width of relSpectrum at any rate: 32 ms frames.
const binHz = 1 / 0.032

// bandLevel is the mean of a relSpectrum over lo–hi Hz, in dB.
func bandLevel(pw []float64, lo, hi float64) float64 {
	var sum float64
	n := 0
	for k := int(math.Ceil(lo / binHz)); k <= int(hi/binHz); k++ {
		sum += pw[k]
		n++
	}
	return 10 * math.Log10(sum/float64(n))
}

// worstBin is the largest difference, in dB, between two relSpectrums'
// bins over lo–hi Hz.
func worstBin(a, b []float64, lo, hi float64) float64 {
	var worst float64
	for k := int(math.Ceil(lo / binHz)); k <= int(hi/binHz); k++ {
		if d := 10 * math.Log10(a[k]/b[k]); math.Abs(d) > math.Abs(worst) {
			worst = d
		}
	}
	return worst
}

// relSpectrum is p's power spectrum summed over 32 ms Hann frames every
// 10 ms, over its mean from 1 to 4 kHz: the same bins at 16 and 24 kHz.
func relSpectrum(p *audio.PCM) []float64 {
	n := int(0.032 * float64(p.Rate))
	fft := fourier.NewFFT(n)
	buf := make([]float64, n)
	pw := make([]float64, n/2)
	for s := 0; s+n <= len(p.Samples); s += p.Rate / 100 {
		for i := range buf {
			buf[i] = float64(p.Samples[s+i]) * (0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n)))
		}
		for k, c := range fft.Coefficients(nil, buf)[:n/2] {
			pw[k] += real(c)*real(c) + imag(c)*imag(c)
		}
	}
	var mid float64
	for k := 32; k <= 128; k++ { // 1–4 kHz
		mid += pw[k]
	}
	mid /= 97
	for k := range pw {
		pw[k] /= mid
	}
	return pw
}
