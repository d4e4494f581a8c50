package world

import (
	"os"
	"testing"

	"github.com/voxclone/voxclone/internal/audio/wav"
)

// readWAV decodes a mono WAV file from the shared speech set into float64
// samples in ±1 and returns them with the sample rate.
func readWAV(t testing.TB, path string) ([]float64, int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pcm, err := wav.DecodeBytes(b, 0)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	pcm = pcm.Mono()
	x := make([]float64, len(pcm.Samples))
	for i, v := range pcm.Samples {
		x[i] = float64(v)
	}
	return x, pcm.Rate
}
