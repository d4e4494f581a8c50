package dsp

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
)

// TestSharpResamplerMatchesWhole: pieces of any length, down to none and
// one frame, come out as ResampleSharp of the whole, sample for sample,
// on every rate pair the output formats use (with and without half-band
// stages) and in stereo; and the resampler starts over after Flush.
func TestSharpResamplerMatchesWhole(t *testing.T) {
	pairs := append([][2]int{{24000, 24000}, {24000, 12000}, {24000, 11025}}, ratePairs...)
	for _, pair := range pairs {
		for _, ch := range []int{1, 2} {
			from, to := pair[0], pair[1]
			rng := rand.New(rand.NewPCG(uint64(from), uint64(to*ch)))
			whole := &audio.PCM{Rate: from, Channels: ch, Samples: make([]float32, ch*(from+from/3+17))}
			for i := range whole.Samples {
				whole.Samples[i] = float32(rng.NormFloat64() * 0.1)
			}
			want := ResampleSharp(whole, to).Samples
			s := NewSharpResampler(from, to, ch)
			for round := 0; round < 2; round++ {
				var got []float32
				for i := 0; i < whole.Frames(); {
					n := min(pieceLen(rng), whole.Frames()-i)
					piece := &audio.PCM{Rate: from, Channels: ch, Samples: whole.Samples[ch*i : ch*(i+n)]}
					got = append(got, s.Write(piece).Samples...)
					i += n
				}
				got = append(got, s.Flush().Samples...)
				if len(got) != len(want) {
					t.Fatalf("%d→%d, %d ch, round %d: %d samples streamed, %d whole", from, to, ch, round, len(got), len(want))
				}
				for i := range got {
					if got[i] != want[i] {
						t.Fatalf("%d→%d, %d ch, round %d: sample %d streamed %v, whole %v", from, to, ch, round, i, got[i], want[i])
					}
				}
			}
		}
	}
}

// pieceLen draws a piece length: none, one frame, a few, or a sentence's
// worth.
func pieceLen(rng *rand.Rand) int {
	switch rng.IntN(4) {
	case 0:
		return rng.IntN(2)
	case 1:
		return 1 + rng.IntN(40)
	case 2:
		return 100 + rng.IntN(900)
	}
	return 2000 + rng.IntN(9000)
}

// TestSharpResamplerHoldsBackLittle: Write returns all but the look-ahead
// of what it was given, which Delay states, and that is a few
// milliseconds.
func TestSharpResamplerHoldsBackLittle(t *testing.T) {
	for _, pair := range [][2]int{{24000, 16000}, {24000, 8000}, {24000, 22050}, {24000, 44100}, {24000, 48000}} {
		from, to := pair[0], pair[1]
		s := NewSharpResampler(from, to, 1)
		out := s.Write(sine(from, 440, 0.5, 0.3))
		missing := 0.3 - out.Seconds()
		d := s.Delay()
		if missing < 0 || math.Abs(missing-d) > 1.5/float64(to) || d > 0.008 {
			t.Errorf("%d→%d: %.2f ms held back, Delay %.2f ms; want them equal and under 8 ms", from, to, 1000*missing, 1000*d)
		}
		t.Logf("%d→%d: %.2f ms held back", from, to, 1000*d)
	}
}
