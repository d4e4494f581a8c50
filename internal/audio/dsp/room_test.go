package dsp

import (
	"math"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"gonum.org/v1/gonum/stat"
)

// TestRoomDecay puts an impulse through the room and reads back its decay
// (a line through the 10 ms blocks' energies, in dB, from 20 to 400 ms)
// and its direct-to-reverberant ratio. A pass-through has no tail and
// fails both.
func TestRoomDecay(t *testing.T) {
	for _, rate := range []int{16000, 22050, 48000} {
		x := &audio.PCM{Rate: rate, Channels: 1, Samples: make([]float32, rate*3/2)}
		at := rate / 10
		x.Samples[at] = 0.5
		y := Room{RT60: 0.5, DRR: 3, Gap: 0.002, Seed: 1}.Apply(x)
		direct := float64(y.Samples[at]) * float64(y.Samples[at])
		var tail float64
		for _, v := range y.Samples[at+1:] {
			tail += float64(v) * float64(v)
		}
		if tail == 0 {
			t.Fatalf("%d Hz: no reverberant tail", rate)
		}
		if drr := 10 * math.Log10(direct/tail); math.Abs(drr-3) > 0.1 {
			t.Errorf("%d Hz: direct-to-reverberant ratio %.2f dB, want 3", rate, drr)
		}
		block := rate / 100
		var ts, ds []float64
		for s := at + 2*block; s+block <= at+40*block; s += block {
			var e float64
			for _, v := range y.Samples[s : s+block] {
				e += float64(v) * float64(v)
			}
			ts = append(ts, float64(s-at)/float64(rate))
			ds = append(ds, 10*math.Log10(e+1e-30))
		}
		_, slope := stat.LinearRegression(ts, ds, nil, false)
		rt60 := -60 / slope
		if math.Abs(rt60-0.5) > 0.025 {
			t.Errorf("%d Hz: decay reads RT60 %.3f s, want 0.5 ± 5%%", rate, rt60)
		}
	}
}
