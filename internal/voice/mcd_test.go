package voice

import (
	"context"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/speechtest"
	"github.com/voxclone/voxclone/internal/voice/mcep"
	"github.com/voxclone/voxclone/internal/voice/world"
)

// heldOutMCD enrols on all but the last n transcribed recordings of a
// speaker (with their transcripts when withText) and returns the mean DTW envelope MCD, against the held-out real
// recordings of the same text, of speech from each synthesize function.
func heldOutMCD(t *testing.T, speaker string, n int, withText bool, systems map[string]func(prof []byte, text string) *audio.PCM) map[string]float64 {
	t.Helper()
	paths := speechtest.WAVs(t, speaker)
	var refs []Reference
	secs := 0.0
	for _, p := range paths[:len(paths)-n] {
		if secs > 25 { // enough for the statistics; keeps the test quick
			break
		}
		refs = append(refs, Reference{Audio: speechtest.Load(t, p)})
		if withText {
			refs[len(refs)-1].Transcript = speechtest.Transcript(p)
		}
		secs += refs[len(refs)-1].Audio.Seconds()
	}
	prof, err := New(Config{}).Clone(context.Background(), refs)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, p := range paths[len(paths)-n:] {
		text := speechtest.Transcript(p)
		x, _, _, err := prepare64(speechtest.Load(t, p))
		if err != nil {
			t.Fatal(err)
		}
		real := speechMceps(t, x)
		for name, synth := range systems {
			out[name] += mcep.AlignedMCD(real, speechMceps(t, toFloat64(synth(prof, text).Samples))) / float64(n)
		}
	}
	return out
}

// speechMceps returns the mel-cepstra of the loud frames of x (16 kHz).
func speechMceps(t *testing.T, x []float64) [][]float64 {
	f0, err := world.F0(x, analysisRate, world.F0Options{FramePeriod: analysisPeriod})
	if err != nil {
		t.Fatal(err)
	}
	env, err := world.Envelope(x, analysisRate, f0, analysisPeriod, world.EnvelopeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// A fixed rule, independent of the engine's own frame selection: keep
	// frames within 40 dB of the 95th-percentile frame power.
	pw := make([]float64, len(env))
	for i, e := range env {
		for _, p := range e {
			pw[i] += p
		}
	}
	thr := quantile(append([]float64(nil), pw...), 0.95) * 1e-4
	var out [][]float64
	for i, mc := range mcep.FromEnvelopes(env, mcepOrder, mcepAlpha) {
		if pw[i] > thr {
			out = append(out, mc)
		}
	}
	return out
}

// TestConversionMovesTowardSpeaker checks, on held-out sentences of real
// speakers, that the converted voice is spectrally closer to the speaker
// than the base voice it starts from.
func TestConversionMovesTowardSpeaker(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("slow; numbers only")
	}
	ctx := context.Background()
	say := func(mode Mode) func([]byte, string) *audio.PCM {
		e := New(Config{Mode: mode})
		return func(prof []byte, text string) *audio.PCM {
			p, err := e.Synthesize(ctx, prof, text, Options{})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
	}
	for _, sp := range []string{"vctk_p225", "vctk_p226"} {
		m := heldOutMCD(t, sp, 2, false, map[string]func([]byte, string) *audio.PCM{
			"baseline": say(ModeBaseline), "convert": say(ModeConvert),
		})
		t.Logf("%s: held-out MCD baseline %.2f dB, converted %.2f dB", sp, m["baseline"], m["convert"])
		if m["convert"] >= m["baseline"] {
			t.Errorf("%s: conversion did not reduce MCD (%.2f → %.2f dB)", sp, m["baseline"], m["convert"])
		}
	}
}
