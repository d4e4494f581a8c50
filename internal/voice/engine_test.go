package voice

import (
	"bytes"
	"context"
	"errors"
	"math"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/loudness"
	"github.com/voxclone/voxclone/internal/voice/world"
)

func TestCloneChoosesBaseBySpeaker(t *testing.T) {
	ctx := context.Background()
	e := New(Config{})
	for _, sp := range []string{"vctk_p225", "vctk_p226", "cmuarctic_aew", "cmuarctic_axb"} {
		b, err := e.Clone(ctx, loadRefs(t, sp, 15))
		if err != nil {
			t.Fatalf("%s: %v", sp, err)
		}
		var p Profile
		if err := p.UnmarshalBinary(b); err != nil {
			t.Fatalf("%s: %v", sp, err)
		}
		want := "rms"
		if sexes[sp] == 'F' {
			want = "slt"
		}
		t.Logf("%s: %d bytes, F0 %.0f Hz, formants %.0f, base %s, warp %.3f, rate ratio %.2f", sp, len(b),
			math.Exp(float64(p.Prosody.LogF0Median)), p.Spectrum.Formants, p.Base.Voice, p.Base.Warp, p.Base.RateRatio)
		// Every one of these recordings is transcribed, so the rate is fitted.
		if r := p.Base.RateRatio; r < minRateRatio || r > maxRateRatio {
			t.Errorf("%s: rate ratio %.2f", sp, r)
		}
		if p.Base.Voice != want {
			t.Errorf("%s: base voice %s, want %s", sp, p.Base.Voice, want)
		}
		if p.SpeechSeconds < 5 || p.Quality <= 0 {
			t.Errorf("%s: %.1f s of speech, quality %.0f", sp, p.SpeechSeconds, p.Quality)
		}
		if p.Pool == nil || p.Pool.Aligned == 0 || p.Pool.Len() < 500 {
			t.Errorf("%s: no frame pool labelled from the transcripts", sp)
		}
		if len(p.Spectrum.VoicedMean) != mcepOrder+1 || len(p.Base.EQVoiced) != mcepOrder+1 {
			t.Errorf("%s: spectral statistics missing", sp)
		}
	}
}

const testText = "The weather is nice today. Let us go for a walk in the park!"

// TestSynthesize checks both modes on a real speaker: repeatable bytes,
// the speed and pitch controls, and output F0 near the speaker's.
func TestSynthesize(t *testing.T) {
	ctx := context.Background()
	prof, err := New(Config{}).Clone(ctx, loadRefs(t, "vctk_p226", 30))
	if err != nil {
		t.Fatal(err)
	}
	var p Profile
	_ = p.UnmarshalBinary(prof)
	target := math.Exp(float64(p.Prosody.LogF0Median))
	for _, mode := range []Mode{ModeConvert, ModeBaseline} {
		t.Run(string(mode), func(t *testing.T) {
			e := New(Config{Mode: mode})
			a, err := e.Synthesize(ctx, prof, testText, Options{Seed: 7})
			if err != nil {
				t.Fatal(err)
			}
			if d := a.Seconds(); d < 2 || d > 6 || a.Rate != OutputRate {
				t.Fatalf("%.2f s at %d Hz", d, a.Rate)
			}
			checkLevel(t, a, -16)
			b, _ := e.Synthesize(ctx, prof, testText, Options{Seed: 7})
			if !bytes.Equal(f32bytes(a.Samples), f32bytes(b.Samples)) {
				t.Error("same input and seed gave different output")
			}
			fast, _ := e.Synthesize(ctx, prof, testText, Options{Speed: 2, Seed: 7})
			if r := fast.Seconds() / a.Seconds(); r < 0.4 || r > 0.65 {
				t.Errorf("speed 2 changed duration by %.2f×", r)
			}
			f0 := medianF0(t, a)
			if mode == ModeConvert {
				if st := 12 * math.Log2(f0/target); math.Abs(st) > 0.75 {
					t.Errorf("output median F0 %.0f Hz is %.1f st from the speaker's %.0f Hz", f0, st, target)
				}
				up, _ := e.Synthesize(ctx, prof, testText, Options{Pitch: 5, Seed: 7})
				if st := 12 * math.Log2(medianF0(t, up)/f0); math.Abs(st-5) > 1 {
					t.Errorf("pitch +5 st moved median F0 by %.1f st", st)
				}
			}
		})
	}
}

