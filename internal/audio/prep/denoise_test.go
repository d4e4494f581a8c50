package prep

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/voxclone/voxclone/internal/audio/dsp"
	"github.com/voxclone/voxclone/internal/fftpack"

	"github.com/voxclone/voxclone/internal/audio"
)

// errSNR is the ratio of clean power to the power of (x − clean), in dB.
func errSNR(clean, x []float32) float64 {
	var s, e float64
	for i, c := range clean {
		d := float64(x[i] - c)
		s += float64(c) * float64(c)
		e += d * d
	}
	return 10 * math.Log10(s/e)
}

func TestDenoiseImprovesNoisySpeech(t *testing.T) {
	clean := speaker(t, "cmuarctic_aew", 3) // 16 kHz, pauses at the ends
	HighPass(clean.Samples, clean.Rate)
	for _, tc := range []struct{ snr, gain float64 }{{5, 4}, {15, 2}} {
		snr := tc.snr
		noisy := addNoise(clean, snr, 7)
		f := analyzeFrames(noisy.Samples, noisy.Rate)
		out := Denoise(noisy.Samples, noisy.Rate, f.speech, f.hop)
		before, after := errSNR(clean.Samples, noisy.Samples), errSNR(clean.Samples, out)
		t.Logf("input SNR %.0f dB: error SNR %.1f → %.1f dB", snr, before, after)
		if after < before+tc.gain {
			t.Errorf("input SNR %.0f dB: error SNR only %.1f → %.1f dB", snr, before, after)
		}
	}
}

// TestDenoiseNoMusicalNoise checks what is left of pure noise: quieter,
// but still noise-like. Musical noise would show as a spectrum of isolated
// peaks (low flatness) and frames whose level jumps about.
func TestDenoiseNoMusicalNoise(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	noise := &audio.PCM{Rate: 16000, Channels: 1, Samples: make([]float32, 3*16000)}
	for i := range noise.Samples {
		noise.Samples[i] = float32(0.01 * r.NormFloat64())
	}
	f := analyzeFrames(noise.Samples, 16000)
	out := Denoise(noise.Samples, 16000, make([]bool, len(f.speech)), f.hop)
	in, res := analyzeFrames(noise.Samples, 16000), analyzeFrames(out, 16000)
	att := mean(in.energy) - mean(res.energy)
	if att < 10 {
		t.Errorf("noise attenuated only %.1f dB", att)
	}
	if sd, sdIn := stddev(res.energy), stddev(in.energy); sd > sdIn+2 {
		t.Errorf("frame level spread %.1f dB (input %.1f): musical noise", sd, sdIn)
	}
	if fl := meanFlatness(out); fl < 0.3 {
		t.Errorf("residual flatness %.2f: noise turned into tones", fl)
	}
}

func mean(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

func stddev(x []float64) float64 {
	m := mean(x)
	var s float64
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return math.Sqrt(s / float64(len(x)))
}

func meanFlatness(x []float32) float64 {
	fft, buf := fftpack.NewFFT(512), make([]float64, 512)
	var coef []complex128
	var sum float64
	n := 0
	for off := 0; off+512 <= len(x); off += 512 {
		coef = spectrum(fft, buf, dsp.Hann(512), coef, x[off:off+512])
		sum += flatness(coef, 16000, 512)
		n++
	}
	return sum / float64(n)
}
