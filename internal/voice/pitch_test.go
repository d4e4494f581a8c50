package voice

import (
	"math"
	"testing"

	"github.com/voxclone/voxclone/internal/speechtest"
)

func TestTrackPitchHarmonic(t *testing.T) {
	for _, f := range []float64{80, 150, 320} {
		x := make([]float32, 16000)
		for i := range x {
			for h := 1; h <= 5; h++ {
				x[i] += float32(0.2 / float64(h) * math.Sin(2*math.Pi*f*float64(h)*float64(i)/16000))
			}
		}
		tr := trackPitch(x, 16000, 0.01)
		med, voiced := f0Median(tr.F0)
		if math.Abs(med/f-1) > 0.01 || voiced < 0.8 {
			t.Errorf("%v Hz tone: median %.1f Hz, voiced %.0f%%", f, med, voiced*100)
		}
	}
}

func f0Median(f0 []float64) (float64, float64) {
	var v []float64
	for _, x := range f0 {
		if x > 0 {
			v = append(v, x)
		}
	}
	if len(v) == 0 {
		return 0, 0
	}
	return quantile(v, 0.5), float64(len(v)) / float64(len(f0))
}

// TestTrackPitchRealSpeech checks the tracker lands in each speaker's sex's
// usual range: adult male medians lie within 85–185 Hz, female 150–280 Hz
// (wide: read speech runs high).
func TestTrackPitchRealSpeech(t *testing.T) {
	for _, sp := range speechtest.Speakers(t) {
		p := loadWAV(t, speechtest.WAVs(t, sp)[0]).Mono()
		med, voiced := f0Median(trackPitch(p.Samples, p.Rate, 0.01).F0)
		lo, hi := 85.0, 185.0
		if sexes[sp] == 'F' {
			lo, hi = 150, 280
		}
		t.Logf("%s: median F0 %.0f Hz, %.0f%% voiced", sp, med, 100*voiced)
		if med < lo || med > hi || voiced < 0.1 || voiced > 0.9 {
			t.Errorf("%s: median %.0f Hz (want %v–%v), voiced %.0f%%", sp, med, lo, hi, 100*voiced)
		}
	}
}