func TestSynthesizeErrors(t *testing.T) {
	ctx := context.Background()
	e := New(Config{})
	if _, err := e.Synthesize(ctx, []byte("junk"), "hi", Options{}); !errors.Is(err, ErrBadProfile) {
		t.Errorf("junk profile: %v", err)
	}
	prof, err := sampleProfile().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Synthesize(ctx, prof, " ... ", Options{}); !errors.Is(err, ErrEmptyText) {
		t.Errorf("empty text: %v", err)
	}
	nan := math.NaN()
	if p, err := e.Synthesize(ctx, prof, "Odd options.", Options{Speed: nan, Pitch: math.Inf(1), LoudnessLUFS: nan, Similarity: &nan}); err != nil || p.Seconds() < 0.3 {
		t.Errorf("non-finite options: %v", err)
	}
	if _, err := e.Clone(ctx, nil); !errors.Is(err, ErrNoSpeech) {
		t.Errorf("no refs: %v", err)
	}
	silence := &audio.PCM{Rate: 16000, Channels: 1, Samples: make([]float32, 16000*5)}
	if _, err := e.Clone(ctx, []Reference{{Audio: silence}}); !errors.Is(err, ErrNoSpeech) {
		t.Errorf("silence: %v", err)
	}
}

// checkLevel asserts finite samples, loudness within 1 LU of lufs and
// sample peaks under −1 dBFS (the true-peak ceiling bounds them).
func checkLevel(t *testing.T, p *audio.PCM, lufs float64) {
	t.Helper()
	peak := 0.0
	for _, v := range p.Samples {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			t.Fatal("non-finite sample")
		}
		peak = math.Max(peak, math.Abs(float64(v)))
	}
	if l := loudness.Integrated(p); math.Abs(l-lufs) > 1 {
		t.Errorf("loudness %.1f LUFS, want %.0f", l, lufs)
	}
	if db := 20 * math.Log10(peak); db > -0.99 {
		t.Errorf("sample peak %.2f dBFS", db)
	}
}

func medianF0(t testing.TB, p *audio.PCM) float64 {
	t.Helper()
	f0, err := world.F0(toFloat64(p.Samples), p.Rate, world.F0Options{})
	if err != nil {
		t.Fatal(err)
	}
	var v []float64
	for _, f := range f0 {
		if f > 0 {
			v = append(v, f)
		}
	}
	return quantile(v, 0.5)
}

func f32bytes(x []float32) []byte {
	b := make([]byte, 0, 4*len(x))
	for _, v := range x {
		u := math.Float32bits(v)
		b = append(b, byte(u), byte(u>>8), byte(u>>16), byte(u>>24))
	}
	return b
}

// TestSynthesizeParallelSentences renders several sentences with one and
// with three workers: the samples must not depend on scheduling.
func TestSynthesizeParallelSentences(t *testing.T) {
	ctx := context.Background()
	prof, err := sampleProfile().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	text := "One sentence here. Another one follows! Is this the third? Yes, and a fourth."
	a, err := New(Config{Workers: 1}).Synthesize(ctx, prof, text, Options{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(Config{Workers: 3}).Synthesize(ctx, prof, text, Options{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(f32bytes(a.Samples), f32bytes(b.Samples)) {
		t.Fatal("parallel rendering changed the output")
	}
	if a.Seconds() < 4 {
		t.Errorf("four sentences lasted %.1f s", a.Seconds())
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := New(Config{}).Synthesize(cctx, prof, text, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: got %v", err)
	}
}
