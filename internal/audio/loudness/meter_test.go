package loudness

import (
	"math"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
)

// TestMeterMatchesIntegrated: measuring in pieces of any size gives the
// whole-signal figure.
func TestMeterMatchesIntegrated(t *testing.T) {
	rate := 16000
	whole := &audio.PCM{Rate: rate, Channels: 1, Samples: make([]float32, rate*3)}
	for i := range whole.Samples {
		x := float64(i) / float64(rate)
		whole.Samples[i] = float32(0.3 * math.Sin(2*math.Pi*220*x) * (0.2 + math.Abs(math.Sin(2*math.Pi*0.7*x))))
	}
	for _, sizes := range [][]int{{48000}, {1, 1599, 1600, 17, 30000}, {333, 4444, 5555, 6666}, {4000}} {
		m := NewMeter(rate, 1)
		off := 0
		for _, n := range sizes {
			n = min(n, len(whole.Samples)-off)
			m.Add(&audio.PCM{Rate: rate, Channels: 1, Samples: whole.Samples[off : off+n]})
			off += n
		}
		want := Integrated(&audio.PCM{Rate: rate, Channels: 1, Samples: whole.Samples[:off]})
		if got := m.Integrated(); math.Abs(got-want) > 1e-9 {
			t.Errorf("pieces %v: %.6f LUFS, want %.6f", sizes, got, want)
		}
	}
	if got := NewMeter(rate, 1).Integrated(); !math.IsInf(got, -1) {
		t.Errorf("empty meter: %v, want Silence", got)
	}
}
