package world

import (
	"math"
	"testing"

	"github.com/voxclone/voxclone/internal/speechtest"
)

// TestF0CacheSameResult checks that reusing DIO's plans and filter spectra
// between calls changes no bit of the result: chunks of real speech of
// several lengths (sizes reused, new and evicted), at several decimation
// ratios, frame periods and band settings, through one cache.
func TestF0CacheSameResult(t *testing.T) {
	var x []float64
	for _, p := range speechtest.WAVs(t, "librispeech_1998")[:2] {
		y, fs := readWAV(t, p)
		if fs != 16000 {
			t.Fatalf("%s: rate %d", p, fs)
		}
		x = append(x, y...)
	}
	if testing.Short() {
		x = x[:min(len(x), 3*16000)]
	}
	opts := []F0Options{
		{FramePeriod: 10, Speed: 2},
		{FramePeriod: 10, Speed: 4},
		{FramePeriod: 20, Speed: 4},
		{},
		{Speed: 1, ChannelsInOctave: 3, Floor: 70, Ceil: 400},
	}
	var c F0Cache
	lengths := []int{len(x), len(x) / 3, len(x), 8000, len(x) / 3, len(x) / 2, len(x) / 3, 4001}
	for _, o := range opts {
		for k, n := range lengths {
			seg := x[k*997%(len(x)-n+1):][:n]
			want, err := F0(seg, 16000, o)
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.F0(seg, 16000, o)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%+v, %d samples: %d frames, want %d", o, n, len(got), len(want))
			}
			for i := range want {
				if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
					t.Fatalf("%+v, %d samples: frame %d is %v, want %v", o, n, i, got[i], want[i])
				}
			}
		}
	}
	if len(c.plans) > f0CachePlans {
		t.Errorf("cache holds %d sizes, want at most %d", len(c.plans), f0CachePlans)
	}
}
