package voice

import (
	"bytes"
	"context"
	"math"
	"runtime"
	"testing"

	"github.com/voxclone/voxclone/internal/tts/flite"
)

// TestStreamSameOnAnyCores: the first chunk's analysis, conversion and
// vocoder split their frames over the cores, and the audio must not
// depend on how many there are (real speech, so the phone shifts and GV
// run; the chunks are long enough to be split).
func TestStreamSameOnAnyCores(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("slow")
	}
	prof := clonedForTest(t)
	const text = "The morning train was late again, so Anna walked the last two miles along the river. She counted the boats."
	var want []byte
	for _, procs := range []int{1, 2, 5} {
		old := runtime.GOMAXPROCS(procs)
		got := f32bytes(joined(streamAll(t, New(Config{Workers: 1}), Speaker{Profile: prof}, text, Options{Seed: 4})).Samples)
		runtime.GOMAXPROCS(old)
		if want == nil {
			want = got
		} else if !bytes.Equal(got, want) {
			t.Errorf("GOMAXPROCS=%d: the audio differs from GOMAXPROCS=1's", procs)
		}
	}
}

// TestMapEnvelopesSameOnAnyCores: the conversion splits its frames over
// the cores; every float64 of the mapped envelopes must be the same
// whatever the number (GV's statistics are summed in frame order).
func TestMapEnvelopesSameOnAnyCores(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("slow")
	}
	var p Profile
	if err := p.UnmarshalBinary(clonedForTest(t)); err != nil {
		t.Fatal(err)
	}
	conv := newConversion(&p, 1, 0).shareable()
	r, err := flite.Synthesize(context.Background(), p.Base.Voice, "The morning train was late again, so Anna walked.", flite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	x := resampleTo(toFloat64(r.Audio.Samples), r.Audio.Rate, analysisRate)
	par, err := analyzeBase(x, r.Phones)
	if err != nil {
		t.Fatal(err)
	}
	labels := frameLabels(r.Phones, synthHop, len(par.F0))
	run := func(procs int) [][]float64 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		env := make([][]float64, len(par.Envelope))
		for i, e := range par.Envelope {
			env[i] = append([]float64(nil), e...)
		}
		conv.mapEnvelopes(env, par.F0, labels)
		return env
	}
	want := run(1)
	for _, procs := range []int{2, 3, 8} {
		for i, e := range run(procs) {
			for j, v := range e {
				if math.Float64bits(v) != math.Float64bits(want[i][j]) {
					t.Fatalf("GOMAXPROCS=%d: frame %d bin %d is %v, want %v", procs, i, j, v, want[i][j])
				}
			}
		}
	}
}
