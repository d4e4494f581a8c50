package voice

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/voxclone/voxclone/internal/audio/dsp"
	"github.com/voxclone/voxclone/internal/speechtest"
	"github.com/voxclone/voxclone/internal/voice/align"
)

// timingText has several sentences and a first sentence long enough to be
// cut early, so timings cross chunk joins; no word repeats next to itself,
// which keeps the aligner's words apart.
const timingText = "The old fisherman walked slowly along the quiet river, watching the small boats drift past the bridge. " +
	"Later that evening, his daughter called to ask about the garden. He told her the roses were finally blooming."

// TestWordTimingsMatchAlignment force-aligns the stream's audio to its
// words and compares word boundaries: the times reported from the base
// synthesizer, carried through speed changes, trimming and the joins
// between chunks, must be within 30 ms of the alignment at the median.
// Built-in voices at three speeds, and voices cloned from real speech of
// three speakers (two women, one man) at 0.75, 1 and 1.5 (not with
// -short: each clone costs seconds).
func TestWordTimingsMatchAlignment(t *testing.T) {
	if raceEnabled {
		t.Skip("measures timings; the race detector only slows it (make test runs it without)")
	}
	type tcase struct {
		name string
		sp   func(t *testing.T) Speaker
		opt  Options
	}
	cases := []tcase{
		{"slt", func(*testing.T) Speaker { return Speaker{Builtin: "slt"} }, Options{}},
		{"rms-fast", func(*testing.T) Speaker { return Speaker{Builtin: "rms"} }, Options{Speed: 1.4}},
		{"awb-slow", func(*testing.T) Speaker { return Speaker{Builtin: "awb"} }, Options{Speed: 0.7}},
		{"cloned", func(t *testing.T) Speaker { return clonedSpeaker(t, "vctk_p226") }, Options{Speed: 1.2, Seed: 5}},
	}
	for _, spk := range []string{"vctk_p225", "vctk_p226", "ljspeech_LJ"} {
		if testing.Short() {
			break
		}
		for _, speed := range []float64{0.75, 1, 1.5} {
			cases = append(cases, tcase{fmt.Sprintf("cloned-%s-%.2f", spk, speed),
				func(t *testing.T) Speaker { return clonedSpeaker(t, spk) }, Options{Speed: speed}})
		}
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if med, _ := boundaryErrors(t, tc.sp(t), tc.opt); med > 0.030 {
				t.Errorf("median word-boundary error %.1f ms, want ≤ 30 ms", 1000*med)
			}
		})
	}
}

var clonedSpeakers sync.Map // speaker → []byte profile

// clonedSpeaker clones 30 s of a speaker of the speech set, once per test
// binary.
func clonedSpeaker(t *testing.T, speaker string) Speaker {
	speechtest.Dir(t)
	if p, ok := clonedSpeakers.Load(speaker); ok {
		return Speaker{Profile: p.([]byte)}
	}
	prof, err := New(Config{}).Clone(context.Background(), loadRefs(t, speaker, 30))
	if err != nil {
		t.Fatal(err)
	}
	clonedSpeakers.Store(speaker, prof)
	return Speaker{Profile: prof}
}

// boundaryErrors streams timingText in sp's voice, force-aligns the audio
// to the reported words and returns the median and 90th percentile of the
// differences between reported and aligned word starts and ends, in
// seconds.
func boundaryErrors(t *testing.T, sp Speaker, opt Options) (median, p90 float64) {
	t.Helper()
	cs := streamAll(t, New(Config{}), sp, timingText, opt)
	var words []Word
	for _, c := range cs {
		words = append(words, c.Words...)
	}
	pcm := dsp.Resample(joined(cs), align.Rate)
	var spoken []string
	for _, w := range words {
		spoken = append(spoken, strings.ToLower(w.Text))
	}
	segs, err := align.Align(context.Background(), pcm, strings.Join(spoken, " "))
	if err != nil {
		t.Fatal(err)
	}
	ref := alignedWords(segs)
	if len(ref) != len(words) {
		t.Fatalf("aligner found %d words, the stream reported %d", len(ref), len(words))
	}
	var errs []float64
	for i, w := range words {
		errs = append(errs, math.Abs(w.Start-ref[i][0]), math.Abs(w.End-ref[i][1]))
	}
	slices.Sort(errs)
	median, p90 = errs[len(errs)/2], errs[len(errs)*9/10]
	t.Logf("%d words: boundary error median %.1f ms, 90th percentile %.1f ms", len(words), 1000*median, 1000*p90)
	return median, p90
}

// alignedWords returns the start and end of each word in the aligner's
// segments, in order.
func alignedWords(segs []align.Segment) [][2]float64 {
	var out [][2]float64
	prev := ""
	for _, s := range segs {
		switch {
		case s.Word == "":
			prev = ""
		case s.Word != prev:
			out = append(out, [2]float64{s.Start, s.End})
			prev = s.Word
		default:
			out[len(out)-1][1] = s.End
		}
	}
	return out
}
