package eval

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/speechtest"
)

func TestDegradations(t *testing.T) {
	ctx := context.Background()
	clean, err := decodeFile(ctx, filepath.Join(speechtest.Dir(t), "vctk_p225", "p225_003.wav"))
	if err != nil {
		t.Fatal(err)
	}
	ds, err := DegradationsNamed(DegradationNames()...)
	if err != nil {
		t.Fatal(err)
	}
	wantRate := map[string]int{DegradePhone: 8000, DegradePhoneBand: 8000, DegradeMuLaw: 16000, DegradeMP3: 22050, DegradeMP3FF: 22050, DegradeNoise20: clean.Rate, DegradeRoom: clean.Rate}
	for _, d := range ds {
		out, err := d.Apply(ctx, clean)
		if err != nil {
			t.Fatalf("%s: %v", d.Name, err)
		}
		if out.Rate != wantRate[d.Name] || out.Channels != 1 {
			t.Errorf("%s: %d Hz × %d, want %d Hz mono", d.Name, out.Rate, out.Channels, wantRate[d.Name])
		}
		if math.Abs(out.Seconds()-clean.Seconds()) > 0.1 {
			t.Errorf("%s: %.2f s from %.2f s", d.Name, out.Seconds(), clean.Seconds())
		}
		again, _ := d.Apply(ctx, clean)
		if !sameSamples(out, again) {
			t.Errorf("%s: two runs differ", d.Name)
		}
	}
	if _, err := DegradationsNamed("phone", "vinyl"); err == nil {
		t.Error("unknown degradation accepted")
	}
}

// TestNoiseSNR checks the noise sits 20 dB below the speech frames, not
// below a level lowered by pauses.
func TestNoiseSNR(t *testing.T) {
	// 1 s of a 0.1-amplitude tone, then 1 s of silence.
	x := &audio.PCM{Rate: 16000, Channels: 1, Samples: make([]float32, 32000)}
	for i := 0; i < 16000; i++ {
		x.Samples[i] = float32(0.1 * math.Sin(2*math.Pi*200*float64(i)/16000))
	}
	y := addNoise(x, 20)
	var noise float64
	for i := range y.Samples {
		d := float64(y.Samples[i] - x.Samples[i])
		noise += d * d
	}
	snr := 10 * math.Log10(0.005/(noise/float64(len(y.Samples))))
	if math.Abs(snr-20) > 0.2 {
		t.Errorf("SNR %.2f dB against the tone, want 20", snr)
	}
}

func sameSamples(a, b *audio.PCM) bool {
	if a.Rate != b.Rate || len(a.Samples) != len(b.Samples) {
		return false
	}
	for i := range a.Samples {
		if a.Samples[i] != b.Samples[i] {
			return false
		}
	}
	return true
}
