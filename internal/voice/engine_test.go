package voice

import (
	"bytes"
	"context"
	"errors"
	"math"
	"testing"
)

func TestCloneChoosesBaseBySpeaker(t *testing.T) {
	ctx := context.Background()
	e := New(Config{Mode: ModeBaseline})
	for _, sp := range []string{"vctk_p225", "vctk_p226", "cmuarctic_aew", "cmuarctic_axb"} {
		b, err := e.Clone(ctx, loadRefs(t, sp, 30))
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
		if p.Base.Voice != want {
			t.Errorf("%s: base voice %s (F0 %.0f Hz), want %s", sp, p.Base.Voice, math.Exp(float64(p.Prosody.LogF0Median)), want)
		}
		if p.SpeechSeconds < 5 {
			t.Errorf("%s: %.1f s of speech", sp, p.SpeechSeconds)
		}
	}
}

func TestSynthesizeBaseline(t *testing.T) {
	ctx := context.Background()
	e := New(Config{Mode: ModeBaseline})
	prof, err := e.Clone(ctx, loadRefs(t, "vctk_p225", 20))
	if err != nil {
		t.Fatal(err)
	}
	text := "The weather is nice today. Let us go for a walk in the park!"
	a, err := e.Synthesize(ctx, prof, text, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := a.Seconds(); d < 2 || d > 6 {
		t.Fatalf("duration %.2f s", d)
	}
	b, _ := e.Synthesize(ctx, prof, text, Options{})
	if !bytes.Equal(f32bytes(a.Samples), f32bytes(b.Samples)) {
		t.Error("same input gave different output")
	}
	fast, err := e.Synthesize(ctx, prof, text, Options{Speed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if r := fast.Seconds() / a.Seconds(); r < 0.4 || r > 0.65 {
		t.Errorf("speed 2 changed duration by %.2f×", r)
	}
	up, _ := e.Synthesize(ctx, prof, text, Options{Pitch: 5})
	f0a, _ := f0Median(trackPitch(a.Samples, a.Rate, 0.01).F0)
	f0u, _ := f0Median(trackPitch(up.Samples, up.Rate, 0.01).F0)
	if st := 12 * math.Log2(f0u/f0a); math.Abs(st-5) > 1.5 {
		t.Errorf("pitch +5 st moved median F0 by %.1f st", st)
	}
}

func TestSynthesizeErrors(t *testing.T) {
	ctx := context.Background()
	e := New(Config{Mode: ModeBaseline})
	if _, err := e.Synthesize(ctx, []byte("junk"), "hi", Options{}); !errors.Is(err, ErrBadProfile) {
		t.Errorf("junk profile: %v", err)
	}
	prof, err := (&Profile{Prosody: Prosody{LogF0Median: 5, LogF0SD: 0.1}, Base: BaseFit{Voice: "slt", Warp: 1}}).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Synthesize(ctx, prof, " ... ", Options{}); !errors.Is(err, ErrEmptyText) {
		t.Errorf("empty text: %v", err)
	}
	if _, err := e.Clone(ctx, nil); !errors.Is(err, ErrNoSpeech) {
		t.Errorf("no refs: %v", err)
	}
}

func f32bytes(x []float32) []byte {
	b := make([]byte, 0, 4*len(x))
	for _, v := range x {
		u := math.Float32bits(v)
		b = append(b, byte(u), byte(u>>8), byte(u>>16), byte(u>>24))
	}
	return b
}
