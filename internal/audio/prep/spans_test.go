package prep

import (
	"math"
	"slices"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/dsp"
)

// TestPrepareSpans checks that PrepareSpans prepares exactly what Prepare
// does, and that InputAt finds each prepared sample's moment in the
// full-band input: 20 ms windows of the output and of Denoised, brought to
// the output's rate, correlate at the mapped position, with pauses cut
// from the input and with and without noise reduction.
func TestPrepareSpans(t *testing.T) {
	in := withPauses(synthetic(t, "slt", 20, 48000))
	rate := in.Rate
	for _, snr := range []float64{45, 15} {
		noisy := addNoise(in, snr, 3)
		want, _ := Prepare(noisy, DefaultOptions())
		out, rep, s := PrepareSpans(noisy, DefaultOptions())
		if !slices.Equal(out.Samples, want.Samples) {
			t.Fatalf("SNR %.0f: PrepareSpans's output differs from Prepare's", snr)
		}
		full := s.Denoised(noisy.Frames())
		if s.InputRate() != rate || len(full) != noisy.Frames() {
			t.Fatalf("SNR %.0f: Denoised has %d samples at %d Hz, want %d at %d", snr, len(full), s.InputRate(), noisy.Frames(), rate)
		}
		if s.InputAt(-1) != -1 || s.InputAt(out.Frames()) != -1 {
			t.Errorf("SNR %.0f: InputAt outside the output is not −1", snr)
		}
		low := dsp.Resample(&audio.PCM{Rate: rate, Channels: 1, Samples: full}, out.Rate).Samples
		win := out.Rate / 50
		var n, good int
		for i := 0; i+win <= out.Frames(); i += win {
			a := out.Samples[i : i+win]
			if rms(a) < 0.01 {
				continue
			}
			j := int(math.Round(float64(s.InputAt(i)) * float64(out.Rate) / float64(rate)))
			if j < 0 || j+win > len(low) {
				t.Fatalf("SNR %.0f: sample %d maps outside the input", snr, i)
			}
			n++
			if corr(a, low[j:j+win]) > 0.9 {
				good++
			}
		}
		t.Logf("SNR %.0f (measured %.1f dB): %d of %d loud 20 ms windows correlate above 0.9", snr, rep.SNRDB, good, n)
		if n < 100 || float64(good) < 0.95*float64(n) {
			t.Errorf("SNR %.0f: %d of %d windows match the input where InputAt puts them", snr, good, n)
		}
	}
}

// TestDenoisedPrefix checks that Denoised(n) holds n samples and, without
// noise reduction, the same ones as the whole input's copy: asking for a
// prefix does not change what an analysis of it reads.
func TestDenoisedPrefix(t *testing.T) {
	clean := synthetic(t, "slt", 10, 48000)
	for _, snr := range []float64{45, 15} {
		noisy := addNoise(clean, snr, 3)
		_, _, whole := PrepareSpans(noisy, DefaultOptions())
		_, _, part := PrepareSpans(noisy, DefaultOptions())
		all := whole.Denoised(noisy.Frames())
		n := noisy.Frames() / 3
		pre := part.Denoised(n)
		if len(pre) != n || len(part.Denoised(2*noisy.Frames())) != noisy.Frames() {
			t.Fatalf("SNR %.0f: Denoised(%d) has %d samples, Denoised of more than the input %d, want %d and %d",
				snr, n, len(pre), len(part.Denoised(2*noisy.Frames())), n, noisy.Frames())
		}
		if snr > denoiseBelow && !slices.Equal(pre, all[:n]) {
			t.Errorf("SNR %.0f: the first %d samples differ from the whole input's copy", snr, n)
		}
	}
}

func rms(x []float32) float64 {
	var s float64
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return math.Sqrt(s / float64(len(x)))
}

func corr(a, b []float32) float64 {
	var ab, aa, bb float64
	for i := range a {
		ab += float64(a[i]) * float64(b[i])
		aa += float64(a[i]) * float64(a[i])
		bb += float64(b[i]) * float64(b[i])
	}
	return ab / math.Sqrt(aa*bb+1e-30)
}
