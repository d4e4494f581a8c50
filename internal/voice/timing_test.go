package voice

import (
	"context"
	"math"
	"slices"
	"strings"
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
func TestWordTimingsMatchAlignment(t *testing.T) {
	if raceEnabled {
		t.Skip("measures timings; the race detector only slows it (make test runs it without)")
	}
	cases := []struct {
		name string
		sp   func(t *testing.T) Speaker
		opt  Options
	}{
		{"slt", func(*testing.T) Speaker { return Speaker{Builtin: "slt"} }, Options{}},
		{"rms-fast", func(*testing.T) Speaker { return Speaker{Builtin: "rms"} }, Options{Speed: 1.4}},
		{"awb-slow", func(*testing.T) Speaker { return Speaker{Builtin: "awb"} }, Options{Speed: 0.7}},
		{"cloned", func(t *testing.T) Speaker {
			speechtest.Dir(t)
			prof, err := New(Config{}).Clone(context.Background(), loadRefs(t, "vctk_p226", 30))
			if err != nil {
				t.Fatal(err)
			}
			return Speaker{Profile: prof}
		}, Options{Speed: 1.2, Seed: 5}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cs := streamAll(t, New(Config{}), tc.sp(t), timingText, tc.opt)
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
			med, p90 := errs[len(errs)/2], errs[len(errs)*9/10]
			t.Logf("%d words: boundary error median %.1f ms, 90th percentile %.1f ms", len(words), 1000*med, 1000*p90)
			if med > 0.030 {
				t.Errorf("median word-boundary error %.1f ms, want ≤ 30 ms", 1000*med)
			}
		})
	}
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
