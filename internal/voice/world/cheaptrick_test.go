package world

import (
	"math"
	"testing"

	"github.com/voxclone/voxclone/internal/fftpack"
)

// TestEnvelopeCepstra: each cepstrum transforms back to the log of its
// envelope, and the envelopes are Envelope's, bit for bit.
func TestEnvelopeCepstra(t *testing.T) {
	x := harmonic(16000, 1, func(t float64) float64 { return 110 + 60*t })
	addNoise(x, 20, 3)
	f0 := make([]float64, 100)
	for i := range f0 {
		if i%7 != 0 { // some unvoiced frames
			f0[i] = 110 + 0.6*float64(i)
		}
	}
	want, err := Envelope(x, 16000, f0, 10, EnvelopeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	env, cep, err := EnvelopeCepstra(x, 16000, f0, 10, EnvelopeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dct := fftpack.NewDCT(len(env[0]))
	log := make([]float64, len(env[0]))
	for i := range env {
		if !sameBits(env[i], want[i]) {
			t.Fatalf("frame %d: envelope differs from Envelope's", i)
		}
		dct.Transform(log, cep[i])
		for k, v := range log {
			if d := math.Abs(v - math.Log(env[i][k])); d > 1e-9 {
				t.Fatalf("frame %d bin %d: cepstrum gives log %.12f, envelope %.12f", i, k, v, math.Log(env[i][k]))
			}
		}
	}
}
